//! HTTP tests against the real server on 127.0.0.1, with a real client: every route,
//! path traversal attempts, policy reloads, manifest URLs, TLS with a generated
//! certificate, conditional requests and refused methods.
//!
//! Each test builds its own fake site (www/, dist/, manifest templates) in a temporary
//! folder, with a secret file next to the site that no request may ever reach.

// Helpers outside `#[test]` functions: a panic there is the failure report we want.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, ETAG, IF_NONE_MATCH, LOCATION,
};
use sendguard_server::{
    OUTLOOK_CSP, SITE_CSP, Server, ServerConfig, ServerErrorKind, SiteRoots, Tls,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::oneshot;

const SECRET: &str = "TOP-SECRET-do-not-serve";
const WASM: &[u8] = b"\0asm\x01\0\0\0 fake module";
const XPI: &[u8] = b"PK\x03\x04 fake xpi";

/// A fake build: www/, dist/ and the manifest templates in a temporary folder, plus a
/// secret file beside them.
struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    fn new() -> Site {
        let dir = tempfile::tempdir().unwrap();
        let files: &[(&str, &[u8])] = &[
            ("secret.txt", SECRET.as_bytes()),
            ("dist/www/index.html", b"<!doctype html><title>sendguard</title>"),
            ("dist/www/app.js", b"console.log('hi');"),
            ("dist/www/docs/index.html", b"<!doctype html><title>docs</title>"),
            ("dist/www/.hidden", SECRET.as_bytes()),
            ("dist/addin-outlook/taskpane.html", b"<!doctype html><title>pane</title>"),
            ("dist/addin-outlook/commands.js", b"Office.actions.associate();"),
            ("dist/addin-outlook/lib/handler.js", b"// handler"),
            ("dist/addin-outlook/style.css", b"body{}"),
            ("dist/addin-thunderbird/manifest.json", b"{\"manifest_version\":3}"),
            ("dist/checker/sendguard-checker.mjs", b"export function createChecker(){}"),
            ("dist/checker/sendguard_bg.wasm", WASM),
            ("dist/sendguard-thunderbird.xpi", XPI),
            (
                "addin-outlook/manifest.template.xml",
                b"<OfficeApp><SourceLocation DefaultValue=\"{{BASE_URL}}/outlook/taskpane.html\"/></OfficeApp>",
            ),
            (
                "addin-outlook/manifest.template.json",
                b"{\"developer\":{\"websiteUrl\":\"{{BASE_URL}}/\"},\"icon\":\"{{BASE_URL}}/outlook/icon.png\"}",
            ),
        ];
        for (path, contents) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, contents).unwrap();
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink(
            dir.path().join("secret.txt"),
            dir.path().join("dist/www/escape"),
        )
        .unwrap();
        Site { dir }
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    fn roots(&self) -> SiteRoots {
        SiteRoots::in_checkout(self.dir.path())
    }

    fn config(&self, tls: Tls) -> ServerConfig {
        let mut config = ServerConfig::new("127.0.0.1:0".parse().unwrap(), tls, self.roots());
        config.policy_poll_interval = Duration::from_millis(50);
        config.shutdown_grace = Duration::from_secs(2);
        config
    }
}

/// A server running in the background of the test.
struct Running {
    addr: SocketAddr,
    base: String,
    stop: oneshot::Sender<()>,
    task: tokio::task::JoinHandle<()>,
}

async fn start(config: ServerConfig) -> Running {
    let server = Server::bind(config).await.unwrap();
    let addr = server.local_addr();
    let base = server.base_url();
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(server.run(async {
        stopped.await.ok();
    }));
    Running {
        addr,
        base,
        stop,
        task,
    }
}

impl Running {
    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    async fn stop(self) {
        self.stop.send(()).unwrap();
        tokio::time::timeout(Duration::from_secs(5), self.task)
            .await
            .expect("server did not shut down")
            .unwrap();
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// A TLS client that trusts only `authority` and reaches `localhost` at `addr`.
fn tls_client(authority: &Path, addr: SocketAddr) -> reqwest::Client {
    let pem = std::fs::read(authority).unwrap();
    reqwest::Client::builder()
        .no_proxy()
        .add_root_certificate(reqwest::Certificate::from_pem(&pem).unwrap())
        .resolve("localhost", addr)
        .build()
        .unwrap()
}

/// Sends one request exactly as written (no URL normalisation, as a browser or reqwest
/// would do) and returns the status and the whole response text.
async fn raw_request(addr: SocketAddr, request_line: &str, host: &str) -> (u16, String) {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!("{request_line}\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut response))
        .await
        .unwrap()
        .unwrap();
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    (status, text)
}

async fn get(client: &reqwest::Client, url: &str) -> reqwest::Response {
    client.get(url).send().await.unwrap()
}

fn header(response: &reqwest::Response, name: reqwest::header::HeaderName) -> &str {
    response
        .headers()
        .get(&name)
        .unwrap_or_else(|| panic!("no {name} header"))
        .to_str()
        .unwrap()
}

/// Polls until `check` holds, for at most five seconds.
async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..100 {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("timed out waiting for: {what}");
}

#[tokio::test]
async fn every_route_answers_with_its_headers() {
    let site = Site::new();
    let server = start(site.config(Tls::BehindProxy)).await;
    let client = client();

    struct Case {
        path: &'static str,
        media_type: &'static str,
        csp: &'static str,
        body: Option<&'static [u8]>,
    }
    let cases = [
        Case {
            path: "/",
            media_type: "text/html; charset=utf-8",
            csp: SITE_CSP,
            body: Some(b"<!doctype html><title>sendguard</title>"),
        },
        Case {
            path: "/app.js",
            media_type: "text/javascript; charset=utf-8",
            csp: SITE_CSP,
            body: Some(b"console.log('hi');"),
        },
        Case {
            path: "/docs/",
            media_type: "text/html; charset=utf-8",
            csp: SITE_CSP,
            body: Some(b"<!doctype html><title>docs</title>"),
        },
        Case {
            path: "/outlook/taskpane.html",
            media_type: "text/html; charset=utf-8",
            csp: OUTLOOK_CSP,
            body: None,
        },
        Case {
            path: "/outlook/lib/handler.js",
            media_type: "text/javascript; charset=utf-8",
            csp: OUTLOOK_CSP,
            body: Some(b"// handler"),
        },
        Case {
            path: "/thunderbird/manifest.json",
            media_type: "application/json",
            csp: SITE_CSP,
            body: None,
        },
        Case {
            path: "/checker/sendguard_bg.wasm",
            media_type: "application/wasm",
            csp: SITE_CSP,
            body: Some(WASM),
        },
        Case {
            path: "/checker/sendguard-checker.mjs",
            media_type: "text/javascript; charset=utf-8",
            csp: SITE_CSP,
            body: None,
        },
        Case {
            path: "/sendguard-thunderbird.xpi",
            media_type: "application/x-xpinstall",
            csp: SITE_CSP,
            body: Some(XPI),
        },
        Case {
            path: "/policy.json",
            media_type: "application/json",
            csp: SITE_CSP,
            body: Some(sendguard_core::default_policy_json().as_bytes()),
        },
        Case {
            path: "/manifest.xml",
            media_type: "application/xml; charset=utf-8",
            csp: SITE_CSP,
            body: None,
        },
        Case {
            path: "/manifest.json",
            media_type: "application/json",
            csp: SITE_CSP,
            body: None,
        },
        Case {
            path: "/.well-known/microsoft-officeaddins-allowed.json",
            media_type: "application/json",
            csp: SITE_CSP,
            body: None,
        },
    ];
    for case in cases {
        let response = get(&client, &server.url(case.path)).await;
        assert_eq!(response.status(), StatusCode::OK, "{}", case.path);
        assert_eq!(
            header(&response, CONTENT_TYPE),
            case.media_type,
            "{}",
            case.path
        );
        assert_eq!(
            header(&response, CONTENT_SECURITY_POLICY),
            case.csp,
            "{}",
            case.path
        );
        assert_eq!(
            header(&response, "x-content-type-options".parse().unwrap()),
            "nosniff"
        );
        assert_eq!(
            header(&response, "referrer-policy".parse().unwrap()),
            "no-referrer"
        );
        assert_eq!(
            header(&response, CACHE_CONTROL),
            "no-cache",
            "{}",
            case.path
        );
        assert!(header(&response, ETAG).starts_with('"'), "{}", case.path);
        // Only the policy is meant for other origins (the Thunderbird add-on's).
        let cors = response
            .headers()
            .get("access-control-allow-origin")
            .map(|v| v.to_str().unwrap().to_owned());
        let expected_cors = (case.path == "/policy.json").then(|| "*".to_owned());
        assert_eq!(cors, expected_cors, "{}", case.path);
        let bytes = response.bytes().await.unwrap();
        if let Some(expected) = case.body {
            assert_eq!(&bytes[..], expected, "{}", case.path);
        }
    }

    let health = get(&client, &server.url("/healthz")).await;
    assert_eq!(health.status(), StatusCode::OK);
    assert_eq!(header(&health, CACHE_CONTROL), "no-store");
    let health: serde_json::Value = health.json().await.unwrap();
    assert_eq!(health["status"], "ok");
    assert_eq!(health["policy"]["source"], "default");
    assert_eq!(health["policy"]["rejected_edit"], serde_json::Value::Null);

    let allowed: serde_json::Value = get(
        &client,
        &server.url("/.well-known/microsoft-officeaddins-allowed.json"),
    )
    .await
    .json()
    .await
    .unwrap();
    let origin = format!("http://{}", server.addr);
    assert_eq!(
        allowed,
        serde_json::json!({ "allowed": [
            format!("{origin}/outlook/commands.js"),
            format!("{origin}/outlook/lib/handler.js"),
        ]})
    );

    for (path, location) in [("/docs", "/docs/"), ("/outlook", "/outlook/")] {
        let response = get(&client, &server.url(path)).await;
        assert_eq!(response.status(), StatusCode::PERMANENT_REDIRECT, "{path}");
        assert_eq!(header(&response, LOCATION), location);
    }

    for path in [
        "/missing.html",
        "/outlook/missing.js",
        "/app.js/",
        "/checker/nope/",
    ] {
        let response = get(&client, &server.url(path)).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        assert_eq!(
            header(&response, "x-content-type-options".parse().unwrap()),
            "nosniff"
        );
    }

    let head = client
        .head(server.url("/checker/sendguard_bg.wasm"))
        .send()
        .await
        .unwrap();
    assert_eq!(head.status(), StatusCode::OK);
    assert_eq!(
        header(&head, "content-length".parse().unwrap()),
        WASM.len().to_string()
    );
    assert!(head.bytes().await.unwrap().is_empty());

    server.stop().await;
}

#[tokio::test]
async fn unbuilt_parts_answer_503_saying_what_is_missing() {
    let empty = tempfile::tempdir().unwrap();
    let config = {
        let mut config = ServerConfig::new(
            "127.0.0.1:0".parse().unwrap(),
            Tls::BehindProxy,
            SiteRoots::in_checkout(empty.path()),
        );
        config.shutdown_grace = Duration::from_secs(2);
        config
    };
    let server = start(config).await;
    let client = client();
    for path in [
        "/manifest.xml",
        "/manifest.json",
        "/sendguard-thunderbird.xpi",
        "/.well-known/microsoft-officeaddins-allowed.json",
    ] {
        let response = get(&client, &server.url(path)).await;
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE, "{path}");
        assert_eq!(header(&response, CACHE_CONTROL), "no-store");
        let text = response.text().await.unwrap();
        assert!(text.contains("not built yet"), "{path}: {text}");
    }
    assert_eq!(
        get(&client, &server.url("/")).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&client, &server.url("/policy.json")).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        get(&client, &server.url("/healthz")).await.status(),
        StatusCode::OK
    );
    server.stop().await;
}

#[tokio::test]
async fn path_traversal_never_leaves_the_site() {
    let site = Site::new();
    let server = start(site.config(Tls::BehindProxy)).await;
    // The secret is one level above www/ and two above dist/checker/.
    let attempts = [
        "/../secret.txt",
        "/..",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/.%2e/secret.txt",
        "/%2e%2e%2fsecret.txt",
        "/..%2fsecret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "/%5c..%5csecret.txt",
        "/docs/../../secret.txt",
        "/checker/../../secret.txt",
        "/checker/%2e%2e/%2e%2e/secret.txt",
        "/outlook/..%2f..%2f..%2fsecret.txt",
        "/outlook/%2e%2e%5c%2e%2e%5c%2e%2e%5csecret.txt",
        "/thunderbird/../../secret.txt",
        "//secret.txt",
        "/%2fsecret.txt",
        &format!("/{}", site.path("secret.txt").display()),
        &format!("/%2f{}", site.path("secret.txt").display()),
        "/C:/secret.txt",
        "/C:%5csecret.txt",
        "/.hidden",
        "/%2ehidden",
        "/escape",
        "/secret.txt%00.html",
        "/%c0%ae%c0%ae/secret.txt",
        "/%252e%252e/secret.txt",
    ];
    for path in attempts {
        for request_line in [
            format!("GET {path} HTTP/1.1"),
            // absolute-form, as sent to proxies
            format!("GET http://localhost{path} HTTP/1.1"),
        ] {
            let (status, text) = raw_request(server.addr, &request_line, "localhost").await;
            assert!(
                !text.contains(SECRET),
                "{request_line} leaked the secret: {text}"
            );
            assert!(
                [400, 404].contains(&status),
                "{request_line} answered {status}: {text}"
            );
        }
    }
    // The files next to the attempts are reachable, so the refusals above are not
    // an accident of a broken site.
    let (status, _) = raw_request(server.addr, "GET /app.js HTTP/1.1", "localhost").await;
    assert_eq!(status, 200);
    server.stop().await;
}

#[tokio::test]
async fn only_get_and_head_are_served() {
    let site = Site::new();
    let server = start(site.config(Tls::BehindProxy)).await;
    let client = client();
    let draft = r#"{"to":[{"address":"bob@partner.example"}],"subject":"x"}"#;
    for method in ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"] {
        for path in [
            "/",
            "/index.html",
            "/policy.json",
            "/healthz",
            "/manifest.xml",
            "/manifest.json",
            "/outlook/commands.js",
            "/checker/",
            "/sendguard-thunderbird.xpi",
            "/.well-known/microsoft-officeaddins-allowed.json",
            "/check",
            "/api/check",
        ] {
            let response = client
                .request(method.parse().unwrap(), server.url(path))
                .header(CONTENT_TYPE, "application/json")
                .body(draft)
                .send()
                .await
                .unwrap();
            assert_eq!(
                response.status(),
                StatusCode::METHOD_NOT_ALLOWED,
                "{method} {path}"
            );
            let allow = header(&response, "allow".parse().unwrap()).to_ascii_uppercase();
            assert!(allow.contains("GET"), "{method} {path}: Allow {allow}");
            assert!(!allow.contains("POST"), "{method} {path}: Allow {allow}");
        }
    }
    server.stop().await;
}

#[tokio::test]
async fn repeat_requests_get_304_until_the_content_changes() {
    let site = Site::new();
    let server = start(site.config(Tls::BehindProxy)).await;
    let client = client();
    for path in [
        "/policy.json",
        "/app.js",
        "/checker/sendguard_bg.wasm",
        "/manifest.xml",
    ] {
        let first = get(&client, &server.url(path)).await;
        let etag = header(&first, ETAG).to_owned();
        for tag in [
            "*".to_owned(),
            etag.clone(),
            format!("W/{etag}"),
            format!("\"stale\", {etag}"),
        ] {
            let again = client
                .get(server.url(path))
                .header(IF_NONE_MATCH, &tag)
                .send()
                .await
                .unwrap();
            assert_eq!(
                again.status(),
                StatusCode::NOT_MODIFIED,
                "{path} with {tag}"
            );
            assert_eq!(header(&again, ETAG), etag);
            assert_eq!(header(&again, CACHE_CONTROL), "no-cache");
            assert!(again.bytes().await.unwrap().is_empty());
        }
        let stale = client
            .get(server.url(path))
            .header(IF_NONE_MATCH, "\"stale\"")
            .send()
            .await
            .unwrap();
        assert_eq!(stale.status(), StatusCode::OK, "{path}");
    }

    // A rebuilt file gets a new tag at once, even within the same second.
    let before = header(&get(&client, &server.url("/app.js")).await, ETAG).to_owned();
    std::fs::write(
        site.path("dist/www/app.js"),
        "console.log('rebuilt, longer');",
    )
    .unwrap();
    let after = client
        .get(server.url("/app.js"))
        .header(IF_NONE_MATCH, &before)
        .send()
        .await
        .unwrap();
    assert_eq!(after.status(), StatusCode::OK);
    assert_ne!(header(&after, ETAG), before);
    assert_eq!(
        after.text().await.unwrap(),
        "console.log('rebuilt, longer');"
    );
    server.stop().await;
}

#[tokio::test]
async fn policy_edits_are_reloaded_and_bad_ones_keep_the_old_policy() {
    let site = Site::new();
    let policy_path = site.path("policy.json");
    let first = "{\n  \"internal_domains\": [\"corp.example\"]\n}\n";
    std::fs::write(&policy_path, first).unwrap();
    let mut config = site.config(Tls::BehindProxy);
    config.policy_file = Some(policy_path.clone());
    let server = start(config).await;
    let client = client();
    let policy_url = server.url("/policy.json");
    let health_url = server.url("/healthz");

    assert_eq!(get(&client, &policy_url).await.text().await.unwrap(), first);
    let health: serde_json::Value = get(&client, &health_url).await.json().await.unwrap();
    assert_eq!(health["policy"]["source"], "file");

    let second = "{\n  \"internal_domains\": [\"corp.example\", \"corp-group.example\"]\n}\n";
    std::fs::write(&policy_path, second).unwrap();
    eventually("the edited policy to be served", || async {
        get(&client, &policy_url).await.text().await.unwrap() == second
    })
    .await;

    // A typo'd key: rejected, logged, reported in /healthz; the second policy stays.
    let typo = "{\n  \"internal_domains\": [\"corp.example\"],\n  \"internal_domainz\": []\n}\n";
    std::fs::write(&policy_path, typo).unwrap();
    eventually("the bad edit to be reported", || async {
        let health: serde_json::Value = get(&client, &health_url).await.json().await.unwrap();
        health["policy"]["rejected_edit"].is_string()
    })
    .await;
    let health: serde_json::Value = get(&client, &health_url).await.json().await.unwrap();
    let reason = health["policy"]["rejected_edit"].as_str().unwrap();
    assert!(reason.contains("internal_domainz"), "{reason}");
    assert!(
        reason.contains('3'),
        "the reason should name line 3: {reason}"
    );
    assert_eq!(
        get(&client, &policy_url).await.text().await.unwrap(),
        second
    );

    // Not JSON at all, then a file that vanished: still the second policy.
    std::fs::write(&policy_path, "{ \"internal_domains\": [").unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        get(&client, &policy_url).await.text().await.unwrap(),
        second
    );
    std::fs::remove_file(&policy_path).unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        get(&client, &policy_url).await.text().await.unwrap(),
        second
    );

    // Fixed: served, and the rejection is cleared.
    let third = "{}\n";
    std::fs::write(&policy_path, third).unwrap();
    eventually("the fixed policy to be served", || async {
        get(&client, &policy_url).await.text().await.unwrap() == third
    })
    .await;
    let health: serde_json::Value = get(&client, &health_url).await.json().await.unwrap();
    assert_eq!(health["policy"]["rejected_edit"], serde_json::Value::Null);
    server.stop().await;
}

#[tokio::test]
async fn a_bad_policy_at_start_is_an_error_naming_file_and_key() {
    let site = Site::new();
    let policy_path = site.path("policy.json");
    std::fs::write(
        &policy_path,
        "{\n  \"severity\": {\"freemail-recipent\": \"off\"}\n}\n",
    )
    .unwrap();
    let mut config = site.config(Tls::BehindProxy);
    config.policy_file = Some(policy_path.clone());
    let error = Server::bind(config).await.unwrap_err();
    assert_eq!(error.kind(), ServerErrorKind::PolicyInvalid);
    assert_eq!(error.path().as_deref(), Some(policy_path.as_path()));
    let message = error.to_string();
    assert!(
        message.contains(&policy_path.display().to_string()),
        "{message}"
    );
    assert!(message.contains("freemail-recipent"), "{message}");

    // Too large to be a policy, or not there at all: unreadable, naming the file.
    std::fs::write(&policy_path, vec![b' '; 2 * 1024 * 1024]).unwrap();
    let mut config = site.config(Tls::BehindProxy);
    config.policy_file = Some(policy_path.clone());
    let error = Server::bind(config.clone()).await.unwrap_err();
    assert_eq!(error.kind(), ServerErrorKind::PolicyRead);
    assert!(error.to_string().contains("too large"), "{error}");
    std::fs::remove_file(&policy_path).unwrap();
    let error = Server::bind(config).await.unwrap_err();
    assert_eq!(error.kind(), ServerErrorKind::PolicyRead);
}

#[tokio::test]
async fn manifest_urls_follow_the_host_behind_a_proxy() {
    let site = Site::new();
    let server = start(site.config(Tls::BehindProxy)).await;
    let client = client();

    let direct = get(&client, &server.url("/manifest.xml"))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(
        direct,
        format!(
            "<OfficeApp><SourceLocation DefaultValue=\"http://{}/outlook/taskpane.html\"/></OfficeApp>",
            server.addr
        )
    );

    let proxied = client
        .get(server.url("/manifest.xml"))
        .header("x-forwarded-proto", "https")
        .header("x-forwarded-host", "sendguard.corp.example")
        .send()
        .await
        .unwrap();
    assert_eq!(
        header(&proxied, "vary".parse().unwrap()),
        "Host, X-Forwarded-Host, X-Forwarded-Proto"
    );
    assert!(
        proxied
            .text()
            .await
            .unwrap()
            .contains("DefaultValue=\"https://sendguard.corp.example/outlook/taskpane.html\"")
    );

    let json: serde_json::Value = client
        .get(server.url("/manifest.json"))
        .header("x-forwarded-proto", "https")
        .header("x-forwarded-host", "Mail-Tools.Corp.Example:8443")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        json["icon"],
        "https://mail-tools.corp.example:8443/outlook/icon.png"
    );

    // Only the Host header, as a proxy that keeps it would send.
    let (status, text) = raw_request(
        server.addr,
        "GET /manifest.xml HTTP/1.1",
        "sendguard.corp.example",
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        text.contains("http://sendguard.corp.example/outlook/taskpane.html"),
        "{text}"
    );

    // A Host that is not a host name never reaches the manifest.
    for host in [
        "evil.example\"><script>",
        "a b",
        "host:99999",
        "",
        "user@host",
        "a..b",
        "[::1",
        "-bad.example",
    ] {
        let (status, text) = raw_request(server.addr, "GET /manifest.xml HTTP/1.1", host).await;
        assert_eq!(status, 400, "Host {host:?}: {text}");
        assert!(!text.contains("<script>"), "{text}");
    }
    let bad_proto = client
        .get(server.url("/manifest.xml"))
        .header("x-forwarded-proto", "javascript")
        .send()
        .await
        .unwrap();
    assert_eq!(bad_proto.status(), StatusCode::BAD_REQUEST);
    server.stop().await;
}

#[tokio::test]
async fn generated_certificate_serves_https_and_is_reused() {
    let site = Site::new();
    let cert_dir = site.path("tls");
    let server = Server::bind(site.config(Tls::SelfSigned {
        dir: cert_dir.clone(),
    }))
    .await
    .unwrap();
    let certificate = server.self_signed_certificate().unwrap().clone();
    assert!(certificate.generated());
    let notice = certificate.to_string();
    assert!(notice.contains(&certificate.authority_path().display().to_string()));
    // The notice points to the per-system instructions, which the README holds.
    assert!(
        notice.contains("Trusting the local certificate"),
        "{notice}"
    );
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md")).unwrap();
    let section = readme
        .split("### Trusting the local certificate")
        .nth(1)
        .expect("README has the trust section");
    assert!(section.contains("update-ca-certificates"), "{section}");
    assert!(server.base_url().starts_with("https://localhost:"));
    let addr = server.local_addr();
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(server.run(async {
        stopped.await.ok();
    }));
    let running = Running {
        addr,
        base: format!("https://localhost:{}", addr.port()),
        stop,
        task,
    };

    let client = tls_client(certificate.authority_path(), addr);
    let health = get(&client, &format!("{}/healthz", running.base)).await;
    assert_eq!(health.status(), StatusCode::OK);
    assert_eq!(
        health.version(),
        reqwest::Version::HTTP_2,
        "ALPN should pick h2"
    );

    // Direct TLS: the manifest uses https and the request's host, never X-Forwarded-*.
    let manifest = client
        .get(format!("{}/manifest.xml", running.base))
        .header("x-forwarded-host", "evil.example")
        .header("x-forwarded-proto", "http")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        manifest.contains(&format!(
            "DefaultValue=\"https://localhost:{}/outlook/taskpane.html\"",
            addr.port()
        )),
        "{manifest}"
    );
    let over_http1 = reqwest::Client::builder()
        .no_proxy()
        .http1_only()
        .add_root_certificate(
            reqwest::Certificate::from_pem(&std::fs::read(certificate.authority_path()).unwrap())
                .unwrap(),
        )
        .resolve("localhost", addr)
        .build()
        .unwrap();
    let policy = get(&over_http1, &format!("{}/policy.json", running.base)).await;
    assert_eq!(policy.version(), reqwest::Version::HTTP_11);
    assert_eq!(
        policy.text().await.unwrap(),
        sendguard_core::default_policy_json()
    );

    // A client that does not trust the authority is turned away by TLS itself.
    let untrusting = reqwest::Client::builder()
        .no_proxy()
        .resolve("localhost", addr)
        .build()
        .unwrap();
    assert!(
        untrusting
            .get(format!("{}/healthz", running.base))
            .send()
            .await
            .is_err()
    );
    // Plain HTTP to the TLS port gets nothing useful.
    let (_, text) = raw_request(addr, "GET /policy.json HTTP/1.1", "localhost").await;
    assert!(!text.contains("internal_domains"), "{text}");
    running.stop().await;

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(certificate.key_path())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "key readable by others: {mode:o}");
    }

    // Started again: the same authority, so people trust it once.
    let again = start(site.config(Tls::SelfSigned {
        dir: cert_dir.clone(),
    }))
    .await;
    let health = get(
        &tls_client(certificate.authority_path(), again.addr),
        &format!("https://localhost:{}/healthz", again.addr.port()),
    )
    .await;
    assert_eq!(health.status(), StatusCode::OK);
    again.stop().await;

    // A damaged set is replaced, not served.
    std::fs::write(certificate.key_path(), "garbage").unwrap();
    let third = Server::bind(site.config(Tls::SelfSigned { dir: cert_dir }))
        .await
        .unwrap();
    assert!(third.self_signed_certificate().unwrap().generated());
}

/// IT's own certificate: a chain and key in PEM files, made here with rcgen.
fn write_certificate_files(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let authority_key = rcgen::KeyPair::generate().unwrap();
    let mut authority = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    authority.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    authority
        .distinguished_name
        .push(rcgen::DnType::CommonName, "test corporate CA");
    let authority_cert = authority.self_signed(&authority_key).unwrap();
    let issuer = rcgen::Issuer::new(authority, authority_key);
    let server_key = rcgen::KeyPair::generate().unwrap();
    let server_cert = rcgen::CertificateParams::new(vec!["sendguard.corp.example".to_owned()])
        .unwrap()
        .signed_by(&server_key, &issuer)
        .unwrap();
    let paths = (
        dir.join("ca.pem"),
        dir.join("chain.pem"),
        dir.join("key.pem"),
    );
    std::fs::write(&paths.0, authority_cert.pem()).unwrap();
    std::fs::write(&paths.1, server_cert.pem()).unwrap();
    std::fs::write(&paths.2, server_key.serialize_pem()).unwrap();
    (paths.0, paths.1, paths.2)
}

#[tokio::test]
async fn certificate_files_from_it_are_used() {
    let site = Site::new();
    let (ca, cert, key) = write_certificate_files(site.dir.path());
    let server = start(site.config(Tls::Files {
        cert: cert.clone(),
        key: key.clone(),
    }))
    .await;
    let client = reqwest::Client::builder()
        .no_proxy()
        .add_root_certificate(reqwest::Certificate::from_pem(&std::fs::read(&ca).unwrap()).unwrap())
        .resolve("sendguard.corp.example", server.addr)
        .build()
        .unwrap();
    let manifest = get(
        &client,
        &format!(
            "https://sendguard.corp.example:{}/manifest.xml",
            server.addr.port()
        ),
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(manifest.contains(&format!(
        "https://sendguard.corp.example:{}/outlook/taskpane.html",
        server.addr.port()
    )));
    let health = get(
        &client,
        &format!(
            "https://sendguard.corp.example:{}/healthz",
            server.addr.port()
        ),
    )
    .await;
    assert_eq!(
        header(&health, "strict-transport-security".parse().unwrap()),
        "max-age=31536000"
    );
    server.stop().await;

    // A key that does not belong to the certificate is refused at start, naming both.
    let other_key = site.path("other-key.pem");
    std::fs::write(
        &other_key,
        rcgen::KeyPair::generate().unwrap().serialize_pem(),
    )
    .unwrap();
    let error = Server::bind(site.config(Tls::Files {
        cert: cert.clone(),
        key: other_key,
    }))
    .await
    .unwrap_err();
    assert_eq!(error.kind(), ServerErrorKind::TlsConfig, "{error}");
    assert!(error.to_string().contains("chain.pem"), "{error}");

    // A certificate file that is not there.
    let error = Server::bind(site.config(Tls::Files {
        cert: site.path("missing.pem"),
        key: key.clone(),
    }))
    .await
    .unwrap_err();
    assert_eq!(error.kind(), ServerErrorKind::TlsCertificate, "{error}");
    assert!(error.to_string().contains("missing.pem"), "{error}");

    // The key given as the certificate: no certificate in it.
    let error = Server::bind(site.config(Tls::Files {
        cert: key.clone(),
        key,
    }))
    .await
    .unwrap_err();
    assert_eq!(error.kind(), ServerErrorKind::TlsCertificate, "{error}");
}

#[tokio::test]
async fn a_taken_port_is_an_error_naming_the_address() {
    let site = Site::new();
    let server = start(site.config(Tls::BehindProxy)).await;
    let mut config = site.config(Tls::BehindProxy);
    config.listen = server.addr;
    let error = Server::bind(config).await.unwrap_err();
    assert_eq!(error.kind(), ServerErrorKind::Bind);
    assert!(
        error.to_string().contains(&server.addr.to_string()),
        "{error}"
    );
    server.stop().await;
}

#[tokio::test]
async fn shutdown_finishes_and_closes_the_port() {
    let site = Site::new();
    let server = start(site.config(Tls::BehindProxy)).await;
    let addr = server.addr;
    // An idle keep-alive connection must not hold shutdown up.
    let client = client();
    assert_eq!(
        get(&client, &server.url("/healthz")).await.status(),
        StatusCode::OK
    );
    let started = std::time::Instant::now();
    server.stop().await;
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
}

/// Reads until the server closes the connection; how long that took from `started`.
/// Fails if it is still open after `limit`.
async fn closed_by_server(
    mut stream: impl tokio::io::AsyncRead + Unpin,
    started: std::time::Instant,
    limit: Duration,
) -> Duration {
    let deadline = tokio::time::Instant::from_std(started + limit);
    let mut buffer = [0u8; 4096];
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buffer)).await {
            Err(_) => panic!("connection still open after {limit:?}"),
            Ok(Ok(0) | Err(_)) => return started.elapsed(),
            Ok(Ok(_)) => {}
        }
    }
}

/// A test-only configuration: one second for the first request head and for idleness.
fn short_timeouts(mut config: ServerConfig) -> ServerConfig {
    config.header_timeout = Duration::from_secs(1);
    config.idle_timeout = Duration::from_secs(1);
    config
}

#[tokio::test]
async fn idle_and_stalled_connections_are_closed_in_time() {
    let site = Site::new();
    let plain = start(short_timeouts(site.config(Tls::BehindProxy))).await;
    let tls = start(short_timeouts(site.config(Tls::SelfSigned {
        dir: site.path("tls"),
    })))
    .await;
    let limit = Duration::from_secs(3);
    let connect = |addr| async move {
        let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        (stream, std::time::Instant::now())
    };

    // Plain HTTP: not a byte sent.
    let (stream, started) = connect(plain.addr).await;
    let took = closed_by_server(stream, started, limit).await;
    assert!(
        took >= Duration::from_millis(900),
        "closed too early: {took:?}"
    );

    // A request head trickling in, a byte at a time: the deadline counts from accept.
    let (mut stream, started) = connect(plain.addr).await;
    for byte in b"GET /policy.json HTTP/1.1\r\nHost: localhost\r\n"
        .iter()
        .take(6)
    {
        if stream.write_all(&[*byte]).await.is_err() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    let took = closed_by_server(stream, started, limit).await;
    assert!(took < Duration::from_millis(2500), "{took:?}");

    // HTTP/1 keep-alive after an answered request, then silence.
    let (mut stream, _) = connect(plain.addr).await;
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .unwrap();
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).await.unwrap();
    assert_eq!(&head, b"HTTP/1.1 200");
    closed_by_server(stream, std::time::Instant::now(), limit).await;

    // h2c: the HTTP/2 preface and settings, then no request.
    let (mut stream, started) = connect(plain.addr).await;
    stream
        .write_all(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\0\x04\0\0\0\0\0")
        .await
        .unwrap();
    closed_by_server(stream, started, limit).await;

    // TLS: nothing sent, and a handshake that stops after the record header.
    let (stream, started) = connect(tls.addr).await;
    closed_by_server(stream, started, limit).await;
    let (mut stream, started) = connect(tls.addr).await;
    stream
        .write_all(&[0x16, 0x03, 0x01, 0x02, 0x00])
        .await
        .unwrap();
    closed_by_server(stream, started, limit).await;

    // Meanwhile the policy kept answering on both.
    let (status, _) = raw_request(plain.addr, "GET /policy.json HTTP/1.1", "localhost").await;
    assert_eq!(status, 200);
    plain.stop().await;
    tls.stop().await;
}

#[tokio::test]
async fn the_connection_cap_holds_and_timeouts_free_its_slots() {
    let site = Site::new();
    let mut config = short_timeouts(site.config(Tls::BehindProxy));
    config.max_connections = 2;
    let server = start(config).await;
    let idle = [
        tokio::net::TcpStream::connect(server.addr).await.unwrap(),
        tokio::net::TcpStream::connect(server.addr).await.unwrap(),
    ];
    // Give the server time to accept both, so they hold the two slots.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = std::time::Instant::now();
    let (status, _) = raw_request(server.addr, "GET /healthz HTTP/1.1", "localhost").await;
    assert_eq!(status, 200);
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(600),
        "answered at once, past the cap: {waited:?}"
    );
    drop(idle);
    server.stop().await;
}

#[tokio::test]
async fn public_url_and_the_proxy_end_of_forwarding_lists() {
    let site = Site::new();
    let server = start(site.config(Tls::BehindProxy)).await;
    let client = client();
    // A client can put anything in front; the proxy appends what it saw last.
    let text = client
        .get(server.url("/manifest.xml"))
        .header("x-forwarded-proto", "http, https")
        .header("x-forwarded-host", "evil.example, sendguard.corp.example")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        text.contains("\"https://sendguard.corp.example/outlook/taskpane.html\""),
        "{text}"
    );
    // The same when the proxy adds a header line of its own instead of appending.
    let text = client
        .get(server.url("/manifest.xml"))
        .header("x-forwarded-host", "evil.example")
        .header("x-forwarded-host", "sendguard.corp.example")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        text.contains("\"http://sendguard.corp.example/outlook/taskpane.html\""),
        "{text}"
    );
    let response = get(&client, &server.url("/policy.json")).await;
    assert!(
        response
            .headers()
            .get("strict-transport-security")
            .is_none()
    );
    let empty = client
        .get(server.url("/manifest.xml"))
        .header("x-forwarded-host", "")
        .send()
        .await
        .unwrap();
    assert_eq!(empty.status(), StatusCode::BAD_REQUEST);
    server.stop().await;

    let mut config = site.config(Tls::BehindProxy);
    config.public_url = sendguard_server::BaseUrl::parse("https://mail-tools.corp.example/sg/");
    let server = start(config).await;
    let response = client
        .get(server.url("/manifest.xml"))
        .header("x-forwarded-host", "evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(
        header(&response, "strict-transport-security".parse().unwrap()),
        "max-age=31536000"
    );
    let text = response.text().await.unwrap();
    assert!(
        text.contains("\"https://mail-tools.corp.example/sg/outlook/taskpane.html\""),
        "{text}"
    );
    server.stop().await;
}

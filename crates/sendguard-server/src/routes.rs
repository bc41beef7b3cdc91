//! The routes: what each URL answers, and the headers every answer carries.
//!
//! Files come from tower-http's `ServeDir`, one per folder under its own CSP; it answers
//! `HEAD`, ranges and `If-None-Match` with its own tag (size and modification time). A
//! guard in front refuses hidden names, separators, drive letters, control characters
//! and any path whose real location (symbolic links resolved) is outside the folder.
//! Generated answers (policy, manifests) carry a tag of their content.

use std::path::Path;
use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::{
    ACCESS_CONTROL_ALLOW_ORIGIN, CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, ETAG,
    IF_NONE_MATCH, REFERRER_POLICY, STRICT_TRANSPORT_SECURITY, VARY, X_CONTENT_TYPE_OPTIONS,
};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::middleware;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use tower::ServiceExt as _;
use tower_http::LatencyUnit;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::trace::{DefaultOnResponse, TraceLayer};

use crate::SiteRoots;
use crate::manifest::{
    ManifestKind, NO_BASE_URL, SendMode, UrlSource, base_url_of, render_manifest,
};
use crate::policy::PolicyReceiver;

/// The policy for our own pages (landing page, playground, policy editor, docs) and the
/// checker package: scripts and WebAssembly from this origin only, no inline script, no
/// connections to any other origin, and no framing by other sites. `connect-src 'self'`
/// is the browser-enforced half of the promise that nothing about a draft leaves.
pub const SITE_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
    style-src 'self'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; \
    worker-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
    frame-ancestors 'none'";

/// The policy for the Outlook add-in's files: as for the site, but Office.js comes from
/// Microsoft's CDN, Outlook (on the web and on the desktop) frames the task pane, and
/// Office's UI Fabric styles may be inline.
pub const OUTLOOK_CSP: &str = "default-src 'self'; \
    script-src 'self' 'wasm-unsafe-eval' https://appsforoffice.microsoft.com; \
    style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; \
    connect-src 'self'; frame-src 'self' https://appsforoffice.microsoft.com; \
    object-src 'none'; base-uri 'self'; form-action 'self'";

/// Longest URL path and deepest nesting mapped to a file; anything beyond is refused.
const MAX_PATH_BYTES: usize = 1024;
const MAX_SEGMENTS: usize = 32;

/// Everything the handlers share.
pub(crate) struct AppState {
    pub(crate) policy: PolicyReceiver,
    pub(crate) url_source: UrlSource,
    pub(crate) send_mode: SendMode,
    pub(crate) roots: SiteRoots,
}

type Shared = State<Arc<AppState>>;

/// What `/manifest.*` and the allow-list are generated from.
#[derive(Clone, Copy)]
enum Generated {
    Manifest(ManifestKind),
    AllowedScripts,
}

/// The whole site as one router; `hsts` adds `Strict-Transport-Security`. Every route,
/// the file fallback included, is a `GET` method router, so any other method gets axum's
/// `405` with `Allow: GET,HEAD` before a handler runs.
pub(crate) fn router(state: AppState, hsts: bool) -> Router {
    let state = Arc::new(state);
    let mut router = Router::new()
        .route("/healthz", get(healthz))
        .route("/policy.json", get(policy))
        .route("/sendguard-thunderbird.xpi", get(thunderbird_xpi));
    for (path, what) in [
        ("/manifest.xml", Generated::Manifest(ManifestKind::Xml)),
        ("/manifest.json", Generated::Manifest(ManifestKind::Json)),
        (
            "/.well-known/microsoft-officeaddins-allowed.json",
            Generated::AllowedScripts,
        ),
    ] {
        router = router.route(path, get(move |s: Shared, p: Parts| generated(s, p, what)));
    }
    // No client addresses and no query strings are logged: there is nothing personal
    // to keep. Server errors are logged as failures, at error level.
    let log = TraceLayer::new_for_http()
        .make_span_with(|request: &Request| {
            let path: String = request.uri().path().chars().take(256).collect();
            tracing::info_span!("request", method = %request.method(), path)
        })
        .on_request(())
        .on_response(DefaultOnResponse::new().latency_unit(LatencyUnit::Micros));
    router
        .fallback_service(get(static_file).with_state(Arc::clone(&state)))
        .with_state(state)
        .layer(log)
        .layer(CatchPanicLayer::new())
        .layer(middleware::map_response_with_state(hsts, every_answer))
}

/// The headers on every answer. Answers worth keeping are revalidated on every use, so
/// a new policy or add-in build reaches everyone at once (and cheaply: a `304`); the
/// rest is never stored. The site's CSP unless the answer has its folder's own.
async fn every_answer(State(hsts): State<bool>, mut response: Response) -> Response {
    let status = response.status();
    let keep = status.is_success() || status == StatusCode::NOT_MODIFIED;
    let headers = response.headers_mut();
    let value = HeaderValue::from_static;
    let cache = value(if keep { "no-cache" } else { "no-store" });
    headers.entry(CACHE_CONTROL).or_insert(cache);
    headers
        .entry(CONTENT_SECURITY_POLICY)
        .or_insert(value(SITE_CSP));
    headers.insert(X_CONTENT_TYPE_OPTIONS, value("nosniff"));
    headers.insert(REFERRER_POLICY, value("no-referrer"));
    if hsts {
        headers.insert(STRICT_TRANSPORT_SECURITY, value("max-age=31536000"));
    }
    response
}

/// A strong entity tag for content: 64-bit XXH3 and the length.
pub(crate) fn content_tag(bytes: &[u8]) -> String {
    let hash = xxhash_rust::xxh3::xxh3_64(bytes);
    format!("\"{hash:016x}-{:x}\"", bytes.len())
}

/// `200` with the body and its tag, or `304` when `If-None-Match` names the tag (or
/// `*`), compared weakly (RFC 9110 §13.1.2).
fn tagged(request: &HeaderMap, media_type: &'static str, body: Bytes) -> Response {
    let etag = content_tag(&body);
    let current = request
        .get_all(IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag);
    let Ok(etag) = HeaderValue::from_str(&etag) else {
        return plain(StatusCode::INTERNAL_SERVER_ERROR, "bad entity tag");
    };
    if current {
        return (StatusCode::NOT_MODIFIED, [(ETAG, etag)]).into_response();
    }
    let media_type = HeaderValue::from_static(media_type);
    ([(ETAG, etag), (CONTENT_TYPE, media_type)], body).into_response()
}

/// A short plain-text answer, for errors and for "not built yet".
fn plain(status: StatusCode, message: impl Into<String>) -> Response {
    let content_type = HeaderValue::from_static("text/plain; charset=utf-8");
    (
        status,
        [(CONTENT_TYPE, content_type)],
        message.into() + "\n",
    )
        .into_response()
}

/// `503` for a part of the build that is missing or unreadable (`file` says which).
fn unavailable(what: &str, file: &str, error: &std::io::Error) -> Response {
    let message = if error.kind() == std::io::ErrorKind::NotFound {
        format!(
            "{what} is not built yet ({file} is missing): run `cargo xtask build`, then reload."
        )
    } else {
        tracing::error!(file, %error, "cannot read a file to serve");
        format!("{what} cannot be read ({file}); see the server log.")
    };
    plain(StatusCode::SERVICE_UNAVAILABLE, message)
}

/// `/healthz`: the server is up, and which policy it serves.
async fn healthz(State(state): Shared) -> Response {
    let served = Arc::clone(&state.policy.borrow());
    let body = serde_json::json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
        "policy": {
            "source": if served.from_file { "file" } else { "default" },
            "etag": served.etag,
            "rejected_edit": served.rejected_edit,
        },
    });
    let json = HeaderValue::from_static("application/json");
    let no_store = HeaderValue::from_static("no-store");
    (
        [(CONTENT_TYPE, json), (CACHE_CONTROL, no_store)],
        body.to_string(),
    )
        .into_response()
}

/// `/policy.json`: the accepted policy file byte for byte, or the embedded default.
///
/// Readable from any origin: the Thunderbird add-on fetches it from its own
/// `moz-extension://` origin without host permissions. The policy is configuration the
/// add-ins publish to every user anyway, and the request carries no credentials.
async fn policy(State(state): Shared, headers: HeaderMap) -> Response {
    let body = state.policy.borrow().body.clone();
    let mut response = tagged(&headers, "application/json", body);
    let any = HeaderValue::from_static("*");
    response
        .headers_mut()
        .insert(ACCESS_CONTROL_ALLOW_ORIGIN, any);
    response
}

/// `/manifest.xml` and `/manifest.json` (the Outlook add-in's templates filled in), and
/// `/.well-known/microsoft-officeaddins-allowed.json` (the add-in's scripts that may
/// fetch from this origin in classic Outlook's JavaScript-only runtime, where every
/// request counts as cross-origin): all for the URL this request came in on.
async fn generated(State(state): Shared, parts: Parts, what: Generated) -> Response {
    let Some(base_url) = base_url_of(&parts, &state.url_source) else {
        return plain(StatusCode::BAD_REQUEST, NO_BASE_URL);
    };
    let (body, media_type) = match what {
        Generated::Manifest(kind) => {
            let file = kind.template_file_name();
            let path = state.roots.manifest_templates.join(file);
            match tokio::fs::read_to_string(&path).await {
                Ok(template) => {
                    let body = render_manifest(&template, &base_url, kind, state.send_mode);
                    (body, kind.content_type())
                }
                Err(error) => return unavailable("The Outlook add-in", file, &error),
            }
        }
        Generated::AllowedScripts => {
            let dir = state.roots.dist.join("addin-outlook");
            let listed = tokio::task::spawn_blocking(move || list_scripts(&dir)).await;
            let scripts = match listed.map_err(std::io::Error::other).and_then(|list| list) {
                Ok(scripts) => scripts,
                Err(error) => return unavailable("The Outlook add-in", "addin-outlook/", &error),
            };
            let allowed: Vec<String> = scripts
                .iter()
                .map(|script| format!("{base_url}/outlook/{script}"))
                .collect();
            let json = serde_json::json!({ "allowed": allowed });
            let body = serde_json::to_string_pretty(&json).unwrap_or_default();
            (body, "application/json")
        }
    };
    let mut response = tagged(&parts.headers, media_type, body.into());
    // The answer depends on these request headers, so caches must key on them.
    let vary = HeaderValue::from_static("Host, X-Forwarded-Host, X-Forwarded-Proto");
    response.headers_mut().insert(VARY, vary);
    response
}

/// The `.js` files under `dir` (at most 200, at most 4 folders deep) as URL paths
/// relative to it, sorted. Only names that need no escaping in a URL are listed.
fn list_scripts(dir: &Path) -> std::io::Result<Vec<String>> {
    std::fs::read_dir(dir)?;
    let mut scripts = Vec::new();
    let mut pending = vec![(dir.to_owned(), String::new(), 0)];
    while let Some((folder, prefix, depth)) = pending.pop() {
        for entry in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
            let (Ok(name), Ok(kind)) = (entry.file_name().into_string(), entry.file_type()) else {
                continue;
            };
            let plain_name = !name.starts_with('.')
                && (name.bytes()).all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b));
            if plain_name && kind.is_dir() && depth < 4 {
                pending.push((entry.path(), format!("{prefix}{name}/"), depth + 1));
            } else if plain_name && kind.is_file() && name.ends_with(".js") && scripts.len() < 200 {
                scripts.push(format!("{prefix}{name}"));
            }
        }
    }
    scripts.sort();
    Ok(scripts)
}

/// `/sendguard-thunderbird.xpi`: the Thunderbird add-on, for `policies.json` or a click.
async fn thunderbird_xpi(State(state): Shared, request: Request) -> Response {
    let path = state.roots.dist.join("sendguard-thunderbird.xpi");
    let Ok(response) = ServeFile::new(&path).oneshot(request).await;
    if response.status() == StatusCode::NOT_FOUND {
        let error = std::io::Error::from(std::io::ErrorKind::NotFound);
        return unavailable(
            "The Thunderbird add-on",
            "sendguard-thunderbird.xpi",
            &error,
        );
    }
    response.map(Body::new)
}

/// Everything else: a file from `www/` or one of the `dist/` folders, through the guard
/// and the folder's `ServeDir`, under the folder's CSP.
async fn static_file(State(state): Shared, request: Request) -> Response {
    let roots = &state.roots;
    let mounts = [
        ("/outlook", roots.dist.join("addin-outlook"), OUTLOOK_CSP),
        (
            "/thunderbird",
            roots.dist.join("addin-thunderbird"),
            SITE_CSP,
        ),
        ("/checker", roots.dist.join("checker"), SITE_CSP),
        ("", roots.www.clone(), SITE_CSP),
    ];
    let path = request.uri().path().to_owned();
    let Some((prefix, dir, csp)) = mounts.into_iter().find(|(prefix, ..)| {
        let rest = path.strip_prefix(prefix);
        rest.is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    }) else {
        return plain(StatusCode::NOT_FOUND, "not found");
    };
    let rest = &path[prefix.len()..];
    if rest.is_empty() {
        return Redirect::permanent(&format!("{prefix}/")).into_response();
    }
    if let Err(reason) = guard(&dir, rest).await {
        return plain(StatusCode::BAD_REQUEST, format!("refused path: {reason}"));
    }
    let (mut parts, body) = request.into_parts();
    let Ok(uri) = rest.parse::<Uri>() else {
        return plain(StatusCode::BAD_REQUEST, "refused path: not a URL path");
    };
    parts.uri = uri;
    let files = ServeDir::new(&dir).redirect_path_prefix(prefix);
    let Ok(response) = files.oneshot(Request::from_parts(parts, body)).await;
    let mut response = response.map(Body::new);
    match response.status() {
        StatusCode::NOT_FOUND => return plain(StatusCode::NOT_FOUND, "not found"),
        // A folder is always a folder: the redirect to its `/` may be remembered.
        StatusCode::TEMPORARY_REDIRECT => *response.status_mut() = StatusCode::PERMANENT_REDIRECT,
        _ => {}
    }
    let headers = response.headers_mut();
    headers.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(csp));
    if let Some(media_type) = with_charset(headers.get(CONTENT_TYPE)) {
        headers.insert(CONTENT_TYPE, media_type);
    }
    response
}

/// Text types are UTF-8 here; say so, so no browser guesses. Scripts are
/// `text/javascript` (RFC 9239), whatever older tables say for `.mjs`.
fn with_charset(media_type: Option<&HeaderValue>) -> Option<HeaderValue> {
    match media_type?.to_str().ok()? {
        "application/javascript" | "text/javascript" => {
            Some(HeaderValue::from_static("text/javascript; charset=utf-8"))
        }
        text if text.starts_with("text/") && !text.contains("charset") => {
            HeaderValue::from_str(&format!("{text}; charset=utf-8")).ok()
        }
        _ => None,
    }
}

/// Refuses a path below a mount unless every decoded name is a plain file or folder
/// name (not empty as in `//`, no dot names such as `..` or `.git`, no separators,
/// drive letters, escapes or control characters, UTF-8, not too long or too deep) and
/// its real location, symbolic links resolved, is inside `dir`.
async fn guard(dir: &Path, rest: &str) -> Result<(), &'static str> {
    if rest.len() > MAX_PATH_BYTES || rest.split('/').count() > MAX_SEGMENTS + 1 {
        return Err("path too long or too deep");
    }
    let inner = rest.strip_prefix('/').unwrap_or(rest);
    let (inner, folder) = inner
        .strip_suffix('/')
        .map_or((inner, false), |i| (i, true));
    let mut path = dir.to_path_buf();
    for segment in inner.split('/').filter(|_| !inner.is_empty()) {
        let name = percent_encoding::percent_decode_str(segment)
            .decode_utf8()
            .map_err(|_| "path is not UTF-8")?;
        let odd = |c: char| matches!(c, '/' | '\\' | ':' | '%') || c.is_control();
        if name.is_empty() || name.starts_with('.') || name.chars().any(odd) {
            return Err(
                "an empty, dot or hidden name, or a separator, drive letter, \
                escape or control character in a name",
            );
        }
        path.push(&*name);
    }
    if folder || inner.is_empty() {
        path.push("index.html");
    }
    let dir = dir.to_path_buf();
    // A missing file is `ServeDir`'s to answer, with a 404.
    let inside = tokio::task::spawn_blocking(move || match std::fs::canonicalize(&path) {
        Ok(real) => std::fs::canonicalize(&dir).is_ok_and(|root| real.starts_with(root)),
        Err(_) => true,
    });
    match inside.await {
        Ok(true) => Ok(()),
        _ => Err("outside the site"),
    }
}

//! The routes: what each URL answers, and the headers every answer carries.
//!
//! Static files come from tower-http's `ServeDir`, one per folder, behind a guard that
//! refuses hidden names, separators, drive letters and control characters, and any path
//! whose real location (symbolic links resolved) is outside the folder. Their tag is a
//! hash of the content, equal on every machine serving the same build.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Instant, SystemTime};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::{
    ACCESS_CONTROL_ALLOW_ORIGIN, ALLOW, CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, ETAG,
    IF_NONE_MATCH, LOCATION, REFERRER_POLICY, STRICT_TRANSPORT_SECURITY, VARY,
    X_CONTENT_TYPE_OPTIONS,
};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tower::ServiceExt as _;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

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
/// Files are read whole to tag them; a larger one is an error, not a surprise in memory.
const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;

/// A URL prefix served from a folder, under its own CSP.
pub(crate) struct Mount {
    /// `/outlook`, …, or `""` for the site root.
    prefix: &'static str,
    dir: PathBuf,
    csp: &'static str,
    files: ServeDir,
}

/// The folders, longest prefix first.
pub(crate) fn mounts(roots: &SiteRoots) -> Vec<Mount> {
    [
        ("/outlook", roots.dist.join("addin-outlook"), OUTLOOK_CSP),
        (
            "/thunderbird",
            roots.dist.join("addin-thunderbird"),
            SITE_CSP,
        ),
        ("/checker", roots.dist.join("checker"), SITE_CSP),
        ("", roots.www.clone(), SITE_CSP),
    ]
    .into_iter()
    .map(|(prefix, dir, csp)| Mount {
        files: ServeDir::new(&dir).redirect_path_prefix(prefix),
        prefix,
        dir,
        csp,
    })
    .collect()
}

/// Everything the handlers share.
pub(crate) struct AppState {
    pub(crate) mounts: Vec<Mount>,
    pub(crate) policy: PolicyReceiver,
    pub(crate) url_source: UrlSource,
    pub(crate) send_mode: SendMode,
    pub(crate) roots: SiteRoots,
    pub(crate) files: FileCache,
}

type Shared = State<Arc<AppState>>;

/// The whole site as one router; `hsts` adds `Strict-Transport-Security`.
pub(crate) fn router(state: AppState, hsts: bool) -> Router {
    let header = |name, value: &'static str| {
        SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value))
    };
    Router::new()
        .route("/healthz", get(healthz))
        .route("/policy.json", get(policy))
        .route(
            "/manifest.xml",
            get(|s: Shared, p: Parts| manifest(s, p, ManifestKind::Xml)),
        )
        .route(
            "/manifest.json",
            get(|s: Shared, p: Parts| manifest(s, p, ManifestKind::Json)),
        )
        .route("/sendguard-thunderbird.xpi", get(thunderbird_xpi))
        .route(
            "/.well-known/microsoft-officeaddins-allowed.json",
            get(officeaddins_allowed),
        )
        .fallback(static_file)
        .with_state(Arc::new(state))
        .layer(middleware::map_response(default_cache_control))
        .layer(middleware::from_fn(log_request))
        .layer(middleware::from_fn(get_and_head_only))
        .layer(SetResponseHeaderLayer::if_not_present(
            CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(SITE_CSP),
        ))
        .layer(header(X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header(REFERRER_POLICY, "no-referrer"))
        .layer(SetResponseHeaderLayer::overriding(
            STRICT_TRANSPORT_SECURITY,
            move |_: &Response| hsts.then(|| HeaderValue::from_static("max-age=31536000")),
        ))
        .layer(CatchPanicLayer::new())
}

/// `405` for every method but `GET` and `HEAD`, on every URL, before any route runs.
async fn get_and_head_only(request: Request, next: Next) -> Response {
    if request.method() == Method::GET || request.method() == Method::HEAD {
        return next.run(request).await;
    }
    let mut response = plain(
        StatusCode::METHOD_NOT_ALLOWED,
        "only GET and HEAD are served",
    );
    response
        .headers_mut()
        .insert(ALLOW, HeaderValue::from_static("GET, HEAD"));
    response
}

/// Answers worth keeping are revalidated on every use, so a new policy or add-in build
/// reaches everyone at once (and cheaply: a `304`); the rest is never stored.
async fn default_cache_control(mut response: Response) -> Response {
    let status = response.status();
    let value = if status.is_success() || status == StatusCode::NOT_MODIFIED {
        "no-cache"
    } else {
        "no-store"
    };
    let headers = response.headers_mut();
    if !headers.contains_key(CACHE_CONTROL) {
        headers.insert(CACHE_CONTROL, HeaderValue::from_static(value));
    }
    response
}

/// A strong entity tag for content: 64-bit XXH3, stable across builds and machines.
pub(crate) fn content_tag(bytes: &[u8]) -> String {
    format!(
        "\"{:016x}-{:x}\"",
        xxhash_rust::xxh3::xxh3_64(bytes),
        bytes.len()
    )
}

/// Whether `If-None-Match` names `etag` (or `*`); compared weakly (RFC 9110 §13.1.2).
fn client_has_current(headers: &HeaderMap, etag: &HeaderValue) -> bool {
    headers
        .get_all(IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .any(|tag| {
            tag == "*" || tag.strip_prefix("W/").unwrap_or(tag).as_bytes() == etag.as_bytes()
        })
}

/// `200` with the body and its tag, or `304` when the client's copy is current.
fn tagged(request: &HeaderMap, media_type: HeaderValue, body: Bytes) -> Response {
    let etag = content_tag(&body);
    let Ok(etag_value) = HeaderValue::from_str(&etag) else {
        return plain(StatusCode::INTERNAL_SERVER_ERROR, "bad entity tag");
    };
    if client_has_current(request, &etag_value) {
        return (StatusCode::NOT_MODIFIED, [(ETAG, etag_value)]).into_response();
    }
    ([(ETAG, etag_value), (CONTENT_TYPE, media_type)], body).into_response()
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

fn not_built(what: &str, file: &str) -> Response {
    let message = format!(
        "{what} is not built yet ({file} is missing): run `cargo xtask build`, then reload."
    );
    plain(StatusCode::SERVICE_UNAVAILABLE, message)
}

/// Generated answers depend on these request headers, so caches must key on them.
fn vary_on_host(mut response: Response) -> Response {
    let value = HeaderValue::from_static("Host, X-Forwarded-Host, X-Forwarded-Proto");
    response.headers_mut().insert(VARY, value);
    response
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
    let mut response = tagged(&headers, HeaderValue::from_static("application/json"), body);
    let any = HeaderValue::from_static("*");
    response
        .headers_mut()
        .insert(ACCESS_CONTROL_ALLOW_ORIGIN, any);
    response
}

/// `/manifest.xml`, `/manifest.json`: the Outlook add-in's template filled in with the
/// URL this request came in on.
async fn manifest(State(state): Shared, parts: Parts, kind: ManifestKind) -> Response {
    let Some(base_url) = base_url_of(&parts, &state.url_source) else {
        return plain(StatusCode::BAD_REQUEST, NO_BASE_URL);
    };
    let file = kind.template_file_name();
    let path = state.roots.manifest_templates.join(file);
    let template = match tokio::fs::read_to_string(&path).await {
        Ok(template) => template,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return not_built("The Outlook add-in", file);
        }
        Err(error) => {
            tracing::error!(path = %path.display(), %error, "cannot read the manifest template");
            let message = format!("cannot read the manifest template {file}; see the server log");
            return plain(StatusCode::SERVICE_UNAVAILABLE, message);
        }
    };
    let body = render_manifest(&template, &base_url, kind, state.send_mode);
    let media_type = HeaderValue::from_static(kind.content_type());
    vary_on_host(tagged(&parts.headers, media_type, body.into()))
}

/// `/.well-known/microsoft-officeaddins-allowed.json`: the Outlook add-in's scripts that
/// may fetch from this origin in classic Outlook's JavaScript-only runtime, where every
/// request counts as cross-origin.
async fn officeaddins_allowed(State(state): Shared, parts: Parts) -> Response {
    let Some(base_url) = base_url_of(&parts, &state.url_source) else {
        return plain(StatusCode::BAD_REQUEST, NO_BASE_URL);
    };
    let dir = state.roots.dist.join("addin-outlook");
    let Ok(Some(scripts)) = tokio::task::spawn_blocking(move || list_scripts(&dir)).await else {
        return not_built("The Outlook add-in", "dist/addin-outlook/");
    };
    let allowed: Vec<String> = scripts
        .iter()
        .map(|script| format!("{base_url}/outlook/{script}"))
        .collect();
    let body = serde_json::to_string_pretty(&serde_json::json!({ "allowed": allowed }))
        .unwrap_or_default();
    let media_type = HeaderValue::from_static("application/json");
    vary_on_host(tagged(&parts.headers, media_type, body.into()))
}

/// The `.js` files under `dir` (at most 200, at most 4 folders deep) as URL paths
/// relative to it, sorted; `None` if `dir` is not there. Only names that need no
/// escaping in a URL are listed.
fn list_scripts(dir: &Path) -> Option<Vec<String>> {
    std::fs::read_dir(dir).ok()?;
    let mut scripts = Vec::new();
    let mut pending = vec![(dir.to_owned(), String::new(), 0)];
    while let Some((folder, prefix, depth)) = pending.pop() {
        for entry in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
            let (Some(name), Ok(kind)) = (
                entry.file_name().to_str().map(str::to_owned),
                entry.file_type(),
            ) else {
                continue;
            };
            let plain_name = !name.starts_with('.')
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
            if plain_name && kind.is_dir() && depth < 4 {
                pending.push((entry.path(), format!("{prefix}{name}/"), depth + 1));
            } else if plain_name && kind.is_file() && name.ends_with(".js") && scripts.len() < 200 {
                scripts.push(format!("{prefix}{name}"));
            }
        }
    }
    scripts.sort();
    Some(scripts)
}

/// `/sendguard-thunderbird.xpi`: the Thunderbird add-on, for `policies.json` or a click.
async fn thunderbird_xpi(State(state): Shared, headers: HeaderMap) -> Response {
    match tokio::fs::read(state.roots.dist.join("sendguard-thunderbird.xpi")).await {
        Ok(body) => {
            let media_type = HeaderValue::from_static("application/x-xpinstall");
            tagged(&headers, media_type, body.into())
        }
        Err(_) => not_built("The Thunderbird add-on", "dist/sendguard-thunderbird.xpi"),
    }
}

/// Everything else: a file from `www/` or one of the `dist/` folders, through the guard
/// and the folder's `ServeDir`, tagged and under the folder's CSP.
async fn static_file(State(state): Shared, request: Request) -> Response {
    let (parts, _body) = request.into_parts();
    let path = parts.uri.path();
    let Some(mount) = state.mounts.iter().find(|mount| {
        path == mount.prefix
            || path
                .strip_prefix(mount.prefix)
                .is_some_and(|rest| rest.starts_with('/'))
    }) else {
        return plain(StatusCode::NOT_FOUND, "not found");
    };
    if path == mount.prefix {
        let location = HeaderValue::from_static(match mount.prefix {
            "/outlook" => "/outlook/",
            "/thunderbird" => "/thunderbird/",
            _ => "/checker/",
        });
        return (StatusCode::PERMANENT_REDIRECT, [(LOCATION, location)]).into_response();
    }
    let rest = &path[mount.prefix.len()..];
    let names = match file_names(rest) {
        Ok(names) => names,
        Err(reason) => return plain(StatusCode::BAD_REQUEST, format!("refused path: {reason}")),
    };
    let Ok(uri) = rest.parse::<Uri>() else {
        return plain(StatusCode::BAD_REQUEST, "refused path: not a URL path");
    };
    let Ok(version) = locate(&mount.dir, names, rest.ends_with('/')).await else {
        return plain(StatusCode::NOT_FOUND, "not found");
    };
    let cached = version
        .as_ref()
        .and_then(|version| state.files.get(version));
    let mut response = match cached {
        Some((media_type, body)) => tagged(&parts.headers, media_type, body),
        None => match read_file(mount, uri, path).await {
            Ok((media_type, body)) => {
                if let Some(version) = version {
                    state.files.put(version, &media_type, &body);
                }
                tagged(&parts.headers, media_type, body)
            }
            Err(response) => return response,
        },
    };
    let csp = HeaderValue::from_static(mount.csp);
    response.headers_mut().insert(CONTENT_SECURITY_POLICY, csp);
    response
}

/// A file through the mount's `ServeDir`: its media type and content, or the answer to
/// give instead (a redirect to the folder's `/`, a 404, an error).
async fn read_file(mount: &Mount, uri: Uri, path: &str) -> Result<(HeaderValue, Bytes), Response> {
    // Only the path goes on: tags, not dates or ranges, decide what a client gets.
    let mut inner = Request::new(Body::empty());
    *inner.uri_mut() = uri;
    let Ok(response) = mount.files.clone().oneshot(inner).await;
    match response.status() {
        StatusCode::OK => {}
        StatusCode::TEMPORARY_REDIRECT => {
            let mut response = response.map(Body::new);
            *response.status_mut() = StatusCode::PERMANENT_REDIRECT;
            return Err(response);
        }
        StatusCode::NOT_FOUND => return Err(plain(StatusCode::NOT_FOUND, "not found")),
        _ => return Err(response.map(Body::new)),
    }
    let (file_parts, body) = response.into_parts();
    let media_type = with_charset(file_parts.headers.get(CONTENT_TYPE));
    match axum::body::to_bytes(Body::new(body), MAX_FILE_BYTES).await {
        Ok(body) => Ok((media_type, body)),
        Err(error) => {
            tracing::warn!(path, %error, "cannot read a file to serve");
            Err(plain(
                StatusCode::INTERNAL_SERVER_ERROR,
                "cannot read the file",
            ))
        }
    }
}

/// A file version: its real path, modification time and length.
type FileVersion = (PathBuf, SystemTime, u64);

/// Files served so far, with their media type, kept while their version (path, time,
/// length) is unchanged, so a file is read once per version, not on every request.
#[derive(Default)]
pub(crate) struct FileCache(Mutex<HashMap<PathBuf, (FileVersion, HeaderValue, Bytes)>>);

impl FileCache {
    /// Most bytes kept; past it the cache starts over (the whole site is a few MiB).
    const MAX_BYTES: u64 = 64 * 1024 * 1024;

    fn get(&self, version: &FileVersion) -> Option<(HeaderValue, Bytes)> {
        let cache = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let (seen, media_type, body) = cache.get(&version.0)?;
        (seen == version).then(|| (media_type.clone(), body.clone()))
    }

    fn put(&self, version: FileVersion, media_type: &HeaderValue, body: &Bytes) {
        let mut cache = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let kept: u64 = cache.values().map(|(version, ..)| version.2).sum();
        if kept + version.2 > Self::MAX_BYTES {
            cache.clear();
        }
        let entry = (version.clone(), media_type.clone(), body.clone());
        cache.insert(version.0, entry);
    }
}

/// Text types are UTF-8 here; say so, so no browser guesses. Scripts are
/// `text/javascript` (RFC 9239), whatever older tables say for `.mjs`.
fn with_charset(media_type: Option<&HeaderValue>) -> HeaderValue {
    let text = media_type
        .and_then(|value| value.to_str().ok())
        .unwrap_or("application/octet-stream");
    if text == "application/javascript" {
        HeaderValue::from_static("text/javascript; charset=utf-8")
    } else if text.starts_with("text/") && !text.contains("charset") {
        HeaderValue::from_str(&format!("{text}; charset=utf-8"))
            .unwrap_or(HeaderValue::from_static("text/plain; charset=utf-8"))
    } else {
        media_type
            .cloned()
            .unwrap_or(HeaderValue::from_static("application/octet-stream"))
    }
}

/// Splits a path below a mount into decoded file names, refusing every name that is not
/// a plain file or folder name: empty (`//`), dot names (`..`, `.git`), separators,
/// drive letters, control characters, text that is not UTF-8, too long or too deep.
fn file_names(rest: &str) -> Result<Vec<String>, &'static str> {
    if rest.len() > MAX_PATH_BYTES {
        return Err("path too long");
    }
    let inner = rest.strip_prefix('/').unwrap_or(rest);
    let inner = inner.strip_suffix('/').unwrap_or(inner);
    if inner.is_empty() {
        return Ok(Vec::new());
    }
    if inner.split('/').count() > MAX_SEGMENTS {
        return Err("path too deep");
    }
    inner
        .split('/')
        .map(|segment| {
            let name = percent_encoding::percent_decode_str(segment)
                .decode_utf8()
                .map_err(|_| "path is not UTF-8")?;
            if name.is_empty() {
                Err("empty path segment")
            } else if name.starts_with('.') {
                Err("dot segment or hidden file")
            } else if name
                .chars()
                .any(|c| matches!(c, '/' | '\\' | ':' | '%') || c.is_control())
            {
                Err("separator, drive letter, escape or control character in a path segment")
            } else {
                Ok(name.into_owned())
            }
        })
        .collect()
}

/// The real path `names` lead to in `dir` (symbolic links resolved) and its version, in
/// one trip to the blocking pool: `Err` when it is outside `dir`, `Ok(None)` when there is
/// no such file (`ServeDir` then answers 404).
async fn locate(dir: &Path, names: Vec<String>, folder: bool) -> Result<Option<FileVersion>, ()> {
    let dir = dir.to_path_buf();
    let found = tokio::task::spawn_blocking(move || {
        let mut path = dir.clone();
        path.extend(names);
        if folder {
            path.push("index.html");
        }
        let Ok(real) = std::fs::canonicalize(&path) else {
            return Ok(None);
        };
        if !std::fs::canonicalize(&dir).is_ok_and(|root| real.starts_with(root)) {
            return Err(());
        }
        let meta = std::fs::metadata(&real).ok();
        Ok(meta.and_then(|meta| Some((real, meta.modified().ok()?, meta.len()))))
    });
    found.await.unwrap_or(Err(()))
}

/// One structured log line per request: method, path, status and time taken. No client
/// addresses and no query strings are logged: there is nothing personal to keep.
async fn log_request(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path: String = request.uri().path().chars().take(256).collect();
    let started = Instant::now();
    let response = next.run(request).await;
    let micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
    let status = response.status().as_u16();
    if response.status().is_server_error() {
        tracing::warn!(%method, path, status, micros, "request");
    } else {
        tracing::info!(%method, path, status, micros, "request");
    }
    response
}

//! The routes: what each URL answers, and the layers every answer passes through.
//!
//! Every route is `GET` (and so `HEAD`); anything else is `405 Method Not Allowed`. No
//! route reads a request body: nothing about a draft or an address can be sent here.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::header::{
    ALLOW, CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, ETAG, LOCATION, REFERRER_POLICY,
    VARY, X_CONTENT_TYPE_OPTIONS,
};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::etag::{client_has_current, strong_etag};
use crate::files::{Lookup, StaticSite, content_type};
use crate::headers::{SITE_CSP, csp_for, no_store, revalidate};
use crate::manifest::{ManifestKind, NO_BASE_URL, UrlSource, base_url_of, render_manifest};
use crate::policy::PolicyReceiver;

/// Everything the handlers share.
#[derive(Debug)]
pub(crate) struct AppState {
    pub(crate) site: StaticSite,
    pub(crate) policy: PolicyReceiver,
    pub(crate) url_source: UrlSource,
    /// The SendMode written into generated manifests.
    pub(crate) send_mode: crate::manifest::SendMode,
    /// `dist/sendguard-thunderbird.xpi`.
    pub(crate) thunderbird_xpi: PathBuf,
    /// `dist/addin-outlook/`: its scripts are listed in the `.well-known` file.
    pub(crate) outlook_dir: PathBuf,
    /// Where `manifest.template.xml` and `manifest.template.json` are.
    pub(crate) manifest_templates: PathBuf,
}

type Shared = State<Arc<AppState>>;

/// The whole site as one router.
pub(crate) fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/policy.json", get(policy))
        .route("/manifest.xml", get(manifest_xml))
        .route("/manifest.json", get(manifest_json))
        .route("/sendguard-thunderbird.xpi", get(thunderbird_xpi))
        .route(
            "/.well-known/microsoft-officeaddins-allowed.json",
            get(officeaddins_allowed),
        )
        .fallback(static_file)
        .with_state(state)
        .layer(middleware::from_fn(log_request))
        .layer(SetResponseHeaderLayer::if_not_present(
            CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(SITE_CSP),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(CatchPanicLayer::new())
}

/// `200` with the body, or `304` when the client's copy (by `If-None-Match`) is current.
/// Either way the answer carries the tag and must be revalidated before reuse.
fn tagged(request: &HeaderMap, etag: &str, media_type: &'static str, body: Bytes) -> Response {
    let Ok(etag_value) = HeaderValue::from_str(etag) else {
        return plain(
            StatusCode::INTERNAL_SERVER_ERROR,
            "bad entity tag".to_owned(),
        );
    };
    let mut headers = HeaderMap::new();
    headers.insert(ETAG, etag_value);
    headers.insert(CACHE_CONTROL, revalidate());
    if client_has_current(request, etag) {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(media_type));
    (StatusCode::OK, headers, body).into_response()
}

/// A short plain-text answer, for errors and for "not built yet".
fn plain(status: StatusCode, message: String) -> Response {
    (
        status,
        [
            (
                CONTENT_TYPE,
                HeaderValue::from_static("text/plain; charset=utf-8"),
            ),
            (CACHE_CONTROL, no_store()),
        ],
        message + "\n",
    )
        .into_response()
}

fn not_built(what: &str, file: &str) -> Response {
    plain(
        StatusCode::SERVICE_UNAVAILABLE,
        format!(
            "{what} is not built yet ({file} is missing): run `cargo xtask build`, then reload."
        ),
    )
}

/// Generated answers depend on these request headers, so caches must key on them.
fn vary_on_host(mut response: Response) -> Response {
    response.headers_mut().insert(
        VARY,
        HeaderValue::from_static("Host, X-Forwarded-Host, X-Forwarded-Proto"),
    );
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
    (
        [
            (CONTENT_TYPE, HeaderValue::from_static("application/json")),
            (CACHE_CONTROL, no_store()),
        ],
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
    let served = Arc::clone(&state.policy.borrow());
    let mut response = tagged(
        &headers,
        &served.etag,
        "application/json",
        served.body.clone(),
    );
    response.headers_mut().insert(
        axum::http::header::ACCESS_CONTROL_ALLOW_ORIGIN,
        axum::http::HeaderValue::from_static("*"),
    );
    response
}

async fn manifest_xml(State(state): Shared, parts: Parts) -> Response {
    manifest(&state, &parts, ManifestKind::Xml).await
}

async fn manifest_json(State(state): Shared, parts: Parts) -> Response {
    manifest(&state, &parts, ManifestKind::Json).await
}

/// `/manifest.xml`, `/manifest.json`: the Outlook add-in's template filled in with the
/// URL this request came in on.
async fn manifest(state: &AppState, parts: &Parts, kind: ManifestKind) -> Response {
    let Some(base_url) = base_url_of(parts, state.url_source) else {
        return plain(StatusCode::BAD_REQUEST, NO_BASE_URL.to_owned());
    };
    let file = kind.template_file_name();
    let path = state.manifest_templates.join(file);
    let template = match tokio::fs::read_to_string(&path).await {
        Ok(template) => template,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return not_built("The Outlook add-in", file);
        }
        Err(error) => {
            tracing::error!(path = %path.display(), %error, "cannot read the manifest template");
            return plain(
                StatusCode::SERVICE_UNAVAILABLE,
                format!("cannot read the manifest template {file}; see the server log"),
            );
        }
    };
    let body = render_manifest(&template, &base_url, kind, state.send_mode);
    let etag = strong_etag(body.as_bytes());
    vary_on_host(tagged(
        &parts.headers,
        &etag,
        kind.content_type(),
        body.into(),
    ))
}

/// `/.well-known/microsoft-officeaddins-allowed.json`: the Outlook add-in's scripts that
/// may fetch from this origin in classic Outlook's JavaScript-only runtime, where every
/// request counts as cross-origin.
async fn officeaddins_allowed(State(state): Shared, parts: Parts) -> Response {
    let Some(base_url) = base_url_of(&parts, state.url_source) else {
        return plain(StatusCode::BAD_REQUEST, NO_BASE_URL.to_owned());
    };
    let dir = state.outlook_dir.clone();
    let Ok(Some(scripts)) = tokio::task::spawn_blocking(move || list_scripts(&dir)).await else {
        return not_built("The Outlook add-in", "dist/addin-outlook/");
    };
    let allowed: Vec<String> = scripts
        .iter()
        .map(|script| format!("{base_url}/outlook/{script}"))
        .collect();
    let body = serde_json::to_string_pretty(&serde_json::json!({ "allowed": allowed }))
        .unwrap_or_default();
    let etag = strong_etag(body.as_bytes());
    vary_on_host(tagged(
        &parts.headers,
        &etag,
        "application/json",
        body.into(),
    ))
}

/// Most scripts listed in the `.well-known` file, and how deep to look for them.
const MAX_LISTED_SCRIPTS: usize = 200;
const MAX_SCRIPT_DEPTH: usize = 4;

/// The `.js` files under `dir` as URL paths relative to it, sorted; `None` if `dir` is
/// not there. Only names that need no escaping in a URL are listed.
fn list_scripts(dir: &Path) -> Option<Vec<String>> {
    std::fs::read_dir(dir).ok()?;
    let mut scripts = Vec::new();
    let mut pending = vec![(dir.to_owned(), String::new(), 0)];
    while let Some((folder, prefix, depth)) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            let plain_name = !name.starts_with('.')
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if !plain_name {
                continue;
            }
            if kind.is_dir() && depth < MAX_SCRIPT_DEPTH {
                pending.push((entry.path(), format!("{prefix}{name}/"), depth + 1));
            } else if kind.is_file() && name.ends_with(".js") && scripts.len() < MAX_LISTED_SCRIPTS
            {
                scripts.push(format!("{prefix}{name}"));
            }
        }
    }
    scripts.sort();
    Some(scripts)
}

/// `/sendguard-thunderbird.xpi`: the Thunderbird add-on, for `policies.json` or a click.
async fn thunderbird_xpi(State(state): Shared, headers: HeaderMap) -> Response {
    match state.site.read(&state.thunderbird_xpi).await {
        Ok(file) => tagged(
            &headers,
            &file.etag,
            "application/x-xpinstall",
            file.body.clone(),
        ),
        Err(_) => not_built("The Thunderbird add-on", "dist/sendguard-thunderbird.xpi"),
    }
}

/// Everything else: a file from `www/` or one of the `dist/` folders.
async fn static_file(State(state): Shared, request: Request) -> Response {
    let (parts, _body) = request.into_parts();
    if parts.method != Method::GET && parts.method != Method::HEAD {
        let mut response = plain(
            StatusCode::METHOD_NOT_ALLOWED,
            "only GET and HEAD are served here".to_owned(),
        );
        response
            .headers_mut()
            .insert(ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    match state.site.lookup(parts.uri.path()).await {
        Lookup::File { path, area } => match state.site.read(&path).await {
            Ok(file) => {
                let mut response = tagged(
                    &parts.headers,
                    &file.etag,
                    content_type(&path),
                    file.body.clone(),
                );
                response
                    .headers_mut()
                    .insert(CONTENT_SECURITY_POLICY, csp_for(area));
                response
            }
            Err(error) => {
                tracing::warn!(path = %path.display(), %error, "cannot read a file to serve");
                plain(StatusCode::NOT_FOUND, "not found".to_owned())
            }
        },
        Lookup::AddSlash(location) => match HeaderValue::from_str(&location) {
            Ok(location) => {
                (StatusCode::PERMANENT_REDIRECT, [(LOCATION, location)]).into_response()
            }
            Err(_) => plain(StatusCode::NOT_FOUND, "not found".to_owned()),
        },
        Lookup::NotFound => plain(StatusCode::NOT_FOUND, "not found".to_owned()),
        Lookup::Refused(reason) => {
            plain(StatusCode::BAD_REQUEST, format!("refused path: {reason}"))
        }
    }
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

//! Security and caching headers, in one place so they can be read (and reviewed) together.
//!
//! | header | value | where |
//! |---|---|---|
//! | `Content-Security-Policy` | [`SITE_CSP`] | every response but the Outlook add-in's files |
//! | `Content-Security-Policy` | [`OUTLOOK_CSP`] | `/outlook/…` |
//! | `X-Content-Type-Options` | `nosniff` | every response |
//! | `Referrer-Policy` | `no-referrer` | every response |
//! | `Cache-Control` | `no-cache` (store, but revalidate with the `ETag` each time) | files, policy, manifests |
//! | `Cache-Control` | `no-store` | `/healthz`, errors |
//!
//! `connect-src 'self'` is the browser-enforced half of the promise that nothing about a
//! draft leaves the machine: a page served from here cannot send anything to another
//! origin, even if a script tried.

use axum::http::HeaderValue;

use crate::files::Area;

/// The policy for our own pages (landing page, playground, policy editor, docs) and the
/// checker package: scripts and WebAssembly from this origin only, no inline script, no
/// connections to any other origin, and no framing by other sites.
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

/// Files, the policy and manifests may be stored, but must be revalidated on every use,
/// so a new policy or add-in build reaches everyone at once (and cheaply: a `304`).
pub(crate) fn revalidate() -> HeaderValue {
    HeaderValue::from_static("no-cache")
}

/// Health and error answers are never worth storing.
pub(crate) fn no_store() -> HeaderValue {
    HeaderValue::from_static("no-store")
}

/// The `Content-Security-Policy` value for files of `area`.
pub(crate) fn csp_for(area: Area) -> HeaderValue {
    HeaderValue::from_static(match area {
        Area::Site => SITE_CSP,
        Area::OutlookAddin => OUTLOOK_CSP,
    })
}

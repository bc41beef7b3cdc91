//! Outlook manifests generated from the add-in's templates for the URL the server is
//! reached at, so the manifest IT downloads points back at the same server.

use axum::http::request::Parts;
use axum::http::uri::Authority;
use std::fmt;
use url::{Host, Url};

/// Stands for the server's base URL (no trailing slash) in a manifest template.
pub const BASE_URL_PLACEHOLDER: &str = "{{BASE_URL}}";

/// Stands for the SendMode IT chose in a manifest template.
pub const SEND_MODE_PLACEHOLDER: &str = "{{SEND_MODE}}";

/// The manifest's `SendMode`: what Outlook does when the add-in cannot run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SendMode {
    /// If the add-in cannot load, the user may still send (the default).
    #[default]
    SoftBlock,
    /// Nothing is sent while the add-in cannot run (admin-deployed add-ins only).
    Block,
}

impl SendMode {
    /// Parses the command-line spelling, `soft-block` or `block`.
    pub fn parse(text: &str) -> Option<SendMode> {
        match text {
            "soft-block" => Some(SendMode::SoftBlock),
            "block" => Some(SendMode::Block),
            _ => None,
        }
    }

    /// How each manifest format spells it.
    fn spelled_for(self, kind: ManifestKind) -> &'static str {
        match (self, kind) {
            (SendMode::SoftBlock, ManifestKind::Xml) => "SoftBlock",
            (SendMode::Block, ManifestKind::Xml) => "Block",
            (SendMode::SoftBlock, ManifestKind::Json) => "softBlock",
            (SendMode::Block, ManifestKind::Json) => "block",
        }
    }
}

/// Which of the two Outlook manifests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ManifestKind {
    /// The add-in only manifest (XML), which every Outlook understands.
    Xml,
    /// The unified manifest for Microsoft 365 (JSON).
    Json,
}

impl ManifestKind {
    /// The template's file name inside the Outlook add-in folder.
    pub fn template_file_name(self) -> &'static str {
        match self {
            ManifestKind::Xml => "manifest.template.xml",
            ManifestKind::Json => "manifest.template.json",
        }
    }

    /// The media type the generated manifest is served as.
    pub fn content_type(self) -> &'static str {
        match self {
            ManifestKind::Xml => "application/xml; charset=utf-8",
            ManifestKind::Json => "application/json",
        }
    }
}

/// Fills a manifest template: every [`BASE_URL_PLACEHOLDER`] becomes `base_url` (whose
/// letters, digits and `:/.-_~[]` need no escaping in XML or JSON), every
/// [`SEND_MODE_PLACEHOLDER`] the SendMode as the format spells it.
///
/// ```
/// use sendguard_server::{BaseUrl, ManifestKind, SendMode, render_manifest};
///
/// let base = BaseUrl::parse("https://sendguard.corp.example").unwrap();
/// let xml = render_manifest(
///     r#"<LaunchEvent SendMode="{{SEND_MODE}}" Src="{{BASE_URL}}/outlook/x.js"/>"#,
///     &base,
///     ManifestKind::Xml,
///     SendMode::Block,
/// );
/// assert_eq!(
///     xml,
///     r#"<LaunchEvent SendMode="Block" Src="https://sendguard.corp.example/outlook/x.js"/>"#
/// );
/// ```
pub fn render_manifest(
    template: &str,
    base_url: &BaseUrl,
    kind: ManifestKind,
    send_mode: SendMode,
) -> String {
    template
        .replace(BASE_URL_PLACEHOLDER, base_url.as_str())
        .replace(SEND_MODE_PLACEHOLDER, send_mode.spelled_for(kind))
}

/// An origin (and optional path prefix) the add-in files are reached at: `https://host`,
/// `https://host:8443` or `https://host/sendguard`, never with a trailing slash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl(String);

impl BaseUrl {
    /// Checks a base URL given by a person (for example `sendguard serve --public-url`):
    /// `http` or `https`, a host name or IP address, an optional port and an optional
    /// path prefix; a trailing slash is dropped, a default port too. Returns `None` for
    /// anything else, such as user info, a query, dot segments or characters that would
    /// need escaping.
    pub fn parse(text: &str) -> Option<BaseUrl> {
        let url = Url::parse(text).ok()?;
        let after_scheme = text.split_once("://")?.1;
        let raw_path = after_scheme
            .find('/')
            .map_or("", |index| &after_scheme[index..]);
        let path = url.path().trim_end_matches('/');
        let plain = path
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'.' | b'_' | b'~'));
        // The `url` crate normalises `/../` away and escapes spaces: compare with the
        // text as given, so such a path is refused rather than silently changed.
        if !plain || path != raw_path.trim_end_matches('/') || !BaseUrl::is_origin(&url) {
            return None;
        }
        Some(BaseUrl(format!(
            "{}{path}",
            url.origin().ascii_serialization()
        )))
    }

    /// `http(s)://host[:port]` and nothing else; host names made of non-empty labels.
    fn is_origin(url: &Url) -> bool {
        let host_ok = match url.host() {
            Some(Host::Domain(name)) => name.split('.').all(|label| {
                let dns = |b: u8| b.is_ascii_alphanumeric() || b == b'-';
                !label.is_empty() && !label.starts_with('-') && label.bytes().all(dns)
            }),
            Some(Host::Ipv4(_) | Host::Ipv6(_)) => true,
            None => false,
        };
        matches!(url.scheme(), "http" | "https")
            && host_ok
            && url.username().is_empty()
            && url.password().is_none()
            && url.query().is_none()
            && url.fragment().is_none()
    }

    /// The URL as text, without a trailing slash.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// How the server learns the URL it is reached at (README, "URLs in manifests").
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum UrlSource {
    /// `https` and the request's own host; forwarding headers are ignored.
    Direct,
    /// The last (the proxy's own) `X-Forwarded-Proto` and `X-Forwarded-Host`, else
    /// `http` and the request's host.
    BehindProxy,
    /// Given by IT (`--public-url`): wins over every header.
    Fixed(BaseUrl),
}

/// Why a request's base URL could not be worked out; sent back as a 400.
pub(crate) const NO_BASE_URL: &str = "cannot tell which URL this server is reached at: the \
    request has no valid Host header (or, behind a proxy, an invalid X-Forwarded-Host or \
    X-Forwarded-Proto)";

/// The base URL the client used to reach us, for a request. The `Host` header is
/// whatever the client sent, so it is checked before it goes into a manifest.
pub(crate) fn base_url_of(parts: &Parts, source: &UrlSource) -> Option<BaseUrl> {
    let header = |name| {
        parts
            .headers
            .get_all(name)
            .iter()
            .next_back()
            .map(|v| v.to_str().ok())
    };
    // The last value is the one the proxy in front wrote; a client may add earlier ones.
    // Present but empty or unreadable is an error, not a reason to look elsewhere.
    let last = |name| match header(name) {
        None => Some(None),
        Some(text) => (text?.rsplit(',').next().map(str::trim))
            .filter(|v| !v.is_empty())
            .map(Some),
    };
    let own_host = (parts.uri.authority().map(Authority::as_str)).or(header("host").flatten());
    let (scheme, host) = match source {
        UrlSource::Fixed(url) => return Some(url.clone()),
        UrlSource::Direct => ("https", own_host?),
        UrlSource::BehindProxy => (
            last("x-forwarded-proto")?.unwrap_or("http"),
            last("x-forwarded-host")?.or(own_host)?,
        ),
    };
    let scheme = scheme.to_ascii_lowercase();
    let authority: Authority = host.parse().ok()?;
    // An authority has no path, so this is an origin.
    (matches!(scheme.as_str(), "http" | "https"))
        .then(|| BaseUrl::parse(&format!("{scheme}://{authority}")))?
}

//! Outlook manifests generated for the URL the server is reached at.
//!
//! The Outlook add-in build ships two templates, `manifest.template.xml` (add-in only
//! manifest) and `manifest.template.json` (unified manifest), in which every URL starts
//! with the placeholder [`BASE_URL_PLACEHOLDER`]. The server replaces it with the origin
//! the request came in on, so the manifest IT downloads points back at the same server
//! with no editing: `https://sendguard.corp.example` or `https://localhost:8443`.

use std::fmt;
use std::net::Ipv6Addr;

use axum::http::HeaderMap;
use axum::http::request::Parts;

/// The text in a manifest template that stands for the server's base URL.
///
/// The base URL has no trailing slash, so templates write
/// `{{BASE_URL}}/outlook/taskpane.html`.
pub const BASE_URL_PLACEHOLDER: &str = "{{BASE_URL}}";

/// The text in a manifest template that stands for the SendMode IT chose.
pub const SEND_MODE_PLACEHOLDER: &str = "{{SEND_MODE}}";

/// What Outlook does when the add-in stops a mail or cannot run: the manifest's
/// `SendMode`, chosen by IT.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SendMode {
    /// The add-in decides; if it cannot load, the user may still send. The default:
    /// an outage of the add-in must not stop a company's mail.
    #[default]
    SoftBlock,
    /// Nothing is sent while the add-in cannot run (cannot be listed on the
    /// Marketplace; for admin-deployed add-ins only).
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

    /// Escapes `text` for the inside of an XML attribute or a JSON string.
    fn escape(self, text: &str) -> String {
        let mut escaped = String::with_capacity(text.len());
        for c in text.chars() {
            match (self, c) {
                (ManifestKind::Xml, '&') => escaped.push_str("&amp;"),
                (ManifestKind::Xml, '<') => escaped.push_str("&lt;"),
                (ManifestKind::Xml, '>') => escaped.push_str("&gt;"),
                (ManifestKind::Xml, '"') => escaped.push_str("&quot;"),
                (ManifestKind::Xml, '\'') => escaped.push_str("&apos;"),
                (ManifestKind::Json, '"') => escaped.push_str("\\\""),
                (ManifestKind::Json, '\\') => escaped.push_str("\\\\"),
                (ManifestKind::Json, c) if c.is_control() => {
                    escaped.push_str(&format!("\\u{:04x}", u32::from(c)));
                }
                (_, c) => escaped.push(c),
            }
        }
        escaped
    }
}

/// Fills a manifest template: every [`BASE_URL_PLACEHOLDER`] becomes `base_url`, escaped
/// for the manifest's format.
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
        .replace(BASE_URL_PLACEHOLDER, &kind.escape(base_url.as_str()))
        .replace(SEND_MODE_PLACEHOLDER, send_mode.spelled_for(kind))
}

/// An origin (and optional path prefix) the add-in files are reached at: `https://host`,
/// `https://host:8443` or `https://host/sendguard`, never with a trailing slash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl(String);

impl BaseUrl {
    /// Checks a base URL given by a person (for example `sendguard manifest --base-url`):
    /// `http` or `https`, a host name or IP address, an optional port and an optional
    /// path prefix; a trailing slash is dropped. Returns `None` for anything else, such
    /// as user info, a query or characters that would need escaping.
    pub fn parse(url: &str) -> Option<BaseUrl> {
        let (scheme, rest) = url.split_once("://")?;
        let scheme = scheme.to_ascii_lowercase();
        let (authority, path) = match rest.find('/') {
            Some(index) => rest.split_at(index),
            None => (rest, ""),
        };
        let path = path.trim_end_matches('/');
        let path_is_plain = path.bytes().all(|byte| {
            byte.is_ascii_alphanumeric() || matches!(byte, b'/' | b'-' | b'.' | b'_' | b'~')
        }) && !path.contains("//")
            && !path
                .split('/')
                .any(|segment| segment == "." || segment == "..");
        if !path_is_plain {
            return None;
        }
        let origin = BaseUrl::from_parts(&scheme, authority)?;
        Some(BaseUrl(format!("{}{path}", origin.0)))
    }

    /// An origin from a scheme (`http`/`https`) and a `Host`-style authority, or `None`
    /// when either is not one.
    fn from_parts(scheme: &str, authority: &str) -> Option<BaseUrl> {
        if !matches!(scheme, "http" | "https") || !is_authority(authority) {
            return None;
        }
        Some(BaseUrl(format!(
            "{scheme}://{}",
            authority.to_ascii_lowercase()
        )))
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

/// Whether `text` is `host[:port]`: a DNS name or IPv4 address, or an IPv6 address in
/// brackets, and a port of digits. The `Host` header is whatever the client sent, so it
/// is checked before it goes into a manifest.
fn is_authority(text: &str) -> bool {
    if text.is_empty() || text.len() > 261 {
        return false;
    }
    let (host_ok, port) = if let Some(bracketed) = text.strip_prefix('[') {
        let Some((address, after)) = bracketed.split_once(']') else {
            return false;
        };
        let port = match after {
            "" => None,
            after => match after.strip_prefix(':') {
                Some(port) => Some(port),
                None => return false,
            },
        };
        (address.parse::<Ipv6Addr>().is_ok(), port)
    } else {
        let (host, port) = match text.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (text, None),
        };
        (is_dns_name(host), port)
    };
    let port_ok = port.is_none_or(|port| {
        !port.is_empty()
            && port.len() <= 5
            && port.bytes().all(|b| b.is_ascii_digit())
            && port.parse::<u16>().is_ok()
    });
    host_ok && port_ok
}

fn is_dns_name(host: &str) -> bool {
    host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

/// How the server learns the URL it is reached at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UrlSource {
    /// The server terminates TLS itself: `https` and the request's own host. Forwarding
    /// headers are ignored, since any client could send them.
    Direct,
    /// Plain HTTP behind a reverse proxy that terminates TLS: `X-Forwarded-Proto` and
    /// `X-Forwarded-Host` (first value each), else `http` and the request's host.
    BehindProxy,
}

/// Why a request's base URL could not be worked out; sent back as a 400.
pub(crate) const NO_BASE_URL: &str = "cannot tell which URL this server is reached at: the \
    request has no valid Host header (or, behind a proxy, an invalid X-Forwarded-Host or \
    X-Forwarded-Proto)";

/// The base URL the client used to reach us, for a request.
pub(crate) fn base_url_of(parts: &Parts, source: UrlSource) -> Option<BaseUrl> {
    let own_host = parts
        .uri
        .authority()
        .map(|authority| authority.as_str().to_owned())
        .or_else(|| header_text(&parts.headers, "host").map(str::to_owned));
    match source {
        UrlSource::Direct => BaseUrl::from_parts("https", &own_host?),
        UrlSource::BehindProxy => {
            let scheme = match first_value(&parts.headers, "x-forwarded-proto") {
                Some(proto) => proto.to_ascii_lowercase(),
                None if parts.headers.contains_key("x-forwarded-proto") => return None,
                None => "http".to_owned(),
            };
            let host = match first_value(&parts.headers, "x-forwarded-host") {
                Some(host) => host.to_owned(),
                None if parts.headers.contains_key("x-forwarded-host") => return None,
                None => own_host?,
            };
            BaseUrl::from_parts(&scheme, &host)
        }
    }
}

fn header_text<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

/// The first entry of a forwarding header: the one the outermost proxy (the one the
/// client talked to) wrote.
fn first_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    let first = header_text(headers, name)?.split(',').next()?.trim();
    (!first.is_empty()).then_some(first)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Request;

    fn parts(uri: &str, headers: &[(&str, &str)]) -> Parts {
        let mut request = Request::builder().uri(uri);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.body(()).unwrap().into_parts().0
    }

    #[test]
    fn authorities() {
        let table: [(&str, bool); 16] = [
            ("localhost", true),
            ("localhost:8443", true),
            ("Sendguard.Corp.Example", true),
            ("127.0.0.1:80", true),
            ("[::1]:8443", true),
            ("[::1]", true),
            ("", false),
            ("host:", false),
            ("host:99999", false),
            ("host:80:80", false),
            ("[::1", false),
            ("[nonsense]:1", false),
            ("evil.example/\"><script>", false),
            ("a..b", false),
            ("user@host", false),
            ("-bad.example", false),
        ];
        for (authority, expected) in table {
            assert_eq!(is_authority(authority), expected, "{authority}");
        }
    }

    #[test]
    fn parse_base_urls() {
        let ok = [
            (
                "https://sendguard.corp.example/",
                "https://sendguard.corp.example",
            ),
            ("HTTPS://Host:8443", "https://host:8443"),
            (
                "https://intranet.example/sendguard/",
                "https://intranet.example/sendguard",
            ),
        ];
        for (input, expected) in ok {
            assert_eq!(
                BaseUrl::parse(input).map(|url| url.0),
                Some(expected.to_owned())
            );
        }
        for bad in [
            "ftp://host",
            "host",
            "https://",
            "https://host/a b",
            "https://host/../x",
            "https://host/?q",
            "https://u@host",
        ] {
            assert_eq!(BaseUrl::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn direct_uses_https_and_the_host_header_only() {
        let request = parts(
            "/manifest.xml",
            &[
                ("host", "localhost:8443"),
                ("x-forwarded-host", "evil.example"),
                ("x-forwarded-proto", "http"),
            ],
        );
        assert_eq!(
            base_url_of(&request, UrlSource::Direct).unwrap().as_str(),
            "https://localhost:8443"
        );
        assert_eq!(base_url_of(&parts("/", &[]), UrlSource::Direct), None);
    }

    #[test]
    fn behind_proxy_follows_forwarding_headers() {
        let forwarded = parts(
            "/manifest.xml",
            &[
                ("host", "127.0.0.1:8080"),
                ("x-forwarded-host", "sendguard.corp.example, inner.proxy"),
                ("x-forwarded-proto", "HTTPS, http"),
            ],
        );
        assert_eq!(
            base_url_of(&forwarded, UrlSource::BehindProxy)
                .unwrap()
                .as_str(),
            "https://sendguard.corp.example"
        );
        let plain = parts("/manifest.xml", &[("host", "127.0.0.1:8080")]);
        assert_eq!(
            base_url_of(&plain, UrlSource::BehindProxy)
                .unwrap()
                .as_str(),
            "http://127.0.0.1:8080"
        );
        let bad = parts("/", &[("host", "h"), ("x-forwarded-proto", "gopher")]);
        assert_eq!(base_url_of(&bad, UrlSource::BehindProxy), None);
        let empty = parts("/", &[("host", "h"), ("x-forwarded-host", "")]);
        assert_eq!(base_url_of(&empty, UrlSource::BehindProxy), None);
    }

    #[test]
    fn render_escapes_for_the_format() {
        // A base URL cannot hold these characters; escaping is the second line of defence.
        let odd = BaseUrl("https://a\"b<c".to_owned());
        assert_eq!(
            render_manifest("x={{BASE_URL}}", &odd, ManifestKind::Xml, SendMode::Block),
            "x=https://a&quot;b&lt;c"
        );
        assert_eq!(
            render_manifest(
                "\"{{BASE_URL}}/x\"",
                &odd,
                ManifestKind::Json,
                SendMode::Block
            ),
            "\"https://a\\\"b<c/x\""
        );
    }

    #[test]
    fn send_mode_in_the_spelling_of_each_format() {
        let base = BaseUrl::parse("https://h:8443/p").unwrap();
        let template = "{{SEND_MODE}} {{BASE_URL}}";
        let cases = [
            (
                ManifestKind::Xml,
                SendMode::SoftBlock,
                "SoftBlock https://h:8443/p",
            ),
            (ManifestKind::Xml, SendMode::Block, "Block https://h:8443/p"),
            (
                ManifestKind::Json,
                SendMode::SoftBlock,
                "softBlock https://h:8443/p",
            ),
            (
                ManifestKind::Json,
                SendMode::Block,
                "block https://h:8443/p",
            ),
        ];
        for (kind, mode, expected) in cases {
            assert_eq!(render_manifest(template, &base, kind, mode), expected);
        }
        assert_eq!(SendMode::parse("soft-block"), Some(SendMode::SoftBlock));
        assert_eq!(SendMode::parse("Block"), None);
    }
}

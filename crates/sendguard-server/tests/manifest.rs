//! Base URLs and manifest rendering through the public API (the CLI's `manifest`
//! command and the server both use them).

#![allow(clippy::unwrap_used)]

use sendguard_server::{BaseUrl, ManifestKind, SendMode, render_manifest};

#[test]
fn base_urls_are_origins_with_an_optional_plain_path() {
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
        ("https://localhost:8443", "https://localhost:8443"),
        (
            "https://Sendguard.Corp.Example",
            "https://sendguard.corp.example",
        ),
        ("http://127.0.0.1:80", "http://127.0.0.1"),
        ("https://[::1]:8443", "https://[::1]:8443"),
        ("https://[::1]:443", "https://[::1]"),
    ];
    for (input, expected) in ok {
        assert_eq!(
            BaseUrl::parse(input).map(|url| url.to_string()),
            Some(expected.to_owned()),
            "{input}"
        );
    }
    for bad in [
        "ftp://host",
        "host",
        "https://",
        "https://host/a b",
        "https://host/../x",
        "https://host/./x",
        "https://host/?q",
        "https://host/#f",
        "https://u@host",
        "https://u:p@host",
        "https://host:99999",
        "https://host:80:80",
        "https://[::1",
        "https://[nonsense]:1",
        "https://evil.example\"><script>",
        "https://a&b.example",
        "https://a..b",
        "https://-bad.example",
        "https://host/a\"b",
        "https://host/a%22b",
    ] {
        assert_eq!(BaseUrl::parse(bad), None, "{bad}");
    }
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

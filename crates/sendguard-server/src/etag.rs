//! Entity tags from content, and the `If-None-Match` check that turns a repeat request
//! into a `304 Not Modified`.
//!
//! The tag is a hash of the bytes, not of a modification time, so every server (or CDN)
//! that serves the same build hands out the same tags.

use axum::http::HeaderMap;
use axum::http::header::IF_NONE_MATCH;

/// A strong entity tag for `bytes`, quoted as the `ETag` header wants it.
pub(crate) fn strong_etag(bytes: &[u8]) -> String {
    format!("\"{:016x}-{:x}\"", fnv1a_64(bytes), bytes.len())
}

/// Whether the request's `If-None-Match` names `etag` (or `*`), so that the client's
/// cached copy is current and the answer is `304 Not Modified`.
///
/// Comparison is weak (RFC 9110 §13.1.2): a `W/` prefix on the client's tag is ignored.
pub(crate) fn client_has_current(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag)
}

/// FNV-1a, 64 bit: stable across builds and platforms, which `std`'s hasher is not, and
/// plenty for telling versions of one file apart.
fn fnv1a_64(bytes: &[u8]) -> u64 {
    const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    bytes.iter().fold(OFFSET_BASIS, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(PRIME)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn fnv_matches_reference_vectors() {
        assert_eq!(fnv1a_64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a_64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a_64(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn etag_changes_with_content() {
        assert_ne!(strong_etag(b"{}"), strong_etag(b"{ }"));
        assert!(strong_etag(b"x").starts_with('"') && strong_etag(b"x").ends_with('"'));
    }

    #[test]
    fn if_none_match_lists_and_weak_tags() {
        let etag = strong_etag(b"policy");
        let cases: [(&str, bool); 6] = [
            ("*", true),
            (&etag, true),
            (&format!("W/{etag}"), true),
            (&format!("\"other\", {etag}"), true),
            ("\"other\"", false),
            ("", false),
        ];
        for (header, expected) in cases {
            let mut headers = HeaderMap::new();
            headers.insert(IF_NONE_MATCH, HeaderValue::from_str(header).unwrap());
            assert_eq!(client_has_current(&headers, &etag), expected, "{header}");
        }
        assert!(!client_has_current(&HeaderMap::new(), &etag));
    }
}

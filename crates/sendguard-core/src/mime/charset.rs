//! Turning the bytes of a name or header into text, by its declared charset.
//!
//! Built in: UTF-8, US-ASCII, ISO-8859-1, ISO-8859-15 and Windows-1252, which cover
//! almost every name in western mail. The legacy multi-byte charsets (Shift_JIS,
//! EUC-KR, GBK, Big5, ISO-2022-JP, …) need `encoding_rs`'s tables (several hundred
//! KiB), so they sit behind the `legacy-charsets` feature that the CLI enables and the
//! add-ins' WebAssembly checker does not: there, names come decoded from the mail
//! client's API and only forwarded messages reach this code. Without the feature an
//! unknown charset keeps its ASCII bytes and turns the rest into U+FFFD, so a `.exe`
//! ending stays visible.

/// Decodes `bytes` declared as `charset` (a label such as `utf-8` or `Shift_JIS`).
pub(crate) fn decode(charset: &str, bytes: &[u8]) -> String {
    let label = charset.trim().to_ascii_lowercase();
    // RFC 2231 allows a language after `*`: `utf-8*de`.
    let label = label.split('*').next().unwrap_or("");
    match label {
        "utf-8" | "utf8" | "us-ascii" | "ascii" | "" => utf8_or_windows_1252(bytes),
        "iso-8859-1" | "latin1" | "iso_8859-1" | "l1" => {
            bytes.iter().map(|&b| char::from(b)).collect()
        }
        "windows-1252" | "cp1252" => windows_1252(bytes),
        "iso-8859-15" | "latin-9" | "latin9" => bytes.iter().map(|&b| latin9(b)).collect(),
        other => other_charset(other, bytes),
    }
}

/// Raw header bytes with no declared charset: UTF-8 if they are, else Windows-1252
/// (the superset of Latin-1 that Outlook writes).
pub(crate) fn utf8_or_windows_1252(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => windows_1252(bytes),
    }
}

fn windows_1252(bytes: &[u8]) -> String {
    /// 0x80..=0x9F in Windows-1252; U+FFFD where the code page has no character.
    const HIGH: [char; 32] = [
        '€', '\u{FFFD}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{FFFD}', 'Ž',
        '\u{FFFD}', '\u{FFFD}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ',
        '\u{FFFD}', 'ž', 'Ÿ',
    ];
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9F => HIGH[usize::from(b - 0x80)],
            _ => char::from(b),
        })
        .collect()
}

fn latin9(byte: u8) -> char {
    match byte {
        0xA4 => '€',
        0xA6 => 'Š',
        0xA8 => 'š',
        0xB4 => 'Ž',
        0xB8 => 'ž',
        0xBC => 'Œ',
        0xBD => 'œ',
        0xBE => 'Ÿ',
        _ => char::from(byte),
    }
}

#[cfg(feature = "legacy-charsets")]
fn other_charset(label: &str, bytes: &[u8]) -> String {
    match encoding_rs::Encoding::for_label(label.as_bytes()) {
        Some(encoding) => encoding.decode_without_bom_handling(bytes).0.into_owned(),
        None => ascii_only(bytes),
    }
}

#[cfg(not(feature = "legacy-charsets"))]
fn other_charset(_label: &str, bytes: &[u8]) -> String {
    ascii_only(bytes)
}

/// ASCII as it is, everything else U+FFFD: the ending of a name survives any
/// ASCII-compatible charset.
fn ascii_only(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| {
            if b.is_ascii() {
                char::from(b)
            } else {
                '\u{FFFD}'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_charsets() {
        assert_eq!(decode("UTF-8", "März".as_bytes()), "März");
        assert_eq!(decode("iso-8859-1", b"M\xe4rz"), "März");
        assert_eq!(decode("windows-1252", b"\x80"), "€");
        assert_eq!(decode("ISO-8859-15", b"\xa4"), "€");
        assert_eq!(utf8_or_windows_1252(b"M\xe4rz"), "März");
    }

    #[cfg(feature = "legacy-charsets")]
    #[test]
    fn legacy_charsets_with_the_feature() {
        assert_eq!(decode("Shift_JIS", b"\x8e\x96\x8c\x8f.exe"), "事件.exe");
        assert_eq!(decode("EUC-KR", b"\xc7\xd1.exe"), "한.exe");
        assert_eq!(decode("GBK", b"\xd6\xd0.exe"), "中.exe");
        assert_eq!(decode("Big5", b"\xa4\xa4.exe"), "中.exe");
        assert_eq!(decode("ISO-2022-JP", b"\x1b$B;v7o\x1b(B.exe"), "事件.exe");
    }

    #[test]
    fn unknown_charsets_keep_the_ending() {
        let text = decode("x-unknown", b"\x8e\x96.exe");
        assert!(text.ends_with(".exe"), "{text}");
    }
}

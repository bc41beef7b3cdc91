//! Which files are text, how their bytes become text, and HTML reduced to the text a
//! reader sees.

use std::borrow::Cow;

use crate::files::File;

/// File endings read as text. Office and PDF formats need extraction and are not read
/// (yet); see the module docs of [`super`].
const TEXT_ENDINGS: &[&str] = &[
    ".txt", ".text", ".csv", ".tsv", ".tab", ".vcf", ".vcard", ".ics", ".ical", ".ifb", ".htm",
    ".html", ".xhtml", ".xml", ".json", ".md", ".log", ".ldif", ".rtf", ".ini", ".yaml", ".yml",
];

fn ends_with_any(names: &[String], endings: &[&str]) -> bool {
    names.iter().any(|name| {
        let name = name.trim_end_matches(|c: char| c == '.' || c.is_whitespace());
        endings.iter().any(|ending| {
            name.len() >= ending.len()
                && name.is_char_boundary(name.len() - ending.len())
                && name[name.len() - ending.len()..].eq_ignore_ascii_case(ending)
        })
    })
}

/// A name with one of the text endings.
pub(crate) fn has_text_ending(names: &[String]) -> bool {
    ends_with_any(names, TEXT_ENDINGS)
}

fn media_type(file: &File<'_>) -> String {
    file.media_type
        .as_deref()
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// A forwarded message: its subject and text are scanned (its files are files of
/// their own in the expansion).
pub(crate) fn is_message(file: &File<'_>) -> bool {
    matches!(
        media_type(file).as_str(),
        "message/rfc822" | "message/global"
    ) || ends_with_any(&file.names, &[".eml"])
}

/// HTML by name or type.
pub(crate) fn is_html_file(file: &File<'_>) -> bool {
    media_type(file) == "text/html" || ends_with_any(&file.names, &[".htm", ".html", ".xhtml"])
}

/// Text by name, by type, or by content (no NUL byte and valid UTF-8 in the first
/// 4 KiB, and not a PDF).
pub(crate) fn is_text_file(file: &File<'_>, content: &[u8]) -> bool {
    let media = media_type(file);
    if ends_with_any(&file.names, TEXT_ENDINGS)
        || media.starts_with("text/")
        || matches!(media.as_str(), "application/json" | "application/xml")
    {
        return true;
    }
    let head = &content[..content.len().min(4096)];
    if head.is_empty() || head.starts_with(b"%PDF") || head.contains(&0) {
        return false;
    }
    match std::str::from_utf8(head) {
        Ok(_) => true,
        // Cut in the middle of a character at the 4 KiB mark is still text.
        Err(error) => error.error_len().is_none(),
    }
}

/// The text of a file: UTF-16 by its byte-order mark (Excel's "Unicode text"), UTF-8
/// (a mark dropped; a character cut at the end by a prefix read ignored), else
/// Windows-1252.
pub(crate) fn decode(bytes: &[u8]) -> Cow<'_, str> {
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return Cow::Owned(utf16(rest, u16::from_le_bytes));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return Cow::Owned(utf16(rest, u16::from_be_bytes));
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(error) if error.error_len().is_none() => {
            Cow::Borrowed(std::str::from_utf8(&bytes[..error.valid_up_to()]).unwrap_or(""))
        }
        Err(_) => Cow::Owned(crate::mime::charset::utf8_or_windows_1252(bytes)),
    }
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> String {
    let units = bytes.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
    char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

/// The text as a reader sees it: HTML (declared, or a body that starts like a
/// document) reduced to its text, anything else as it is.
pub(crate) fn readable(text: &str, html: bool) -> Cow<'_, str> {
    if html || looks_like_html(text) {
        Cow::Owned(html_to_text(text))
    } else {
        Cow::Borrowed(text)
    }
}

fn looks_like_html(text: &str) -> bool {
    let head = text.trim_start();
    let head = &head.as_bytes()[..head.len().min(512)];
    head.first() == Some(&b'<')
        && ["<html", "<!doctype html", "<body", "<div", "<p", "<table"]
            .iter()
            .any(|tag| {
                head.windows(tag.len())
                    .any(|window| window.eq_ignore_ascii_case(tag.as_bytes()))
            })
}

/// Elements whose start or end breaks a line.
const BLOCK_TAGS: &[&str] = &[
    "br",
    "p",
    "div",
    "tr",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "ul",
    "ol",
    "blockquote",
    "pre",
    "hr",
    "section",
    "article",
    "header",
    "footer",
    "dd",
    "dt",
];

/// HTML reduced to text: tags dropped (block elements become line breaks, cells
/// tabs), `script`, `style` and comments dropped whole, character references decoded.
/// Linear in the input; unterminated constructs end the text.
pub(crate) fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let bytes = html.as_bytes();
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'<' => {
                let rest = &html[index..];
                if rest.starts_with("<!--") {
                    index += rest.find("-->").map_or(rest.len(), |end| end + 3);
                    continue;
                }
                let Some(close) = rest.find('>') else {
                    break;
                };
                let tag = &rest[1..close];
                let name: String = tag
                    .trim_start_matches('/')
                    .chars()
                    .take_while(char::is_ascii_alphanumeric)
                    .map(|c| c.to_ascii_lowercase())
                    .collect();
                index += close + 1;
                if (name == "script" || name == "style") && !tag.starts_with('/') {
                    let closing = format!("</{name}");
                    let after = &html[index..];
                    let lower_end = find_case_insensitive(after, &closing);
                    index += lower_end.map_or(after.len(), |end| {
                        after[end..]
                            .find('>')
                            .map_or(after.len(), |gt| end + gt + 1)
                    });
                    continue;
                }
                if BLOCK_TAGS.contains(&name.as_str()) {
                    out.push('\n');
                } else if (name == "td" || name == "th") && !tag.starts_with('/') {
                    out.push('\t');
                }
            }
            b'&' => {
                let rest = &html[index..];
                match entity(rest) {
                    Some((c, len)) => {
                        out.push(c);
                        index += len;
                    }
                    None => {
                        out.push('&');
                        index += 1;
                    }
                }
            }
            _ => {
                let next = html[index..]
                    .find(['<', '&'])
                    .map_or(html.len(), |offset| index + offset);
                out.push_str(&html[index..next]);
                index = next;
            }
        }
    }
    out
}

fn find_case_insensitive(haystack: &str, needle: &str) -> Option<usize> {
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|window| window.eq_ignore_ascii_case(needle.as_bytes()))
}

/// A character reference at the start of `text`: the character and its length.
fn entity(text: &str) -> Option<(char, usize)> {
    let end = text.bytes().take(12).position(|b| b == b';')?;
    let body = &text[1..end];
    let c = if let Some(hex) = body.strip_prefix("#x").or_else(|| body.strip_prefix("#X")) {
        char::from_u32(u32::from_str_radix(hex, 16).ok()?)?
    } else if let Some(decimal) = body.strip_prefix('#') {
        char::from_u32(decimal.parse().ok()?)?
    } else {
        match body {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "nbsp" => ' ',
            "auml" => 'ä',
            "ouml" => 'ö',
            "uuml" => 'ü',
            "Auml" => 'Ä',
            "Ouml" => 'Ö',
            "Uuml" => 'Ü',
            "szlig" => 'ß',
            "euro" => '€',
            _ => return None,
        }
    };
    Some((c, end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_becomes_its_text() {
        let html = "<html><head><style>p{color:red}</style><script>var x='<p>';</script></head>\
                    <body><p>IBAN:&nbsp;DE89&#32;3704</p><table><tr><td>a</td><td>b&amp;c</td></tr></table>\
                    <!-- DE12 hidden --></body></html>";
        let text = html_to_text(html);
        assert!(text.contains("IBAN: DE89 3704"), "{text:?}");
        assert!(text.contains("\ta\tb&c"), "{text:?}");
        assert!(!text.contains("color") && !text.contains("var x") && !text.contains("hidden"));
        // Broken markup ends the text instead of looping.
        assert_eq!(html_to_text("a <b"), "a ");
        assert_eq!(
            html_to_text("&#xFFFFFFFF; &bogus; &"),
            "&#xFFFFFFFF; &bogus; &"
        );
    }

    #[test]
    fn decoding() {
        assert_eq!(decode(b"\xEF\xBB\xBFabc"), "abc");
        assert_eq!(decode(b"\xFF\xFEa\0b\0"), "ab");
        assert_eq!(decode(b"M\xFCller"), "Müller");
        assert_eq!(decode(b"ab\xC3"), "ab"); // a prefix cut inside a character
    }
}

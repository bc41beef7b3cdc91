//! Header fields: the header block, structured parameters (RFC 2045, RFC 2231) and
//! encoded words (RFC 2047).

use super::charset;
use super::decode;

/// One header field: the name lower-cased, the value unfolded, still raw bytes.
#[derive(Debug, Clone)]
pub(crate) struct Field {
    pub(crate) name: String,
    pub(crate) value: Vec<u8>,
}

/// Splits an entity into its header fields and the offset where its body starts.
///
/// Folded lines are joined (the line break removed, the blank kept). A leading mbox
/// `From ` line is skipped. A line that is neither a field nor a continuation ends the
/// header block there, as RFC 5322 readers do (Python's `email` among them): it is the
/// first line of the body.
pub(crate) fn split(bytes: &[u8]) -> (Vec<Field>, usize) {
    let mut fields: Vec<Field> = Vec::new();
    let mut offset = 0;
    let mut first = true;
    while offset < bytes.len() {
        let end = bytes[offset..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |i| offset + i + 1);
        let line = &bytes[offset..end];
        let content = strip_line_end(line);
        if content.is_empty() {
            return (fields, end);
        }
        // Blank-only lines before the first field (left by tools that pad files) are
        // skipped, as Python's `email` does; elsewhere they would be continuations.
        if fields.is_empty() && content.iter().all(|b| matches!(b, b' ' | b'\t')) {
            offset = end;
            continue;
        }
        if first && content.starts_with(b"From ") {
            first = false;
            offset = end;
            continue;
        }
        first = false;
        if matches!(content[0], b' ' | b'\t') {
            match fields.last_mut() {
                Some(field) => {
                    field.value.extend_from_slice(content);
                    offset = end;
                    continue;
                }
                // A continuation with nothing to continue: not a header block.
                None => return (fields, offset),
            }
        }
        let Some(colon) = content.iter().position(|&b| b == b':') else {
            return (fields, offset);
        };
        let name = &content[..colon];
        let name_ok = !name.is_empty()
            && name
                .iter()
                .all(|&b| b.is_ascii_graphic() || b == b' ' || b == b'\t');
        let name = String::from_utf8_lossy(name).trim().to_ascii_lowercase();
        if !name_ok || name.is_empty() || name.contains([' ', '\t']) {
            return (fields, offset);
        }
        let value = content[colon + 1..].to_vec();
        fields.push(Field { name, value });
        offset = end;
    }
    (fields, bytes.len())
}

fn strip_line_end(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// Every value of the fields named `name` (lower-case), in order.
pub(crate) fn all<'a>(fields: &'a [Field], name: &'a str) -> impl Iterator<Item = &'a [u8]> {
    fields
        .iter()
        .filter(move |field| field.name == name)
        .map(|field| field.value.as_slice())
}

/// A structured field value such as `text/plain; charset="utf-8"; name=a.txt`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Structured {
    /// The part before the first `;`, lower-cased and trimmed (`text/plain`, `attachment`).
    pub(crate) value: String,
    /// Parameters with their names lower-cased; RFC 2231 continuations and charsets
    /// already joined and decoded (`filename*0*`, `filename*1` → `filename*`), so
    /// `filename` and `filename*` stay apart when a message carries both.
    pub(crate) params: Vec<(String, String)>,
}

impl Structured {
    /// The first value of parameter `name`.
    pub(crate) fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// Parses a structured value. Blanks around `=` (left behind when a sender folded the
/// line next to it) are allowed; a missing closing quote takes the rest; unknown
/// garbage between parameters is skipped.
pub(crate) fn structured(raw: &[u8]) -> Structured {
    let text = charset::utf8_or_windows_1252(raw);
    let text = strip_comments(&text);
    let mut pieces = split_params(&text).into_iter();
    let value = pieces
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let value: String = value.chars().filter(|c| !c.is_whitespace()).collect();
    // (name, section, encoded, value) for RFC 2231; plain parameters directly.
    let mut plain: Vec<(String, String)> = Vec::new();
    let mut sections: Vec<(String, u32, bool, String)> = Vec::new();
    for piece in pieces {
        let Some((name, value)) = piece.split_once('=') else {
            continue;
        };
        let name = name.trim().to_ascii_lowercase();
        if name.is_empty() {
            continue;
        }
        let value = unquote(value.trim());
        match rfc2231_name(&name) {
            Some((base, section, encoded)) => {
                sections.push((base.to_string(), section, encoded, value));
            }
            None => plain.push((name, decode_words(&value))),
        }
    }
    let mut params = plain;
    // Join the sections of each RFC 2231 parameter in order of their numbers.
    let mut bases: Vec<String> = Vec::new();
    for (base, ..) in &sections {
        if !bases.contains(base) {
            bases.push(base.clone());
        }
    }
    for base in bases {
        let mut parts: Vec<&(String, u32, bool, String)> =
            sections.iter().filter(|(b, ..)| *b == base).collect();
        parts.sort_by_key(|(_, section, ..)| *section);
        let mut charset_label = String::new();
        let mut bytes = Vec::new();
        for (index, (_, _, encoded, value)) in parts.iter().enumerate() {
            if *encoded {
                let mut value = value.as_str();
                if index == 0 {
                    // charset'language'value; tolerate a missing language quote.
                    let mut split = value.splitn(3, '\'');
                    if let (Some(label), Some(_), Some(rest)) =
                        (split.next(), split.next(), split.next())
                    {
                        charset_label = label.to_string();
                        value = rest;
                    }
                }
                bytes.extend(percent_decode(value));
            } else {
                bytes.extend_from_slice(value.as_bytes());
            }
        }
        let decoded = charset::decode(&charset_label, &bytes);
        params.push((format!("{base}*"), decode_words(&decoded)));
    }
    Structured { value, params }
}

/// `filename*0*` → (`filename`, 0, true); `filename*` → (`filename`, 0, true);
/// `filename*1` → (`filename`, 1, false); `filename` → None.
fn rfc2231_name(name: &str) -> Option<(&str, u32, bool)> {
    let star = name.find('*')?;
    let base = &name[..star];
    let rest = &name[star + 1..];
    if rest.is_empty() {
        return Some((base, 0, true));
    }
    let (number, encoded) = match rest.strip_suffix('*') {
        Some(number) => (number, true),
        None => (rest, false),
    };
    let section = number.parse().ok()?;
    Some((base, section, encoded))
}

fn percent_decode(value: &str) -> Vec<u8> {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            if let Some(Ok(byte)) = value
                .get(index + 1..index + 3)
                .map(|digits| u8::from_str_radix(digits, 16))
            {
                out.push(byte);
                index += 3;
                continue;
            }
        }
        out.push(bytes[index]);
        index += 1;
    }
    out
}

/// Splits at `;` outside quotes.
fn split_params(text: &str) -> Vec<String> {
    split_outside_quotes(text, true, |c| c == ';')
}

/// Splits `text` at every character `is_separator` accepts outside a quoted string,
/// keeping the quotes and escapes in the pieces (empty pieces included). With
/// `quotes_count` false, `"` is an ordinary character (an unpaired quote must not
/// swallow the rest of a header).
pub(crate) fn split_outside_quotes(
    text: &str,
    quotes_count: bool,
    is_separator: impl Fn(char) -> bool,
) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut escaped = false;
    for c in text.chars() {
        if escaped {
            current.push(c);
            escaped = false;
            continue;
        }
        match c {
            '\\' if quoted => {
                current.push(c);
                escaped = true;
            }
            '"' if quotes_count => {
                quoted = !quoted;
                current.push(c);
            }
            c if !quoted && is_separator(c) => pieces.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    pieces.push(current);
    pieces
}

/// Removes `(comments)` outside quoted strings (nested, with escapes).
pub(crate) fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    let mut quoted = false;
    let mut escaped = false;
    for c in text.chars() {
        if escaped {
            if depth == 0 {
                out.push(c);
            }
            escaped = false;
            continue;
        }
        match c {
            '\\' if quoted || depth > 0 => {
                escaped = true;
                if depth == 0 {
                    out.push(c);
                }
            }
            '"' if depth == 0 => {
                quoted = !quoted;
                out.push(c);
            }
            '(' if !quoted => depth += 1,
            ')' if !quoted && depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    out.push(' ');
                }
            }
            _ if depth > 0 => {}
            _ => out.push(c),
        }
    }
    out
}

/// A parameter value without its quotes and escapes. An unterminated quote runs to
/// the end.
fn unquote(value: &str) -> String {
    let Some(inner) = value.strip_prefix('"') else {
        return value.to_string();
    };
    let mut out = String::with_capacity(inner.len());
    let mut escaped = false;
    for c in inner.chars() {
        if escaped {
            out.push(c);
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == '"' {
            break;
        } else {
            out.push(c);
        }
    }
    out
}

/// Decodes RFC 2047 encoded words anywhere in `text` (also inside quoted strings and
/// parameters, where the RFC forbids them and every mail client decodes them anyway).
/// Blanks between two adjacent encoded words are dropped (RFC 2047 §6.2); a word that
/// does not decode stays as it is.
pub(crate) fn decode_words(text: &str) -> String {
    if !text.contains("=?") {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut pending_blank = String::new();
    let mut after_word = false;
    while !rest.is_empty() {
        if let Some((decoded, used)) = rest.strip_prefix("=?").and_then(encoded_word) {
            if !after_word {
                out.push_str(&pending_blank);
            }
            pending_blank.clear();
            out.push_str(&decoded);
            rest = &rest[used + 2..];
            after_word = true;
            continue;
        }
        let Some(c) = rest.chars().next() else {
            break;
        };
        rest = &rest[c.len_utf8()..];
        if c.is_whitespace() && after_word {
            pending_blank.push(c);
            continue;
        }
        out.push_str(&pending_blank);
        pending_blank.clear();
        after_word = false;
        out.push(c);
    }
    out.push_str(&pending_blank);
    out
}

/// `charset?B?text?=` (the part after `=?`) → decoded text and the bytes consumed.
fn encoded_word(rest: &str) -> Option<(String, usize)> {
    let first = rest.find('?')?;
    let label = &rest[..first];
    let encoding = rest.get(first + 1..first + 2)?;
    if rest.get(first + 2..first + 3)? != "?" {
        return None;
    }
    let payload_start = first + 3;
    let end = rest[payload_start..].find("?=")? + payload_start;
    let payload = &rest[payload_start..end];
    if label.is_empty() || label.contains(char::is_whitespace) || payload.contains(' ') {
        return None;
    }
    let bytes = match encoding {
        "B" | "b" => decode::base64(payload.as_bytes()),
        "Q" | "q" => decode::quoted_printable(payload.as_bytes(), true),
        _ => return None,
    };
    Some((charset::decode(label, &bytes), end + 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_block_with_folding_and_mbox_line() {
        let (fields, body) = split(b"From x\r\nTo: a\r\n b\r\nX-Y:z\r\n\r\nbody");
        assert_eq!(fields.len(), 2);
        assert_eq!(fields[0].value, b" a b");
        assert_eq!(fields[1].name, "x-y");
        assert_eq!(body, 28);
    }

    #[test]
    fn blank_padding_before_the_first_field() {
        let (fields, _) = split(b"   \nTo: a\n\n");
        assert_eq!(fields.len(), 1);
    }

    #[test]
    fn non_header_line_ends_the_block() {
        let (fields, body) = split(b"To: a\nthis is body\n");
        assert_eq!(fields.len(), 1);
        assert_eq!(body, 6);
    }

    #[test]
    fn parameters_folded_quoted_and_continued() {
        let ct = structured(b"multipart/mixed; boundary=\r\n \"XX;y\"; name = a.txt");
        assert_eq!(ct.value, "multipart/mixed");
        assert_eq!(ct.param("boundary"), Some("XX;y"));
        assert_eq!(ct.param("name"), Some("a.txt"));
        let cd = structured(
            b"attachment; filename*0*=UTF-8''Rechnung%20M%C3%A4rz; filename*1=.pdf.exe; filename=x.pdf",
        );
        assert_eq!(cd.param("filename*"), Some("Rechnung März.pdf.exe"));
        assert_eq!(cd.param("filename"), Some("x.pdf"));
        let open = structured(b"attachment; filename=\"run.bat");
        assert_eq!(open.param("filename"), Some("run.bat"));
    }

    #[test]
    fn encoded_words() {
        assert_eq!(decode_words("=?ISO-8859-1?Q?Gr=FC=DFe?="), "Grüße");
        assert_eq!(decode_words("=?UTF-8?B?YQ==?= =?UTF-8?B?Yg==?= c"), "ab c");
        assert_eq!(decode_words("a =?x?Q?b?= c"), "a b c");
        assert_eq!(decode_words("=?broken"), "=?broken");
        assert_eq!(strip_comments("bob(c)@(c (n))b.example"), "bob @ b.example");
    }
}

//! The character data of an XML document as text, driven by a small table per
//! format: which elements hold text, which end a line or a cell, which empty
//! elements stand for a tab, a break or spaces. No DOM, no validation: one pass over
//! the bytes, so a hostile document costs at most its length in steps.

/// How one XML vocabulary lays out its text. Names are local names (prefix dropped).
pub(super) struct Dialect {
    /// Elements whose character data (and that of their descendants) is text.
    pub(super) text: &'static [&'static [u8]],
    /// Elements whose end ends a line (paragraphs, rows).
    pub(super) line: &'static [&'static [u8]],
    /// Elements whose end ends a cell (a tab), and inside which a paragraph end is a
    /// space, so a table row stays one line.
    pub(super) cell: &'static [&'static [u8]],
    /// Empty (or any) elements that stand for a character: `<w:tab/>`, `<w:br/>`.
    pub(super) stands_for: &'static [(&'static [u8], &'static str)],
    /// Elements whose content is never text even inside a text element (phonetic
    /// guides, deleted runs, field codes).
    pub(super) skip: &'static [&'static [u8]],
}

/// The result of walking one part.
pub(super) struct Walked {
    /// The walk stopped at the output limit.
    pub(super) full: bool,
}

fn local_name(name: &[u8]) -> &[u8] {
    match name.iter().rposition(|&b| b == b':') {
        Some(colon) => &name[colon + 1..],
        None => name,
    }
}

fn is_name_end(byte: u8) -> bool {
    byte.is_ascii_whitespace() || byte == b'/' || byte == b'>'
}

/// One piece of an XML document.
pub(super) enum Event<'x> {
    /// A start tag: its local name, its bytes (for attributes), and whether it is
    /// empty (`<w:tab/>`).
    Start(&'x [u8], &'x [u8], bool),
    /// An end tag's local name.
    End(&'x [u8]),
    /// Character data, entities not yet resolved (CDATA as is, see the flag).
    Text(&'x [u8], bool),
}

/// Calls `f` for every tag and piece of character data until it returns false.
/// Comments, processing instructions and declarations are skipped.
pub(super) fn events<'x>(xml: &'x [u8], mut f: impl FnMut(Event<'x>) -> bool) {
    let mut index = 0;
    while index < xml.len() {
        if xml[index] != b'<' {
            let end = memchr(b'<', &xml[index..]).map_or(xml.len(), |at| index + at);
            if !f(Event::Text(&xml[index..end], false)) {
                return;
            }
            index = end;
            continue;
        }
        let rest = &xml[index..];
        if rest.starts_with(b"<!--") {
            index = find(rest, b"-->").map_or(xml.len(), |at| index + at + 3);
            continue;
        }
        if rest.starts_with(b"<![CDATA[") {
            let end = find(rest, b"]]>").map_or(xml.len(), |at| index + at);
            if !f(Event::Text(
                xml.get(index + 9..end).unwrap_or_default(),
                true,
            )) {
                return;
            }
            index = (end + 3).min(xml.len());
            continue;
        }
        if rest.starts_with(b"<?") || rest.starts_with(b"<!") {
            index = memchr(b'>', rest).map_or(xml.len(), |at| index + at + 1);
            continue;
        }
        let tag_end = memchr(b'>', rest).map_or(xml.len(), |at| index + at);
        let tag = &xml[index + 1..tag_end];
        index = (tag_end + 1).min(xml.len());
        let closing = tag.first() == Some(&b'/');
        let self_closing = tag.last() == Some(&b'/');
        let name_start = usize::from(closing);
        let name_len = tag[name_start..]
            .iter()
            .position(|&b| is_name_end(b))
            .unwrap_or(tag.len() - name_start);
        let name = local_name(&tag[name_start..name_start + name_len]);
        let go_on = if closing {
            f(Event::End(name))
        } else {
            f(Event::Start(name, tag, self_closing))
        };
        if !go_on {
            return;
        }
    }
}

/// Appends the text of `xml` to `out`, at most up to `limit` bytes of `out`.
pub(super) fn walk(xml: &[u8], dialect: &Dialect, out: &mut String, limit: usize) -> Walked {
    let mut in_text = 0usize;
    let mut in_cell = 0usize;
    let mut in_skip = 0usize;
    let mut full = false;
    events(xml, |event| {
        if out.len() >= limit {
            full = true;
            return false;
        }
        match event {
            Event::Text(data, cdata) => {
                if in_text > 0 && in_skip == 0 {
                    if cdata {
                        out.push_str(&String::from_utf8_lossy(data));
                    } else {
                        append_character_data(data, out);
                    }
                }
            }
            Event::End(name) => {
                let listed = |list: &[&[u8]]| list.contains(&name);
                if listed(dialect.skip) {
                    in_skip = in_skip.saturating_sub(1);
                }
                if listed(dialect.text) {
                    in_text = in_text.saturating_sub(1);
                }
                if listed(dialect.cell) {
                    in_cell = in_cell.saturating_sub(1);
                    if out.ends_with(' ') {
                        out.pop();
                    }
                    out.push('\t');
                } else if listed(dialect.line) {
                    out.push(if in_cell > 0 { ' ' } else { '\n' });
                }
            }
            Event::Start(name, _, self_closing) => {
                let listed = |list: &[&[u8]]| list.contains(&name);
                if let Some((_, text)) = dialect.stands_for.iter().find(|(n, _)| *n == name) {
                    if in_skip == 0 {
                        out.push_str(text);
                    }
                }
                if self_closing {
                    if listed(dialect.cell) {
                        out.push('\t');
                    } else if listed(dialect.line) && in_cell == 0 {
                        out.push('\n');
                    }
                } else {
                    in_skip += usize::from(listed(dialect.skip));
                    in_text += usize::from(listed(dialect.text));
                    in_cell += usize::from(listed(dialect.cell));
                }
            }
        }
        true
    });
    Walked { full }
}

pub(super) fn memchr(needle: u8, haystack: &[u8]) -> Option<usize> {
    haystack.iter().position(|&b| b == needle)
}

pub(super) fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    let first = needle[0];
    let mut from = 0;
    while let Some(at) = memchr(first, &haystack[from..]) {
        let start = from + at;
        if haystack[start..].starts_with(needle) {
            return Some(start);
        }
        from = start + 1;
    }
    None
}

/// Character data with the five named entities and numeric references resolved.
pub(super) fn append_character_data(data: &[u8], out: &mut String) {
    let mut index = 0;
    while index < data.len() {
        let amp = memchr(b'&', &data[index..]).map_or(data.len(), |at| index + at);
        out.push_str(&String::from_utf8_lossy(&data[index..amp]));
        if amp >= data.len() {
            break;
        }
        let semicolon = data[amp..]
            .iter()
            .take(12)
            .position(|&b| b == b';')
            .map(|at| amp + at);
        let Some(semicolon) = semicolon else {
            out.push('&');
            index = amp + 1;
            continue;
        };
        let entity = &data[amp + 1..semicolon];
        let character = match entity {
            b"amp" => Some('&'),
            b"lt" => Some('<'),
            b"gt" => Some('>'),
            b"quot" => Some('"'),
            b"apos" => Some('\''),
            [b'#', b'x' | b'X', hex @ ..] => std::str::from_utf8(hex)
                .ok()
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .and_then(char::from_u32),
            [b'#', decimal @ ..] => std::str::from_utf8(decimal)
                .ok()
                .and_then(|decimal| decimal.parse::<u32>().ok())
                .and_then(char::from_u32),
            _ => None,
        };
        match character {
            Some(character) => {
                out.push(character);
                index = semicolon + 1;
            }
            None => {
                out.push('&');
                index = amp + 1;
            }
        }
    }
}

/// The value of attribute `name` (local name) in a start tag's bytes.
pub(super) fn attribute<'x>(tag: &'x [u8], name: &[u8]) -> Option<&'x [u8]> {
    let mut index = 0;
    while let Some(at) = find(&tag[index..], name) {
        let start = index + at;
        let before = start.checked_sub(1).map(|b| tag[b]);
        let after = tag.get(start + name.len()..)?;
        let boundary = before.is_none_or(|b| b.is_ascii_whitespace() || b == b':');
        if boundary && after.first() == Some(&b'=') {
            let quote = *after.get(1)?;
            if quote == b'"' || quote == b'\'' {
                let value = &after[2..];
                let end = memchr(quote, value)?;
                return Some(&value[..end]);
            }
        }
        index = start + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIALECT: Dialect = Dialect {
        text: &[b"t"],
        line: &[b"p", b"tr"],
        cell: &[b"tc"],
        stands_for: &[(b"tab", "\t"), (b"br", "\n")],
        skip: &[b"delText"],
    };

    fn text(xml: &str) -> String {
        let mut out = String::new();
        walk(xml.as_bytes(), &DIALECT, &mut out, 1 << 20);
        out
    }

    #[test]
    fn runs_paragraphs_cells_and_entities() {
        let xml = r#"<?xml version="1.0"?><w:body><w:p><w:r><w:t>Herr M&#252;ller</w:t></w:r><w:r><w:tab/><w:t xml:space="preserve">geb. &amp; so</w:t></w:r></w:p>
<w:tbl><w:tr><w:tc><w:p><w:t>a</w:t></w:p></w:tc><w:tc><w:p><w:t>b</w:t></w:p></w:tc></w:tr></w:tbl><!-- <w:t>no</w:t> --><w:p><w:t><![CDATA[x<y]]></w:t></w:p></w:body>"#;
        assert_eq!(text(xml), "Herr Müller\tgeb. & so\na\tb\t\nx<y\n");
    }

    #[test]
    fn broken_documents_end_without_panic() {
        for xml in [
            "<w:t>abc",
            "<w:t",
            "<",
            "&#xFFFFFFFF;<w:t>&#99999999;&",
            "<!--",
            "<![CDATA[",
        ] {
            let _ = text(xml);
        }
        let mut out = String::new();
        let walked = walk(b"<t>aaaaaaaaaaaaaaaa</t><t>b</t>", &DIALECT, &mut out, 4);
        assert!(walked.full);
    }

    #[test]
    fn attributes_by_local_name() {
        assert_eq!(attribute(br#"c r="A1" t="s""#, b"t"), Some(&b"s"[..]));
        assert_eq!(attribute(br#"c r="A1""#, b"t"), None);
        assert_eq!(attribute(br#"x:t='n'"#, b"t"), Some(&b"n"[..]));
    }
}

//! A thin MIME reader that sees what the recipient's mail client shows.
//!
//! Why our own and not `mail-parser`: the checker must take, wherever readers disagree,
//! the reading that exposes more, and `mail-parser` 0.11 (pinned: 1.0 needs a newer
//! rustc) picks one reading and hides the rest. It keeps only the last `To` and the last
//! `Content-Type`, lets an inner multipart that never closes swallow the outer parts
//! after it, treats a text part with a file name as body, stops base64 at the first
//! stray character, does not decode `x-uuencode`, and gives one name per part when
//! `filename`, `filename*` and `name` disagree. Patching around it would have meant
//! reparsing most of what it parsed, so this module reads the message from scratch:
//! about 1,000 lines, no tables, no dependencies (the legacy charsets come from
//! `encoding_rs` behind the `legacy-charsets` feature, see [`charset`]). It is small
//! enough for the add-ins' WebAssembly checker, which also has to look inside forwarded
//! messages.
//!
//! What it does differently from a strict RFC reader, each time so that nothing a
//! client could show is missed:
//! - every `To`/`Cc`/`Bcc`/`Resent-*` field counts (see [`addresses`]);
//! - a multipart is split by its own delimiter lines first, so an unclosed inner
//!   multipart ends where its enclosing part ends;
//! - a boundary is taken from the first `Content-Type` whose delimiter occurs in the
//!   body; the names of every `Content-Type` and `Content-Disposition` are collected;
//! - a part is a file when it has any name, an `attachment` disposition, or a type that
//!   is not text; text parts are also scanned for inline uuencoded files;
//! - transfer encodings are decoded the forgiving way receivers decode them.

pub(crate) mod addresses;
pub(crate) mod charset;
pub(crate) mod decode;
pub(crate) mod header;

use header::Field;

/// How deep multiparts may nest before the rest is reported as not inspected.
pub(crate) const MAX_DEPTH: usize = 32;
/// How many parts one message may have before the rest is reported as not inspected.
pub(crate) const MAX_PARTS: usize = 10_000;

/// One MIME entity: its header fields, its raw body and, for a multipart, its parts.
#[derive(Debug)]
pub(crate) struct Entity<'a> {
    pub(crate) fields: Vec<Field>,
    pub(crate) body: &'a [u8],
    pub(crate) children: Vec<Entity<'a>>,
}

/// What could not be read: the parts beyond the budget.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Limits {
    pub(crate) too_deep: bool,
    pub(crate) too_many: bool,
}

/// Parses a whole message into its entity tree.
pub(crate) fn parse(bytes: &[u8]) -> (Entity<'_>, Limits) {
    let mut limits = Limits::default();
    let mut parts = 0;
    let entity = parse_at(bytes, 0, &mut parts, &mut limits);
    (entity, limits)
}

fn parse_at<'a>(
    bytes: &'a [u8],
    depth: usize,
    parts: &mut usize,
    limits: &mut Limits,
) -> Entity<'a> {
    let (fields, start) = header::split(bytes);
    let body = &bytes[start..];
    let mut entity = Entity {
        fields,
        body,
        children: Vec::new(),
    };
    let Some(boundary) = boundary(&entity) else {
        return entity;
    };
    if depth >= MAX_DEPTH {
        limits.too_deep = true;
        return entity;
    }
    for chunk in split_multipart(body, boundary.as_bytes()) {
        if *parts >= MAX_PARTS {
            limits.too_many = true;
            break;
        }
        *parts += 1;
        entity
            .children
            .push(parse_at(chunk, depth + 1, parts, limits));
    }
    entity
}

/// The boundary of a multipart: from the first multipart `Content-Type` whose
/// delimiter line occurs in the body (with two conflicting fields, the one that
/// structures the body is the one a client shows).
fn boundary(entity: &Entity<'_>) -> Option<String> {
    let candidates: Vec<String> = header::all(&entity.fields, "content-type")
        .map(header::structured)
        .filter(|ct| ct.value.starts_with("multipart/"))
        .filter_map(|ct| ct.param("boundary").map(str::to_string))
        .filter(|b| !b.is_empty())
        .collect();
    candidates
        .iter()
        .find(|b| lines(entity.body).any(|(_, line)| delimiter(line, b.as_bytes()).is_some()))
        .or(candidates.first())
        .cloned()
}

/// Lines with their start offsets; the line includes its break.
fn lines(bytes: &[u8]) -> impl Iterator<Item = (usize, &[u8])> {
    let mut offset = 0;
    std::iter::from_fn(move || {
        if offset >= bytes.len() {
            return None;
        }
        let start = offset;
        let end = bytes[start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |i| start + i + 1);
        offset = end;
        Some((start, &bytes[start..end]))
    })
}

/// `Some(false)` for a delimiter line `--boundary`, `Some(true)` for the closing
/// `--boundary--`; blanks after either are allowed.
fn delimiter(line: &[u8], boundary: &[u8]) -> Option<bool> {
    let rest = line.strip_prefix(b"--")?.strip_prefix(boundary)?;
    let rest = trim_end(rest);
    match rest {
        b"" => Some(false),
        b"--" => Some(true),
        _ => None,
    }
}

fn trim_end(bytes: &[u8]) -> &[u8] {
    let end = bytes
        .iter()
        .rposition(|b| !matches!(b, b'\r' | b'\n' | b' ' | b'\t'))
        .map_or(0, |i| i + 1);
    &bytes[..end]
}

/// The parts between delimiter lines. Without a closing delimiter, the last part
/// runs to the end. The line break before a delimiter belongs to the delimiter.
fn split_multipart<'a>(body: &'a [u8], boundary: &[u8]) -> Vec<&'a [u8]> {
    let mut parts = Vec::new();
    let mut start: Option<usize> = None;
    for (offset, line) in lines(body) {
        let Some(closing) = delimiter(line, boundary) else {
            continue;
        };
        if let Some(begin) = start.take() {
            parts.push(without_final_break(&body[begin..offset]));
        }
        if closing {
            return parts;
        }
        start = Some(offset + line.len());
    }
    if let Some(begin) = start {
        parts.push(&body[begin..]);
    }
    parts
}

fn without_final_break(bytes: &[u8]) -> &[u8] {
    let bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    bytes.strip_suffix(b"\r").unwrap_or(bytes)
}

/// A file as a mail client would list it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct File {
    /// Every name the part carries, the one Thunderbird shows first (`filename*`,
    /// `filename`, `name*`, `name`, a uuencode `begin` name); may be empty.
    pub(crate) names: Vec<String>,
    /// The media type (`application/pdf`), lower-case, without parameters.
    pub(crate) media_type: Option<String>,
    /// The decoded content.
    pub(crate) content: Vec<u8>,
}

/// What a client shows of one message: recipients, subject, body text and files.
#[derive(Debug, Default)]
pub(crate) struct Reading {
    pub(crate) from: Vec<crate::address::Address>,
    pub(crate) to: Vec<crate::address::Address>,
    pub(crate) cc: Vec<crate::address::Address>,
    pub(crate) bcc: Vec<crate::address::Address>,
    pub(crate) subject: String,
    pub(crate) body: String,
    /// The first HTML text part: the body a reader sees when there is no plain one.
    pub(crate) html: String,
    pub(crate) files: Vec<File>,
    pub(crate) limits: Limits,
}

/// Reads a message the way it will be displayed.
pub(crate) fn read(bytes: &[u8]) -> Reading {
    let (entity, limits) = parse(bytes);
    let fields = &entity.fields;
    let addresses = |names: &[&str]| {
        let mut out = Vec::new();
        for name in names {
            for value in header::all(fields, name) {
                out.extend(addresses::parse(value));
            }
        }
        out
    };
    let mut reading = Reading {
        from: addresses(&["from"]),
        to: addresses(&["to", "resent-to"]),
        cc: addresses(&["cc", "resent-cc"]),
        bcc: addresses(&["bcc", "resent-bcc"]),
        subject: header::all(fields, "subject")
            .next()
            .map(|raw| header::decode_words(charset::utf8_or_windows_1252(raw).trim()))
            .unwrap_or_default(),
        limits,
        ..Reading::default()
    };
    collect(&entity, "text/plain", &mut reading);
    reading
}

/// Walks the leaves in order: files to the list, the first plain text to the body, the
/// first HTML text to `html`.
/// `default_type` is what a part without `Content-Type` is: `message/rfc822` inside a
/// `multipart/digest` (RFC 2046 §5.1.5), else `text/plain`.
fn collect(entity: &Entity<'_>, default_type: &str, reading: &mut Reading) {
    if !entity.children.is_empty() {
        let digest = header::all(&entity.fields, "content-type")
            .next()
            .is_some_and(|raw| header::structured(raw).value == "multipart/digest");
        let inner = if digest {
            "message/rfc822"
        } else {
            "text/plain"
        };
        for child in &entity.children {
            collect(child, inner, reading);
        }
        return;
    }
    let types: Vec<header::Structured> = header::all(&entity.fields, "content-type")
        .map(header::structured)
        .collect();
    let dispositions: Vec<header::Structured> = header::all(&entity.fields, "content-disposition")
        .map(header::structured)
        .collect();
    let media_type = types
        .first()
        .map(|ct| ct.value.clone())
        .filter(|value| value.contains('/'))
        .or_else(|| (default_type != "text/plain").then(|| default_type.to_string()));
    let encoding = header::all(&entity.fields, "content-transfer-encoding")
        .next()
        .map(|raw| String::from_utf8_lossy(raw).trim().to_ascii_lowercase())
        .unwrap_or_default();
    let mut names = Vec::new();
    for (list, key) in [
        (&dispositions, "filename*"),
        (&dispositions, "filename"),
        (&types, "name*"),
        (&types, "name"),
    ] {
        for structured in list {
            if let Some(name) = structured.param(key) {
                let name = name.trim().to_string();
                if !name.is_empty() && !names.contains(&name) {
                    names.push(name);
                }
            }
        }
    }
    let attachment = dispositions.iter().any(|d| d.value == "attachment");
    let essence = media_type.as_deref().unwrap_or("text/plain");
    let textual = essence.starts_with("text/")
        || essence.starts_with("multipart/")
        || matches!(
            essence,
            "message/delivery-status" | "message/disposition-notification" | "message/partial"
        );
    if matches!(encoding.as_str(), "x-uuencode" | "uuencode" | "x-uue") {
        let blocks = decode::uudecode_all(entity.body);
        if blocks.is_empty() {
            // No `begin` line: still the part a client lists, under its own names.
            reading.files.push(File {
                names,
                media_type,
                content: entity.body.to_vec(),
            });
            return;
        }
        for file in blocks {
            let mut all = names.clone();
            if !all.contains(&file.name) {
                all.push(file.name);
            }
            reading.files.push(File {
                names: all,
                media_type: media_type.clone(),
                content: file.content,
            });
        }
        return;
    }
    let content = match encoding.as_str() {
        "base64" => decode::base64(entity.body),
        "quoted-printable" => decode::quoted_printable(entity.body, false),
        _ => entity.body.to_vec(),
    };
    if names.is_empty() && !attachment && textual {
        // Outlook Express wrote files into plain text as uuencode; Thunderbird still
        // lists them as attachments.
        for file in decode::uudecode_all(&content) {
            reading.files.push(File {
                names: vec![file.name],
                media_type: None,
                content: file.content,
            });
        }
        let label = || {
            types
                .first()
                .and_then(|ct| ct.param("charset"))
                .unwrap_or("utf-8")
                .to_string()
        };
        if reading.body.is_empty() && essence == "text/plain" {
            reading.body = charset::decode(&label(), &content);
        } else if reading.html.is_empty() && essence == "text/html" {
            reading.html = charset::decode(&label(), &content);
        }
        return;
    }
    reading.files.push(File {
        names,
        media_type,
        content,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(eml: &str) -> Vec<Vec<String>> {
        read(eml.as_bytes())
            .files
            .into_iter()
            .map(|f| f.names)
            .collect()
    }

    #[test]
    fn unclosed_inner_multipart_ends_with_its_part() {
        let eml = "Content-Type: multipart/mixed; boundary=OUT\r\n\r\n--OUT\r\n\
            Content-Type: multipart/alternative; boundary=IN\r\n\r\n--IN\r\n\
            Content-Type: text/plain\r\n\r\nhello\r\n--OUT\r\n\
            Content-Type: application/octet-stream; name=a.exe\r\n\r\nMZ\r\n--OUT--\r\n";
        let reading = read(eml.as_bytes());
        assert_eq!(reading.body, "hello");
        assert_eq!(reading.files.len(), 1);
        assert_eq!(reading.files[0].names, ["a.exe"]);
        assert_eq!(reading.files[0].content, b"MZ");
    }

    #[test]
    fn every_name_of_every_header() {
        let eml = "Content-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\n\
            Content-Type: application/pdf; name=c.pdf\r\n\
            Content-Type: application/pdf; name=d.scr\r\n\
            Content-Disposition: attachment; filename=b.pdf; filename*=utf-8''a.exe\r\n\
            Content-Disposition: attachment; filename=e.js\r\n\r\nx\r\n--B--\r\n";
        assert_eq!(names(eml), [["a.exe", "b.pdf", "e.js", "c.pdf", "d.scr"]]);
    }

    #[test]
    fn text_parts_with_a_name_are_files() {
        let eml = "Content-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\n\
            Content-Type: text/plain\r\n\r\nbody\r\n--B\r\n\
            Content-Disposition: inline; filename=run.bat\r\n\r\n@echo off\r\n--B\r\n\
            Content-Type: text/plain; name=update.hta\r\n\r\n<html>\r\n--B--\r\n";
        assert_eq!(names(eml), [["run.bat"], ["update.hta"]]);
    }

    #[test]
    fn folded_boundary_and_duplicate_content_type() {
        let eml = "Content-Type: text/plain\r\nContent-Type: multipart/mixed; boundary=\r\n \"B\"\r\n\r\n--B\r\n\
            Content-Type: application/x-msdownload; name=\"s.exe\"\r\n\
            Content-Transfer-Encoding: base64\r\n\r\nTV!qQ\r\nAA==\r\n--B--\r\n";
        let reading = read(eml.as_bytes());
        assert_eq!(reading.files.len(), 1);
        assert_eq!(reading.files[0].content, b"MZ\x90\x00");
    }

    #[test]
    fn uuencode_part_and_inline() {
        let eml = "Content-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\n\
            Content-Type: text/plain\r\n\r\nsee\r\nbegin 644 a.exe\r\n\"35H`\r\n`\r\nend\r\n--B\r\n\
            Content-Type: application/octet-stream; name=b.pdf\r\n\
            Content-Transfer-Encoding: x-uuencode\r\n\r\nbegin 600 b.scr\r\n\"35H`\r\nend\r\n--B--\r\n";
        let reading = read(eml.as_bytes());
        assert_eq!(reading.files.len(), 2);
        assert_eq!(reading.files[0].names, ["a.exe"]);
        assert_eq!(reading.files[1].names, ["b.pdf", "b.scr"]);
        assert_eq!(reading.files[1].content, b"MZ");
    }

    #[test]
    fn digest_parts_are_messages_and_empty_uuencode_is_a_file() {
        let eml = "Content-Type: multipart/digest; boundary=D\r\n\r\n--D\r\n\r\n\
            From: a@b.example\r\n\r\nhi\r\n--D\r\n\
            Content-Type: application/msword; name=a.doc\r\n\
            Content-Transfer-Encoding: x-uuencode\r\n\r\n\r\n--D--\r\n";
        let reading = read(eml.as_bytes());
        assert_eq!(reading.files.len(), 2);
        assert_eq!(
            reading.files[0].media_type.as_deref(),
            Some("message/rfc822")
        );
        assert_eq!(reading.files[1].names, ["a.doc"]);
    }

    #[test]
    fn repeated_and_resent_recipient_fields() {
        let eml = "To: a@x.example\r\nTo: b@y.example\r\nCc: c@z.example\r\n\
            Resent-To: d@w.example\r\nResent-Cc: e@v.example\r\nBcc: f@u.example\r\n\r\n";
        let reading = read(eml.as_bytes());
        assert_eq!(reading.to.len(), 3);
        assert_eq!(reading.cc.len(), 2);
        assert_eq!(reading.bcc.len(), 1);
    }

    #[test]
    fn nesting_and_part_budgets() {
        let mut eml = String::new();
        for level in 0..=MAX_DEPTH {
            eml.push_str(&format!(
                "Content-Type: multipart/mixed; boundary=b{level}\r\n\r\n--b{level}\r\n"
            ));
        }
        assert!(parse(eml.as_bytes()).1.too_deep);
        let mut many = String::from("Content-Type: multipart/mixed; boundary=b\r\n\r\n");
        for _ in 0..=MAX_PARTS {
            many.push_str("--b\r\n\r\nx\r\n");
        }
        assert!(parse(many.as_bytes()).1.too_many);
    }
}

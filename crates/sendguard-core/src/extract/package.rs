//! Office Open XML (Word, Excel, PowerPoint) and OpenDocument: zip packages whose
//! text lives in a few known XML parts. Word: `word/document.xml` with headers,
//! footers, notes and comments (`<w:t>` runs, `<w:p>` paragraphs, `<w:tc>` cells);
//! Excel: `xl/sharedStrings.xml` and each `xl/worksheets/sheetN.xml` (a cell's `<v>`
//! is an index into the shared strings when `t="s"`), one line per row, cells split by
//! tabs; PowerPoint: slides and notes (`<a:t>`, `<a:p>`); OpenDocument: `content.xml`
//! (`<text:p>`, `<text:h>`, table rows and cells).

use super::xml::{self, Dialect, Event};
use super::{Extraction, MAX_INFLATED, MAX_TEXT, Work};
use crate::draft::Reason;
use crate::zip;

/// Entries listed per package: real documents have dozens, not thousands.
const MAX_ENTRIES: usize = 4096;
/// Shared strings kept per workbook.
const MAX_SHARED_STRINGS: usize = 1 << 20;

const WORD: Dialect = Dialect {
    text: &[b"t"],
    line: &[b"p", b"tr"],
    cell: &[b"tc"],
    stands_for: &[(b"tab", "\t"), (b"br", "\n"), (b"cr", "\n")],
    skip: &[],
};

const DRAWING: Dialect = Dialect {
    text: &[b"t"],
    line: &[b"p", b"tr"],
    cell: &[b"tc"],
    stands_for: &[(b"br", "\n")],
    skip: &[],
};

const OPEN_DOCUMENT: Dialect = Dialect {
    text: &[b"p", b"h"],
    line: &[b"p", b"h", b"table-row"],
    cell: &[b"table-cell"],
    stands_for: &[(b"s", " "), (b"tab", "\t"), (b"line-break", "\n")],
    skip: &[b"annotation"],
};

/// What a part is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Role {
    SharedStrings,
    Word,
    Sheet,
    Drawing,
    OpenDocument,
}

fn role(name: &str) -> Option<Role> {
    let numbered = |prefix: &str| {
        name.strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix(".xml"))
            .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()))
    };
    match name {
        "xl/sharedStrings.xml" => Some(Role::SharedStrings),
        "word/document.xml" | "word/footnotes.xml" | "word/endnotes.xml" | "word/comments.xml" => {
            Some(Role::Word)
        }
        "content.xml" => Some(Role::OpenDocument),
        _ if numbered("word/header") || numbered("word/footer") => Some(Role::Word),
        _ if numbered("xl/worksheets/sheet") => Some(Role::Sheet),
        _ if numbered("ppt/slides/slide") || numbered("ppt/notesSlides/notesSlide") => {
            Some(Role::Drawing)
        }
        _ => None,
    }
}

/// The text of an OOXML or OpenDocument package.
pub(super) fn extract(content: &[u8], work: &mut Work) -> Extraction {
    let listing = zip::list(content, MAX_ENTRIES);
    let mut out = Extraction::default();
    if listing.truncated {
        out.note(Reason::Unreadable);
    }
    let mut parts: Vec<(Role, &zip::Entry)> = listing
        .entries
        .iter()
        .filter_map(|entry| Some((role(entry.names.first()?)?, entry)))
        .collect();
    if parts.is_empty() {
        // Not a document we know, or its main part was cut off.
        out.note(Reason::Unreadable);
        return out;
    }
    // Shared strings before the sheets that point into them; the rest in zip order.
    parts.sort_by_key(|(role, _)| *role != Role::SharedStrings);
    let mut inflated = 0usize;
    let mut shared: Vec<String> = Vec::new();
    for (role, entry) in parts {
        let room = MAX_INFLATED - inflated;
        let xml = match zip::read(content, entry, room) {
            Ok(xml) => xml,
            Err(zip::Unread::Encrypted) => {
                out.note(Reason::Encrypted);
                continue;
            }
            Err(_) => {
                out.note(Reason::Unreadable);
                continue;
            }
        };
        inflated += xml.len();
        if xml.len() >= room {
            out.note(Reason::TooLarge);
        }
        if !work.take(xml.len()) {
            out.note(Reason::Timeout);
            break;
        }
        let full = match role {
            Role::SharedStrings => {
                shared = shared_strings(&xml);
                false
            }
            Role::Word => xml::walk(&xml, &WORD, &mut out.text, MAX_TEXT).full,
            Role::Drawing => xml::walk(&xml, &DRAWING, &mut out.text, MAX_TEXT).full,
            Role::OpenDocument => xml::walk(&xml, &OPEN_DOCUMENT, &mut out.text, MAX_TEXT).full,
            Role::Sheet => sheet(&xml, &shared, &mut out.text, MAX_TEXT),
        };
        out.text.push('\n');
        if full {
            out.note(Reason::TooLarge);
            break;
        }
    }
    out
}

/// The workbook's shared strings, in order: each `<si>` is one string, its `<t>` runs
/// joined, phonetic guides (`<rPh>`) left out.
fn shared_strings(xml: &[u8]) -> Vec<String> {
    let mut strings = Vec::new();
    let mut current = String::new();
    let mut in_t = false;
    let mut in_phonetic = false;
    xml::events(xml, |event| {
        match event {
            Event::Start(b"si", _, empty) => {
                current.clear();
                if empty {
                    strings.push(String::new());
                }
            }
            Event::End(b"si") => strings.push(std::mem::take(&mut current)),
            Event::Start(b"t", _, false) => in_t = true,
            Event::End(b"t") => in_t = false,
            Event::Start(b"rPh", _, false) => in_phonetic = true,
            Event::End(b"rPh") => in_phonetic = false,
            Event::Text(data, cdata) if in_t && !in_phonetic => {
                if cdata {
                    current.push_str(&String::from_utf8_lossy(data));
                } else {
                    xml::append_character_data(data, &mut current);
                }
            }
            _ => {}
        }
        strings.len() < MAX_SHARED_STRINGS
    });
    strings
}

/// One worksheet as lines of tab-separated cells. Returns whether `out` is full.
fn sheet(xml: &[u8], shared: &[String], out: &mut String, limit: usize) -> bool {
    let mut shared_cell = false;
    let mut in_value = false;
    let mut value = String::new();
    let mut full = false;
    xml::events(xml, |event| {
        if out.len() >= limit {
            full = true;
            return false;
        }
        match event {
            Event::Start(b"c", tag, _) => {
                shared_cell = xml::attribute(tag, b"t") == Some(b"s");
            }
            Event::End(b"c") => out.push('\t'),
            Event::Start(b"v" | b"t", _, false) => {
                in_value = true;
                value.clear();
            }
            Event::End(b"v" | b"t") => {
                in_value = false;
                if shared_cell {
                    let index = value.trim().parse::<usize>().ok();
                    if let Some(text) = index.and_then(|i| shared.get(i)) {
                        out.push_str(text);
                    }
                } else {
                    out.push_str(&value);
                }
            }
            Event::End(b"row") => out.push('\n'),
            Event::Text(data, _) if in_value => xml::append_character_data(data, &mut value),
            _ => {}
        }
        true
    });
    full
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::zip::tests::stored_zip;

    /// A minimal Word document with one paragraph per line of `text`.
    pub(crate) fn docx(text: &str) -> Vec<u8> {
        let body: String = text
            .lines()
            .map(|line| {
                format!(
                    "<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
                    escape(line)
                )
            })
            .collect();
        let document = format!(
            "<?xml version=\"1.0\"?><w:document xmlns:w=\"x\"><w:body>{body}</w:body></w:document>"
        );
        stored_zip(&[
            ("[Content_Types].xml", b"<Types/>", false),
            ("word/document.xml", document.as_bytes(), false),
        ])
    }

    fn escape(text: &str) -> String {
        text.replace('&', "&amp;").replace('<', "&lt;")
    }

    fn text_of(zip: &[u8]) -> Extraction {
        extract(zip, &mut Work::default())
    }

    #[test]
    fn word_paragraphs_become_lines() {
        let got = text_of(&docx("Herr Max Müller\ngeb. 12.03.1980 & so"));
        assert_eq!(got.gap, None);
        assert_eq!(got.text, "Herr Max Müller\ngeb. 12.03.1980 & so\n\n");
    }

    #[test]
    fn sheets_resolve_shared_strings_row_by_row() {
        let strings = br#"<sst><si><t>Name</t></si><si><r><t>E-</t></r><r><t>Mail</t></r><rPh><t>x</t></rPh></si><si><t>a@b.example</t></si></sst>"#;
        let sheet = br#"<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row><row><c t="inlineStr"><is><t>Anna</t></is></c><c t="s"><v>2</v></c><c><v>42</v></c><c t="s"><v>99</v></c></row></sheetData></worksheet>"#;
        // The sheet comes first in the zip: shared strings are still read before it.
        let zip = stored_zip(&[
            ("xl/worksheets/sheet1.xml", sheet, false),
            ("xl/sharedStrings.xml", strings, false),
        ]);
        let got = text_of(&zip);
        assert_eq!(got.gap, None);
        assert_eq!(got.text, "\nName\tE-Mail\t\nAnna\ta@b.example\t42\t\t\n\n");
    }

    #[test]
    fn open_document_cells_and_paragraphs() {
        let content = br#"<office:document-content><office:body><office:text><text:h>Liste</text:h><text:p>Frau<text:s/>Anna <text:span>Weber</text:span></text:p><table:table><table:table-row><table:table-cell><text:p>a</text:p></table:table-cell><table:table-cell table:number-columns-repeated="1000"/></table:table-row></table:table></office:text></office:body></office:document-content>"#;
        let zip = stored_zip(&[
            (
                "mimetype",
                b"application/vnd.oasis.opendocument.text",
                false,
            ),
            ("content.xml", content, false),
        ]);
        let got = text_of(&zip);
        assert_eq!(got.gap, None);
        assert_eq!(got.text, "Liste\nFrau Anna Weber\na\t\t\n\n");
    }

    #[test]
    fn slides_and_gaps() {
        let slide = br#"<p:sld><a:p><a:r><a:t>Folie</a:t></a:r></a:p></p:sld>"#;
        let zip = stored_zip(&[
            ("ppt/slides/slide1.xml", slide, false),
            ("ppt/slides/slide2.xml", slide, true),
        ]);
        let got = text_of(&zip);
        assert_eq!(got.text, "Folie\n\n");
        assert_eq!(got.gap, Some(Reason::Encrypted));
        // A package without any text part, and a cut one.
        let empty = stored_zip(&[("other.xml", b"<x/>", false)]);
        assert_eq!(text_of(&empty).gap, Some(Reason::Unreadable));
        let doc = docx("Hallo");
        let cut = &doc[..doc.len() - 30];
        let got = text_of(cut);
        assert_eq!(got.gap, Some(Reason::Unreadable));
        assert!(got.text.contains("Hallo"));
    }

    #[test]
    fn a_shared_string_repeated_a_million_times_stops_at_the_text_limit() {
        let strings = format!("<sst><si><t>{}</t></si></sst>", "x".repeat(10_000));
        let mut sheet = String::from("<worksheet><sheetData><row>");
        for _ in 0..1000 {
            sheet.push_str("<c t=\"s\"><v>0</v></c>");
        }
        sheet.push_str("</row></sheetData></worksheet>");
        let mut out = String::new();
        let shared = shared_strings(strings.as_bytes());
        assert!(sheet_is_full(&sheet, &shared, &mut out));
        assert!(out.len() < 1_000_000 + 10_001);
    }

    fn sheet_is_full(xml: &str, shared: &[String], out: &mut String) -> bool {
        super::sheet(xml.as_bytes(), shared, out, 1_000_000)
    }

    /// Many directory entries that all point at one large stored part: each read is
    /// paid from the document's inflate budget, so it stops.
    #[test]
    fn shared_local_entries_stop_at_the_budget() {
        let part = vec![b'x'; 1 << 20];
        let one = stored_zip(&[("word/document.xml", &part, false)]);
        let local_end = 30 + "word/document.xml".len() + part.len();
        let central = one[local_end..one.len() - 22].to_vec();
        let mut zip = one[..local_end].to_vec();
        let directory_at = u32::try_from(zip.len()).unwrap_or(0);
        let copies: u16 = 200;
        for _ in 0..copies {
            zip.extend_from_slice(&central);
        }
        let size = u32::try_from(central.len() * usize::from(copies)).unwrap_or(0);
        zip.extend_from_slice(&[0x50, 0x4b, 5, 6, 0, 0, 0, 0]);
        zip.extend_from_slice(&copies.to_le_bytes());
        zip.extend_from_slice(&copies.to_le_bytes());
        zip.extend_from_slice(&size.to_le_bytes());
        zip.extend_from_slice(&directory_at.to_le_bytes());
        zip.extend_from_slice(&[0, 0]);
        let got = text_of(&zip);
        assert_eq!(got.gap, Some(Reason::TooLarge));
        assert!(got.text.len() <= MAX_INFLATED + 200);
    }
}

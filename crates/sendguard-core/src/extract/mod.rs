//! Text from the documents a recipient opens: Word, Excel and PowerPoint files
//! (OOXML: a zip of XML parts), OpenDocument text, spreadsheets and presentations
//! (ODF: `content.xml`), and PDF (the text-showing operators of its content streams).
//! The personal-data scan reads the text; this module only turns bytes into it.
//!
//! Every extraction runs within budgets that count bytes, never the clock (a clock
//! is not the same in wasm and would make results depend on the machine):
//! [`MAX_TEXT`] of text and [`MAX_INFLATED`] of decompressed parts per document, and
//! a per-draft [`Work`] budget of bytes walked. What could not be read — encrypted
//! (a password-protected Office file is a CFB container with an `EncryptedPackage`
//! stream; a PDF with `/Encrypt`; encrypted zip entries), cut short, over a budget,
//! broken or in a format not read (legacy `.doc`/`.xls`/`.ppt`, `.xlsb`) — comes back
//! as a [`Reason`] next to whatever text was read, and the scan reports it as not
//! inspected.

mod package;
mod pdf;
mod xml;

use crate::draft::Reason;

/// Text kept per document; more is cut and reported as too large.
pub(crate) const MAX_TEXT: usize = 8 * 1024 * 1024;
/// Decompressed bytes per document (all its parts or streams together): a zip bomb
/// inside a document stops here.
pub(crate) const MAX_INFLATED: usize = 48 * 1024 * 1024;
/// Bytes walked (read, inflated or parsed) per draft, all documents together: the
/// stand-in for a time limit. At the native speeds in the crate README this is well
/// under a second; running out is reported as `timeout`.
pub(crate) const MAX_WORK: usize = 256 * 1024 * 1024;

/// What is left of the draft's work budget.
#[derive(Debug)]
pub(crate) struct Work {
    left: usize,
}

impl Default for Work {
    fn default() -> Self {
        Work { left: MAX_WORK }
    }
}

impl Work {
    /// Takes `bytes` from the budget; false (and nothing taken) when they do not fit.
    fn take(&mut self, bytes: usize) -> bool {
        if bytes > self.left {
            self.left = 0;
            false
        } else {
            self.left -= bytes;
            true
        }
    }
}

/// A document format whose text is extracted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// Word, Excel or PowerPoint (OOXML), or OpenDocument: a zip of XML parts.
    Package,
    /// PDF.
    Pdf,
    /// A Compound File (CFB): a password-protected OOXML file, or a legacy binary
    /// Office file that is not read.
    Compound,
    /// Excel's binary workbook (`.xlsb`): a zip, but of binary records; not read.
    BinaryWorkbook,
}

/// What came out of one document.
#[derive(Debug, Default)]
pub(crate) struct Extraction {
    /// The text read (possibly partial).
    pub(crate) text: String,
    /// Why not all of it was read, if so.
    pub(crate) gap: Option<Reason>,
}

impl Extraction {
    fn failed(reason: Reason) -> Self {
        Extraction {
            text: String::new(),
            gap: Some(reason),
        }
    }

    /// Records a reason; the first one stays (it is usually the cause of the rest).
    fn note(&mut self, reason: Reason) {
        if self.gap.is_none() {
            self.gap = Some(reason);
        }
    }
}

const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

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

/// Office and OpenDocument endings whose text is extracted.
const PACKAGE_ENDINGS: &[&str] = &[
    ".docx", ".docm", ".dotx", ".dotm", ".xlsx", ".xlsm", ".xltx", ".xltm", ".pptx", ".pptm",
    ".potx", ".potm", ".ppsx", ".ppsm", ".odt", ".ott", ".ods", ".ots", ".odp", ".otp",
];
/// Endings of the binary Office formats (Compound Files).
const COMPOUND_ENDINGS: &[&str] = &[
    ".doc", ".dot", ".xls", ".xlt", ".ppt", ".pps", ".pot", ".docx", ".docm", ".xlsx", ".xlsm",
    ".pptx", ".pptm",
];

/// The format whose text [`extract`] reads, by content first (a PDF is a PDF whatever
/// its name), then by name for the zip and CFB containers (a `.zip` is an archive,
/// which [`crate::files`] expands instead).
pub(crate) fn format_of(names: &[String], content: &[u8]) -> Option<Format> {
    let head = &content[..content.len().min(1024)];
    if xml::find(head, b"%PDF-").is_some() {
        return Some(Format::Pdf);
    }
    if crate::zip::looks_like_zip(content) {
        if ends_with_any(names, &[".xlsb"]) {
            return Some(Format::BinaryWorkbook);
        }
        return ends_with_any(names, PACKAGE_ENDINGS).then_some(Format::Package);
    }
    if content.starts_with(CFB_MAGIC) && ends_with_any(names, COMPOUND_ENDINGS) {
        return Some(Format::Compound);
    }
    None
}

/// Whether an archive entry should be read whole (it is a document to extract).
pub(crate) fn wants_whole(names: &[String], head: &[u8]) -> bool {
    matches!(format_of(names, head), Some(Format::Package | Format::Pdf))
}

/// The text of a document. `cut_short`: the content is only a prefix of the file
/// (the add-ins send at most 1 MB of each), so what is missing is reported as too
/// large even when what was read parsed fine.
pub(crate) fn extract(
    format: Format,
    content: &[u8],
    cut_short: bool,
    work: &mut Work,
) -> Extraction {
    if !work.take(content.len()) {
        return Extraction::failed(Reason::Timeout);
    }
    let mut extraction = match format {
        Format::Package => package::extract(content, work),
        Format::Pdf => pdf::extract(content, work),
        Format::Compound => Extraction::failed(compound(content)),
        Format::BinaryWorkbook => Extraction::failed(Reason::Unreadable),
    };
    if cut_short {
        // The reason for a gap in a prefix is the cut, not what the cut broke.
        extraction.gap = Some(match extraction.gap {
            Some(Reason::Encrypted) => Reason::Encrypted,
            _ => Reason::TooLarge,
        });
    }
    extraction
}

/// A Compound File named like an Office file: encrypted when it holds the
/// `EncryptedPackage` stream (how Office stores a password-protected OOXML file),
/// else a legacy binary document, which is not read.
fn compound(content: &[u8]) -> Reason {
    let name: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    if xml::find(content, &name).is_some() {
        Reason::Encrypted
    } else {
        Reason::Unreadable
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn names(name: &str) -> Vec<String> {
        vec![name.to_string()]
    }

    #[test]
    fn formats_by_content_then_name() {
        let zip = crate::zip::tests::stored_zip(&[("a.txt", b"x", false)]);
        assert_eq!(format_of(&names("a.docx"), &zip), Some(Format::Package));
        assert_eq!(format_of(&names("a.zip"), &zip), None);
        assert_eq!(
            format_of(&names("a.xlsb"), &zip),
            Some(Format::BinaryWorkbook)
        );
        assert_eq!(
            format_of(&names("scan.bin"), b"%PDF-1.7\n"),
            Some(Format::Pdf)
        );
        assert_eq!(
            format_of(&names("a.doc"), CFB_MAGIC),
            Some(Format::Compound)
        );
        assert_eq!(format_of(&names("a.msg"), CFB_MAGIC), None);
        assert_eq!(format_of(&names("a.txt"), b"hello"), None);
    }

    #[test]
    fn compound_files_are_encrypted_or_unread() {
        let mut encrypted = CFB_MAGIC.to_vec();
        encrypted.extend([0; 100]);
        encrypted.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
        let mut work = Work::default();
        let got = extract(Format::Compound, &encrypted, false, &mut work);
        assert_eq!(got.gap, Some(Reason::Encrypted));
        let got = extract(Format::Compound, CFB_MAGIC, false, &mut work);
        assert_eq!(got.gap, Some(Reason::Unreadable));
        // Cut short and encrypted stays encrypted.
        let got = extract(Format::Compound, &encrypted, true, &mut work);
        assert_eq!(got.gap, Some(Reason::Encrypted));
    }

    #[test]
    fn work_budget_runs_out() {
        let mut work = Work { left: 10 };
        let got = extract(Format::Pdf, b"%PDF-1.4 and more than ten", false, &mut work);
        assert_eq!(got.gap, Some(Reason::Timeout));
    }

    /// The scan of a draft with these attachments (name, content, declared size).
    fn scan(attachments: &[(&str, Vec<u8>, u64)]) -> crate::personal_data::Scan {
        let draft = crate::draft::Draft {
            from: Some(crate::address::Address::new("me@corp.example")),
            attachments: attachments
                .iter()
                .map(|(name, content, size)| crate::draft::Attachment {
                    name: (*name).to_string(),
                    size: *size,
                    content: Some(content.clone()),
                    ..crate::draft::Attachment::default()
                })
                .collect(),
            ..crate::draft::Draft::default()
        };
        let files = crate::files::expand(&draft);
        let mut scan =
            crate::personal_data::scan(&draft, &files, &crate::policy::Policy::default());
        scan.gaps
            .extend(files.gaps.iter().map(crate::files::Gap::not_inspected));
        scan
    }

    fn member_list(n: usize) -> String {
        (0..n)
            .map(|i| format!("Person {i}\tperson{i}@mail.example\n"))
            .collect()
    }

    fn gaps(scan: &crate::personal_data::Scan) -> Vec<(String, Reason)> {
        scan.gaps
            .iter()
            .map(|gap| (gap.name.clone().unwrap_or_default(), gap.reason))
            .collect()
    }

    #[test]
    fn documents_in_attachments_and_archives_are_scanned() {
        let docx = package::tests::docx(&member_list(12));
        let pdf = pdf::tests::pdf(&member_list(11), true);
        let zip = crate::zip::tests::stored_zip(&[
            ("liste.docx", &docx, false),
            ("geheim.pdf", b"%PDF-1.4 encrypted", true),
        ]);
        let found = scan(&[
            ("mitglieder.pdf", pdf.clone(), pdf.len() as u64),
            ("archiv.zip", zip.clone(), zip.len() as u64),
        ]);
        let lists: Vec<(String, usize)> = found
            .lists
            .iter()
            .map(|list| (format!("{:?}", list.location), list.people))
            .collect();
        assert_eq!(
            lists,
            [
                ("File(\"mitglieder.pdf\")".to_string(), 11),
                ("File(\"archiv.zip › liste.docx\")".to_string(), 12)
            ]
        );
        assert_eq!(
            gaps(&found),
            [("archiv.zip".to_string(), Reason::Encrypted)]
        );
    }

    #[test]
    fn cut_encrypted_legacy_and_bombs_are_not_inspected() {
        let docx = package::tests::docx(&member_list(40));
        let prefix = docx[..docx.len() / 2].to_vec();
        let mut cfb = CFB_MAGIC.to_vec();
        cfb.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
        let encrypted_pdf = b"%PDF-1.7\ntrailer << /Root 1 0 R /Encrypt 5 0 R >>".to_vec();
        let found = scan(&[
            ("liste.docx", prefix, docx.len() as u64),
            ("gehalt.xlsx", cfb.clone(), cfb.len() as u64),
            ("alt.doc", CFB_MAGIC.to_vec(), 8),
            ("befund.pdf", encrypted_pdf, 52),
        ]);
        assert_eq!(
            gaps(&found),
            [
                ("liste.docx".to_string(), Reason::TooLarge),
                ("gehalt.xlsx".to_string(), Reason::Encrypted),
                ("alt.doc".to_string(), Reason::Unreadable),
                ("befund.pdf".to_string(), Reason::Encrypted),
            ]
        );
        // What the prefix held is still scanned.
        assert!(found.lists.iter().any(|list| list.people >= 10));
    }

    #[test]
    fn a_zip_bomb_is_not_inflated() {
        let zeros = vec![b'0'; 8 * 1024 * 1024];
        let deflated = miniz_oxide::deflate::compress_to_vec(&zeros, 9);
        let mut zip = crate::zip::tests::stored_zip(&[("bomb.csv", &deflated, false)]);
        // Patch the method to deflate and the uncompressed size (local and central).
        zip[8] = 8;
        let central = 30 + 8 + deflated.len();
        zip[central + 10] = 8;
        let size = u32::try_from(zeros.len()).unwrap_or(0).to_le_bytes();
        zip[22..26].copy_from_slice(&size);
        zip[central + 24..central + 28].copy_from_slice(&size);
        let found = scan(&[("bomb.zip", zip.clone(), zip.len() as u64)]);
        assert_eq!(
            gaps(&found),
            [
                ("bomb.zip › bomb.csv".to_string(), Reason::TooLarge),
                ("bomb.zip".to_string(), Reason::TooLarge)
            ]
        );
        assert!(found.scanned <= crate::files::SNIFF_BYTES);
    }

    /// The fuzz seeds are written by the corpus's Python writers
    /// (`tests/personal-data/documents.py`, with `zipfile` and `zlib`): a second author
    /// of each format.
    #[test]
    fn documents_written_by_python_read_back() {
        let dir = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../fuzz/seeds/attachment_files"
        );
        let cases: [(&str, Format, &str, Option<Reason>); 7] = [
            (
                "docx-member-list",
                Format::Package,
                "Anna Weber\tanna@x.example\t",
                None,
            ),
            (
                "xlsx-member-list",
                Format::Package,
                "Name\tE-Mail\tTelefon\tGeburtsdatum\t\n",
                None,
            ),
            (
                "odt-medical-letter",
                Format::Package,
                "Diagnose: F32.1  G",
                None,
            ),
            ("pdf-flate", Format::Pdf, "Herr Max Müller\nIBAN DE89", None),
            (
                "pdf-to-unicode",
                Format::Pdf,
                "Geburtsdatum 01.02.1990",
                None,
            ),
            ("pdf-encrypted", Format::Pdf, "", Some(Reason::Encrypted)),
            (
                "docx-cut",
                Format::Package,
                "x\nx\n",
                Some(Reason::Unreadable),
            ),
        ];
        for (name, format, text, gap) in cases {
            let bytes = std::fs::read(format!("{dir}/{name}")).unwrap_or_default();
            let content = bytes.get(1..).unwrap_or_default();
            let got = extract(format, content, false, &mut Work::default());
            assert!(got.text.contains(text), "{name}: {:?}", got.text);
            assert_eq!(got.gap, gap, "{name}");
        }
    }
}

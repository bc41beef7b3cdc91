//! The files a recipient can open: the draft's attachments, and inside them forwarded
//! messages (`message/rfc822`, `.eml`, also as a JSON draft's attachment, which is what
//! Thunderbird's "forward as attachment" produces), zip archives (nested ones too) and
//! `winmail.dat` (TNEF), each with every name it carries.
//!
//! The attachment rules iterate this flat list, so a program three containers deep is
//! judged like one attached directly; its place (`forward.eml › tools.zip › setup.exe`)
//! says where it is. What could not be looked into (an encrypted or damaged archive,
//! content cut short, nesting or counts beyond the budget) becomes a [`Gap`], which the
//! `content-not-inspected` rule reports: never a silent skip.

use std::borrow::Cow;

use crate::draft::{Draft, NotInspected, Part, Reason};
use crate::{mime, tnef, zip};

/// Containers inside containers: deeper ones are listed but not opened.
pub(crate) const MAX_NESTING: usize = 8;
/// Files listed per draft, all containers together.
pub(crate) const MAX_FILES: usize = 10_000;
/// Bytes decompressed per draft, all archives together (a zip bomb stops here).
pub(crate) const MAX_INFLATED: usize = 64 * 1024 * 1024;
/// Entries larger than [`MAX_RATIO_FROM`] that claim to inflate more than this many
/// times their compressed size are not inflated (reported as too large): deflate
/// reaches ~1,030:1 only on runs of one byte, real text and XML 5–50:1.
pub(crate) const MAX_RATIO: u64 = 250;
/// See [`MAX_RATIO`]: small entries are cheap whatever their ratio.
pub(crate) const MAX_RATIO_FROM: u64 = 1024 * 1024;
/// Bytes of each archive entry read to recognise its type.
pub(crate) const SNIFF_BYTES: usize = 4096;

/// Formats that are zip archives inside but documents to the recipient: Office, OpenDocument,
/// e-books. Clients show them as one file and nobody unpacks them, so they are not
/// expanded (their macro content is another rule's business). Packages that are
/// programs (`.jar`, `.apk`, `.msix`, …) are dangerous types by name already.
const ZIP_DOCUMENTS: &[&str] = &[
    ".docx", ".docm", ".dotx", ".dotm", ".xlsx", ".xlsm", ".xltx", ".xltm", ".xlsb", ".pptx",
    ".pptm", ".potx", ".potm", ".ppsx", ".ppsm", ".vsdx", ".odt", ".ods", ".odp", ".odg", ".epub",
];

/// Separates the containers in a file's place.
pub(crate) const PLACE_SEPARATOR: &str = " › ";

/// One file a recipient can open.
#[derive(Debug, Clone)]
pub(crate) struct File<'a> {
    /// Every name it carries, the shown one first; never empty.
    pub(crate) names: Vec<String>,
    /// Where it is: its own name for an attachment, else the containers' names and its
    /// own, joined by [`PLACE_SEPARATOR`].
    pub(crate) place: String,
    pub(crate) media_type: Option<String>,
    /// Its content, or the first bytes of it (archive entries are sniffed, not copied).
    pub(crate) content: Option<Cow<'a, [u8]>>,
    /// Its size as declared (the attachment's size, an archive entry's uncompressed
    /// size): more than the content's length when only a prefix was read.
    pub(crate) size: u64,
}

/// Something that could not be looked into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Gap {
    /// The place of the container concerned.
    pub(crate) place: String,
    pub(crate) reason: Reason,
}

/// The expanded list and what could not be expanded.
#[derive(Debug, Default)]
pub(crate) struct Files<'a> {
    pub(crate) files: Vec<File<'a>>,
    pub(crate) gaps: Vec<Gap>,
}

/// One file a recipient can open, as the attachment rules see it: for tools and tests
/// that want to know what the checker looked at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedFile {
    /// Where it is: `forward.eml › tools.zip › setup.exe`, or the attachment's name.
    pub place: String,
    /// Every name it carries, the one clients show first. A part without any name is
    /// listed as `attachment-N`.
    pub names: Vec<String>,
}

/// Every file of a draft that the attachment rules check, forwarded messages, archives
/// and `winmail.dat` expanded, and the places that could not be looked into.
///
/// ```
/// use sendguard_core::{Draft, list_files};
///
/// let eml = b"To: a@b.example\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\n\
///     Content-Type: text/plain; name=run.bat\r\n\r\n@echo off\r\n--B--\r\n";
/// let draft = Draft::from_eml(eml).unwrap();
/// let (files, not_opened) = list_files(&draft);
/// assert_eq!(files[0].names, ["run.bat"]);
/// assert!(not_opened.is_empty());
/// ```
pub fn list_files(draft: &Draft) -> (Vec<ListedFile>, Vec<String>) {
    let expanded = expand(draft);
    let files = expanded
        .files
        .into_iter()
        .map(|file| ListedFile {
            place: file.place,
            names: file.names,
        })
        .collect();
    let gaps = expanded.gaps.into_iter().map(|gap| gap.place).collect();
    (files, gaps)
}

impl Gap {
    /// The gap as the draft's `not_inspected` entries say it.
    pub(crate) fn not_inspected(&self) -> NotInspected {
        NotInspected {
            part: Part::Attachment,
            name: Some(self.place.clone()),
            reason: self.reason,
        }
    }
}

struct Budget {
    inflated: usize,
}

/// Expands the draft's attachments.
pub(crate) fn expand(draft: &Draft) -> Files<'_> {
    let mut out = Files::default();
    let mut budget = Budget { inflated: 0 };
    for attachment in &draft.attachments {
        let mut names = vec![attachment.name.clone()];
        for other in &attachment.other_names {
            if !names.contains(other) {
                names.push(other.clone());
            }
        }
        let file = File {
            names,
            place: attachment.name.clone(),
            media_type: attachment.media_type.clone(),
            content: attachment.content.as_deref().map(Cow::Borrowed),
            size: attachment.size,
        };
        let declared = attachment.size;
        visit(file, declared, 0, &mut budget, &mut out);
    }
    out
}

fn gap(out: &mut Files<'_>, place: &str, reason: Reason) {
    let gap = Gap {
        place: place.to_string(),
        reason,
    };
    if !out.gaps.contains(&gap) {
        out.gaps.push(gap);
    }
}

fn ends_with(names: &[String], suffix: &str) -> bool {
    names.iter().any(|name| {
        let name = name.trim_end_matches(|c: char| c == '.' || c.is_whitespace());
        name.len() >= suffix.len()
            && name.is_char_boundary(name.len() - suffix.len())
            && name[name.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
    })
}

/// Adds a file and, when it is a container, what is inside it.
fn visit<'a>(
    file: File<'a>,
    declared_size: u64,
    depth: usize,
    budget: &mut Budget,
    out: &mut Files<'a>,
) {
    if out.files.len() >= MAX_FILES {
        gap(out, &file.place, Reason::TooMany);
        return;
    }
    let place = file.place.clone();
    let names = file.names.clone();
    let media_type = file
        .media_type
        .clone()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let content = file.content.clone();
    out.files.push(file);
    let Some(content) = content else {
        return;
    };
    let message = matches!(media_type.as_str(), "message/rfc822" | "message/global")
        || ends_with(&names, ".eml");
    let archive = zip::looks_like_zip(&content)
        && !names.iter().all(|name| {
            ZIP_DOCUMENTS
                .iter()
                .any(|ending| ends_with(std::slice::from_ref(name), ending))
        });
    let winmail = tnef::looks_like_tnef(&content);
    if !(message || archive || winmail) {
        // Named or declared as an archive, but not one: say so, it was not checked.
        if ends_with(&names, ".zip") && !content.is_empty() {
            gap(out, &place, Reason::Unreadable);
        }
        return;
    }
    if depth >= MAX_NESTING {
        gap(out, &place, Reason::TooDeep);
        return;
    }
    let cut_short = u64::try_from(content.len()).is_ok_and(|len| len < declared_size);
    if archive {
        expand_zip(&content, &place, cut_short, depth, budget, out);
    } else if winmail {
        expand_tnef(&content, &place, depth, budget, out);
    } else {
        expand_message(&content, &place, depth, budget, out);
    }
}

fn child<'a>(
    parent: &str,
    names: Vec<String>,
    index: usize,
    media_type: Option<String>,
    content: Vec<u8>,
    size: u64,
) -> File<'a> {
    let names = if names.is_empty() {
        vec![format!("attachment-{}", index + 1)]
    } else {
        names
    };
    File {
        place: format!("{parent}{PLACE_SEPARATOR}{}", names[0]),
        names,
        media_type,
        content: Some(Cow::Owned(content)),
        size,
    }
}

fn expand_message(
    content: &[u8],
    place: &str,
    depth: usize,
    budget: &mut Budget,
    out: &mut Files<'_>,
) {
    let reading = mime::read(content);
    if reading.limits.too_deep {
        gap(out, place, Reason::TooDeep);
    }
    if reading.limits.too_many {
        gap(out, place, Reason::TooMany);
    }
    for (index, file) in reading.files.into_iter().enumerate() {
        let size = file.content.len() as u64;
        let inner = child(
            place,
            file.names,
            index,
            file.media_type,
            file.content,
            size,
        );
        visit(inner, size, depth + 1, budget, out);
    }
}

fn expand_tnef(
    content: &[u8],
    place: &str,
    depth: usize,
    budget: &mut Budget,
    out: &mut Files<'_>,
) {
    let Some((files, broken)) = tnef::files(content, MAX_FILES) else {
        return;
    };
    if broken {
        gap(out, place, Reason::Unreadable);
    }
    for (index, file) in files.into_iter().enumerate() {
        let size = file.content.len() as u64;
        let inner = child(place, file.names, index, None, file.content, size);
        visit(inner, size, depth + 1, budget, out);
    }
}

fn expand_zip(
    content: &[u8],
    place: &str,
    cut_short: bool,
    depth: usize,
    budget: &mut Budget,
    out: &mut Files<'_>,
) {
    let listing = zip::list(content, MAX_FILES.saturating_sub(out.files.len()));
    if listing.truncated {
        let reason = if cut_short {
            Reason::TooLarge
        } else if out.files.len() + listing.entries.len() >= MAX_FILES {
            Reason::TooMany
        } else {
            Reason::Unreadable
        };
        gap(out, place, reason);
    }
    for (index, entry) in listing.entries.iter().enumerate() {
        if entry.names.iter().all(|name| name.ends_with('/')) {
            continue; // a folder
        }
        let sniffed = match zip::read(content, entry, SNIFF_BYTES) {
            Ok(bytes) => bytes,
            Err(unread) => {
                let reason = match unread {
                    zip::Unread::Encrypted => Reason::Encrypted,
                    zip::Unread::Unsupported => Reason::Unsupported,
                    zip::Unread::Unreadable if cut_short => Reason::TooLarge,
                    zip::Unread::Unreadable => Reason::Unreadable,
                };
                gap(out, place, reason);
                Vec::new()
            }
        };
        // Containers are opened, and text files read whole for the personal-data scan.
        let container = zip::looks_like_zip(&sniffed)
            || tnef::looks_like_tnef(&sniffed)
            || ends_with(&entry.names, ".eml")
            || crate::personal_data::is_text_name(&entry.names)
            || crate::extract::wants_whole(&entry.names, &sniffed);
        let whole = usize::try_from(entry.size).unwrap_or(usize::MAX);
        let bomb =
            entry.size > MAX_RATIO_FROM && entry.size / entry.compressed_size.max(1) > MAX_RATIO;
        let bytes = if container && whole > sniffed.len() {
            if bomb || budget.inflated.saturating_add(whole) > MAX_INFLATED {
                gap(out, place, Reason::TooLarge);
                sniffed
            } else {
                budget.inflated += whole;
                zip::read(content, entry, whole).unwrap_or(sniffed)
            }
        } else {
            sniffed
        };
        let media_type = ends_with(&entry.names, ".eml").then(|| "message/rfc822".to_string());
        let inner = child(
            place,
            entry.names.clone(),
            index,
            media_type,
            bytes,
            entry.size,
        );
        visit(inner, entry.size, depth + 1, budget, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::Attachment;

    fn draft(name: &str, media_type: Option<&str>, content: &[u8]) -> Draft {
        Draft {
            attachments: vec![Attachment {
                name: name.to_string(),
                media_type: media_type.map(str::to_string),
                size: content.len() as u64,
                content: Some(content.to_vec()),
                ..Attachment::default()
            }],
            ..Draft::default()
        }
    }

    fn places(files: &Files<'_>) -> Vec<String> {
        files.files.iter().map(|f| f.place.clone()).collect()
    }

    #[test]
    fn forwarded_message_with_zip_inside() {
        let zip = zip::tests::stored_zip(&[("setup.exe", b"MZ", false)]);
        let encoded = base64_lines(&zip);
        let eml = format!(
            "Subject: fw\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\n\
             Content-Type: application/zip; name=tools.zip\r\n\
             Content-Transfer-Encoding: base64\r\n\r\n{encoded}\r\n--B--\r\n"
        );
        let draft = draft("forward.eml", Some("message/rfc822"), eml.as_bytes());
        let files = expand(&draft);
        assert_eq!(
            places(&files),
            [
                "forward.eml",
                "forward.eml › tools.zip",
                "forward.eml › tools.zip › setup.exe"
            ]
        );
        assert_eq!(files.files[2].content.as_deref(), Some(&b"MZ"[..]));
        assert!(files.gaps.is_empty());
    }

    fn base64_lines(bytes: &[u8]) -> String {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(bytes)
    }

    #[test]
    fn nested_zips_encrypted_and_cut_short() {
        let inner = zip::tests::stored_zip(&[("a.js", b"x", false)]);
        let outer =
            zip::tests::stored_zip(&[("inner.zip", &inner, false), ("secret.doc", b"x", true)]);
        let whole = draft("outer.zip", None, &outer);
        let files = expand(&whole);
        assert_eq!(
            places(&files),
            [
                "outer.zip",
                "outer.zip › inner.zip",
                "outer.zip › inner.zip › a.js",
                "outer.zip › secret.doc"
            ]
        );
        assert_eq!(
            files.gaps,
            [Gap {
                place: "outer.zip".into(),
                reason: Reason::Encrypted
            }]
        );
        let mut cut = draft("outer.zip", None, &outer[..40]);
        cut.attachments[0].size = outer.len() as u64;
        let files = expand(&cut);
        assert_eq!(files.gaps[0].reason, Reason::TooLarge);
    }

    #[test]
    fn nesting_budget() {
        let mut bytes = zip::tests::stored_zip(&[("x.exe", b"MZ", false)]);
        for _ in 0..=MAX_NESTING {
            bytes = zip::tests::stored_zip(&[("n.zip", &bytes, false)]);
        }
        let nested = draft("n.zip", None, &bytes);
        let files = expand(&nested);
        assert!(files.gaps.iter().any(|g| g.reason == Reason::TooDeep));
    }

    #[test]
    fn winmail_dat() {
        let stream = tnef::tests::winmail("A.EXE", "a.pdf.exe", b"MZ");
        let winmail = draft("winmail.dat", Some("application/ms-tnef"), &stream);
        let files = expand(&winmail);
        assert_eq!(files.files[1].names, ["a.pdf.exe", "A.EXE"]);
        assert_eq!(files.files[1].place, "winmail.dat › a.pdf.exe");
    }
}

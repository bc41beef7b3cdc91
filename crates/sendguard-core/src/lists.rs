//! The domain lists and file-type tables the rules walk. Data, not branches: each list
//! is a vendored text file (see `data/SOURCES.md`) or a table below.

use crate::domain::DomainName;
use crate::table::{ReversedSet, SortedLines};

/// Private freemail and consumer-ISP domains: the curated core list (DACH providers
/// first) plus the larger community list, merged and sorted by `build.rs`.
const FREEMAIL: ReversedSet =
    ReversedSet(include_bytes!(concat!(env!("OUT_DIR"), "/freemail.bin")));

/// Throwaway mail domains, sorted by `build.rs`.
const DISPOSABLE: ReversedSet =
    ReversedSet(include_bytes!(concat!(env!("OUT_DIR"), "/disposable.bin")));

/// Whether `domain` (or a parent of it) is a known freemail or consumer-ISP domain.
pub(crate) fn is_freemail(domain: &DomainName) -> bool {
    listed(FREEMAIL, domain)
}

/// Whether `domain` (or a parent of it) is a known throwaway mail domain.
pub(crate) fn is_disposable(domain: &DomainName) -> bool {
    listed(DISPOSABLE, domain)
}

/// The domain or a parent with at least two labels is in `list` (no list holds a bare
/// top-level domain, so those lookups are skipped).
fn listed(list: ReversedSet, domain: &DomainName) -> bool {
    domain
        .self_and_parents()
        .take_while(|d| d.contains('.'))
        .any(|d| list.contains(d))
}

/// File endings that run code when opened on a common desktop: the union of the
/// types Outlook and Gmail block (vendored with their sources, see `data/SOURCES.md`)
/// and sendguard's list of macOS and Linux launchers. Merged and sorted by `build.rs`.
const DANGEROUS_TYPES: SortedLines = SortedLines(include_str!(concat!(
    env!("OUT_DIR"),
    "/dangerous_types.txt"
)));

/// Office formats that carry macros (`docm`, `xlsm`, …), sorted by `build.rs`.
const MACRO_TYPES: SortedLines =
    SortedLines(include_str!(concat!(env!("OUT_DIR"), "/macro_types.txt")));

/// Whether a lower-case ending (without the dot) runs code when opened.
pub(crate) fn is_dangerous_type(extension: &str) -> bool {
    DANGEROUS_TYPES.contains(extension)
}

/// Whether a lower-case ending (without the dot) is a macro-enabled Office format.
pub(crate) fn is_macro_type(extension: &str) -> bool {
    MACRO_TYPES.contains(extension)
}

/// Media types that declare executable content, whatever the file is called.
pub(crate) const DANGEROUS_MEDIA_TYPES: &[&str] = &[
    "application/hta",
    "application/java-archive",
    "application/vnd.microsoft.portable-executable",
    "application/x-bat",
    "application/x-dosexec",
    "application/x-executable",
    "application/x-ms-installer",
    "application/x-msdos-program",
    "application/x-msdownload",
    "application/x-msi",
    "application/x-sh",
    "application/x-shellscript",
    "text/vbscript",
];

/// Endings of documents people expect to be harmless: the "shown" half of a
/// double-extension disguise (`invoice.pdf.exe`).
pub(crate) const DOCUMENT_EXTENSIONS: &[&str] = &[
    "bmp", "csv", "doc", "docx", "gif", "htm", "html", "jpeg", "jpg", "mp3", "mp4", "odp", "ods",
    "odt", "pdf", "png", "ppt", "pptx", "rtf", "tif", "tiff", "txt", "wav", "xls", "xlsx", "xml",
    "zip",
];

/// Leading bytes of executable formats: (magic, what it is).
pub(crate) const EXECUTABLE_MAGIC: &[(&[u8], &str)] = &[
    (b"MZ", "exe"),
    (b"\x7fELF", "elf"),
    (b"\xcf\xfa\xed\xfe", "macho"),
    (b"\xca\xfe\xba\xbe", "macho"),
    (b"#!", "sh"),
];

/// Invisible characters that reorder how a file name is displayed: with U+202E,
/// `invoice\u{202E}fdp.exe` shows as `invoiceexe.pdf`.
pub(crate) const BIDI_CONTROLS: &[char] = &[
    '\u{061C}', '\u{200E}', '\u{200F}', '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}',
    '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}',
];

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> DomainName {
        DomainName::parse(text).unwrap()
    }

    #[test]
    fn freemail_lists_load_and_match_parents() {
        assert!(
            FREEMAIL.len() > 1000,
            "only {} freemail domains",
            FREEMAIL.len()
        );
        for domain in [
            "gmx.de",
            "web.de",
            "t-online.de",
            "hotmail.com",
            "gmail.com",
        ] {
            assert!(is_freemail(&d(domain)), "{domain}");
        }
        assert!(!is_freemail(&d("example.com")));
        assert!(!is_freemail(&d("sap.com")));
    }

    #[test]
    fn disposable_list_loads() {
        assert!(
            DISPOSABLE.len() > 1000,
            "only {} disposable domains",
            DISPOSABLE.len()
        );
        assert!(is_disposable(&d("mailinator.com")));
        assert!(is_disposable(&d("x.mailinator.com")));
        assert!(!is_disposable(&d("gmx.de")));
    }

    #[test]
    fn tables_are_sorted_lowercase_and_disjoint() {
        for table in [DOCUMENT_EXTENSIONS, DANGEROUS_MEDIA_TYPES] {
            assert!(
                table.windows(2).all(|w| w[0] < w[1]),
                "{table:?} not sorted"
            );
            assert!(table.iter().all(|e| *e == e.to_lowercase()));
        }
        assert!(DOCUMENT_EXTENSIONS.iter().all(|e| !is_dangerous_type(e)));
        assert!(DOCUMENT_EXTENSIONS.iter().all(|e| !is_macro_type(e)));
    }

    #[test]
    fn type_lists_load_and_stay_apart() {
        assert!(DANGEROUS_TYPES.len() > 150, "{}", DANGEROUS_TYPES.len());
        assert!(MACRO_TYPES.len() >= 10, "{}", MACRO_TYPES.len());
        for line in MACRO_TYPES.0.lines() {
            assert!(!is_dangerous_type(line), "{line} is on both lists");
        }
        for ending in [
            "exe", "msh1", "ps2xml", "psc2", "desktop", "appimage", "ex_",
        ] {
            assert!(is_dangerous_type(ending), "{ending}");
        }
        for ending in ["pdf", "docx", "xlsm", "", "ex"] {
            assert_eq!(is_dangerous_type(ending), ending == "ex", "{ending}");
        }
        assert!(is_macro_type("xlsm") && !is_macro_type("xlsx"));
    }
}

//! The domain lists and file-type tables the rules walk. Data, not branches: each list
//! is a vendored text file (see `data/SOURCES.md`) or a table below.

use crate::domain::DomainName;
use crate::table::SortedLines;

/// Private freemail and consumer-ISP domains: the curated core list (DACH providers
/// first) plus the larger community list, merged and sorted by `build.rs`.
const FREEMAIL: SortedLines = SortedLines(include_str!(concat!(env!("OUT_DIR"), "/freemail.txt")));

/// Throwaway mail domains, sorted by `build.rs`.
const DISPOSABLE: SortedLines =
    SortedLines(include_str!(concat!(env!("OUT_DIR"), "/disposable.txt")));

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
fn listed(list: SortedLines, domain: &DomainName) -> bool {
    domain
        .self_and_parents()
        .take_while(|d| d.contains('.'))
        .any(|d| list.contains(d))
}

/// File endings that run code when opened on a common desktop: Windows executables and
/// installers, script hosts, shortcuts, disk images that mount and auto-run, Java
/// archives, macOS and Linux packages.
pub(crate) const DANGEROUS_EXTENSIONS: &[&str] = &[
    "ade",
    "adp",
    "apk",
    "app",
    "application",
    "appref-ms",
    "appx",
    "appxbundle",
    "bas",
    "bat",
    "cab",
    "chm",
    "cmd",
    "com",
    "cpl",
    "crt",
    "dll",
    "dmg",
    "exe",
    "gadget",
    "hlp",
    "hta",
    "img",
    "inf",
    "ins",
    "iso",
    "isp",
    "jar",
    "js",
    "jse",
    "ksh",
    "lnk",
    "mde",
    "msc",
    "msh",
    "msi",
    "msix",
    "msixbundle",
    "msp",
    "mst",
    "pif",
    "pkg",
    "ps1",
    "ps1xml",
    "ps2",
    "psc1",
    "psd1",
    "psm1",
    "reg",
    "scf",
    "scr",
    "sct",
    "sh",
    "shb",
    "shs",
    "sys",
    "url",
    "vb",
    "vbe",
    "vbs",
    "vhd",
    "vhdx",
    "ws",
    "wsc",
    "wsf",
    "wsh",
    "xll",
];

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
        for table in [
            DANGEROUS_EXTENSIONS,
            DOCUMENT_EXTENSIONS,
            DANGEROUS_MEDIA_TYPES,
        ] {
            assert!(
                table.windows(2).all(|w| w[0] < w[1]),
                "{table:?} not sorted"
            );
            assert!(table.iter().all(|e| *e == e.to_lowercase()));
        }
        assert!(
            DOCUMENT_EXTENSIONS
                .iter()
                .all(|e| DANGEROUS_EXTENSIONS.binary_search(e).is_err())
        );
    }
}

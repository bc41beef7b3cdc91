//! A file name as Windows will run it, not as a crafted header spells it.
//!
//! Names arrive from hostile drafts. Windows (and the mail client saving the file)
//! ends a name at NUL, drops trailing dots and spaces, and treats `name::$DATA` as
//! the file `name` itself (the NTFS stream syntax). Invisible characters (zero-width,
//! joiners, BOM, bidirectional controls, other format and control characters) cannot
//! be seen by the person deciding whether to open the file; the checker reads the name
//! without them, which is the reading that exposes more: `a.ex\u{200B}e` is judged as
//! `a.exe`.

/// Whether `c` is invisible in a file name: control and format characters, zero-width
/// and joining characters, variation selectors, blank-looking fillers, tag characters.
pub(crate) fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{061C}'
                | '\u{115F}'
                | '\u{1160}'
                | '\u{17B4}'
                | '\u{17B5}'
                | '\u{180B}'..='\u{180F}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{3164}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}'
                | '\u{FFA0}'
                | '\u{FFF9}'..='\u{FFFB}'
                | '\u{1D173}'..='\u{1D17A}'
                | '\u{E0000}'..='\u{E0FFF}'
        )
}

/// The name Windows will create and run for `name`: cut at NUL, invisible characters
/// removed, NTFS stream suffixes (`::$DATA`, `:stream:$DATA`) and trailing dots and
/// spaces dropped, repeatedly (`a.exe. ::$DATA .` is `a.exe`).
pub(crate) fn as_windows_runs(name: &str) -> String {
    let before_nul = name.split('\0').next().unwrap_or("");
    let mut visible: String = before_nul.chars().filter(|c| !is_invisible(*c)).collect();
    loop {
        let trimmed_len = visible
            .trim_end_matches(|c: char| c == '.' || c.is_whitespace())
            .len();
        visible.truncate(trimmed_len);
        match stream_start(&visible) {
            Some(colon) => visible.truncate(colon),
            None => return visible,
        }
    }
}

/// Where an NTFS data-stream suffix starts: `a.exe::$DATA` and `a.exe:x:$DATA` (any
/// case) name the file `a.exe`.
fn stream_start(name: &str) -> Option<usize> {
    const DATA: &str = ":$data";
    let lower = name.to_ascii_lowercase();
    if !lower.ends_with(DATA) {
        return None;
    }
    let base_start = name.rfind(['/', '\\']).map_or(0, |i| i + 1);
    name[base_start..].find(':').map(|i| base_start + i)
}

/// Whether the name holds characters a person cannot see (NUL and other controls,
/// zero-width and format characters): no real document name needs one.
pub(crate) fn has_invisible(name: &str) -> bool {
    name.chars().any(is_invisible)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_read_as_windows_runs_them() {
        for (name, runs) in [
            ("report.pdf", "report.pdf"),
            ("a.exe::$DATA", "a.exe"),
            ("a.exe::$data", "a.exe"),
            ("a.exe:zone:$DATA", "a.exe"),
            ("a.exe. ::$DATA .", "a.exe"),
            ("dir\\a.exe::$DATA", "dir\\a.exe"),
            ("a.exe\0.pdf", "a.exe"),
            ("a.ex\u{200B}e", "a.exe"),
            ("a.exe\u{200B}", "a.exe"),
            ("a.exe\u{FEFF}", "a.exe"),
            ("a.exe\u{2060}\u{E0041}", "a.exe"),
            ("a.exe\u{202E}", "a.exe"),
            ("a.exe . . ", "a.exe"),
            ("a.exe\u{3000}", "a.exe"),
            ("a.exe\u{1b}", "a.exe"),
            ("Q3 v2.1.pdf", "Q3 v2.1.pdf"),
            ("x:y.pdf", "x:y.pdf"),
        ] {
            assert_eq!(as_windows_runs(name), runs, "{name:?}");
        }
    }

    #[test]
    fn invisible_characters_are_noticed() {
        assert!(has_invisible("a\0b"));
        assert!(has_invisible("a\u{200D}b"));
        assert!(!has_invisible("Müller Bericht.pdf"));
        assert!(!has_invisible("日本語.pdf"));
    }
}

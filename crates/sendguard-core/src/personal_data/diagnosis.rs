//! ICD-10 diagnosis codes in a medical context: `Diagnose: F32.1 G`, `ICD-10: J06.9`,
//! `Dg.: K29.7`. A code is a capital letter, two digits and optionally a dot with one
//! or two more (ICD-10-GM uses two: `I10.90`) and a certainty mark (`G`, `V`, `Z`, `A`),
//! whose letter and number fall in one of the chapters of ICD-10
//! (`data/personal-data/icd10-chapters.txt`, see SOURCES.md). It counts only after a
//! context word on the same line (`ICD`, `Diagnose`, `diagnosis`, `Dg.`, `Dx`), close
//! before it: part numbers, rooms and seats (`Halle E11`, `Sitz 12C`) have the shape
//! but not the words.
//!
//! A code is health data of the person it is written about (GDPR Art. 9), so it
//! feeds the `health` category of `personal-data-special-category`, under the same
//! person and mailing rules as the term list.

const CHAPTERS: &str = include_str!("../../data/personal-data/icd10-chapters.txt");

/// Words that announce a diagnosis code. Lower case; matched at a word start.
const CONTEXT: &[&str] = &["icd", "diagnos", "dg.", "dx", "haupt-dg", "nebendiagnos"];
/// How far before a code its context word may start, in bytes, on the same line.
const WINDOW: usize = 48;

/// Whether letter + two digits lie in an ICD-10 chapter.
fn in_chapter(letter: u8, number: u8) -> bool {
    CHAPTERS
        .lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| line.split_whitespace().next()?.split_once('-'))
        .any(|(from, to)| {
            let key = |code: &str| -> Option<(u8, u8)> {
                let bytes = code.as_bytes();
                let letter = *bytes.first()?;
                let number = code.get(1..3)?.parse().ok()?;
                Some((letter, number))
            };
            match (key(from), key(to)) {
                (Some(low), Some(high)) => (low..=high).contains(&(letter, number)),
                _ => false,
            }
        })
}

/// The shape of a code at `at` (a word start): its length, or None.
fn code_at(bytes: &[u8], at: usize) -> Option<usize> {
    let letter = *bytes.get(at)?;
    let tens = *bytes.get(at + 1)?;
    let ones = *bytes.get(at + 2)?;
    if !letter.is_ascii_uppercase() || !tens.is_ascii_digit() || !ones.is_ascii_digit() {
        return None;
    }
    let mut end = at + 3;
    if bytes.get(end) == Some(&b'.') && bytes.get(end + 1).is_some_and(u8::is_ascii_digit) {
        end += 2;
        if bytes.get(end).is_some_and(u8::is_ascii_digit) {
            end += 1;
        }
    }
    // A certainty mark written on (`F32.1G`) is part of the code.
    if bytes
        .get(end)
        .is_some_and(|b| matches!(b, b'G' | b'V' | b'Z' | b'A'))
        && !bytes.get(end + 1).is_some_and(u8::is_ascii_alphanumeric)
    {
        end += 1;
    }
    if bytes.get(end).is_some_and(|b| {
        b.is_ascii_alphanumeric()
            || *b == b'.' && bytes.get(end + 1).is_some_and(u8::is_ascii_digit)
    }) {
        return None;
    }
    in_chapter(letter, (tens - b'0') * 10 + (ones - b'0')).then_some(end - at)
}

fn has_context(line_before: &[u8]) -> bool {
    let window = &line_before[line_before.len().saturating_sub(WINDOW)..];
    CONTEXT.iter().any(|word| {
        let word = word.as_bytes();
        window
            .windows(word.len())
            .enumerate()
            .any(|(at, candidate)| {
                candidate.eq_ignore_ascii_case(word)
                    && (at == 0 || !window[at - 1].is_ascii_alphanumeric())
            })
    })
}

/// The 1-based lines of the diagnosis codes in `text` that stand in a medical
/// context, in order (one entry per code).
pub(crate) fn diagnosis_codes(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut line = 1;
    let mut line_start = 0;
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        if byte == b'\n' {
            line += 1;
            line_start = index + 1;
            index += 1;
            continue;
        }
        let word_start = index == 0 || !bytes[index - 1].is_ascii_alphanumeric();
        if word_start && byte.is_ascii_uppercase() {
            if let Some(length) = code_at(bytes, index) {
                if has_context(&bytes[line_start..index]) {
                    found.push(line);
                }
                index += length;
                continue;
            }
        }
        index += 1;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_in_context_with_and_without_certainty_marks() {
        let text = "Patient: A. B.\nDiagnose (ICD-10): F32.1 G\nDg.: K29.7V, I10.90\n\
                    Diagnosis: ICD J06.9\nICD-10-GM: Z34";
        assert_eq!(diagnosis_codes(text), [2, 3, 3, 4, 5]);
    }

    #[test]
    fn codes_without_context_or_outside_the_chapters_do_not_count() {
        // Rooms, parts, seats; and shapes outside ICD-10 (D49 is between chapters,
        // H96 after chapter VIII's end, Y99 after chapter XX's).
        let text = "Halle E11, Regal F32, Teil A12.3\nDiagnose: D49.1, H96, Y99\n\
                    Diagnose: f32.1, F321, XF32.1, F32.1.5, F32.10.2";
        assert_eq!(diagnosis_codes(text), Vec::<usize>::new());
        // Context on another line does not carry over.
        assert!(diagnosis_codes("Diagnose:\nF32.1").is_empty());
    }

    #[test]
    fn chapter_bounds() {
        assert!(in_chapter(b'A', 0));
        assert!(in_chapter(b'B', 99));
        assert!(in_chapter(b'D', 48));
        assert!(!in_chapter(b'D', 49));
        assert!(in_chapter(b'D', 50));
        assert!(in_chapter(b'H', 95));
        assert!(!in_chapter(b'H', 96));
        assert!(in_chapter(b'U', 7));
        assert!(!in_chapter(b'V', 0));
        assert!(in_chapter(b'Z', 99));
    }

    #[test]
    fn chapter_table_matches_its_sources_row() {
        let sources = include_str!("../../data/personal-data/SOURCES.md");
        let row = sources
            .lines()
            .find(|line| line.starts_with("| `icd10-chapters.txt`"))
            .unwrap_or_default();
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let entries = CHAPTERS.lines().filter(|l| !l.starts_with('#')).count();
        assert_eq!(cells.get(4), Some(&entries.to_string().as_str()));
        assert_eq!(cells.get(5), Some(&CHAPTERS.len().to_string().as_str()));
    }
}

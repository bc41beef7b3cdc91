//! Dates of birth: a date right after a birth word (`geb. 12.03.1980`, `geboren am
//! 1.2.1975`, `born 1980-03-12`, `Geburtsdatum: …`, `DOB …`), or in the column of a
//! table whose header line names one (`Name;Geburtsdatum;E-Mail`, an Excel sheet's
//! first row, a PDF table). Only a real calendar date with a year from 1900 to 2026
//! counts; appointments, invoice dates and founding years have no birth word before
//! them. The word is what ties a date to a person: birth words stand next to names
//! in letters and lists, so no separate name check is made.
//!
//! A date of birth with a name identifies a person; it is reported by
//! `personal-data-identifiers` as its own kind, from `min_dates_of_birth` distinct
//! dates (one traveller's date of birth to a travel agency is business; a list of
//! members' dates of birth is not).

use super::Identifier;
use super::scan::{Found, hash};

/// Birth words, lower case; matched at a word start and, unless they end in a dot,
/// at a word end.
const WORDS: &[&str] = &[
    "geb.",
    "geb",
    "geboren",
    "geburtsdatum",
    "geburtsdat.",
    "geburtstag",
    "date of birth",
    "birth date",
    "birthdate",
    "born",
    "dob",
    "d.o.b.",
];
/// Cheap pre-checks: a text without any of these has no birth word.
const PREFIXES: &[&[u8]] = &[b"geb", b"birth", b"born", b"dob", b"d.o.b"];
/// How far after a birth word its date may start: `geb. am `, `born on `.
const GAP: usize = 12;
const LAST_YEAR: u32 = 2026;

fn contains_ignoring_case(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.len() >= needle.len()
        && haystack
            .windows(needle.len())
            .any(|window| window.eq_ignore_ascii_case(needle))
}

/// The birth words in a line: the byte offset after each.
fn birth_words(line: &[u8]) -> Vec<usize> {
    let mut ends = Vec::new();
    for (at, &byte) in line.iter().enumerate() {
        if !matches!(byte.to_ascii_lowercase(), b'g' | b'd' | b'b')
            || at > 0 && (line[at - 1].is_ascii_alphanumeric() || line[at - 1] >= 0x80)
        {
            continue;
        }
        for word in WORDS {
            let word = word.as_bytes();
            let Some(window) = line.get(at..at + word.len()) else {
                continue;
            };
            let end = at + word.len();
            let bounded = word.ends_with(b".")
                || line
                    .get(end)
                    .is_none_or(|b| !b.is_ascii_alphanumeric() && *b < 0x80);
            if window.eq_ignore_ascii_case(word) && bounded {
                ends.push(end);
                break;
            }
        }
    }
    ends
}

/// A date at the start of `bytes`: `d.m.yyyy`, `dd.mm.yyyy`, `yyyy-mm-dd` or
/// `dd/mm/yyyy`. Returns `YYYYMMDD` and the length.
fn date_at(bytes: &[u8]) -> Option<(String, usize)> {
    let number = |from: usize, min: usize, max: usize| -> Option<(u32, usize)> {
        let digits = bytes
            .get(from..)?
            .iter()
            .take(max + 1)
            .take_while(|b| b.is_ascii_digit())
            .count();
        if digits < min || digits > max {
            return None;
        }
        let value = std::str::from_utf8(&bytes[from..from + digits])
            .ok()?
            .parse()
            .ok()?;
        Some((value, from + digits))
    };
    let (year, month, day, end) = if let Some((year, at)) = number(0, 4, 4) {
        if bytes.get(at) != Some(&b'-') {
            return None;
        }
        let (month, at) = number(at + 1, 2, 2)?;
        if bytes.get(at) != Some(&b'-') {
            return None;
        }
        let (day, at) = number(at + 1, 2, 2)?;
        (year, month, day, at)
    } else {
        let (day, at) = number(0, 1, 2)?;
        let separator = *bytes.get(at)?;
        if separator != b'.' && separator != b'/' {
            return None;
        }
        let (month, at) = number(at + 1, 1, 2)?;
        if bytes.get(at) != Some(&separator) {
            return None;
        }
        let (year, at) = number(at + 1, 4, 4)?;
        (year, month, day, at)
    };
    if bytes.get(end).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => return None,
    };
    if !(1900..=LAST_YEAR).contains(&year) || day == 0 || day > days {
        return None;
    }
    Some((format!("{year:04}{month:02}{day:02}"), end))
}

/// How a table line splits into cells.
#[derive(Clone, Copy)]
enum Cells {
    Tab,
    Semicolon,
    Spaces,
}

impl Cells {
    fn of(line: &[u8]) -> Option<Cells> {
        if line.contains(&b'\t') {
            Some(Cells::Tab)
        } else if line.contains(&b';') {
            Some(Cells::Semicolon)
        } else if line.windows(2).any(|w| w == b"  ") {
            Some(Cells::Spaces)
        } else {
            None
        }
    }

    /// The cells with their offsets in the line.
    fn split(self, line: &[u8]) -> Vec<(usize, &[u8])> {
        let mut cells = Vec::new();
        let mut start = 0;
        let mut index = 0;
        while index <= line.len() {
            let (is_end, width) = match (self, line.get(index)) {
                (_, None) => (true, 0),
                (Cells::Tab, Some(b'\t')) | (Cells::Semicolon, Some(b';')) => (true, 1),
                (Cells::Spaces, Some(b' ')) if line.get(index + 1) == Some(&b' ') => {
                    let run = line[index..].iter().take_while(|&&b| b == b' ').count();
                    (true, run)
                }
                _ => (false, 1),
            };
            if is_end {
                cells.push((start, &line[start..index]));
                start = index + width.max(1);
                index = start;
                if width == 0 {
                    break;
                }
            } else {
                index += width;
            }
        }
        cells
    }
}

/// The dates of birth in `text`, each with its 1-based line.
pub(crate) fn dates_of_birth(text: &str) -> Vec<Found> {
    let bytes = text.as_bytes();
    if !PREFIXES
        .iter()
        .any(|prefix| contains_ignoring_case(bytes, prefix))
    {
        return Vec::new();
    }
    let mut found = Vec::new();
    let mut column: Option<(Cells, usize)> = None;
    for (index, line) in bytes.split(|&b| b == b'\n').enumerate() {
        let line_number = index + 1;
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let words = birth_words(line);
        let mut push = |date: (String, usize)| {
            found.push(Found {
                identifier: Identifier::DateOfBirth,
                masked: format!("**.**.{}**", &date.0[..2]),
                key: hash(date.0.as_bytes()),
                line: line_number,
                normalized: date.0,
            });
        };
        // A header line: names a birth column and holds no date itself.
        if let (Some(&first), Some(cells)) = (words.first(), Cells::of(line)) {
            let has_date = (0..line.len()).any(|i| {
                (i == 0 || !line[i - 1].is_ascii_digit()) && date_at(&line[i..]).is_some()
            });
            if !has_date {
                let position = cells
                    .split(line)
                    .iter()
                    .position(|(start, cell)| (*start..=*start + cell.len()).contains(&first));
                column = position.map(|position| (cells, position));
                continue;
            }
        }
        if line.trim_ascii().is_empty() {
            column = None;
            continue;
        }
        let mut taken = false;
        for &end in &words {
            let rest = &line[end..];
            let skip = rest
                .iter()
                .take(GAP)
                .position(u8::is_ascii_digit)
                .filter(|&n| gap_words_only(&rest[..n]));
            if let Some(date) = skip.and_then(|n| date_at(&rest[n..])) {
                push(date);
                taken = true;
            }
        }
        if taken {
            continue;
        }
        if let Some((cells, position)) = column {
            if let Some((_, cell)) = cells.split(line).get(position) {
                if let Some(date) = date_at(cell.trim_ascii()) {
                    push(date);
                }
            }
        }
    }
    found
}

/// Between a birth word and its date only punctuation and `am`, `on`, `the`, `den`.
fn gap_words_only(gap: &[u8]) -> bool {
    gap.split(|b| b" :.,-()\t".contains(b))
        .filter(|word| !word.is_empty())
        .all(|word| {
            [&b"am"[..], b"on", b"the", b"den", b"vom"]
                .iter()
                .any(|allowed| word.eq_ignore_ascii_case(allowed))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates(text: &str) -> Vec<(String, usize)> {
        dates_of_birth(text)
            .into_iter()
            .map(|found| (found.normalized, found.line))
            .collect()
    }

    fn pair(value: &str, line: usize) -> (String, usize) {
        (value.to_string(), line)
    }

    #[test]
    fn inline_birth_words() {
        let text = "Patient: Anna Weber, geb. 12.03.1980\nMax, geboren am 1.2.1975\n\
                    Born on 1980-03-12; DOB: 29/02/2000\nGeburtsdatum:\t07.07.1907";
        assert_eq!(
            dates(text),
            [
                pair("19800312", 1),
                pair("19750201", 2),
                pair("19800312", 3),
                pair("20000229", 3),
                pair("19070707", 4)
            ]
        );
        assert_eq!(dates_of_birth(text)[0].masked, "**.**.19**");
    }

    #[test]
    fn table_columns_by_their_header() {
        let text = "Mitglieder\nName;Geburtsdatum;Eintritt\nAnna;12.03.1980;01.01.2020\n\
                    Ben;1.1.1990;02.02.2021\n\nTermin;Raum\n03.03.2003;B12\n";
        assert_eq!(dates(text), [pair("19800312", 3), pair("19900101", 4)]);
        let tabs = "Vorname\tNachname\tDOB\nA\tB\t1985-05-05\n";
        assert_eq!(dates(tabs), [pair("19850505", 2)]);
        let spaces = "Name  E-Mail  Date of birth\nA B  a@b.example  31.12.1999\n";
        assert_eq!(dates(spaces), [pair("19991231", 2)]);
    }

    #[test]
    fn dates_without_birth_words_or_impossible_ones_do_not_count() {
        let text = "Termin am 12.03.2027, Rechnung vom 01.02.2026, gegründet 1950\n\
                    geb. 31.02.1980, geboren 12.03.1880, born 12.03.2030\n\
                    Geburtsdatum-Felder im Formular ab 1.1.2027\n\
                    Gebühr 12.03.1980, Bornholm 12.03.1980, Newborn 12.03.2020\n\
                    Geburtstagsfeier am 12.03.2026";
        assert_eq!(dates(text), Vec::<(String, usize)>::new());
    }
}

//! Special categories of personal data (GDPR Art. 9(1)): health, religion, trade-union
//! membership, sexual orientation, ethnic origin, biometric and genetic data, political
//! opinions. A curated term list (`data/personal-data/special-categories.txt`) is
//! matched at word starts, case-insensitively, in one pass.
//!
//! Context rules keep articles and newsletters out: a term counts only in a part that
//! names a person (a salutation with a name, "patient", "employee", a birth date), and
//! never in a part that carries an unsubscribe line (a mailing talks about topics, not
//! about the reader's diagnosis).

const TERMS: &str = include_str!("../../data/personal-data/special-categories.txt");

/// Words that show the part is about a particular person. Lower case.
const PERSON: &[&str] = &[
    "herr ",
    "herrn ",
    "frau ",
    "patient",
    "mitarbeiter",
    "beschäftigte",
    "geb.",
    "geboren am",
    "geburtsdatum",
    "mr ",
    "mr. ",
    "mrs ",
    "mrs. ",
    "ms ",
    "ms. ",
    "employee",
    "date of birth",
    "born on",
    "versicherte",
];
/// Words that mark a mailing: its topics are not the reader's data.
const MAILING: &[&str] = &[
    "abmelden",
    "unsubscribe",
    "abbestellen",
    "newsletter austragen",
];

/// One category found in a part, at its first line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Special {
    pub(crate) category: &'static str,
    pub(crate) line: usize,
    /// ICD-10 codes in a medical context (health only; see [`super::diagnosis`]).
    pub(crate) diagnosis_codes: usize,
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    let needle = needle.as_bytes();
    haystack.len() >= needle.len()
        && haystack
            .windows(needle.len())
            .any(|window| window.eq_ignore_ascii_case(needle))
}

/// The special categories a text shows, each once with its first line, in order of
/// appearance.
pub(crate) fn special_categories(text: &str) -> Vec<Special> {
    let bytes = text.as_bytes();
    // Terms by their first letter, so a word start costs a handful of comparisons.
    let mut by_letter: [Vec<(&'static str, &'static [u8])>; 26] = Default::default();
    for line in TERMS.lines().filter(|line| !line.starts_with('#')) {
        if let Some((category, term)) = line.split_once(' ') {
            if let Some(first) = term.bytes().next().filter(u8::is_ascii_lowercase) {
                by_letter[usize::from(first - b'a')].push((category, term.as_bytes()));
            }
        }
    }
    let mut found: Vec<Special> = Vec::new();
    let mut line = 1;
    let mut previous = b' ';
    for (index, &byte) in bytes.iter().enumerate() {
        if byte == b'\n' {
            line += 1;
        }
        let word_start = !previous.is_ascii_alphanumeric() && previous < 0x80;
        previous = byte;
        if !word_start || !byte.is_ascii_alphabetic() {
            continue;
        }
        let lower = byte.to_ascii_lowercase();
        for &(category, term) in &by_letter[usize::from(lower - b'a')] {
            if bytes
                .get(index..index + term.len())
                .is_some_and(|window| window.eq_ignore_ascii_case(term))
                && !found.iter().any(|f| f.category == category)
            {
                found.push(Special {
                    category,
                    line,
                    diagnosis_codes: 0,
                });
            }
        }
    }
    let codes = super::diagnosis::diagnosis_codes(text);
    if let Some(&first) = codes.first() {
        match found.iter_mut().find(|f| f.category == "health") {
            Some(health) => {
                health.line = health.line.min(first);
                health.diagnosis_codes = codes.len();
            }
            None => found.push(Special {
                category: "health",
                line: first,
                diagnosis_codes: codes.len(),
            }),
        }
        found.sort_by_key(|f| f.line);
    }
    if found.is_empty()
        || MAILING.iter().any(|word| contains(bytes, word))
        || !PERSON.iter().any(|word| contains(bytes, word))
    {
        return Vec::new();
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_about_a_person_count_once_per_category() {
        let text = "Hallo Frau Jensen,\nIhre Arbeitsunfähigkeitsbescheinigung liegt vor.\n\
                    Diagnose: J06.9. Krankschreibung bis Freitag.\nKonfession: rk";
        let found = special_categories(text);
        assert_eq!(
            found,
            [
                Special {
                    category: "health",
                    line: 2,
                    diagnosis_codes: 1,
                },
                Special {
                    category: "religion",
                    line: 4,
                    diagnosis_codes: 0,
                }
            ]
        );
    }

    #[test]
    fn topics_without_a_person_or_in_a_mailing_do_not_count() {
        assert!(special_categories("Webinar: Krankschreibung per Telefon, was gilt?").is_empty());
        let mailing =
            "Sehr geehrte Frau Jensen,\nunser Webinar zur Krankschreibung.\nAbmelden: https://x";
        assert!(special_categories(mailing).is_empty());
        // Inside a word is no match: "Vorkonfession:" is not "Konfession:".
        assert!(special_categories("Herr X, Vorkonfession: keine").is_empty());
    }
}

//! The message catalogue: every user-visible string, in English and German, from one
//! file (`messages.json`) that the JavaScript front ends read too.

use serde::{Deserialize, Serialize};

/// A user-visible text in every language sendguard speaks. Reports carry both, so a
/// front end shows the user's language without calling back into the checker.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    /// English.
    pub en: String,
    /// German.
    pub de: String,
}

impl Text {
    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::De => &self.de,
        }
    }

    /// Appends `more` after a space, in every language.
    pub(crate) fn append(&mut self, more: &Text) {
        for lang in Lang::ALL {
            let (this, more) = (self.get_mut(lang), more.get(lang));
            this.push(' ');
            this.push_str(more);
        }
    }

    fn get_mut(&mut self, lang: Lang) -> &mut String {
        match lang {
            Lang::En => &mut self.en,
            Lang::De => &mut self.de,
        }
    }
}

/// A language of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// English.
    En,
    /// German.
    De,
}

impl Lang {
    /// Both languages, in catalogue order.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::De];
}

mod generated {
    include!(concat!(env!("OUT_DIR"), "/messages.rs"));
}

/// The entry for `key`: (English, German).
fn lookup(key: &str) -> Option<(&'static str, &'static str)> {
    let table = generated::CATALOGUE;
    table
        .binary_search_by(|(candidate, _, _)| (*candidate).cmp(key))
        .ok()
        .map(|index| (table[index].1, table[index].2))
}

/// A value to put into a message's `{placeholder}`.
pub(crate) enum Arg {
    /// Shown as is.
    Str(String),
    /// A count, with the language's thousands separator.
    Count(usize),
    /// A size in bytes, shown in MB with the language's decimal separator.
    Bytes(u64),
    /// A text that is itself translated.
    Text(Text),
}

/// Looks `key` up in both languages and fills in the placeholders.
///
/// A missing key yields the key itself (never a panic); the catalogue tests make sure
/// no rule uses a key the catalogue lacks.
pub(crate) fn text(key: &str, args: &[(&str, Arg)]) -> Text {
    let Some((en, de)) = lookup(key) else {
        return Text {
            en: key.to_string(),
            de: key.to_string(),
        };
    };
    Text {
        en: render(en, Lang::En, args),
        de: render(de, Lang::De, args),
    }
}

fn render(template: &str, lang: Lang, args: &[(&str, Arg)]) -> String {
    let mut out = template.to_string();
    for (name, value) in args {
        let placeholder = format!("{{{name}}}");
        if out.contains(&placeholder) {
            out = out.replace(&placeholder, &value.render(lang));
        }
    }
    out
}

impl Arg {
    fn render(&self, lang: Lang) -> String {
        match self {
            Arg::Str(text) => text.clone(),
            Arg::Count(count) => group_thousands(*count, lang),
            Arg::Bytes(bytes) => format_megabytes(*bytes, lang),
            Arg::Text(text) => text.get(lang).to_string(),
        }
    }
}

fn group_thousands(count: usize, lang: Lang) -> String {
    let separator = match lang {
        Lang::En => ',',
        Lang::De => '.',
    };
    let digits = count.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            out.push(separator);
        }
        out.push(digit);
    }
    out
}

/// Megabytes (10^6 bytes, as mail clients show sizes), one decimal when under 100.
fn format_megabytes(bytes: u64, lang: Lang) -> String {
    // Saturating: a hostile draft can declare sizes near u64::MAX.
    let tenths = bytes.saturating_add(50_000) / 100_000;
    if tenths >= 1000 || tenths % 10 == 0 {
        format!("{} MB", tenths / 10)
    } else {
        let decimal = match lang {
            Lang::En => '.',
            Lang::De => ',',
        };
        format!("{}{decimal}{} MB", tenths / 10, tenths % 10)
    }
}

/// Joins a short list for a message: `a, b, c` or `a, b, c and 4 more`.
pub(crate) fn short_list(items: &[String], limit: usize) -> Arg {
    let shown = items
        .iter()
        .take(limit)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() <= limit {
        return Arg::Str(shown);
    }
    let rest = items.len() - limit;
    Arg::Text(Text {
        en: format!("{shown} and {} more", group_thousands(rest, Lang::En)),
        de: format!("{shown} und {} weitere", group_thousands(rest, Lang::De)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::collections::HashMap;

    /// The whole catalogue, front-end strings included, as the JavaScript reads it.
    #[derive(serde::Deserialize)]
    struct Catalogue {
        en: HashMap<String, String>,
        de: HashMap<String, String>,
    }

    #[test]
    fn catalogue_has_both_languages_with_the_same_keys_and_placeholders() {
        let catalogue: Catalogue = serde_json::from_str(include_str!("../messages.json")).unwrap();
        assert!(catalogue.en.len() > 10, "catalogue did not load");
        let mut keys: Vec<_> = catalogue.en.keys().collect();
        keys.sort();
        let mut de_keys: Vec<_> = catalogue.de.keys().collect();
        de_keys.sort();
        assert_eq!(keys, de_keys);
        let placeholders = |s: &str| {
            let mut names: Vec<String> = s
                .split('{')
                .skip(1)
                .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_string()))
                .collect();
            names.sort();
            names
        };
        for key in keys {
            assert_eq!(
                placeholders(&catalogue.en[key]),
                placeholders(&catalogue.de[key]),
                "placeholders differ for {key}"
            );
        }
    }

    /// The catalogue keys the core's sources name as string literals, with the file.
    fn keys_in_sources() -> Vec<(String, String)> {
        fn walk(dir: &std::path::Path, found: &mut Vec<(String, String)>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, found);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let source = std::fs::read_to_string(&path).unwrap();
                    for literal in source.split('"').skip(1).step_by(2) {
                        let core = CORE_PREFIXES.iter().any(|p| literal.starts_with(p));
                        let key_like = literal.chars().all(|c| {
                            c.is_ascii_lowercase() || c.is_ascii_digit() || "-.".contains(c)
                        });
                        if core && key_like && !literal.ends_with('.') {
                            found.push((literal.to_string(), path.display().to_string()));
                        }
                    }
                }
            }
        }
        let mut found = Vec::new();
        walk(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut found,
        );
        found
    }

    /// The key prefixes the core renders (the build script copies the same ones).
    const CORE_PREFIXES: &[&str] = &["rule.", "fix.", "reason.", "verdict."];

    #[test]
    fn every_key_the_code_names_exists_in_every_language_and_none_is_unused() {
        let catalogue: Catalogue = serde_json::from_str(include_str!("../messages.json")).unwrap();
        let used = keys_in_sources();
        assert!(
            used.len() > 30,
            "only {} keys found in the sources",
            used.len()
        );
        for (key, file) in &used {
            for (lang, entries) in [("en", &catalogue.en), ("de", &catalogue.de)] {
                assert!(
                    entries.contains_key(key),
                    "{file} uses `{key}`, missing in {lang}"
                );
            }
        }
        for key in catalogue.en.keys() {
            if CORE_PREFIXES.iter().any(|p| key.starts_with(p)) {
                assert!(
                    used.iter().any(|(k, _)| k == key),
                    "`{key}` is in the catalogue but no core source names it"
                );
            }
        }
    }

    #[test]
    fn numbers_and_sizes_follow_the_language() {
        assert_eq!(group_thousands(10_000, Lang::En), "10,000");
        assert_eq!(group_thousands(10_000, Lang::De), "10.000");
        assert_eq!(group_thousands(999, Lang::De), "999");
        assert_eq!(format_megabytes(25_300_000, Lang::En), "25.3 MB");
        assert_eq!(format_megabytes(25_300_000, Lang::De), "25,3 MB");
        assert_eq!(format_megabytes(20_000_000, Lang::De), "20 MB");
        assert_eq!(format_megabytes(150_000_000, Lang::En), "150 MB");
    }

    #[test]
    fn generated_table_is_sorted_and_holds_the_core_keys() {
        let table = generated::CATALOGUE;
        assert!(table.windows(2).all(|pair| pair[0].0 < pair[1].0));
        assert!(lookup("verdict.block").is_some());
        assert!(lookup("rule.visible-recipients.why").is_some());
    }

    #[test]
    fn missing_key_is_visible_not_a_panic() {
        assert_eq!(text("no.such.key", &[]).en, "no.such.key");
    }

    #[test]
    fn short_list_counts_the_rest() {
        let items: Vec<String> = (1..=5).map(|i| format!("d{i}")).collect();
        match short_list(&items, 3) {
            Arg::Text(t) => {
                assert_eq!(t.en, "d1, d2, d3 and 2 more");
                assert_eq!(t.de, "d1, d2, d3 und 2 weitere");
            }
            _ => panic!("expected a translated list"),
        }
    }
}

//! The message catalogue: every user-visible string, in every language, from one
//! file (`messages.json`) that the JavaScript front ends read too.

use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A language of the catalogue. This enum is the one list of languages: a new
/// language is a variant here, its [`Lang::code`] and its section in `messages.json`;
/// texts, number formats and list phrases come from the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// English.
    En,
    /// German.
    De,
}

impl Lang {
    /// Every language, in the order reports list them.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::De];

    /// The language's code: its key in `messages.json` and in a report's texts.
    pub const fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::De => "de",
        }
    }

    /// Position in [`Lang::ALL`].
    const fn index(self) -> usize {
        self as usize
    }
}

/// A user-visible text in every language sendguard speaks. Reports carry all of them
/// (`{"en": …, "de": …}`), so a front end shows the user's language without calling
/// back into the checker.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Text {
    by_lang: [String; Lang::ALL.len()],
}

impl Text {
    /// Builds a text language by language.
    pub fn from_fn(mut render: impl FnMut(Lang) -> String) -> Text {
        Text {
            by_lang: std::array::from_fn(|index| render(Lang::ALL[index])),
        }
    }

    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        &self.by_lang[lang.index()]
    }

    /// Appends `more` directly (no space), in every language.
    pub(crate) fn push_text(&mut self, more: &Text) {
        for lang in Lang::ALL {
            self.by_lang[lang.index()].push_str(more.get(lang));
        }
    }

    /// Appends `more` after a space, in every language.
    pub(crate) fn append(&mut self, more: &Text) {
        for lang in Lang::ALL {
            let this = &mut self.by_lang[lang.index()];
            this.push(' ');
            this.push_str(more.get(lang));
        }
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(Lang::ALL.len()))?;
        for lang in Lang::ALL {
            map.serialize_entry(lang.code(), self.get(lang))?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;

        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Text;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a text per language code")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
                let mut found: [Option<String>; Lang::ALL.len()] = Default::default();
                while let Some(code) = map.next_key::<String>()? {
                    let Some(lang) = Lang::ALL.into_iter().find(|lang| lang.code() == code) else {
                        return Err(serde::de::Error::custom(format!(
                            "unknown language `{code}`"
                        )));
                    };
                    if found[lang.index()].replace(map.next_value()?).is_some() {
                        return Err(serde::de::Error::custom(format!(
                            "duplicate language `{code}`"
                        )));
                    }
                }
                let mut by_lang: [String; Lang::ALL.len()] = Default::default();
                for lang in Lang::ALL {
                    by_lang[lang.index()] = found[lang.index()].take().ok_or_else(|| {
                        serde::de::Error::custom(format!("missing language `{}`", lang.code()))
                    })?;
                }
                Ok(Text { by_lang })
            }
        }

        deserializer.deserialize_map(TextVisitor)
    }
}

mod generated {
    include!(concat!(env!("OUT_DIR"), "/messages.rs"));
}

/// The entry for `key` in `lang`.
fn lookup(key: &str, lang: Lang) -> Option<&'static str> {
    let (_, table) = generated::CATALOGUE
        .iter()
        .find(|(code, _)| *code == lang.code())?;
    table
        .binary_search_by(|(candidate, _)| (*candidate).cmp(key))
        .ok()
        .map(|index| table[index].1)
}

/// The catalogue's text for `key` in `lang`, or `fallback` if it has none.
fn lookup_or(key: &str, lang: Lang, fallback: &'static str) -> &'static str {
    lookup(key, lang).unwrap_or(fallback)
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

/// Looks `key` up in every language and fills in the placeholders.
///
/// A missing key yields the key itself (never a panic); the catalogue tests make sure
/// no rule uses a key the catalogue lacks.
pub(crate) fn text(key: &str, args: &[(&str, Arg)]) -> Text {
    Text::from_fn(|lang| match lookup(key, lang) {
        Some(template) => render(template, lang, args),
        None => key.to_string(),
    })
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
    let separator = lookup_or("format.thousands-separator", lang, ",");
    let digits = count.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            out.push_str(separator);
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
        let decimal = lookup_or("format.decimal-separator", lang, ".");
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
    Arg::Text(text(
        "format.and-more",
        &[("list", Arg::Str(shown)), ("count", Arg::Count(rest))],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::collections::HashMap;

    /// The whole catalogue, front-end strings included, as the JavaScript reads it.
    #[derive(serde::Deserialize)]
    struct Catalogue {
        #[serde(flatten)]
        languages: HashMap<String, HashMap<String, String>>,
    }

    fn load() -> Catalogue {
        serde_json::from_str(include_str!("../messages.json")).unwrap()
    }

    #[test]
    fn catalogue_languages_are_exactly_lang_all() {
        let catalogue = load();
        let mut in_file: Vec<&str> = catalogue.languages.keys().map(String::as_str).collect();
        in_file.sort_unstable();
        let mut known: Vec<&str> = Lang::ALL.iter().map(|lang| lang.code()).collect();
        known.sort_unstable();
        assert_eq!(in_file, known);
        for (index, lang) in Lang::ALL.into_iter().enumerate() {
            assert_eq!(lang.index(), index);
        }
    }

    #[test]
    fn every_language_has_the_same_keys_and_placeholders() {
        let catalogue = load();
        let english = &catalogue.languages["en"];
        assert!(english.len() > 10, "catalogue did not load");
        let mut keys: Vec<_> = english.keys().collect();
        keys.sort();
        let placeholders = |s: &str| {
            let mut names: Vec<String> = s
                .split('{')
                .skip(1)
                .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_string()))
                .collect();
            names.sort();
            names
        };
        for lang in Lang::ALL {
            let entries = &catalogue.languages[lang.code()];
            let mut other: Vec<_> = entries.keys().collect();
            other.sort();
            assert_eq!(keys, other, "keys differ in {}", lang.code());
            for key in &keys {
                assert_eq!(
                    placeholders(&english[*key]),
                    placeholders(&entries[*key]),
                    "placeholders differ for {key} in {}",
                    lang.code()
                );
            }
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

    use crate::message_prefixes::CORE_MESSAGE_PREFIXES as CORE_PREFIXES;

    #[test]
    fn every_key_the_code_names_exists_in_every_language_and_none_is_unused() {
        let catalogue = load();
        let used = keys_in_sources();
        assert!(
            used.len() > 30,
            "only {} keys found in the sources",
            used.len()
        );
        for (key, file) in &used {
            for (lang, entries) in &catalogue.languages {
                assert!(
                    entries.contains_key(key),
                    "{file} uses `{key}`, missing in {lang}"
                );
            }
        }
        for key in catalogue.languages["en"].keys() {
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
        for (_, entries) in generated::CATALOGUE {
            assert!(entries.windows(2).all(|pair| pair[0].0 < pair[1].0));
        }
        for lang in Lang::ALL {
            assert!(lookup("verdict.block", lang).is_some());
            assert!(lookup("rule.visible-recipients.why", lang).is_some());
            assert!(lookup("format.and-more", lang).is_some());
        }
    }

    #[test]
    fn missing_key_is_visible_not_a_panic() {
        assert_eq!(text("no.such.key", &[]).get(Lang::De), "no.such.key");
    }

    #[test]
    fn short_list_counts_the_rest() {
        let items: Vec<String> = (1..=5).map(|i| format!("d{i}")).collect();
        match short_list(&items, 3) {
            Arg::Text(t) => {
                assert_eq!(t.get(Lang::En), "d1, d2, d3 and 2 more");
                assert_eq!(t.get(Lang::De), "d1, d2, d3 und 2 weitere");
            }
            _ => panic!("expected a translated list"),
        }
        let many: Vec<String> = (0..1_004).map(|i| format!("d{i}")).collect();
        match short_list(&many, 1) {
            Arg::Text(t) => assert_eq!(t.get(Lang::De), "d0 und 1.003 weitere"),
            _ => panic!("expected a translated list"),
        }
    }

    #[test]
    fn text_serializes_as_a_map_in_lang_order_and_round_trips() {
        let text = Text::from_fn(|lang| format!("<{}>", lang.code()));
        let json = serde_json::to_string(&text).unwrap();
        assert_eq!(json, r#"{"en":"<en>","de":"<de>"}"#);
        assert_eq!(serde_json::from_str::<Text>(&json).unwrap(), text);
        assert!(serde_json::from_str::<Text>(r#"{"en":"x"}"#).is_err());
        assert!(serde_json::from_str::<Text>(r#"{"en":"x","de":"y","fr":"z"}"#).is_err());
    }
}

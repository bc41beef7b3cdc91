//! Look-alike domains: does a recipient's domain resemble one the sender knows?
//!
//! `lookalike-recipient` builds a [`KnownIndex`] of the domains a draft can be checked
//! against (the sender's organization, the policy's internal and trusted domains, the
//! address book, the other recipients, the big mail providers) and asks it, for each
//! recipient domain that is not itself known, which known domain it resembles and how.
//!
//! Techniques, cheapest first, each answered from a hash table (never by comparing a
//! domain with every known one, so 10,000 recipients cost 10,000 look-ups):
//! - **confusable skeleton** (UTS #39): every character is replaced by the ASCII it looks
//!   like (the vendored subset of Unicode's `confusables.txt`, `data/SOURCES.md`), plus
//!   the ASCII sequences people misread (`rn`/`m`, `vv`/`w`, `cl`/`d`, `1`/`l`, `0`/`o`).
//!   Equal skeletons, different domains: a homograph (non-ASCII) or an ASCII look-alike.
//! - **hyphen** added or removed (`corp-holding` / `corpholding`).
//! - **TLD swap**: the same name under another suffix (`corp.de` → `corp.com`), or the
//!   country moved into the name (`corp-de.com`). Two country domains of one name
//!   (`corp.de`, `corp.at`) are a company's own and do not count.
//! - **one edit** on the registrable label (Damerau: a swap of neighbours is one edit),
//!   found through an index of single-deletion variants and confirmed with
//!   [`edit_distance_within`]. Labels shorter than [`EDIT_FLOOR`] characters only count
//!   neighbouring keys (QWERTZ or QWERTY) and swaps, where a different name is less
//!   likely than a slip of the finger.
//! - **mixed scripts** in one label (Latin with Cyrillic, …), reported by the rule even
//!   when no known domain matches.

use std::collections::HashMap;

use crate::domain::DomainName;
use crate::similarity::edit_distance_within;
use crate::table::SortedLines;

mod tables {
    include!(concat!(env!("OUT_DIR"), "/confusables.rs"));
}

/// The curated big mail providers (`data/lookalike-providers.txt`), sorted.
const PROVIDERS: SortedLines = SortedLines(include_str!(concat!(
    env!("OUT_DIR"),
    "/lookalike_providers.txt"
)));

/// Labels shorter than this (in characters) count only neighbouring keys, swaps,
/// confusables, hyphens, TLD swaps and (from [`GAP_FLOOR`]) a letter left out or
/// doubled, not a replacement by a far-away key.
pub(crate) const EDIT_FLOOR: usize = 5;

/// Labels shorter than this count no letter left out or added (`sap` / `sa`).
pub(crate) const GAP_FLOOR: usize = 4;

/// The most edit-distance confirmations per looked-up domain: a hostile draft of
/// `a1.de`, `a2.de`, … cannot make one look-up compare with thousands.
const MAX_CONFIRMATIONS: usize = 32;

/// Suffixes that are typos of `com` more often than real choices.
const TYPO_SUFFIXES: &[&str] = &["co", "cm", "om", "con", "cmo", "comm"];

/// The curated providers, in order.
pub(crate) fn providers() -> impl Iterator<Item = &'static str> {
    PROVIDERS.0.lines()
}

/// Why a known domain is known, most telling first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Source {
    Sender,
    Internal,
    Trusted,
    Provider,
    AddressBook,
    Recipient,
}

/// A writing system, as far as look-alikes care.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Script {
    Latin,
    Greek,
    Cyrillic,
    Armenian,
    Cherokee,
    Han,
    Kana,
    Hangul,
    Other,
}

impl Script {
    fn bit(self) -> u16 {
        1 << (self as u16)
    }

    /// The script of a letter; `None` for digits, hyphens and marks, which every
    /// script uses.
    pub(crate) fn of(c: char) -> Option<Script> {
        let code = u32::from(c);
        Some(match code {
            0x30..=0x39 | 0x2d | 0x5f => return None,
            0x61..=0x7a | 0x41..=0x5a => Script::Latin,
            0x300..=0x36f | 0x1ab0..=0x1aff | 0x1dc0..=0x1dff | 0x20d0..=0x20ff => return None,
            0xc0..=0x24f | 0x250..=0x2af | 0x1d00..=0x1dbf | 0x1e00..=0x1eff => Script::Latin,
            0x2c60..=0x2c7f | 0xa720..=0xa7ff | 0xab30..=0xab6f | 0xff21..=0xff5a => Script::Latin,
            0x370..=0x3ff | 0x1f00..=0x1fff => Script::Greek,
            0x400..=0x52f | 0x1c80..=0x1c8f | 0x2de0..=0x2dff | 0xa640..=0xa69f => Script::Cyrillic,
            0x530..=0x58f => Script::Armenian,
            0x13a0..=0x13ff | 0xab70..=0xabbf => Script::Cherokee,
            0x3040..=0x30ff | 0x31f0..=0x31ff => Script::Kana,
            0x1100..=0x11ff | 0x3130..=0x318f | 0xac00..=0xd7af => Script::Hangul,
            0x3400..=0x4dbf | 0x4e00..=0x9fff | 0xf900..=0xfaff | 0x20000..=0x3134f => Script::Han,
            _ => Script::Other,
        })
    }
}

/// The scripts of a label's letters, if they mix in a way UTS #39's "highly
/// restrictive" level does not allow (Latin may go with Han and Kana, or with Han and
/// Hangul; nothing else mixes).
pub(crate) fn mixed_scripts(label: &str) -> Option<Vec<Script>> {
    let mut bits = 0u16;
    for c in label.chars() {
        if let Some(script) = Script::of(c) {
            bits |= script.bit();
        }
    }
    let allowed = [
        Script::Latin.bit() | Script::Han.bit() | Script::Kana.bit(),
        Script::Latin.bit() | Script::Han.bit() | Script::Hangul.bit(),
    ];
    if bits.count_ones() < 2 || allowed.iter().any(|set| bits & !set == 0) {
        return None;
    }
    let all = [
        Script::Latin,
        Script::Greek,
        Script::Cyrillic,
        Script::Armenian,
        Script::Cherokee,
        Script::Han,
        Script::Kana,
        Script::Hangul,
        Script::Other,
    ];
    Some(all.into_iter().filter(|s| bits & s.bit() != 0).collect())
}

/// What a character looks like, in lower-case ASCII, if it looks like something else.
fn confusable(c: char) -> Option<&'static str> {
    tables::CONFUSABLE_SOURCES
        .binary_search(&c)
        .ok()
        .and_then(|index| tables::CONFUSABLE_TARGETS.get(index).copied())
}

/// The UTS #39 skeleton of a label (over the vendored subset), with the ASCII
/// sequences that read alike folded: `w` → `vv`, `d` → `cl` (the data already has
/// `m` → `rn`, `1` → `l`, `0` → `o`).
pub(crate) fn skeleton(label: &str) -> String {
    let mut out = String::with_capacity(label.len() + 4);
    fn push_ascii(c: char, out: &mut String) {
        match c {
            'w' => out.push_str("vv"),
            'd' => out.push_str("cl"),
            c => out.push(c),
        }
    }
    for c in label.chars() {
        match confusable(c) {
            Some(target) => target.chars().for_each(|t| push_ascii(t, &mut out)),
            None => push_ascii(c.to_ascii_lowercase(), &mut out),
        }
    }
    out
}

/// Keyboard rows, shifted as on the keyboard (each row starts a bit further right).
const QWERTY: [&str; 4] = ["1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm"];
const QWERTZ: [&str; 4] = ["1234567890", "qwertzuiop", "asdfghjkl", "yxcvbnm"];

/// Whether two keys are neighbours on a QWERTY or a QWERTZ keyboard.
pub(crate) fn neighbouring_keys(a: char, b: char) -> bool {
    fn position(rows: &[&str; 4], c: char) -> Option<(usize, usize)> {
        rows.iter()
            .enumerate()
            .find_map(|(row, keys)| keys.find(c).map(|column| (row, column)))
    }
    [QWERTY, QWERTZ].iter().any(|rows| {
        let (Some((ra, ca)), Some((rb, cb))) = (position(rows, a), position(rows, b)) else {
            return false;
        };
        // Same row: side by side. Row below: the key down-left and down-right.
        (ra == rb && ca.abs_diff(cb) == 1)
            || (rb == ra + 1 && (cb == ca || cb + 1 == ca))
            || (ra == rb + 1 && (ca == cb || ca + 1 == cb))
    })
}

/// How a domain differs from the known one it resembles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Technique {
    /// A character from another script that looks like an ASCII one (Cyrillic `е`).
    Homograph {
        script: Script,
        found: char,
        expected: String,
    },
    /// ASCII that reads like other ASCII: `1` for `l`, `rn` for `m`.
    Lookalike {
        found: String,
        expected: String,
    },
    /// One character replaced; `neighbours` when the keys are side by side.
    Replaced {
        found: char,
        expected: char,
        neighbours: bool,
    },
    /// Two neighbouring characters swapped.
    Swapped {
        found: String,
        expected: String,
    },
    /// A character left out.
    Missing {
        expected: char,
    },
    /// A character too many.
    Extra {
        found: char,
    },
    HyphenAdded,
    HyphenMissing,
    /// Another suffix (`found`, `expected` with their dot), or the country moved into the
    /// name (`-de.com` for `.de`).
    OtherSuffix {
        found: String,
        expected: String,
    },
}

impl Technique {
    /// A homograph or look-alike characters: made to deceive the eye, not a slip.
    pub(crate) fn deceives_the_eye(&self) -> bool {
        matches!(
            self,
            Technique::Homograph { .. } | Technique::Lookalike { .. }
        )
    }
}

/// A registrable domain split for comparison.
#[derive(Debug, Clone)]
pub(crate) struct Name {
    /// The canonical ASCII form (`xn--…` for IDNs).
    pub(crate) ascii: String,
    /// The first label as Unicode.
    label: String,
    /// Everything after the first label, ASCII.
    suffix: String,
}

impl Name {
    /// Splits a registrable domain (`organization_of` output).
    pub(crate) fn new(domain: &DomainName) -> Option<Name> {
        let ascii = domain.as_str();
        let (label, suffix) = ascii.split_once('.')?;
        let label = if label.starts_with("xn--") {
            let (unicode, result) = idna::domain_to_unicode(label);
            if result.is_err() {
                return None;
            }
            unicode
        } else {
            label.to_string()
        };
        Some(Name {
            ascii: ascii.to_string(),
            label,
            suffix: suffix.to_string(),
        })
    }

    /// The first label, as Unicode.
    pub(crate) fn label(&self) -> &str {
        &self.label
    }

    fn skeleton_key(&self) -> String {
        format!("{}.{}", skeleton(&self.label), self.suffix)
    }

    fn bare_label(&self) -> String {
        self.label.chars().filter(|&c| c != '-').collect()
    }
}

/// One known domain.
pub(crate) struct Known {
    pub(crate) name: Name,
    pub(crate) source: Source,
}

/// The known domains, indexed by every key a technique looks up.
#[derive(Default)]
pub(crate) struct KnownIndex {
    pub(crate) known: Vec<Known>,
    by_ascii: HashMap<String, usize>,
    by_skeleton: HashMap<String, Vec<u32>>,
    /// By the label without hyphens (hyphen technique and TLD swaps).
    by_bare_label: HashMap<String, Vec<u32>>,
    /// (hash of a single-deletion variant of the label and the suffix, index), sorted.
    deletions: Vec<(u64, u32)>,
    sorted: bool,
    /// Candidate pairs looked at (for the test that guards against quadratic work).
    pub(crate) comparisons: std::cell::Cell<usize>,
}

fn variant_hash(label: &[char], skip: Option<usize>, suffix: &str) -> u64 {
    // FNV-1a: a few instructions per character, where SipHash is slow (and these
    // hashes only bucket candidates that are then compared for real).
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |value: u32| {
        hash ^= u64::from(value);
        hash = hash.wrapping_mul(PRIME);
    };
    for (index, c) in label.iter().enumerate() {
        if Some(index) != skip {
            feed(u32::from(*c));
        }
    }
    feed(u32::from('.'));
    suffix.bytes().for_each(|b| feed(u32::from(b)));
    hash
}

impl KnownIndex {
    /// Adds a known registrable domain; a domain already known keeps its most telling
    /// source.
    pub(crate) fn add(&mut self, domain: &DomainName, source: Source) {
        if let Some(&index) = self.by_ascii.get(domain.as_str()) {
            let entry = &mut self.known[index];
            entry.source = entry.source.min(source);
            return;
        }
        let Some(name) = Name::new(domain) else {
            return;
        };
        let Ok(index) = u32::try_from(self.known.len()) else {
            return;
        };
        self.by_ascii.insert(name.ascii.clone(), self.known.len());
        self.by_skeleton
            .entry(name.skeleton_key())
            .or_default()
            .push(index);
        self.by_bare_label
            .entry(name.bare_label())
            .or_default()
            .push(index);
        let chars: Vec<char> = name.label.chars().collect();
        if chars.len() >= 3 {
            self.deletions
                .push((variant_hash(&chars, None, &name.suffix), index));
            for skip in 0..chars.len() {
                self.deletions
                    .push((variant_hash(&chars, Some(skip), &name.suffix), index));
            }
        }
        self.sorted = false;
        self.known.push(Known { name, source });
    }

    /// The entry for a registrable domain, if known.
    pub(crate) fn get(&self, ascii: &str) -> Option<&Known> {
        self.by_ascii.get(ascii).map(|&index| &self.known[index])
    }

    /// Call once after the last [`KnownIndex::add`].
    pub(crate) fn finish(&mut self) {
        self.deletions.sort_unstable();
        self.deletions.dedup();
        self.sorted = true;
    }

    /// The known domain `name` most likely imitates, and how; `accept` filters the
    /// candidates (never `name` itself, which is excluded here).
    pub(crate) fn resembles(
        &self,
        name: &Name,
        accept: impl Fn(&Known) -> bool,
    ) -> Option<(&Known, Technique)> {
        debug_assert!(self.sorted, "KnownIndex::finish not called");
        let usable = |index: u32| -> Option<&Known> {
            self.comparisons.set(self.comparisons.get() + 1);
            let known = self.known.get(index as usize)?;
            (known.name.ascii != name.ascii && accept(known)).then_some(known)
        };
        let best = |indices: &mut dyn Iterator<Item = u32>,
                    technique: &dyn Fn(&Known) -> Option<Technique>|
         -> Option<(&Known, Technique)> {
            indices
                .filter_map(usable)
                .filter_map(|known| technique(known).map(|t| (known, t)))
                .min_by_key(|(known, _)| known.source)
        };

        // 1. Same skeleton: a homograph or an ASCII look-alike.
        if let Some(indices) = self.by_skeleton.get(&name.skeleton_key()) {
            if let Some(found) = best(&mut indices.iter().copied(), &|known| {
                Some(describe_confusable(&name.label, &known.name.label))
            }) {
                return Some(found);
            }
        }
        // 2. Hyphen added or removed; 3. TLD swap (same label, or with hyphen changes).
        let bare = name.bare_label();
        if let Some(indices) = self.by_bare_label.get(&bare) {
            if let Some(found) = best(&mut indices.iter().copied(), &|known| {
                if known.name.suffix == name.suffix {
                    let added = name.label.len() > known.name.label.len();
                    Some(if added {
                        Technique::HyphenAdded
                    } else {
                        Technique::HyphenMissing
                    })
                } else if suffix_swap_counts(&name.suffix, &known.name.suffix) {
                    Some(Technique::OtherSuffix {
                        found: format!(".{}", name.suffix),
                        expected: format!(".{}", known.name.suffix),
                    })
                } else {
                    None
                }
            }) {
                return Some(found);
            }
        }
        // 3b. The country moved into the name: corp-de.com, corpde.com, corp-couk.com.
        for tail_length in [2, 3, 4] {
            let chars: Vec<char> = bare.chars().collect();
            if chars.len() < tail_length + 3 {
                continue;
            }
            let (base, tail) = chars.split_at(chars.len() - tail_length);
            let (base, tail): (String, String) = (base.iter().collect(), tail.iter().collect());
            let Some(indices) = self.by_bare_label.get(&base) else {
                continue;
            };
            if let Some(found) = best(&mut indices.iter().copied(), &|known| {
                (known.name.suffix != name.suffix && known.name.suffix.replace('.', "") == tail)
                    .then(|| Technique::OtherSuffix {
                        found: String::new(),
                        expected: format!(".{}", known.name.suffix),
                    })
            }) {
                let (known, mut technique) = found;
                if let Technique::OtherSuffix { found, .. } = &mut technique {
                    let hyphen = if name.label.ends_with(&format!("-{tail}")) {
                        "-"
                    } else {
                        ""
                    };
                    *found = format!("{hyphen}{tail}.{}", name.suffix);
                }
                return Some((known, technique));
            }
        }
        // 4. One edit on the label, same suffix.
        let chars: Vec<char> = name.label.chars().collect();
        if chars.len() < 3 {
            return None;
        }
        let mut candidates: Vec<u32> = Vec::new();
        for skip in std::iter::once(None).chain((0..chars.len()).map(Some)) {
            let hash = variant_hash(&chars, skip, &name.suffix);
            let start = self.deletions.partition_point(|(h, _)| *h < hash);
            candidates.extend(
                self.deletions[start..]
                    .iter()
                    .take_while(|(h, _)| *h == hash)
                    .map(|(_, index)| *index),
            );
            if candidates.len() > MAX_CONFIRMATIONS * 4 {
                break;
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        candidates.truncate(MAX_CONFIRMATIONS);
        best(&mut candidates.into_iter(), &|known| {
            if known.name.suffix != name.suffix {
                return None;
            }
            let other: Vec<char> = known.name.label.chars().collect();
            edit_distance_within(&chars, &other, 1)?;
            describe_edit(&chars, &other)
        })
    }
}

/// Whether the same name under the recipient's suffix `found` is a swap worth
/// reporting: a generic suffix (`corp.de` → `corp.com`, `.net`, `.org`) or a typo of
/// `.com` (`.co`, `.cm`, `.om`) is; a country suffix is not, because companies own their
/// name in the countries they work in (`corp.com` → `corp.at`, `corp.de` → `corp.ch`).
fn suffix_swap_counts(found: &str, _expected: &str) -> bool {
    let top = found.rsplit('.').next().unwrap_or(found);
    top.len() != 2 || TYPO_SUFFIXES.contains(&found)
}

/// The differing middle of two labels with equal skeletons: `1` for `l`, `rn` for `m`,
/// or the first character from another script.
fn describe_confusable(found: &str, expected: &str) -> Technique {
    if let Some(c) = found.chars().find(|c| !c.is_ascii()) {
        let script = Script::of(c).unwrap_or(Script::Other);
        let expected = confusable(c).unwrap_or("?").to_string();
        return Technique::Homograph {
            script,
            found: c,
            expected,
        };
    }
    let (found, expected) = differing_middle(found, expected);
    Technique::Lookalike { found, expected }
}

/// What is left of two strings once their common beginning and end are removed.
fn differing_middle(a: &str, b: &str) -> (String, String) {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let rest = a.len().min(b.len()) - prefix;
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(rest)
        .take_while(|(x, y)| x == y)
        .count();
    (
        a[prefix..a.len() - suffix].iter().collect(),
        b[prefix..b.len() - suffix].iter().collect(),
    )
}

/// Names a single edit between two labels (distance 1), or `None` when the labels are
/// too short for this kind of edit to mean anything.
fn describe_edit(found: &[char], expected: &[char]) -> Option<Technique> {
    let shortest = found.len().min(expected.len());
    let prefix = found
        .iter()
        .zip(expected)
        .take_while(|(a, b)| a == b)
        .count();
    let technique = match found.len().cmp(&expected.len()) {
        std::cmp::Ordering::Equal => {
            let (a, b) = (found.get(prefix)?, expected.get(prefix)?);
            if found.get(prefix + 1) == Some(b) && expected.get(prefix + 1) == Some(a) {
                Technique::Swapped {
                    found: found[prefix..prefix + 2].iter().collect(),
                    expected: expected[prefix..prefix + 2].iter().collect(),
                }
            } else {
                Technique::Replaced {
                    found: *a,
                    expected: *b,
                    neighbours: neighbouring_keys(*a, *b),
                }
            }
        }
        std::cmp::Ordering::Greater => match found.get(prefix)? {
            '-' => Technique::HyphenAdded,
            c => Technique::Extra { found: *c },
        },
        std::cmp::Ordering::Less => match expected.get(prefix)? {
            '-' => Technique::HyphenMissing,
            c => Technique::Missing { expected: *c },
        },
    };
    // Another number is another name (partner-1, partner-2, partner-12), not a typo.
    let numbers = match &technique {
        Technique::Replaced {
            found, expected, ..
        } => found.is_ascii_digit() && expected.is_ascii_digit(),
        Technique::Swapped { found, .. } => found.chars().all(|c| c.is_ascii_digit()),
        Technique::Missing { expected: c } | Technique::Extra { found: c } => c.is_ascii_digit(),
        _ => false,
    };
    if numbers {
        return None;
    }
    let slip = matches!(
        technique,
        Technique::Swapped { .. }
            | Technique::HyphenAdded
            | Technique::HyphenMissing
            | Technique::Replaced {
                neighbours: true,
                ..
            }
    );
    let gap = matches!(
        technique,
        Technique::Missing { .. } | Technique::Extra { .. }
    );
    (slip || shortest >= EDIT_FLOOR || (gap && shortest >= GAP_FLOOR)).then_some(technique)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(text: &str) -> Name {
        Name::new(&DomainName::parse(text).unwrap()).unwrap()
    }

    fn index(known: &[(&str, Source)]) -> KnownIndex {
        let mut index = KnownIndex::default();
        for (domain, source) in known {
            index.add(&DomainName::parse(domain).unwrap(), *source);
        }
        index.finish();
        index
    }

    fn resembles(known: &[&str], candidate: &str) -> Option<(String, Technique)> {
        let index = index(
            &known
                .iter()
                .map(|d| (*d, Source::Internal))
                .collect::<Vec<_>>(),
        );
        index
            .resembles(&name(candidate), |_| true)
            .map(|(known, technique)| (known.name.ascii.clone(), technique))
    }

    #[test]
    fn confusable_skeletons_from_the_unicode_data() {
        // Cyrillic е (U+0435) and а (U+0430).
        assert_eq!(skeleton("lieferant-m\u{435}ier"), "lieferant-rneier");
        assert_eq!(skeleton("p\u{430}ypal"), "paypal");
        // Greek omicron, and the ASCII look-alikes.
        assert_eq!(skeleton("g\u{3bf}\u{3bf}gle"), "google");
        assert_eq!(skeleton("gmai1"), skeleton("gmail"));
        assert_eq!(skeleton("c0rp"), skeleton("corp"));
        assert_eq!(skeleton("modern"), skeleton("rnodern"));
        assert_eq!(skeleton("vvorld"), skeleton("world"));
        assert_eq!(skeleton("clata"), skeleton("data"));
        assert_ne!(skeleton("bayer"), skeleton("bauer"));
    }

    #[test]
    fn homograph_of_a_known_domain() {
        let (known, technique) = resembles(
            &["lieferant-meier.example"],
            "lieferant-m\u{435}ier.example",
        )
        .unwrap();
        assert_eq!(known, "lieferant-meier.example");
        assert_eq!(
            technique,
            Technique::Homograph {
                script: Script::Cyrillic,
                found: '\u{435}',
                expected: "e".into()
            }
        );
        assert!(technique.deceives_the_eye());
    }

    #[test]
    fn digit_letter_and_sequence_lookalikes() {
        let cases = [
            ("corp-ho1ding.example", "1", "l"),
            ("g00gle.com", "00", "oo"),
            ("rnicrosoft.com", "rn", "m"),
            ("vvestbank.de", "vv", "w"),
            ("clhl.de", "cl", "d"),
        ];
        let known = [
            "corp-holding.example",
            "google.com",
            "microsoft.com",
            "westbank.de",
            "dhl.de",
        ];
        for (candidate, found, expected) in cases {
            let (_, technique) = resembles(&known, candidate).unwrap();
            assert_eq!(
                technique,
                Technique::Lookalike {
                    found: found.into(),
                    expected: expected.into()
                },
                "{candidate}"
            );
        }
    }

    #[test]
    fn mixed_scripts_in_one_label() {
        assert_eq!(
            mixed_scripts("lieferant-m\u{435}ier"),
            Some(vec![Script::Latin, Script::Cyrillic])
        );
        assert_eq!(mixed_scripts("bäckerei-müller"), None);
        assert_eq!(
            mixed_scripts("\u{43f}\u{440}\u{438}\u{43c}\u{435}\u{440}"),
            None
        );
        // Latin with Han and Kana is ordinary Japanese.
        assert_eq!(mixed_scripts("abc\u{65e5}\u{672c}\u{30ab}"), None);
        assert!(mixed_scripts("abc\u{3b1}").is_some());
    }

    #[test]
    fn edit_distance_with_a_length_floor() {
        assert_eq!(
            resembles(&["siemens.de"], "siemems.de").unwrap().1,
            Technique::Replaced {
                found: 'm',
                expected: 'n',
                neighbours: true
            }
        );
        assert_eq!(
            resembles(&["allianz.de"], "alianz.de").unwrap().1,
            Technique::Missing { expected: 'l' }
        );
        assert_eq!(
            resembles(&["allianz.de"], "alllianz.de").unwrap().1,
            Technique::Extra { found: 'l' }
        );
        assert_eq!(
            resembles(&["gmail.com"], "gmial.com").unwrap().1,
            Technique::Swapped {
                found: "ia".into(),
                expected: "ai".into()
            }
        );
        // Below the floor, a far-apart replacement is a different name; a letter left
        // out counts from four letters.
        assert_eq!(resembles(&["ikea.com"], "ikpa.com"), None);
        assert!(resembles(&["lidl.de"], "lidll.de").is_some());
        assert_eq!(resembles(&["sap.com"], "sa.com"), None);
        assert_eq!(resembles(&["gmx.de"], "gmp.de"), None);
        // Two edits are not one.
        assert_eq!(resembles(&["telekom.de"], "telefon.de"), None);
        // Numbers: partner-1 and partner-12 are two partners.
        assert_eq!(resembles(&["partner-1.example"], "partner-2.example"), None);
        assert_eq!(
            resembles(&["partner-1.example"], "partner-12.example"),
            None
        );
        assert_eq!(resembles(&["werk12.de"], "werk21.de"), None);
    }

    #[test]
    fn keyboard_neighbours_on_qwertz_and_qwerty() {
        assert!(neighbouring_keys('z', 'u')); // QWERTZ
        assert!(neighbouring_keys('y', 'u')); // QWERTY
        assert!(neighbouring_keys('y', 'x')); // QWERTZ bottom row
        assert!(neighbouring_keys('a', 'q'));
        assert!(neighbouring_keys('s', 'x'));
        assert!(neighbouring_keys('1', 'q'));
        assert!(!neighbouring_keys('a', 'p'));
        assert!(!neighbouring_keys('q', 'x'));
        // Short labels: a neighbouring key counts, another key does not.
        assert!(resembles(&["gmx.de"], "gmc.de").is_some());
        assert!(resembles(&["web.de"], "wev.de").is_some());
    }

    #[test]
    fn hyphen_added_or_removed() {
        assert_eq!(
            resembles(&["corp-holding.example"], "corpholding.example")
                .unwrap()
                .1,
            Technique::HyphenMissing
        );
        assert_eq!(
            resembles(&["telekom.de"], "tele-kom.de").unwrap().1,
            Technique::HyphenAdded
        );
    }

    #[test]
    fn tld_swaps_but_not_a_companys_country_domains() {
        assert_eq!(
            resembles(&["corp.de"], "corp.com").unwrap().1,
            Technique::OtherSuffix {
                found: ".com".into(),
                expected: ".de".into()
            }
        );
        assert_eq!(
            resembles(&["corp.de"], "corp-de.com").unwrap().1,
            Technique::OtherSuffix {
                found: "-de.com".into(),
                expected: ".de".into()
            }
        );
        assert_eq!(
            resembles(&["gmail.com"], "gmail.co").unwrap().1,
            Technique::OtherSuffix {
                found: ".co".into(),
                expected: ".com".into()
            }
        );
        assert!(resembles(&["corp.co.uk"], "corpcouk.com").is_some());
        assert_eq!(resembles(&["corp.de"], "corp.at"), None);
        assert_eq!(resembles(&["corp.de"], "corp.co.uk"), None);
        // A company's own country domain, even from a .com.
        assert_eq!(resembles(&["corp.com"], "corp.ch"), None);
        assert!(resembles(&["corp.com"], "corp.net").is_some());
    }

    #[test]
    fn sources_rank_and_self_is_never_a_match() {
        let index = index(&[
            ("gmail.com", Source::Recipient),
            ("gmail.com", Source::Provider),
            ("gmai1.com", Source::Recipient),
        ]);
        assert_eq!(index.get("gmail.com").unwrap().source, Source::Provider);
        let (known, _) = index.resembles(&name("gmai1.com"), |_| true).unwrap();
        assert_eq!(known.name.ascii, "gmail.com");
        assert!(
            index
                .resembles(&name("gmai1.com"), |k| k.source == Source::Trusted)
                .is_none()
        );
    }

    /// 10,000 distinct domains against themselves: the work grows with the number of
    /// domains, not with its square.
    #[test]
    fn many_domains_cost_linear_comparisons() {
        let mut index = KnownIndex::default();
        let mut names = Vec::new();
        let mut state = 0x2545_f491_u32;
        for _ in 0..10_000 {
            let mut label = String::new();
            for _ in 0..9 {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                label.push(char::from(b'a' + (state % 26) as u8));
            }
            let domain = DomainName::parse(&format!("{label}.de")).unwrap();
            index.add(&domain, Source::Recipient);
            names.push(Name::new(&domain).unwrap());
        }
        index.finish();
        for name in &names {
            let _ = index.resembles(name, |_| true);
        }
        let comparisons = index.comparisons.get();
        // Each look-up meets itself in the skeleton, label and deletion tables.
        assert!(
            comparisons <= 5 * names.len(),
            "{comparisons} comparisons for {} domains",
            names.len()
        );
        assert!(comparisons >= names.len(), "the counter counts");
    }
}

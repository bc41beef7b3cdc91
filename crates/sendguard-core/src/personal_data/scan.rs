//! The single pass over one text: validated identifiers, e-mail addresses, phone
//! numbers and vCards, each with its line.
//!
//! The text is split into tokens (runs of ASCII letters and digits). Tokens joined by
//! one space, hyphen or no-break space form a group (`DE89 3704 0044 …`,
//! `4111-1111-…`); within a group every run of consecutive tokens whose joined form
//! has an identifier's shape is handed to that identifier's validator. Only tokens that
//! can start an identifier (a digit, or a capital letter followed by digits) cost more
//! than the byte loop, so ordinary prose runs at memory speed.

use std::collections::HashSet;
use std::hash::{Hash, Hasher};

use super::Identifier;
use super::validate;

/// Where in the text, and what: the kind, the masked form, and a hash of the value
/// (to count distinct values without keeping them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Found {
    pub(crate) identifier: Identifier,
    pub(crate) masked: String,
    pub(crate) key: u64,
    /// 1-based line in the text.
    pub(crate) line: usize,
    /// The normalized value, compared with the policy's own identifiers and then
    /// dropped; never part of a report.
    pub(crate) normalized: String,
}

/// What one text holds.
#[derive(Debug, Default)]
pub(crate) struct TextScan {
    pub(crate) identifiers: Vec<Found>,
    /// Distinct e-mail addresses (hashes), participants of the draft excluded.
    pub(crate) emails: HashSet<u64>,
    /// Distinct phone numbers (hashes of their digits).
    pub(crate) phones: HashSet<u64>,
    /// `BEGIN:VCARD` count.
    pub(crate) vcards: usize,
    /// The first line of a signature block (`-- `), if any.
    pub(crate) signature_line: Option<usize>,
}

/// Words that make a number of an unspecific shape an identifier of that kind when
/// they stand shortly before it (or in a table's header line). Lower case.
static TAX_ID_CONTEXT: &[&str] = &[
    "steuer-id",
    "steuerid",
    "steuer id",
    "identifikationsnummer",
    "idnr",
    "id-nr",
    "tax id",
    "tax-id",
    "taxpayer identification",
    "tax identification",
];
static HEALTH_INSURANCE_CONTEXT: &[&str] = &[
    "versichertennummer",
    "versicherten-nr",
    "versichertennr",
    "versicherten-nummer",
    "kvnr",
    "kv-nr",
    "krankenversicherung",
    "krankenkasse",
    "health insurance",
    "insurance number",
    "egk",
];
static DOCUMENT_CONTEXT: &[&str] = &[
    "ausweis",
    "reisepass",
    "passnummer",
    "pass-nr",
    "passnr",
    "passport",
    "id card",
    "identity card",
    "dokumentennummer",
    "document number",
    "document no",
];
static CARD_CONTEXT: &[&str] = &[
    "karte",
    "card",
    "visa",
    "mastercard",
    "amex",
    "american express",
    "kreditkarte",
    "cvc",
    "cvv",
    "gültig bis",
    "valid thru",
    "expiry",
    "kartennummer",
];
static PHONE_CONTEXT: &[&str] = &[
    "tel",
    "phone",
    "fon",
    "mobil",
    "handy",
    "fax",
    "cell",
    "rufnummer",
];

/// How far before a candidate its context may stand, in bytes.
const CONTEXT_WINDOW: usize = 64;
/// The longest identifier (an IBAN has at most 34 characters).
const LONGEST: usize = 34;
/// Tokens of one group examined together; longer groups are processed in windows.
const GROUP_TOKENS: usize = 48;

pub(crate) fn hash(bytes: &[u8]) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut hasher);
    hasher.finish()
}

/// `needle` (lower case ASCII/UTF-8) occurs in `haystack`, compared ASCII-case-insensitively.
fn contains_word(haystack: &[u8], needle: &str) -> bool {
    let needle = needle.as_bytes();
    haystack.len() >= needle.len()
        && haystack
            .windows(needle.len())
            .any(|window| window.eq_ignore_ascii_case(needle))
}

fn any_context(haystack: &[u8], words: &[&str]) -> bool {
    words.iter().any(|word| contains_word(haystack, word))
}

struct Scanner<'t> {
    text: &'t [u8],
    /// The first line, for table headers.
    header: &'t [u8],
    /// Whether the header names each context list, computed on first use.
    header_context: [std::cell::OnceCell<bool>; 5],
    participants: &'t HashSet<String>,
    out: TextScan,
    /// Line counting for hits, which come in increasing order.
    counted_to: usize,
    line: usize,
    /// Where the last identifier ended: overlapping windows never report twice.
    reported_to: usize,
}

/// Scans one text. `participants` are the draft's own addresses (lower case), not
/// counted as members of a list.
pub(crate) fn scan_text(text: &str, participants: &HashSet<String>) -> TextScan {
    let bytes = text.as_bytes();
    let header_end = memchr(b'\n', bytes).unwrap_or(bytes.len()).min(512);
    let mut scanner = Scanner {
        text: bytes,
        header: &bytes[..header_end],
        header_context: Default::default(),
        participants,
        out: TextScan::default(),
        counted_to: 0,
        line: 1,
        reported_to: 0,
    };
    scanner.run();
    if contains_word(bytes, "<<") {
        scanner.machine_readable_zones();
    }
    scanner
        .out
        .identifiers
        .extend(super::birth::dates_of_birth(text));
    scanner.out
}

fn memchr(needle: u8, haystack: &[u8]) -> Option<usize> {
    haystack.iter().position(|&b| b == needle)
}

fn is_token_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric()
}

impl Scanner<'_> {
    fn line_at(&mut self, offset: usize) -> usize {
        if offset >= self.counted_to {
            self.line += self.text[self.counted_to..offset]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            self.counted_to = offset;
        }
        self.line
    }

    fn run(&mut self) {
        let text = self.text;
        let mut group: Vec<(usize, usize)> = Vec::with_capacity(GROUP_TOKENS);
        let mut index = 0;
        let mut line_start = 0;
        let mut line_number = 1;
        while index < text.len() {
            let byte = text[index];
            if is_token_byte(byte) {
                let start = index;
                while index < text.len() && is_token_byte(text[index]) {
                    index += 1;
                }
                group.push((start, index));
                // A group goes on only across one joiner followed by another token.
                let joined = match text.get(index..) {
                    Some([b' ' | b'-', next, ..]) if is_token_byte(*next) => 1,
                    Some([0xC2, 0xA0, next, ..]) if is_token_byte(*next) => 2,
                    _ => 0,
                };
                if joined == 0 || group.len() == GROUP_TOKENS {
                    self.group(&group);
                    // Keep the tail of a long group: an identifier may span the cut.
                    let keep = if joined == 0 { 0 } else { 8 };
                    let drop = group.len() - keep;
                    group.drain(..drop);
                }
                index += joined;
                continue;
            }
            match byte {
                b'@' => self.email(index),
                b'+' | b'(' => self.phone(index),
                b'\n' => {
                    let line = &text[line_start..index];
                    if self.out.signature_line.is_none()
                        && matches!(line, b"-- " | b"-- \r" | b"--" | b"--\r")
                    {
                        self.out.signature_line = Some(line_number);
                    }
                    line_number += 1;
                    line_start = index + 1;
                }
                _ => {}
            }
            index += 1;
        }
        if !group.is_empty() {
            self.group(&group);
        }
        self.out.vcards = count_case_insensitive(text, b"begin:vcard");
    }

    /// Examines every run of tokens of a group that can hold an identifier.
    fn group(&mut self, tokens: &[(usize, usize)]) {
        let text = self.text;
        let mut i = 0;
        let mut joined: Vec<u8> = Vec::with_capacity(LONGEST);
        while i < tokens.len() {
            let (start, first_end) = tokens[i];
            if start < self.reported_to || !can_start(&text[start..first_end]) {
                i += 1;
                continue;
            }
            // A phone number is digits after a `0` at a word start.
            if text[start] == b'0' && (start == 0 || !text[start - 1].is_ascii_alphanumeric()) {
                self.phone(start);
            }
            joined.clear();
            let mut best: Option<(usize, Identifier)> = None;
            for (j, &(token_start, token_end)) in tokens.iter().enumerate().skip(i) {
                if joined.len() + (token_end - token_start) > LONGEST {
                    break;
                }
                joined.extend(
                    text[token_start..token_end]
                        .iter()
                        .map(u8::to_ascii_uppercase),
                );
                if let Some(kind) = self.identify(&joined, start, j - i + 1) {
                    best = Some((j, kind));
                }
            }
            if let Some((j, kind)) = best {
                let end = tokens[j].1;
                let value: Vec<u8> = tokens[i..=j]
                    .iter()
                    .flat_map(|&(s, e)| text[s..e].iter().map(u8::to_ascii_uppercase))
                    .collect();
                let line = self.line_at(start);
                self.out.identifiers.push(Found {
                    identifier: kind,
                    masked: mask(kind, &value),
                    key: hash(&value),
                    line,
                    normalized: String::from_utf8_lossy(&value).into_owned(),
                });
                self.reported_to = end;
                i = j + 1;
            } else {
                i += 1;
            }
        }
    }

    /// The identifier `candidate` (joined from `tokens` tokens) is, if any; context
    /// words are looked up only for shapes that need them. A card number counts when
    /// written in groups (`4111 1111 1111 1111`) or next to a card word: a bare run of
    /// digits that passes Luhn is as often an order or tracking number.
    fn identify(&self, candidate: &[u8], start: usize, tokens: usize) -> Option<Identifier> {
        let id = Some;
        let first = *candidate.first()?;
        if first.is_ascii_digit() {
            if validate::is_card(candidate)
                && (tokens >= 3 || self.has_context(start, CARD_CONTEXT))
            {
                return id(Identifier::Card);
            }
            if candidate.len() == 11
                && validate::is_tax_id(candidate)
                && self.has_context(start, TAX_ID_CONTEXT)
            {
                return id(Identifier::TaxId);
            }
            if candidate.len() == 12 && validate::is_pension_number(candidate) {
                return id(Identifier::PensionNumber);
            }
            return None;
        }
        if candidate.len() >= 15
            && candidate
                .get(2..4)
                .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
            && validate::is_iban(candidate)
        {
            return id(Identifier::Iban);
        }
        if candidate.len() == 10
            && validate::is_health_insurance_number(candidate)
            && self.has_context(start, HEALTH_INSURANCE_CONTEXT)
        {
            return id(Identifier::HealthInsuranceNumber);
        }
        if candidate.len() == 10
            && validate::is_german_document_number(candidate)
            && self.has_context(start, DOCUMENT_CONTEXT)
        {
            return id(Identifier::IdDocument);
        }
        None
    }

    fn has_context(&self, start: usize, words: &[&str]) -> bool {
        let from = start.saturating_sub(CONTEXT_WINDOW);
        (start > self.header.len() && self.header_has(words))
            || any_context(&self.text[from..start], words)
    }

    /// Whether the header line names `words`, looked up once per list and text.
    fn header_has(&self, words: &[&str]) -> bool {
        let lists = [
            TAX_ID_CONTEXT,
            HEALTH_INSURANCE_CONTEXT,
            DOCUMENT_CONTEXT,
            CARD_CONTEXT,
            PHONE_CONTEXT,
        ];
        let index = lists.iter().position(|list| std::ptr::eq(*list, words));
        match index {
            Some(index) => {
                *self.header_context[index].get_or_init(|| any_context(self.header, words))
            }
            None => any_context(self.header, words),
        }
    }

    /// An address around the `@` at `at`: local part and a dotted domain.
    fn email(&mut self, at: usize) {
        let text = self.text;
        let local_byte = |b: u8| b.is_ascii_alphanumeric() || b"._%+-".contains(&b);
        let domain_byte = |b: u8| b.is_ascii_alphanumeric() || b == b'.' || b == b'-';
        let mut begin = at;
        while begin > 0 && at - begin < 64 && local_byte(text[begin - 1]) {
            begin -= 1;
        }
        let mut end = at + 1;
        while end < text.len() && end - at < 255 && domain_byte(text[end]) {
            end += 1;
        }
        let domain = text[at + 1..end].trim_ascii_end();
        let domain = domain.strip_suffix(b".").unwrap_or(domain);
        let tld_ok = domain
            .rsplit(|&b| b == b'.')
            .next()
            .is_some_and(|tld| tld.len() >= 2 && tld.iter().all(u8::is_ascii_alphabetic));
        if begin == at || !domain.contains(&b'.') || !tld_ok {
            return;
        }
        let address = String::from_utf8_lossy(&text[begin..at + 1 + domain.len()]).to_lowercase();
        if !self.participants.contains(&address) {
            self.out.emails.insert(hash(address.as_bytes()));
        }
    }

    /// A phone number starting at `start` (`+49 …`, `(030) …`, `0171-…`) when a phone
    /// word stands before it or in the header line.
    fn phone(&mut self, start: usize) {
        let text = self.text;
        if start > 0 && text[start - 1].is_ascii_alphanumeric() {
            return;
        }
        let mut digits: Vec<u8> = Vec::with_capacity(16);
        let mut index = start;
        let mut gap = 0;
        while index < text.len() && index - start < 32 {
            let byte = text[index];
            if byte.is_ascii_digit() {
                digits.push(byte);
                gap = 0;
            } else if b" -/()+".contains(&byte) {
                gap += 1;
                if gap > 2 {
                    break;
                }
            } else {
                break;
            }
            index += 1;
        }
        if index < text.len() && text[index].is_ascii_alphanumeric() {
            return;
        }
        if !(7..=15).contains(&digits.len()) {
            return;
        }
        let from = start.saturating_sub(40);
        if self.header_has(PHONE_CONTEXT) || any_context(&text[from..start], PHONE_CONTEXT) {
            self.out.phones.insert(hash(&digits));
        }
    }

    /// ICAO 9303 machine-readable zones: two or three consecutive lines of
    /// `A–Z 0–9 <` with valid check digits.
    fn machine_readable_zones(&mut self) {
        let text = self.text;
        let lines: Vec<(usize, &[u8])> = {
            let mut offset = 0;
            text.split(|&b| b == b'\n')
                .map(|line| {
                    let at = offset;
                    offset += line.len() + 1;
                    (at, line.trim_ascii())
                })
                .collect()
        };
        let mut index = 0;
        while index + 1 < lines.len() {
            let window: Vec<&[u8]> = lines[index..(index + 3).min(lines.len())]
                .iter()
                .map(|(_, line)| *line)
                .collect();
            if window[0].contains(&b'<') && validate::is_mrz(&window) {
                let line = self.line_at(lines[index].0);
                let number = if window[0].len() == 30 {
                    &window[0][5..14]
                } else {
                    &window[1][0..9]
                };
                self.out.identifiers.push(Found {
                    identifier: Identifier::IdDocument,
                    masked: mask(Identifier::IdDocument, number),
                    key: hash(number),
                    line,
                    normalized: String::from_utf8_lossy(number).into_owned(),
                });
                index += window.len();
            } else {
                index += 1;
            }
        }
    }
}

/// A token that can begin an identifier: a digit, or a capital letter (IBAN country,
/// insurance or document letter).
fn can_start(token: &[u8]) -> bool {
    match token {
        [first, ..] if first.is_ascii_digit() => true,
        [first, second, ..] if first.is_ascii_uppercase() => {
            second.is_ascii_digit() || second.is_ascii_uppercase()
        }
        _ => false,
    }
}

fn count_case_insensitive(haystack: &[u8], needle: &[u8]) -> usize {
    let mut count = 0;
    let mut index = 0;
    while let Some(found) = haystack
        .get(index..)
        .and_then(|rest| rest.iter().position(|&b| b == b'B' || b == b'b'))
    {
        let at = index + found;
        if haystack
            .get(at..at + needle.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(needle))
        {
            count += 1;
        }
        index = at + 1;
    }
    count
}

/// The value as reports may show it: an IBAN as `DE89 **** **** 3000`, a card as
/// `**** 1111`, anything else as stars and its last three characters.
pub(crate) fn mask(kind: Identifier, value: &[u8]) -> String {
    let text = String::from_utf8_lossy(value);
    let tail = |n: usize| {
        text.get(text.len().saturating_sub(n)..)
            .unwrap_or("")
            .to_string()
    };
    match kind {
        Identifier::Iban => {
            format!("{} **** **** {}", text.get(..4).unwrap_or(""), tail(4))
        }
        Identifier::Card => format!("**** {}", tail(4)),
        _ => format!("{}{}", "*".repeat(text.len().saturating_sub(3)), tail(3)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Identifier, String, usize)> {
        scan_text(text, &HashSet::new())
            .identifiers
            .into_iter()
            .map(|f| (f.identifier, f.masked, f.line))
            .collect()
    }

    #[test]
    fn finds_grouped_and_plain_identifiers_with_lines() {
        let text = "Hallo,\nIBAN: DE89 3704 0044 0532 0130 00, Karte 4111-1111-1111-1111.\n\
                    RV-Nr. 65 170839 J 003\nSteuer-ID: 86 095 742 719\nKVNR A123456780\n\
                    Ausweisnummer T220001293";
        let found = kinds(text);
        let expect = [
            (Identifier::Iban, "DE89 **** **** 3000", 2),
            (Identifier::Card, "**** 1111", 2),
            (Identifier::PensionNumber, "*********003", 3),
            (Identifier::TaxId, "********719", 4),
            (Identifier::HealthInsuranceNumber, "*******780", 5),
            (Identifier::IdDocument, "*******293", 6),
        ];
        assert_eq!(found.len(), expect.len(), "{found:?}");
        for ((kind, masked, line), (want, want_masked, want_line)) in found.iter().zip(expect) {
            assert_eq!(*kind, want);
            assert_eq!(masked, want_masked);
            assert_eq!(*line, want_line);
        }
    }

    #[test]
    fn near_misses_and_context_free_numbers_are_not_identifiers() {
        // One digit off each, and numbers that validate but lack their context words.
        let text = "DE89 3704 0044 0532 0130 01\n4111 1111 1111 1112\n65 170839 J 004\n\
                    Bestellung 86095742719, Artikel A123456780, Ref T220001293";
        assert_eq!(kinds(text), []);
        // Inside a longer number, a valid one is not cut out; a bare Luhn-valid run
        // needs a card word.
        assert_eq!(kinds("Sendungsnummer 94111111111111111123"), []);
        assert_eq!(kinds("Auftrag 4111111111111111"), []);
        assert_eq!(kinds("Kreditkarte 4111111111111111").len(), 1);
    }

    #[test]
    fn table_header_gives_context() {
        let text = "Name;Steuer-ID;Krankenkasse\nMax;86095742719;A123456780\n";
        let found = kinds(text);
        assert_eq!(found.len(), 2, "{found:?}");
    }

    #[test]
    fn mrz_lines_are_documents() {
        let text = "Scan:\nP<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
                    L898902C36UTO7408122F1204159ZE184226B<<<<<10\n";
        let found = kinds(text);
        assert_eq!(found, [(Identifier::IdDocument, "******2C3".into(), 2)]);
    }

    #[test]
    fn people_emails_phones_vcards() {
        let mut participants = HashSet::new();
        participants.insert("me@corp.example".to_string());
        let text = "Name,E-Mail,Telefon\nA,a@x.example,+49 30 1234567\nB,b@y.example,0171-2345678\n\
                    me,me@corp.example,030 999 888 7\nBEGIN:VCARD\nEND:VCARD\nbegin:vcard\n";
        let scan = scan_text(text, &participants);
        assert_eq!(scan.emails.len(), 2);
        assert_eq!(scan.phones.len(), 3);
        assert_eq!(scan.vcards, 2);
        // Dates and amounts are no phone numbers, and without a phone word nothing counts.
        let scan = scan_text(
            "am 01.02.2024 zahlten wir 0,00 EUR; Auftrag 0123456789",
            &participants,
        );
        assert!(scan.phones.is_empty());
    }

    #[test]
    fn signature_block_is_located() {
        let scan = scan_text(
            "Hi\n\n-- \nACME GmbH\nIBAN DE89 3704 0044 0532 0130 00\n",
            &HashSet::new(),
        );
        assert_eq!(scan.signature_line, Some(3));
        assert_eq!(scan.identifiers[0].line, 5);
    }
}

//! Personal data in what the draft carries: validated identifiers (IBAN, payment
//! cards, German tax, pension and health insurance numbers, identity documents), lists
//! of many people (e-mail addresses, phone numbers, vCards) and special categories
//! (Art. 9 GDPR: health, religion, trade union, …), in the subject, the
//! body and every text-like file a recipient can open (forwarded messages, archive
//! entries and `winmail.dat` contents included, see [`crate::files`]).
//!
//! The scan runs once per check, within [`MAX_SCAN_BYTES`]; what is over the budget,
//! or was cut short by the front end, becomes a `not_inspected` entry (reported by
//! `content-not-inspected`), never a silent skip. Values are never kept in a report:
//! only their kind, a masked form, a hash for counting distinct values, and the place.

mod birth;
mod diagnosis;
#[cfg(test)]
mod evaluation;
mod scan;
mod special;
mod text;
pub(crate) mod validate;

use std::collections::HashSet;

use crate::draft::{Draft, NotInspected, Part, Reason};
use crate::files::Files;
use crate::policy::Policy;

/// The most text the checker scans per draft, all parts together. The add-ins hand
/// over at most 1 MiB of body and 8 MiB of attachment content; `.eml` files from the
/// CLI can carry more. Beyond this the rest is reported as not inspected.
pub(crate) const MAX_SCAN_BYTES: usize = 32 * 1024 * 1024;

/// A file name that [`scan`] reads as text (`.csv`, `.vcf`, `.txt`, …): archive
/// expansion reads such entries whole.
pub(crate) fn is_text_name(names: &[String]) -> bool {
    text::has_text_ending(names)
}

/// HTML reduced to the text a reader sees (for `.eml` bodies without a plain part).
pub(crate) fn html_to_text(html: &str) -> String {
    text::html_to_text(html)
}

/// A kind of identifier the scanner validates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Identifier {
    /// An IBAN (ISO 13616): registry length and MOD 97-10.
    Iban,
    /// A payment card number: issuer range, length and Luhn.
    Card,
    /// The German tax identification number (Steuer-ID), next to its name.
    TaxId,
    /// The German pension insurance number (Rentenversicherungsnummer).
    PensionNumber,
    /// The German health insurance number (KVNR), next to its name.
    HealthInsuranceNumber,
    /// An identity card or passport: a German document number next to its name, or a
    /// machine-readable zone (ICAO 9303).
    IdDocument,
    /// A date of birth: a date after a birth word or in a birth-date column.
    DateOfBirth,
}

impl Identifier {
    /// Every kind, in report order.
    pub(crate) const ALL: [Identifier; 7] = [
        Identifier::Iban,
        Identifier::Card,
        Identifier::TaxId,
        Identifier::PensionNumber,
        Identifier::HealthInsuranceNumber,
        Identifier::IdDocument,
        Identifier::DateOfBirth,
    ];

    /// The stable id, also the catalogue key's tail (`personal-data.kind.<id>`).
    #[cfg(test)]
    pub(crate) fn id(self) -> &'static str {
        match self {
            Identifier::Iban => "iban",
            Identifier::Card => "card",
            Identifier::TaxId => "tax-id",
            Identifier::PensionNumber => "pension-number",
            Identifier::HealthInsuranceNumber => "health-insurance-number",
            Identifier::IdDocument => "id-document",
            Identifier::DateOfBirth => "date-of-birth",
        }
    }
}

/// Where a finding is: the subject, the body, or a file by its place
/// (`forward.eml › kunden.csv`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Location {
    /// The subject line.
    Subject,
    /// The text of the mail.
    Body,
    /// A file a recipient can open (its place), or a forwarded message's text.
    File(String),
}

/// One identifier found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Hit {
    pub(crate) identifier: Identifier,
    /// Shown in reports: `DE89 **** **** 3000`.
    pub(crate) masked: String,
    /// A hash of the value, to count distinct values.
    pub(crate) key: u64,
    pub(crate) location: Location,
    /// 1-based line within its part.
    pub(crate) line: usize,
}

/// One part that lists many people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PeopleList {
    pub(crate) location: Location,
    /// Distinct people: the largest of distinct e-mail addresses (the draft's own
    /// participants excluded), distinct phone numbers and vCards.
    pub(crate) people: usize,
}

/// A special category of personal data (Art. 9 GDPR) shown in one part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SpecialHit {
    /// `health`, `religion`, `trade-union`, `sexual-orientation`, `ethnic-origin`,
    /// `biometric`, `genetic` or `political`.
    pub(crate) category: &'static str,
    pub(crate) location: Location,
    /// The first line that shows it.
    pub(crate) line: usize,
    /// ICD-10 codes in a medical context in this part (health only).
    pub(crate) diagnosis_codes: usize,
}

/// What the scan found, and what it could not read.
#[derive(Debug, Default)]
pub(crate) struct Scan {
    /// Identifiers, the policy's own ones and the sender's signature bank details left
    /// out, in draft order.
    pub(crate) hits: Vec<Hit>,
    /// Every scanned part with at least two people in it.
    pub(crate) lists: Vec<PeopleList>,
    /// Special categories, once per category and part.
    pub(crate) special: Vec<SpecialHit>,
    /// Parts not scanned in full.
    pub(crate) gaps: Vec<NotInspected>,
    /// Bytes of text scanned.
    pub(crate) scanned: usize,
}

/// Lines after a signature delimiter (`-- `) that still belong to the sender's
/// signature: bank details there are the sender's own.
const SIGNATURE_LINES: usize = 12;

/// The identifier as the policy's `own_identifiers` compares it: ASCII letters and
/// digits, upper case.
pub(crate) fn normalize(value: &str) -> String {
    value
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Whether `value` (spaces and case ignored) is an identifier the scan validates.
pub(crate) fn identifies(value: &str) -> bool {
    let id = normalize(value);
    let id = id.as_bytes();
    validate::is_iban(id)
        || validate::is_card(id)
        || validate::is_tax_id(id)
        || validate::is_pension_number(id)
        || validate::is_health_insurance_number(id)
        || validate::is_german_document_number(id)
}

struct Scanner<'p> {
    participants: HashSet<String>,
    own: HashSet<String>,
    budget: usize,
    out: Scan,
    _policy: &'p Policy,
}

/// Scans the draft's subject, body and text files.
pub(crate) fn scan(draft: &Draft, files: &Files<'_>, policy: &Policy) -> Scan {
    let participants = draft
        .from
        .iter()
        .chain(draft.to.iter())
        .chain(draft.cc.iter())
        .chain(draft.bcc.iter())
        .map(|address| address.address.trim().to_lowercase())
        .collect();
    let own = policy
        .personal_data
        .own_identifiers
        .iter()
        .map(|value| normalize(value.as_str()))
        .collect();
    let mut scanner = Scanner {
        participants,
        own,
        budget: MAX_SCAN_BYTES,
        out: Scan::default(),
        _policy: policy,
    };
    let mut work = crate::extract::Work::default();
    scanner.part(&draft.subject, Location::Subject, false);
    let body = text::readable(&draft.body, false);
    scanner.part(&body, Location::Body, true);
    for file in &files.files {
        let Some(content) = file.content.as_deref() else {
            continue;
        };
        let location = Location::File(file.place.clone());
        if text::is_message(file) {
            let reading = crate::mime::read(content);
            scanner.part(&reading.subject, location.clone(), false);
            let body = if reading.body.is_empty() {
                text::readable(&reading.html, true)
            } else {
                text::readable(&reading.body, false)
            };
            scanner.part(&body, location.clone(), true);
            continue;
        }
        if let Some(format) = crate::extract::format_of(&file.names, content) {
            let cut_short = (content.len() as u64) < file.size;
            let extraction = crate::extract::extract(format, content, cut_short, &mut work);
            if let Some(reason) = extraction.gap {
                scanner.gap(&location, reason);
            }
            let readable = text::readable(&extraction.text, false);
            scanner.part(&readable, location, false);
            continue;
        }
        if !text::is_text_file(file, content) {
            continue;
        }
        if (content.len() as u64) < file.size {
            scanner.gap(&location, Reason::TooLarge);
        }
        let decoded = text::decode(content);
        let readable = text::readable(&decoded, text::is_html_file(file));
        scanner.part(&readable, location, false);
    }
    scanner.out
}

impl Scanner<'_> {
    fn gap(&mut self, location: &Location, reason: Reason) {
        let entry = match location {
            Location::Subject | Location::Body => NotInspected {
                part: Part::Body,
                name: None,
                reason,
            },
            Location::File(place) => NotInspected {
                part: Part::Attachment,
                name: Some(place.clone()),
                reason,
            },
        };
        if !self.out.gaps.contains(&entry) {
            self.out.gaps.push(entry);
        }
    }

    /// Scans one part within the budget; `signed` parts may end in the sender's
    /// signature.
    fn part(&mut self, text: &str, location: Location, signed: bool) {
        if text.is_empty() {
            return;
        }
        let mut end = text.len().min(self.budget);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        if end < text.len() {
            self.gap(&location, Reason::TooLarge);
        }
        if end == 0 {
            return;
        }
        self.budget -= end;
        self.out.scanned += end;
        let found = scan::scan_text(&text[..end], &self.participants);
        for special in special::special_categories(&text[..end]) {
            self.out.special.push(SpecialHit {
                category: special.category,
                location: location.clone(),
                line: special.line,
                diagnosis_codes: special.diagnosis_codes,
            });
        }
        let signature = found.signature_line.filter(|_| signed);
        for hit in found.identifiers {
            if self.own.contains(&hit.normalized) {
                continue;
            }
            let in_signature =
                signature.is_some_and(|line| hit.line > line && hit.line <= line + SIGNATURE_LINES);
            if in_signature && hit.identifier == Identifier::Iban {
                continue;
            }
            self.out.hits.push(Hit {
                identifier: hit.identifier,
                masked: hit.masked,
                key: hit.key,
                location: location.clone(),
                line: hit.line,
            });
        }
        let people = found.emails.len().max(found.phones.len()).max(found.vcards);
        if people >= 2 {
            self.out.lists.push(PeopleList { location, people });
        }
    }
}

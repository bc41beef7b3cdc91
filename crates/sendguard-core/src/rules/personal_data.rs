//! What the personal-data rules share: the policy section's defaults, the severity by
//! who gets the mail, and the places of a finding as the user reads them.

use std::num::NonZeroU32;

use crate::files::PLACE_SEPARATOR;
use crate::messages::{Arg, Lang, Text, text};
use crate::personal_data::{Identifier, Location};
use crate::policy::{PersonalData, RecipientSeverities};
use crate::recipients::Class;
use crate::rules::Context;
use crate::vocabulary::Severity;

impl Default for PersonalData {
    /// Three IBANs are several people's bank details (one customer's on an invoice is
    /// business); three dates of birth likewise (one traveller's to a travel agency is
    /// business); any other identifier counts from one; ten people make a list.
    fn default() -> Self {
        PersonalData {
            own_identifiers: Vec::new(),
            min_ibans: NonZeroU32::new(3).unwrap_or(NonZeroU32::MIN),
            min_other_identifiers: NonZeroU32::MIN,
            min_dates_of_birth: NonZeroU32::new(3).unwrap_or(NonZeroU32::MIN),
            min_list_people: NonZeroU32::new(10).unwrap_or(NonZeroU32::MIN),
            severity_by_recipients: RecipientSeverities::default(),
        }
    }
}

impl Default for RecipientSeverities {
    /// Inside the organization it is shown; to a business partner it stops once; to a
    /// private mailbox it blocks.
    fn default() -> Self {
        RecipientSeverities {
            internal: Severity::Info,
            external: Severity::Warn,
            private_mailbox: Severity::Block,
        }
    }
}

/// The severity for this draft's recipients, capped by the rule's own severity.
pub(super) fn severity_for_recipients(context: &Context<'_>, ceiling: Severity) -> Severity {
    let by = &context.policy.personal_data.severity_by_recipients;
    let recipients = context
        .analysis
        .recipients
        .iter()
        .filter(|recipient| !recipient.is_sender);
    let mut severity = None;
    for recipient in recipients {
        let this = if recipient.freemail {
            by.private_mailbox
        } else if recipient.class == Class::Internal {
            by.internal
        } else {
            by.external
        };
        severity = Some(severity.map_or(this, |worst: Severity| worst.max(this)));
    }
    severity.unwrap_or(by.internal).min(ceiling)
}

/// The catalogue key of an identifier kind's name.
pub(super) fn kind_name(identifier: Identifier) -> Arg {
    let key = match identifier {
        Identifier::Iban => "personal-data.kind.iban",
        Identifier::Card => "personal-data.kind.card",
        Identifier::TaxId => "personal-data.kind.tax-id",
        Identifier::PensionNumber => "personal-data.kind.pension-number",
        Identifier::HealthInsuranceNumber => "personal-data.kind.health-insurance-number",
        Identifier::IdDocument => "personal-data.kind.id-document",
        Identifier::DateOfBirth => "personal-data.kind.date-of-birth",
    };
    Arg::Text(text(key, &[]))
}

/// The most places named in one message; the rest are counted.
const PLACES_SHOWN: usize = 4;
/// The most line numbers named per place.
const LINES_SHOWN: usize = 5;

/// "in the text (line 4), in “kunden.csv” (line 2, 3, 5)" in every language, from
/// places with their lines (in order of first appearance); a place without lines is
/// named whole ("in “kunden.csv”").
pub(super) fn places(places: &[(Location, Vec<usize>)]) -> Arg {
    let shown: Vec<Text> = places
        .iter()
        .take(PLACES_SHOWN)
        .map(|(location, lines)| {
            let mut numbers: Vec<String> = lines
                .iter()
                .take(LINES_SHOWN)
                .map(ToString::to_string)
                .collect();
            if lines.len() > LINES_SHOWN {
                numbers.push("…".to_string());
            }
            let whole = lines.is_empty();
            let lines = Arg::Str(numbers.join(", "));
            match location {
                Location::Subject => text("personal-data.place.subject", &[]),
                Location::Body if whole => text("personal-data.place.body-whole", &[]),
                Location::File(place) if whole => text(
                    "personal-data.place.file-whole",
                    &[("name", Arg::Str(place.clone()))],
                ),
                Location::Body => text("personal-data.place.body", &[("lines", lines)]),
                Location::File(place) => text(
                    "personal-data.place.file",
                    &[("name", Arg::Str(place.clone())), ("lines", lines)],
                ),
            }
        })
        .collect();
    let hidden = places.len().saturating_sub(PLACES_SHOWN);
    let more =
        (hidden > 0).then(|| text("personal-data.place.more", &[("count", Arg::Count(hidden))]));
    Arg::Text(Text::from_fn(|lang: Lang| {
        let mut parts: Vec<&str> = shown.iter().map(|t| t.get(lang)).collect();
        if let Some(more) = &more {
            parts.push(more.get(lang));
        }
        parts.join(", ")
    }))
}

/// The attachment (top-level name) all `locations` are in, if they are in one.
pub(super) fn single_attachment<'a>(
    mut locations: impl Iterator<Item = &'a Location>,
) -> Option<String> {
    let top = |location: &Location| match location {
        Location::File(place) => place.split(PLACE_SEPARATOR).next().map(str::to_string),
        _ => None,
    };
    let first = top(locations.next()?)?;
    locations
        .all(|location| top(location).as_deref() == Some(first.as_str()))
        .then_some(first)
}

/// The catalogue key of a special category's name (`personal-data-special-category`
/// and `unprotected-sensitive-data` both name them).
pub(super) fn category_key(category: &str) -> &'static str {
    match category {
        "health" => "personal-data.category.health",
        "religion" => "personal-data.category.religion",
        "trade-union" => "personal-data.category.trade-union",
        "sexual-orientation" => "personal-data.category.sexual-orientation",
        "ethnic-origin" => "personal-data.category.ethnic-origin",
        "biometric" => "personal-data.category.biometric",
        "genetic" => "personal-data.category.genetic",
        _ => "personal-data.category.political",
    }
}

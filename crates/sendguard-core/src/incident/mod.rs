//! After a mistake: what a sent message disclosed, and the papers the hour after it
//! needs.
//!
//! [`Incident::from_eml`] reads the sent message as its recipients' clients show it
//! and works out who received it, who could see whom (To/Cc against Bcc), how many of
//! them are private mailboxes and how many organizations, which categories of personal
//! data the content rules find (kinds and counts only, never values), the attachments,
//! when it was sent and by when the supervisory authority must hear of it (72 hours
//! after the company noticed, GDPR Art. 33(1)). It then walks the questions the EDPB
//! asks of a mis-sent message (Guidelines 01/2021 on examples regarding personal data
//! breach notification, section "mispostal") to a risk level and a first view on
//! Art. 33 and Art. 34. The decision is the data protection officer's; every output
//! says so.
//!
//! The outputs ([`Incident::documents`]): the breach-register entry (Art. 33(5)) as
//! JSON and Markdown, a draft notification to the authority, a draft information to
//! the data subjects, and a follow-up mail asking the recipients to delete the
//! message, with every recipient in Bcc. Nothing is sent.

mod date;
mod documents;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

pub use date::parse_noticed;
pub use documents::Documents;

use crate::draft::{Draft, NotInspected};
use crate::error::InputError;
use crate::personal_data::{Identifier, Location};
use crate::policy::Policy;
use crate::recipients::{Analysis, Class};

/// The Art. 33(1) window: 72 hours from becoming aware of the breach.
const NOTIFY_WITHIN_SECONDS: i64 = 72 * 3600;

/// From this many people whose address went to everyone, the scale alone is named.
const MANY_PEOPLE: usize = 100;

/// What a sent message disclosed, and a first assessment: the breach-register entry.
///
/// Serialized as JSON it is the register entry every front end produces byte for byte
/// for the same message and the same moment of noticing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Incident {
    /// `sendguard-incident/1`: the shape of this record.
    pub format: &'static str,
    /// The checker that produced it.
    pub checker_version: &'static str,
    /// The message's `Message-ID`, to find it in the mail system.
    pub message_id: Option<String>,
    /// When it was sent (the `Date` header, UTC), if the header is readable.
    pub sent_at: Option<String>,
    /// `ok`, `missing` or `unreadable`: the state of the `Date` header.
    pub date_header: &'static str,
    /// When the company noticed (UTC): the Art. 33 clock starts here.
    pub noticed_at: String,
    /// 72 hours after noticing: the authority should have the notification by then.
    pub notify_authority_by: String,
    /// The sender's organization (the registrable domain of `From`).
    pub sender_organization: Option<String>,
    /// Who received it.
    pub recipients: Recipients,
    /// Personal data the content rules found: kinds and counts, never values.
    pub personal_data: DisclosedData,
    /// The files a recipient can open, as attached.
    pub attachments: Vec<AttachmentFacts>,
    /// Parts that could not be inspected: what they hold is unknown, not harmless.
    pub not_inspected: Vec<NotInspected>,
    /// The first assessment; the data protection officer decides.
    pub assessment: Assessment,
    /// Distinct recipient addresses, To, Cc, then Bcc: for the follow-up mail only,
    /// never part of the register entry.
    #[serde(skip)]
    recipient_addresses: Vec<String>,
    /// The sender's address, for the follow-up mail.
    #[serde(skip)]
    sender: Option<String>,
    /// The subject, for the follow-up mail (the recipients have it already); never
    /// part of the register entry.
    #[serde(skip)]
    subject: String,
}

/// Counts over the recipients. Each address counts once, in the most visible field it
/// appears in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recipients {
    /// Distinct recipients, the sender excluded.
    pub total: usize,
    /// In To or Cc: every recipient saw these addresses.
    pub visible: usize,
    /// Only in Bcc: nobody else saw these.
    pub bcc_only: usize,
    /// At the sender's own organization (or the policy's internal domains).
    pub internal: usize,
    /// Outside it (trusted partners included).
    pub external: usize,
    /// Distinct external organizations (private mailboxes are no organization).
    pub external_organizations: usize,
    /// External private mailboxes (gmx, web.de, gmail, …): private people.
    pub private_mailboxes: usize,
    /// External addresses shown to every recipient (in To/Cc): whose address was
    /// disclosed to the others.
    pub disclosed_addresses: usize,
    /// How many of those are private mailboxes.
    pub disclosed_private_mailboxes: usize,
    /// How many recipients outside the organization saw an external address not
    /// their own; 0 when nobody outside did (colleagues seeing it is no disclosure).
    pub disclosed_to: usize,
}

/// Personal data in subject, text and attachments, as the content rules found it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DisclosedData {
    /// Validated identifiers per kind: distinct values, and where.
    pub identifiers: Vec<IdentifierCount>,
    /// Special categories (Art. 9 GDPR) and where they show.
    pub special_categories: Vec<CategoryPlaces>,
    /// Parts that list many people, and how many.
    pub people_lists: Vec<PeopleList>,
}

/// One kind of identifier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IdentifierCount {
    /// `iban`, `card`, `tax-id`, `pension-number`, `health-insurance-number`,
    /// `id-document`, `date-of-birth`.
    pub kind: &'static str,
    /// Distinct values.
    pub count: usize,
    /// `subject`, `body` or a file's place.
    pub places: Vec<String>,
}

/// One special category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategoryPlaces {
    /// `health`, `religion`, `trade-union`, …
    pub category: &'static str,
    /// `subject`, `body` or a file's place.
    pub places: Vec<String>,
}

/// One part that lists people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PeopleList {
    /// `subject`, `body` or a file's place.
    pub place: String,
    /// Distinct people in it.
    pub people: usize,
}

/// One attachment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttachmentFacts {
    /// The name the recipient sees.
    pub name: String,
    /// The declared media type.
    pub media_type: Option<String>,
    /// Size in bytes.
    pub size: u64,
}

/// The first assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment {
    /// `low`, `medium` (a risk: Art. 33) or `high` (a high risk: Art. 34 too).
    pub risk: Risk,
    /// Notifying the supervisory authority (Art. 33): `likely-required` or
    /// `likely-not-required`.
    pub notify_authority: &'static str,
    /// Informing the data subjects (Art. 34): `likely-required` or
    /// `likely-not-required`.
    pub inform_data_subjects: &'static str,
    /// Why, as stable ids (texts in the catalogue, `incident.reason.<id>`), in the
    /// order they weigh.
    pub reasons: Vec<&'static str>,
    /// Where the questions come from.
    pub guideline: &'static str,
    /// Who decides: always the data protection officer.
    pub decided_by: &'static str,
}

/// The risk to the people concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Risk {
    /// Unlikely to result in a risk: record it in the register, no notification.
    Low,
    /// A risk: notify the authority within 72 hours.
    Medium,
    /// A high risk: notify the authority and inform the people concerned.
    High,
}

impl Risk {
    /// `low`, `medium` or `high`.
    pub fn id(self) -> &'static str {
        match self {
            Risk::Low => "low",
            Risk::Medium => "medium",
            Risk::High => "high",
        }
    }
}

fn place_of(location: &Location) -> String {
    match location {
        Location::Subject => "subject".to_string(),
        Location::Body => "body".to_string(),
        Location::File(place) => place.clone(),
    }
}

fn identifier_kind(identifier: Identifier) -> &'static str {
    match identifier {
        Identifier::Iban => "iban",
        Identifier::Card => "card",
        Identifier::TaxId => "tax-id",
        Identifier::PensionNumber => "pension-number",
        Identifier::HealthInsuranceNumber => "health-insurance-number",
        Identifier::IdDocument => "id-document",
        Identifier::DateOfBirth => "date-of-birth",
    }
}

impl Incident {
    /// Assesses a sent message (`.eml`) that the company noticed at `noticed` (seconds
    /// since 1970, UTC), under `policy` (internal domains, extra private-mail domains,
    /// the company's own identifiers).
    ///
    /// ```
    /// use sendguard_core::{Incident, Policy, parse_noticed};
    ///
    /// let eml = b"From: anna@corp.example\r\nTo: a@gmx.de, b@web.de\r\n\
    ///     Date: Mon, 30 Nov 2026 16:05:00 +0100\r\n\r\nHallo\r\n";
    /// let noticed = parse_noticed("2026-12-01T09:00Z").unwrap();
    /// let incident = Incident::from_eml(eml, noticed, &Policy::default()).unwrap();
    /// assert_eq!(incident.recipients.disclosed_private_mailboxes, 2);
    /// assert_eq!(incident.notify_authority_by, "2026-12-04T09:00:00Z");
    /// assert_eq!(incident.assessment.risk.id(), "medium");
    /// ```
    pub fn from_eml(eml: &[u8], noticed: i64, policy: &Policy) -> Result<Incident, InputError> {
        let draft = Draft::from_eml(eml)?;
        let (fields, _) = crate::mime::header::split(eml);
        let header = |name: &str| {
            crate::mime::header::all(&fields, name)
                .next()
                .map(|raw| String::from_utf8_lossy(raw).trim().to_string())
        };
        let date = header("date");
        let sent = date.as_deref().and_then(date::parse_rfc5322);
        let date_header = match (&date, sent) {
            (None, _) => "missing",
            (Some(_), None) => "unreadable",
            (Some(_), Some(_)) => "ok",
        };
        let message_id = header("message-id")
            .filter(|id| !id.is_empty())
            .map(|id| id.chars().filter(|c| !c.is_control()).take(300).collect());
        Ok(Incident::assess(
            &draft,
            message_id,
            sent,
            date_header,
            noticed,
            policy,
        ))
    }

    fn assess(
        draft: &Draft,
        message_id: Option<String>,
        sent: Option<i64>,
        date_header: &'static str,
        noticed: i64,
        policy: &Policy,
    ) -> Incident {
        let analysis = Analysis::new(draft, policy);
        let people: Vec<_> = analysis
            .recipients
            .iter()
            .filter(|r| !r.is_sender)
            .collect();
        let external: Vec<_> = people
            .iter()
            .filter(|r| r.class != Class::Internal)
            .collect();
        let disclosed: Vec<_> = people.iter().filter(|r| r.exposed()).collect();
        let recipients = Recipients {
            total: people.len(),
            visible: people.iter().filter(|r| r.visible).count(),
            bcc_only: people.iter().filter(|r| !r.visible).count(),
            internal: people.len() - external.len(),
            external: external.len(),
            external_organizations: external
                .iter()
                .filter(|r| !r.freemail)
                .filter_map(|r| {
                    r.organization
                        .as_ref()
                        .map(crate::domain::DomainName::as_str)
                })
                .collect::<BTreeSet<_>>()
                .len(),
            private_mailboxes: external.iter().filter(|r| r.freemail).count(),
            disclosed_addresses: disclosed.len(),
            disclosed_private_mailboxes: disclosed.iter().filter(|r| r.freemail).count(),
            // Colleagues seeing an address is no disclosure (one controller); people
            // outside are. With one disclosed address, every outsider but its owner saw
            // it; with two or more, every outsider saw someone else's.
            disclosed_to: match disclosed.len() {
                0 => 0,
                1 => external.len() - 1,
                _ => external.len(),
            },
        };
        let files = crate::files::expand(draft);
        let scan = crate::personal_data::scan(draft, &files, policy);
        let mut identifiers: BTreeMap<Identifier, (BTreeSet<u64>, Vec<String>)> = BTreeMap::new();
        for hit in &scan.hits {
            let (values, places) = identifiers.entry(hit.identifier).or_default();
            values.insert(hit.key);
            let place = place_of(&hit.location);
            if !places.contains(&place) {
                places.push(place);
            }
        }
        let mut special: Vec<CategoryPlaces> = Vec::new();
        for hit in &scan.special {
            let place = place_of(&hit.location);
            match special.iter_mut().find(|c| c.category == hit.category) {
                Some(entry) if !entry.places.contains(&place) => entry.places.push(place),
                Some(_) => {}
                None => special.push(CategoryPlaces {
                    category: hit.category,
                    places: vec![place],
                }),
            }
        }
        let min_people = usize::try_from(policy.personal_data.min_list_people.get())
            .unwrap_or(usize::MAX)
            .max(2);
        let personal_data = DisclosedData {
            identifiers: identifiers
                .into_iter()
                .map(|(identifier, (values, places))| IdentifierCount {
                    kind: identifier_kind(identifier),
                    count: values.len(),
                    places,
                })
                .collect(),
            special_categories: special,
            people_lists: scan
                .lists
                .iter()
                .filter(|list| list.people >= min_people)
                .map(|list| PeopleList {
                    place: place_of(&list.location),
                    people: list.people,
                })
                .collect(),
        };
        let mut not_inspected: Vec<NotInspected> = draft.not_inspected.clone();
        for gap in files
            .gaps
            .iter()
            .map(crate::files::Gap::not_inspected)
            .chain(scan.gaps.iter().cloned())
        {
            if !not_inspected.contains(&gap) {
                not_inspected.push(gap);
            }
        }
        let min_ibans = usize::try_from(policy.personal_data.min_ibans.get()).unwrap_or(usize::MAX);
        let assessment = assessment(
            &recipients,
            &personal_data,
            !not_inspected.is_empty(),
            min_ibans,
        );
        let sender_organization = draft
            .from
            .as_ref()
            .and_then(crate::address::Address::domain)
            .and_then(crate::domain::DomainName::parse)
            .filter(|domain| {
                !crate::lists::is_freemail(domain) && !policy.freemail_domains.covers(domain)
            })
            .map(|domain| {
                crate::recipients::organization_in(&domain, policy)
                    .as_str()
                    .to_string()
            });
        Incident {
            format: "sendguard-incident/1",
            checker_version: crate::VERSION,
            message_id,
            sent_at: sent.map(date::format_utc),
            date_header,
            noticed_at: date::format_utc(noticed),
            notify_authority_by: date::format_utc(noticed.saturating_add(NOTIFY_WITHIN_SECONDS)),
            sender_organization,
            recipients,
            personal_data,
            attachments: draft
                .attachments
                .iter()
                .map(|a| AttachmentFacts {
                    name: a.name.clone(),
                    media_type: a.media_type.clone(),
                    size: a.size,
                })
                .collect(),
            not_inspected,
            assessment,
            recipient_addresses: people.iter().map(|r| r.key.clone()).collect(),
            sender: draft
                .from
                .as_ref()
                .map(|from| from.address.trim().to_string()),
            subject: draft.subject.clone(),
        }
    }

    /// The register entry as one line of JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The register entry as indented JSON, for files people read.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// The questions the EDPB's mispostal examples ask, as a table: each reason that
/// applies, and the risk it carries on its own. The assessment is the worst of them.
fn assessment(
    recipients: &Recipients,
    personal_data: &DisclosedData,
    gaps: bool,
    min_ibans: usize,
) -> Assessment {
    let ibans = personal_data
        .identifiers
        .iter()
        .filter(|i| i.kind == "iban")
        .map(|i| i.count)
        .sum::<usize>();
    let other_identifiers = personal_data.identifiers.iter().any(|i| i.kind != "iban");
    let people_in_lists = personal_data
        .people_lists
        .iter()
        .map(|list| list.people)
        .max()
        .unwrap_or(0);
    let someone_saw = recipients.disclosed_to > 0;
    let table: [(&'static str, bool, Risk); 12] = [
        (
            "special-category",
            !personal_data.special_categories.is_empty(),
            Risk::High,
        ),
        // Card, tax, social-security, health-insurance and ID numbers: fraud and
        // identity theft.
        ("identifiers", other_identifiers, Risk::High),
        // A list of bank details (a payment run) is high; one account is a risk.
        ("bank-details-list", ibans >= min_ibans.max(2), Risk::High),
        ("bank-details", ibans > 0, Risk::Medium),
        (
            "many-people-in-content",
            people_in_lists >= MANY_PEOPLE,
            Risk::High,
        ),
        ("people-in-content", people_in_lists > 0, Risk::Medium),
        (
            "many-addresses-disclosed",
            someone_saw && recipients.disclosed_addresses >= MANY_PEOPLE,
            Risk::Medium,
        ),
        (
            "private-addresses-disclosed",
            someone_saw && recipients.disclosed_private_mailboxes > 0,
            Risk::Medium,
        ),
        (
            "addresses-disclosed",
            someone_saw && recipients.disclosed_addresses > 0,
            Risk::Medium,
        ),
        ("not-inspected", gaps, Risk::Medium),
        ("external-recipients", recipients.external > 0, Risk::Low),
        ("internal-only", recipients.external == 0, Risk::Low),
    ];
    // A reason says each thing once: the weaker form goes when a stronger one applies.
    const SUBSUMED: [(&str, &[&str]); 3] = [
        ("bank-details", &["bank-details-list"]),
        ("people-in-content", &["many-people-in-content"]),
        (
            "addresses-disclosed",
            &["many-addresses-disclosed", "private-addresses-disclosed"],
        ),
    ];
    let applies = |id: &str| table.iter().any(|(other, on, _)| *other == id && *on);
    let applying: Vec<_> = table
        .iter()
        .filter(|(id, on, _)| {
            *on && !SUBSUMED
                .iter()
                .any(|(weaker, stronger)| weaker == id && stronger.iter().any(|s| applies(s)))
        })
        .collect();
    let risk = applying
        .iter()
        .map(|(_, _, risk)| *risk)
        .max()
        .unwrap_or(Risk::Low);
    Assessment {
        risk,
        notify_authority: if risk >= Risk::Medium {
            "likely-required"
        } else {
            "likely-not-required"
        },
        inform_data_subjects: if risk == Risk::High {
            "likely-required"
        } else {
            "likely-not-required"
        },
        reasons: applying.iter().map(|(id, _, _)| *id).collect(),
        guideline: "EDPB Guidelines 01/2021 on examples regarding personal data breach notification, mispostal",
        decided_by: "data-protection-officer",
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    const NOTICED: i64 = 1_796_115_600; // 2026-12-01T09:00:00Z

    pub(super) fn incident(headers: &str, body: &str) -> Incident {
        let eml = format!("From: Anna <anna@corp.example>\r\n{headers}\r\n\r\n{body}\r\n");
        Incident::from_eml(eml.as_bytes(), NOTICED, &Policy::default()).unwrap()
    }

    #[test]
    fn the_noticed_constant_is_what_it_says() {
        assert_eq!(date::format_utc(NOTICED), "2026-12-01T09:00:00Z");
    }

    #[test]
    fn cc_to_private_people_is_a_risk_and_names_who_saw_whom() {
        let found = incident(
            "To: anna@corp.example\r\nCc: a@gmx.de, b@web.de, c@partner.example\r\n\
             Bcc: d@other.example, colleague@corp.example\r\nDate: Mon, 30 Nov 2026 16:05:00 +0100",
            "Liebe Kundinnen",
        );
        let r = &found.recipients;
        assert_eq!((r.total, r.visible, r.bcc_only), (5, 3, 2));
        assert_eq!((r.internal, r.external, r.private_mailboxes), (1, 4, 2));
        assert_eq!(r.external_organizations, 2);
        assert_eq!(
            (r.disclosed_addresses, r.disclosed_private_mailboxes),
            (3, 2)
        );
        assert_eq!(r.disclosed_to, 4);
        assert_eq!(found.sent_at.as_deref(), Some("2026-11-30T15:05:00Z"));
        assert_eq!(found.date_header, "ok");
        assert_eq!(found.sender_organization.as_deref(), Some("corp.example"));
        assert_eq!(found.assessment.risk, Risk::Medium);
        assert_eq!(found.assessment.notify_authority, "likely-required");
        assert_eq!(found.assessment.inform_data_subjects, "likely-not-required");
        assert_eq!(
            found.assessment.reasons,
            ["private-addresses-disclosed", "external-recipients"]
        );
        // The follow-up mail goes to everyone but the sender.
        assert_eq!(found.recipient_addresses.len(), 5);
        assert!(!found.to_json().contains("gmx.de"), "{}", found.to_json());
    }

    #[test]
    fn one_wrong_recipient_without_personal_data_is_low() {
        let found = incident("To: someone@wrong.example", "Die Unterlagen kommen morgen.");
        assert_eq!(found.recipients.disclosed_to, 0);
        assert_eq!(found.assessment.risk, Risk::Low);
        assert_eq!(found.assessment.reasons, ["external-recipients"]);
        assert_eq!(found.date_header, "missing");
        assert_eq!(found.sent_at, None);
    }

    #[test]
    fn bcc_only_discloses_no_addresses() {
        let found = incident("To: anna@corp.example\r\nBcc: a@gmx.de, b@web.de", "Hallo");
        assert_eq!(found.recipients.disclosed_addresses, 0);
        assert_eq!(found.assessment.risk, Risk::Low);
    }

    #[test]
    fn identifiers_are_counted_never_echoed_and_make_it_high() {
        let found = incident(
            "To: wrong@other.example\r\nDate: not a date",
            "Bitte überweisen Sie an IBAN DE89 3704 0044 0532 0130 00 und\r\n\
             IBAN DE02 1203 0000 0000 2020 51 sowie GB82 WEST 1234 5698 7654 32.",
        );
        assert_eq!(found.date_header, "unreadable");
        assert_eq!(found.personal_data.identifiers.len(), 1);
        let ibans = &found.personal_data.identifiers[0];
        assert_eq!((ibans.kind, ibans.count), ("iban", 3));
        assert_eq!(ibans.places, ["body"]);
        assert_eq!(found.assessment.risk, Risk::High);
        assert_eq!(found.assessment.inform_data_subjects, "likely-required");
        let json = found.to_json();
        assert!(!json.contains("3704") && !json.contains("WEST"), "{json}");
    }

    #[test]
    fn an_unreadable_part_is_never_harmless() {
        let mut draft =
            Draft::from_eml(b"From: a@corp.example\r\nTo: x@y.example\r\n\r\nHi\r\n").unwrap();
        draft.not_inspected.push(NotInspected {
            part: crate::draft::Part::Attachment,
            name: Some("secret.zip".into()),
            reason: crate::draft::Reason::Encrypted,
        });
        let found = Incident::assess(&draft, None, None, "missing", NOTICED, &Policy::default());
        assert_eq!(found.assessment.risk, Risk::Medium);
        assert!(found.assessment.reasons.contains(&"not-inspected"));
    }

    #[test]
    fn internal_only_is_low_and_the_deadline_is_72_hours_after_noticing() {
        let found = incident("To: bob@corp.example", "Hi");
        assert_eq!(found.assessment.reasons, ["internal-only"]);
        assert_eq!(found.notify_authority_by, "2026-12-04T09:00:00Z");
    }

    #[test]
    fn hostile_headers_and_ten_thousand_recipients() {
        let long = "9".repeat(10_000);
        for date in [
            long.as_str(),
            "Tue, 99999999999999999999 Dec 2026 08:15:00 +0100",
            "1 Dec 9223372036854775807 08:15:00 +0100",
            "1 Dec 2026 99999999999:15:00 +9999",
            "((((((((((((",
            "1 Dec 2026 08:15:00 ö",
        ] {
            let found = incident(&format!("To: a@b.example\r\nDate: {date}"), "x");
            assert_eq!(found.date_header, "unreadable", "{date}");
        }
        let id = format!("Message-ID: <{}\u{202E}@x>", "a".repeat(5000));
        let found = incident(&format!("To: a@b.example\r\n{id}"), "x");
        assert!(found.message_id.as_ref().unwrap().chars().count() <= 300);
        let cc: Vec<String> = (0..10_000)
            .map(|i| format!("p{i}@org{i}.example"))
            .collect();
        let started = std::time::Instant::now();
        let found = incident(&format!("Cc: {}", cc.join(",\r\n ")), "x");
        assert_eq!(found.recipients.disclosed_addresses, 10_000);
        let papers = found.documents(crate::Lang::En);
        assert_eq!(papers.recall_eml.matches("@org").count(), 10_000);
        assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        assert!(Incident::from_eml(b"", NOTICED, &Policy::default()).is_err());
        assert!(Incident::from_eml(b"\x00\x01garbage", NOTICED, &Policy::default()).is_err());
        // Extreme times do not overflow.
        let found = Incident::from_eml(
            b"From: a@b.example\r\nTo: c@d.example\r\n\r\n",
            i64::MAX,
            &Policy::default(),
        );
        assert!(found.is_ok());
    }
}

//! The policy: what IT and the data-protection officer decide, in one JSON file.
//!
//! Every field is optional and has a documented default, so no file at all is a valid
//! policy. Everything else is strict: an unknown key, a wrong type, a domain that is not
//! a domain or thresholds that contradict each other are errors that name the key and
//! the line, because a typo must never silently switch protection off.

mod de;
mod domain_set;
mod error;
mod parse;
mod severities;
mod tree;

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use crate::expecting::Expecting;
use crate::vocabulary::Severity;

pub use domain_set::DomainSet;
pub use error::{PolicyError, PolicyErrorKind};
pub use severities::Severities;

/// What a front end does when the checker itself fails (it throws, or cannot load).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FailMode {
    /// Let the mail go and tell the user it was not checked. The default: a broken
    /// checker must not stop a company's mail.
    #[default]
    FailOpen,
    /// Stop the send with a message that the check failed.
    FailClosed,
}

/// Who goes into To when `move-to-bcc` empties it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BccTo {
    /// The sender: the classic newsletter form, and what spam filters expect.
    #[default]
    Sender,
    /// Nobody: To stays empty.
    Nobody,
}

/// A sendguard policy. Build it with [`Policy::from_json`] or take [`Policy::default`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Policy {
    /// A JSON Schema reference for editors; ignored by the checker.
    #[serde(rename = "$schema", skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// A name for this policy, shown in the add-ins' options ("ACME 2026-11").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The organization's own domains; their subdomains are internal too. Empty: the
    /// sender's organization (registrable domain of From) is internal.
    pub internal_domains: DomainSet,
    /// Partner domains treated like internal ones for visibility: they are not counted
    /// as exposed parties and stay visible when moving to BCC. Still listed as external.
    pub trusted_domains: DomainSet,
    /// Extra private-mail domains, on top of the shipped lists.
    pub freemail_domains: DomainSet,
    /// A draft with at least this many recipients in Bcc only (the sender not counted)
    /// is a mailing: `freemail-recipient` reports the private mailboxes in its Bcc as an
    /// info, not a warning. Private mailboxes in To or Cc always warn. 0: never a mailing.
    pub bcc_mailing_from: u32,
    /// Shared mail-hosting suffixes whose subdomains are separate organizations (a
    /// Microsoft 365 tenant `contoso.onmicrosoft.com`), on top of the shipped list
    /// (`data/tenant-suffixes.txt`).
    pub tenant_suffixes: DomainSet,
    /// Domains nobody may send to (rule `blocked-recipient`).
    pub blocked_domains: DomainSet,
    /// Each rule's severity (`off`, `info`, `warn`, `block`). For `visible-recipients`
    /// it is the highest severity the thresholds may reach.
    pub severity: Severities,
    /// Thresholds for `visible-recipients`.
    pub visible_recipients: VisibleRecipients,
    /// How the `move-to-bcc` fix rewrites the draft.
    pub move_to_bcc: MoveToBcc,
    /// The organization's newsletter tool, suggested for mailings; its name appears on
    /// the export button.
    pub newsletter_tool: Option<NewsletterTool>,
    /// Attachment limits.
    pub attachments: AttachmentPolicy,
    /// Whether users may send despite a `block`.
    #[serde(rename = "override")]
    pub override_block: OverridePolicy,
    /// What the add-ins do when the checker itself fails.
    pub on_checker_error: FailMode,
    /// Thresholds and severities of the personal-data rules, and the organization's own
    /// identifiers.
    pub personal_data: PersonalData,
    /// Holding mail back for a while after Send, so that a mistake can still be
    /// stopped. Off by default.
    pub delay: DelayPolicy,
    /// When sensitive personal data must travel end-to-end encrypted or labelled (rule
    /// `unprotected-sensitive-data`), and the sensitivity label the Outlook fix applies.
    pub protection: ProtectionPolicy,
}

/// Settings of `unprotected-sensitive-data`.
///
/// Following the German supervisory authorities' guidance on e-mail (DSK, "Maßnahmen
/// zum Schutz personenbezogener Daten bei der Übermittlung per E-Mail"): transport
/// encryption is the floor for every mail, end-to-end encryption is needed where the
/// data carries high risk (special categories, bank and identity data).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ProtectionPolicy {
    /// Special categories of Art. 9 GDPR (as `personal-data-special-category` finds
    /// them) need protection on the way to external recipients.
    pub special_categories: bool,
    /// Bank, card, tax, social-insurance and identity numbers need it, once they reach
    /// the `personal_data` thresholds (`min_ibans`, `min_other_identifiers`), also when
    /// `personal-data-identifiers` itself is off.
    pub identifiers: bool,
    /// Lists of many people's contact details (`personal_data.min_list_people`) need it.
    pub member_lists: bool,
    /// The sensitivity label (its name or id, as in the Outlook label catalogue) that
    /// counts as protection and that the `apply-label` fix applies. None: only
    /// end-to-end encryption counts.
    pub label: Option<String>,
    /// The severity by who gets the mail; the most exposed recipient decides, and the
    /// rule's own severity is the ceiling. Mail that stays inside the organization
    /// travels on its own servers: off by default.
    pub severity_by_recipients: RecipientSeverities,
}

/// The longest delay a policy may set, in seconds (15 minutes). A delay is a chance to
/// stop a mistake, not a send schedule: in Thunderbird the compose window stays open
/// for the whole countdown, and a mail held for hours is a mail nobody expects.
pub const MAX_DELAY_SECONDS: u32 = 900;

/// Which mail a delay holds back.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DelayWhen {
    /// Every mail with at least one recipient outside the internal domains (trusted
    /// partners and unusable addresses included).
    #[default]
    External,
    /// Mail with an external recipient that the user sends despite a warning or a
    /// block (verdict `warn` or `block`, confirmed or overridden).
    Findings,
    /// Every mail, internal ones too.
    Always,
}

/// The policy's `delay` section: how long mail waits after Send before it leaves.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DelayPolicy {
    /// Seconds a mail waits after Send before it leaves (at most 900). 0: no delay.
    /// A delay comes after the checks and never replaces a block.
    pub seconds: u32,
    /// Which mail waits: `external` (a recipient outside the organization), `findings`
    /// (an external recipient and a warning or block the user sent past) or `always`.
    pub when: DelayWhen,
}

/// Settings of `personal-data-identifiers` and `personal-data-member-list`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PersonalData {
    /// The organization's own identifiers (its IBANs, say): not personal data, never
    /// reported. Each must be a valid identifier (IBAN, card, tax, pension or health
    /// insurance number, document number); spaces are ignored.
    pub own_identifiers: Vec<OwnIdentifier>,
    /// Distinct IBANs in a draft from which `personal-data-identifiers` reports: one
    /// customer's IBAN on an invoice is business, several people's bank details are a
    /// list.
    #[serde(deserialize_with = "at_least_one")]
    pub min_ibans: std::num::NonZeroU32,
    /// Distinct other identifiers (cards, tax, pension and health insurance numbers,
    /// identity documents) from which `personal-data-identifiers` reports.
    #[serde(deserialize_with = "at_least_one")]
    pub min_other_identifiers: std::num::NonZeroU32,
    /// Distinct dates of birth (a date after "geb.", "born", "Geburtsdatum", … or in
    /// such a column) from which `personal-data-identifiers` reports: one person's is
    /// a booking, several are a list of people.
    pub min_dates_of_birth: std::num::NonZeroU32,
    /// Distinct people (e-mail addresses, phone numbers or vCards) in one part (the
    /// text, one file) from which `personal-data-member-list` reports.
    #[serde(deserialize_with = "at_least_one")]
    pub min_list_people: std::num::NonZeroU32,
    /// The severity of a personal-data finding by who gets the mail; the most exposed
    /// recipient decides, and the rule's own severity is the ceiling.
    pub severity_by_recipients: RecipientSeverities,
}

/// A severity for each class of recipient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RecipientSeverities {
    /// Every recipient is internal.
    pub internal: Severity,
    /// Some recipient is external (business domains, trusted partners included).
    pub external: Severity,
    /// Some recipient is a private mailbox (freemail, consumer ISP).
    pub private_mailbox: Severity,
}

/// One of the organization's own identifiers, as written in the policy
/// (`"DE89 3704 0044 0532 0130 00"`). Parsing fails unless it validates as one of the
/// identifiers the personal-data scan knows, so a typo cannot hide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(into = "String")]
pub struct OwnIdentifier(String);

impl OwnIdentifier {
    /// As written in the policy.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for OwnIdentifier {
    type Error = String;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        if crate::personal_data::identifies(&value) {
            Ok(OwnIdentifier(value))
        } else {
            let want: &dyn serde::de::Expected = &Expecting::OwnIdentifier;
            Err(format!("`{value}` is not {want}"))
        }
    }
}

impl<'de> Deserialize<'de> for OwnIdentifier {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        if crate::personal_data::identifies(&text) {
            return Ok(OwnIdentifier(text));
        }
        let found = serde::de::Unexpected::Str(&text);
        Err(serde::de::Error::invalid_value(
            found,
            &Expecting::OwnIdentifier,
        ))
    }
}

/// A threshold that cannot be 0, read so that 0 is refused in the policy's own words
/// (serde's `NonZeroU32` says "a nonzero u32").
fn at_least_one<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<std::num::NonZeroU32, D::Error> {
    let count = u32::deserialize(deserializer)?;
    std::num::NonZeroU32::new(count).ok_or_else(|| {
        let found = serde::de::Unexpected::Unsigned(u64::from(count));
        serde::de::Error::invalid_value(found, &Expecting::AtLeastOne)
    })
}

impl From<OwnIdentifier> for String {
    fn from(value: OwnIdentifier) -> String {
        value.0
    }
}

/// Thresholds for `visible-recipients`, counted over external recipients in To and Cc.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct VisibleRecipients {
    /// Warn from this many parties (organizations; each private address is its own).
    pub warn_parties: u32,
    /// Block from this many parties.
    pub block_parties: u32,
    /// Block from this many external addresses, however few organizations.
    pub block_addresses: u32,
}

/// How `move-to-bcc` rewrites the draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MoveToBcc {
    /// Who goes into To when it would be empty.
    pub to: BccTo,
    /// Whether internal (and trusted) recipients stay in To/Cc; if not, they move too.
    pub keep_internal_visible: bool,
}

impl Default for MoveToBcc {
    fn default() -> Self {
        MoveToBcc {
            to: BccTo::Sender,
            keep_internal_visible: true,
        }
    }
}

/// The organization's newsletter tool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewsletterTool {
    /// Its name as users know it ("CleverReach", "rapidmail").
    pub name: String,
    /// Where to open it (`https://…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// Attachment limits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AttachmentPolicy {
    /// The most all attachments together may weigh, in MB (10^6 bytes). Base64 makes
    /// a message about a third larger: 20 MB of files is about the 25 MB most mail
    /// servers accept.
    pub max_total_mb: u32,
    /// More endings to treat as dangerous (`"xlsm"`), without the dot.
    pub extra_dangerous_extensions: Vec<String>,
    /// Endings never treated as dangerous (`"iso"` for an IT team), without the dot.
    pub allowed_extensions: Vec<String>,
}

impl Default for AttachmentPolicy {
    fn default() -> Self {
        AttachmentPolicy {
            max_total_mb: 20,
            extra_dangerous_extensions: Vec::new(),
            allowed_extensions: Vec::new(),
        }
    }
}

/// Whether a `block` can be overridden by the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OverridePolicy {
    /// Users may send despite a block.
    pub allow_block: bool,
    /// An override needs a written reason.
    pub require_reason: bool,
}

impl Default for OverridePolicy {
    fn default() -> Self {
        OverridePolicy {
            allow_block: false,
            require_reason: true,
        }
    }
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            schema: None,
            name: None,
            internal_domains: DomainSet::default(),
            trusted_domains: DomainSet::default(),
            freemail_domains: DomainSet::default(),
            // Ten people in Bcc are a mailing; personal mail rarely hides that many.
            bcc_mailing_from: 10,
            tenant_suffixes: DomainSet::default(),
            blocked_domains: DomainSet::default(),
            severity: Severities::default(),
            visible_recipients: VisibleRecipients::default(),
            move_to_bcc: MoveToBcc::default(),
            newsletter_tool: None,
            attachments: AttachmentPolicy::default(),
            override_block: OverridePolicy::default(),
            on_checker_error: FailMode::FailOpen,
            personal_data: PersonalData::default(),
            protection: ProtectionPolicy::default(),
            delay: DelayPolicy::default(),
        }
    }
}

static DEFAULT_JSON: LazyLock<String> = LazyLock::new(|| {
    let mut text = serde_json::to_string_pretty(&Policy::default()).unwrap_or_default();
    text.push('\n');
    text
});

/// The default policy as JSON, every field written out: what `sendguard policy
/// default` prints and what the server serves when IT gives no policy file.
pub fn default_policy_json() -> &'static str {
    &DEFAULT_JSON
}

#[cfg(test)]
mod schema_tests {
    use super::*;
    use serde_json::Value;

    const SCHEMA: &str = include_str!("../../policy.schema.json");

    /// Every key of the default policy is in the schema with the same default, and
    /// every key the schema names is accepted by the parser: the two cannot drift.
    #[test]
    fn schema_matches_the_policy_types() {
        let schema: Value = serde_json::from_str(SCHEMA).unwrap();
        let defaults: Value = serde_json::from_str(default_policy_json()).unwrap();
        let mut checked = 0;
        walk(&schema, &defaults, "", &mut checked);
        assert!(checked > 20, "only {checked} keys compared");
    }

    fn walk(schema: &Value, defaults: &Value, path: &str, checked: &mut usize) {
        let properties = schema["properties"].as_object().unwrap();
        for (key, value) in defaults.as_object().unwrap() {
            let property = properties
                .get(key)
                .unwrap_or_else(|| panic!("schema lacks `{path}{key}`"));
            if value.is_object() {
                walk(property, value, &format!("{path}{key}."), checked);
            } else {
                assert_eq!(property["default"], *value, "default of `{path}{key}`");
                *checked += 1;
            }
        }
        for key in properties.keys() {
            if key == "$schema" || key == "name" {
                continue;
            }
            let full = format!("{path}{key}");
            let mut probe = serde_json::Map::new();
            let accepts_text = match &properties[key]["type"] {
                Value::String(kind) => kind == "string",
                Value::Array(kinds) => kinds.iter().any(|kind| kind == "string"),
                _ => false,
            };
            let sample = match properties[key].get("default") {
                Some(value) if !value.is_null() => value.clone(),
                _ if accepts_text => serde_json::json!("x"),
                Some(_) => serde_json::json!({"name": "Tool"}),
                None => serde_json::json!({}),
            };
            let mut inner = Value::Object(serde_json::Map::from_iter([(key.clone(), sample)]));
            for part in path
                .trim_end_matches('.')
                .split('.')
                .rev()
                .filter(|p| !p.is_empty())
            {
                inner = Value::Object(serde_json::Map::from_iter([(part.to_string(), inner)]));
            }
            probe.extend(inner.as_object().unwrap().clone());
            let text = Value::Object(probe).to_string();
            assert!(
                Policy::from_json(&text).is_ok(),
                "parser rejects schema key `{full}`: {text}"
            );
        }
    }
}

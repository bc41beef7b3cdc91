//! The policy: what IT and the data-protection officer decide, in one JSON file.
//!
//! Every field is optional and has a documented default, so no file at all is a valid
//! policy. Everything else is strict: an unknown key, a wrong type, a domain that is not
//! a domain or thresholds that contradict each other are errors that name the key and
//! the line, because a typo must never silently switch protection off.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::LazyLock;

use serde::de::{IntoDeserializer as _, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use crate::domain::DomainName;
use crate::json::{locate, objects_not_arrays};
use crate::vocabulary::{RuleId, Severity};

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
    pub internal_domains: Vec<DomainName>,
    /// Partner domains treated like internal ones for visibility: they are not counted
    /// as exposed parties and stay visible when moving to BCC. Still listed as external.
    pub trusted_domains: Vec<DomainName>,
    /// Extra private-mail domains, on top of the shipped lists.
    pub freemail_domains: Vec<DomainName>,
    /// Domains nobody may send to (rule `blocked-recipient`).
    pub blocked_domains: Vec<DomainName>,
    /// Each rule's severity (`off`, `info`, `warn`, `block`). For `visible-recipients`
    /// it is the highest severity the thresholds may reach.
    #[serde(serialize_with = "serialize_severities")]
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
}

/// Rule severities; rules not named keep their default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Severities(BTreeMap<RuleId, Severity>);

impl Severities {
    /// The severity of `rule`: as set, else the rule's default.
    pub fn get(&self, rule: RuleId) -> Severity {
        self.0
            .get(&rule)
            .copied()
            .unwrap_or_else(|| rule.default_severity())
    }

    /// Sets the severity of `rule`.
    pub fn set(&mut self, rule: RuleId, severity: Severity) {
        self.0.insert(rule, severity);
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
            internal_domains: Vec::new(),
            trusted_domains: Vec::new(),
            freemail_domains: Vec::new(),
            blocked_domains: Vec::new(),
            severity: Severities::default(),
            visible_recipients: VisibleRecipients::default(),
            move_to_bcc: MoveToBcc::default(),
            newsletter_tool: None,
            attachments: AttachmentPolicy::default(),
            override_block: OverridePolicy::default(),
            on_checker_error: FailMode::FailOpen,
        }
    }
}

/// The policy keys whose values are lists; everywhere else an array is a mistake.
const POLICY_LISTS: &[&str] = &[
    "internal_domains",
    "trusted_domains",
    "freemail_domains",
    "blocked_domains",
    "extra_dangerous_extensions",
    "allowed_extensions",
];

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

impl Policy {
    /// Reads a policy, rejecting anything it does not understand.
    ///
    /// ```
    /// use sendguard_core::Policy;
    ///
    /// let error = Policy::from_json("{\n  \"severity\": {\"freemail-recipent\": \"off\"}\n}")
    ///     .unwrap_err();
    /// assert_eq!(error.line(), 2);
    /// assert!(error.to_string().contains("did you mean `freemail-recipient`"));
    /// ```
    pub fn from_json(text: &str) -> Result<Policy, PolicyError> {
        if text.trim().is_empty() {
            return Err(PolicyError {
                kind: PolicyErrorKind::Empty,
                path: String::new(),
                line: 1,
                column: 1,
                message: "the policy is empty; write {} for the default policy".into(),
            });
        }
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let mut policy: Policy =
            serde_path_to_error::deserialize(&mut deserializer).map_err(PolicyError::from_serde)?;
        deserializer.end().map_err(|error| PolicyError {
            kind: PolicyErrorKind::Syntax,
            path: String::new(),
            line: error.line(),
            column: error.column(),
            message: "unexpected text after the policy object".into(),
        })?;
        if let Err(place) = objects_not_arrays(text, POLICY_LISTS) {
            let what = if place.path.is_empty() {
                "the policy must be a JSON object `{…}`, not an array".to_string()
            } else {
                format!("`{}` must be an object `{{…}}`, not an array", place.path)
            };
            return Err(PolicyError {
                kind: PolicyErrorKind::WrongValue,
                path: place.path,
                line: place.line,
                column: place.column,
                message: what,
            });
        }
        policy.validate(text)?;
        policy.normalize();
        Ok(policy)
    }

    /// Checks what types cannot: ranges and thresholds that contradict each other.
    fn validate(&self, text: &str) -> Result<(), PolicyError> {
        let limits = &self.visible_recipients;
        let checks: [(&[&str], bool, &str); 5] = [
            (
                &["visible_recipients", "warn_parties"],
                limits.warn_parties >= 1,
                "must be at least 1",
            ),
            (
                &["visible_recipients", "block_parties"],
                limits.block_parties >= limits.warn_parties,
                "must not be below warn_parties",
            ),
            (
                &["visible_recipients", "block_addresses"],
                limits.block_addresses >= 1,
                "must be at least 1",
            ),
            (
                &["attachments", "max_total_mb"],
                self.attachments.max_total_mb >= 1,
                "must be at least 1",
            ),
            (
                &["newsletter_tool", "url"],
                self.newsletter_tool
                    .as_ref()
                    .and_then(|tool| tool.url.as_deref())
                    .is_none_or(|url| url.starts_with("https://") || url.starts_with("http://")),
                "must start with https:// (or http://)",
            ),
        ];
        for (path, ok, problem) in checks {
            if !ok {
                let (line, column) = locate(text, path);
                return Err(PolicyError {
                    kind: PolicyErrorKind::Invalid,
                    path: path.join("."),
                    line,
                    column,
                    message: format!("`{}` {problem}", path.join(".")),
                });
            }
        }
        for (path, list) in [
            (
                "attachments.extra_dangerous_extensions",
                &self.attachments.extra_dangerous_extensions,
            ),
            (
                "attachments.allowed_extensions",
                &self.attachments.allowed_extensions,
            ),
        ] {
            if let Some(bad) = list.iter().find(|ext| {
                let ext = ext.trim_start_matches('.');
                ext.is_empty() || !ext.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            }) {
                let (section, key) = path.split_once('.').unwrap_or((path, ""));
                let (line, column) = locate(text, &[section, key]);
                return Err(PolicyError {
                    kind: PolicyErrorKind::Invalid,
                    path: path.to_string(),
                    line,
                    column,
                    message: format!("`{path}`: {bad:?} is not a file ending (write \"exe\")"),
                });
            }
        }
        Ok(())
    }

    fn normalize(&mut self) {
        for list in [
            &mut self.attachments.extra_dangerous_extensions,
            &mut self.attachments.allowed_extensions,
        ] {
            for ext in list.iter_mut() {
                *ext = ext.trim_start_matches('.').to_ascii_lowercase();
            }
        }
    }
}

/// A policy the checker cannot accept, with the key and the place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    kind: PolicyErrorKind,
    path: String,
    line: usize,
    column: usize,
    message: String,
}

/// What is wrong with a policy.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyErrorKind {
    /// The file is empty.
    Empty,
    /// Not valid JSON.
    Syntax,
    /// A key the policy does not have (usually a typo).
    UnknownKey,
    /// A value of the wrong type or form (a string where a number belongs, a bad domain).
    WrongValue,
    /// Values that are each fine but contradict each other or are out of range.
    Invalid,
}

impl PolicyError {
    fn from_serde(error: serde_path_to_error::Error<serde_json::Error>) -> PolicyError {
        let path = error.path().to_string();
        let inner = error.into_inner();
        let text = crate::draft::strip_position(&inner);
        let kind = if inner.is_syntax() || inner.is_eof() {
            PolicyErrorKind::Syntax
        } else if ["unknown field", "unknown variant", UNKNOWN_KEY]
            .iter()
            .any(|start| text.starts_with(start))
        {
            PolicyErrorKind::UnknownKey
        } else {
            PolicyErrorKind::WrongValue
        };
        // Map keys are not tracked by serde_path_to_error; `severity.?` says "a value
        // in severity", and our message names the rule itself.
        let path = match path.as_str() {
            "." => String::new(),
            _ => path.trim_end_matches(".?").to_string(),
        };
        let message = match kind {
            // Our own visitors' messages already name the key.
            _ if text.starts_with('`') || text.starts_with(UNKNOWN_KEY) => text,
            PolicyErrorKind::UnknownKey => explain_unknown(&text, &path),
            _ if path.is_empty() => text,
            _ => format!("`{path}`: {text}"),
        };
        PolicyError {
            kind,
            path,
            line: inner.line(),
            column: inner.column(),
            message,
        }
    }

    /// What kind of problem this is.
    pub fn kind(&self) -> PolicyErrorKind {
        self.kind
    }

    /// The key concerned, dotted (`visible_recipients.warn_parties`); empty for the
    /// whole file.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// 1-based line.
    pub fn line(&self) -> usize {
        self.line
    }

    /// 1-based column.
    pub fn column(&self) -> usize {
        self.column
    }

    /// The problem, without the position.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.message
        )
    }
}

impl std::error::Error for PolicyError {}

/// Turns serde's "unknown field `x`, expected one of `a`, `b`" into a sentence that
/// names the full key and suggests the closest known one.
fn explain_unknown(text: &str, path: &str) -> String {
    let quoted: Vec<&str> = text.split('`').skip(1).step_by(2).collect();
    let Some((unknown, known)) = quoted.split_first() else {
        return text.to_string();
    };
    let what = if text.starts_with("unknown variant") {
        "value"
    } else {
        "key"
    };
    let full = if what == "key" {
        match path.rsplit_once('.') {
            Some((parent, _)) => format!("{parent}.{unknown}"),
            None if path.is_empty() || path == *unknown => (*unknown).to_string(),
            None => path.to_string(),
        }
    } else {
        (*unknown).to_string()
    };
    let mut message = if what == "key" {
        format!("unknown key `{full}`")
    } else if path.is_empty() {
        format!("unknown value `{full}`")
    } else {
        format!("`{path}`: unknown value `{full}`")
    };
    if let Some(best) = suggest(unknown, known) {
        message.push_str(&format!("; did you mean `{best}`?"));
    } else if !known.is_empty() {
        message.push_str(&format!("; expected one of: {}", known.join(", ")));
    }
    message
}

/// How messages about a key the policy does not have begin.
const UNKNOWN_KEY: &str = "unknown key";

/// For suggestions; parsing goes through `Severity`'s own `Deserialize`.
const SEVERITY_NAMES: &[&str] = &["off", "info", "warn", "block"];

/// The closest candidate, if it is close enough to be what was meant.
fn suggest<'c>(unknown: &str, candidates: &[&'c str]) -> Option<&'c str> {
    candidates
        .iter()
        .map(|candidate| (edit_distance(unknown, candidate), *candidate))
        .filter(|(distance, candidate)| {
            *distance <= 2.max(candidate.len() / 3)
                || unknown.starts_with(candidate)
                || candidate.starts_with(unknown)
        })
        .min()
        .map(|(_, candidate)| candidate)
}

/// Levenshtein distance over characters; inputs here are short key names.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

fn serialize_severities<S: serde::Serializer>(
    severities: &Severities,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap as _;
    let mut map = serializer.serialize_map(Some(RuleId::ALL.len()))?;
    for rule in RuleId::ALL {
        map.serialize_entry(rule.id(), &severities.get(rule))?;
    }
    map.end()
}

impl<'de> Deserialize<'de> for Severities {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SeverityMap;

        impl<'de> Visitor<'de> for SeverityMap {
            type Value = Severities;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of rule ids and severities")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Severities, A::Error> {
                let mut severities = BTreeMap::new();
                // Keys are read as text so that an unknown one is reported as a key
                // (with the rule ids to choose from), not as an enum variant.
                while let Some(key) = map.next_key::<String>()? {
                    let rule = RuleId::from_id(&key).ok_or_else(|| {
                        let ids = RuleId::ALL.map(RuleId::id);
                        let mut message = format!("{UNKNOWN_KEY} `severity.{key}`");
                        match suggest(&key, &ids) {
                            Some(best) => message.push_str(&format!("; did you mean `{best}`?")),
                            None => {
                                message.push_str(&format!("; expected one of: {}", ids.join(", ")));
                            }
                        }
                        serde::de::Error::custom(message)
                    })?;
                    let value: String = map.next_value()?;
                    let parsed: Result<Severity, serde::de::value::Error> =
                        Severity::deserialize(value.as_str().into_deserializer());
                    let severity = parsed.map_err(|_| {
                        let mut message =
                            format!("`severity.{}`: unknown severity `{value}`", rule.id());
                        match suggest(&value, SEVERITY_NAMES) {
                            Some(best) => message.push_str(&format!("; did you mean `{best}`?")),
                            None => message.push_str("; expected off, info, warn or block"),
                        }
                        serde::de::Error::custom(message)
                    })?;
                    if severities.insert(rule, severity).is_some() {
                        return Err(serde::de::Error::custom(format!(
                            "duplicate rule `{}`",
                            rule.id()
                        )));
                    }
                }
                Ok(Severities(severities))
            }
        }

        deserializer.deserialize_map(SeverityMap)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_file_means_default_and_default_json_round_trips() {
        assert_eq!(Policy::from_json("{}").unwrap(), Policy::default());
        let reparsed = Policy::from_json(default_policy_json()).unwrap();
        assert_eq!(
            reparsed.severity.get(RuleId::VisibleRecipients),
            Severity::Block
        );
        assert_eq!(
            serde_json::to_string(&reparsed).unwrap(),
            serde_json::to_string(&Policy::default()).unwrap()
        );
    }

    #[test]
    fn default_json_names_every_rule() {
        for rule in RuleId::ALL {
            assert!(default_policy_json().contains(&format!("\"{}\"", rule.id())));
        }
    }

    #[test]
    fn unknown_top_level_key_suggests_the_right_one() {
        let error = Policy::from_json("{\n\n  \"internal_domain\": [\"x.de\"]\n}").unwrap_err();
        assert_eq!(error.kind(), PolicyErrorKind::UnknownKey);
        assert_eq!(error.line(), 3);
        let text = error.to_string();
        assert!(text.contains("unknown key `internal_domain`"), "{text}");
        assert!(text.contains("did you mean `internal_domains`"), "{text}");
    }

    #[test]
    fn unknown_nested_key_names_the_full_path() {
        let error =
            Policy::from_json("{\"visible_recipients\": {\"warn_partys\": 3}}").unwrap_err();
        let text = error.to_string();
        assert!(text.contains("visible_recipients.warn_partys"), "{text}");
        assert!(text.contains("did you mean `warn_parties`"), "{text}");
    }

    #[test]
    fn wrong_type_names_key_and_line() {
        let error =
            Policy::from_json("{\n \"visible_recipients\": {\n  \"warn_parties\": \"5\"\n }\n}")
                .unwrap_err();
        assert_eq!(error.kind(), PolicyErrorKind::WrongValue);
        assert_eq!(error.line(), 3);
        assert_eq!(error.path(), "visible_recipients.warn_parties");
    }

    #[test]
    fn bad_severity_and_bad_domain_are_errors() {
        let error =
            Policy::from_json("{\"severity\": {\"freemail-recipient\": \"warning\"}}").unwrap_err();
        assert!(error.to_string().contains("did you mean `warn`"), "{error}");
        let error = Policy::from_json("{\"internal_domains\": [\"ex ample.com\"]}").unwrap_err();
        assert!(error.to_string().contains("not a domain name"), "{error}");
        assert_eq!(error.path(), "internal_domains[0]");
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let error = Policy::from_json(
            "{\"severity\": {\"freemail-recipient\": \"off\", \"freemail-recipient\": \"warn\"}}",
        )
        .unwrap_err();
        assert!(error.to_string().contains("duplicate"), "{error}");
        let error = Policy::from_json("{\"name\": \"a\", \"name\": \"b\"}").unwrap_err();
        assert!(error.to_string().contains("duplicate"), "{error}");
    }

    #[test]
    fn contradicting_thresholds_are_located() {
        let text = "{\n  \"visible_recipients\": {\n    \"warn_parties\": 9,\n    \"block_parties\": 3\n  }\n}";
        let error = Policy::from_json(text).unwrap_err();
        assert_eq!(error.kind(), PolicyErrorKind::Invalid);
        assert_eq!((error.line(), error.column()), (4, 5));
    }

    #[test]
    fn empty_trailing_garbage_and_syntax() {
        assert_eq!(
            Policy::from_json(" ").unwrap_err().kind(),
            PolicyErrorKind::Empty
        );
        assert_eq!(
            Policy::from_json("{} x").unwrap_err().kind(),
            PolicyErrorKind::Syntax
        );
        assert_eq!(
            Policy::from_json("{").unwrap_err().kind(),
            PolicyErrorKind::Syntax
        );
    }

    #[test]
    fn extensions_are_normalized_and_checked() {
        let policy =
            Policy::from_json("{\"attachments\": {\"allowed_extensions\": [\".ISO\"]}}").unwrap();
        assert_eq!(policy.attachments.allowed_extensions, ["iso"]);
        assert!(
            Policy::from_json("{\"attachments\": {\"allowed_extensions\": [\"a b\"]}}").is_err()
        );
    }

    #[test]
    fn newsletter_url_must_be_a_web_address() {
        assert!(
            Policy::from_json("{\"newsletter_tool\": {\"name\": \"X\", \"url\": \"ftp://x\"}}")
                .is_err()
        );
        assert!(
            Policy::from_json("{\"newsletter_tool\": {\"name\": \"X\", \"url\": \"https://x\"}}")
                .is_ok()
        );
    }

    #[test]
    fn edit_distance_basics() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }
}

#[cfg(test)]
mod schema_tests {
    use super::*;
    use serde_json::Value;

    const SCHEMA: &str = include_str!("../policy.schema.json");

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
            let sample = match properties[key].get("default") {
                Some(value) if !value.is_null() => value.clone(),
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

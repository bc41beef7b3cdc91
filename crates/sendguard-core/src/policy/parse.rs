//! Reading a policy: strict JSON, errors that name the key and the line, and a
//! did-you-mean for typos.

use std::fmt;

use crate::json::{locate, objects_not_arrays};
use crate::policy::Policy;

/// The policy keys whose values are lists; everywhere else an array is a mistake.
const POLICY_LISTS: &[&str] = &[
    "internal_domains",
    "trusted_domains",
    "freemail_domains",
    "blocked_domains",
    "tenant_suffixes",
    "extra_dangerous_extensions",
    "allowed_extensions",
    "own_identifiers",
];

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
pub(super) const UNKNOWN_KEY: &str = "unknown key";

pub(super) use crate::similarity::suggest;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::default_policy_json;
    use crate::vocabulary::{RuleId, Severity};

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
}

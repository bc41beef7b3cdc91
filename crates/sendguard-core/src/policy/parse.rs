//! Reading a policy: strict JSON read into a tree that knows where everything stands
//! ([`tree`]), the policy's types read from that tree with typed errors ([`de`]), then
//! the checks types cannot express ([`Policy::validate`]).
//!
//! [`tree`]: crate::policy::tree
//! [`de`]: crate::policy::de

use serde::Deserialize as _;

use crate::domain::DomainName;
use crate::messages::{Arg, text};
use crate::policy::de::NodeDeserializer;
use crate::policy::tree::{self, Node, Value, position};
use crate::policy::{DomainSet, Policy, PolicyError, PolicyErrorKind};

/// The longest sensitivity label name or id a policy may give.
const MAX_LABEL_CHARS: usize = 256;

impl Policy {
    /// Reads a policy, rejecting anything it does not understand.
    ///
    /// ```
    /// use sendguard_core::{Lang, Policy, PolicyErrorKind};
    ///
    /// let error = Policy::from_json("{\n  \"severity\": {\"freemail-recipent\": \"off\"}\n}")
    ///     .unwrap_err();
    /// assert_eq!(error.kind(), PolicyErrorKind::UnknownKey);
    /// assert_eq!((error.line(), error.column()), (2, 16));
    /// assert!(error.message().contains("did you mean `freemail-recipient`"));
    /// assert!(error.message_in(Lang::De).contains("meinten Sie `freemail-recipient`"));
    /// ```
    pub fn from_json(text: &str) -> Result<Policy, PolicyError> {
        if text.trim().is_empty() {
            return Err(PolicyError::empty());
        }
        let tree = tree::parse(text).map_err(|error| PolicyError::from_read(text, error))?;
        let mut policy = Policy::deserialize(NodeDeserializer(&tree))
            .map_err(|error| PolicyError::from_de(text, &error))?;
        policy.validate(&Located { text, tree: &tree })?;
        policy.normalize();
        Ok(policy)
    }

    /// Checks what types cannot: ranges, thresholds that contradict each other, and
    /// entries that would switch protection off.
    fn validate(&self, at: &Located<'_>) -> Result<(), PolicyError> {
        let limits = &self.visible_recipients;
        let at_least_one = |path: &[&str], value: u32| {
            (value < 1).then(|| {
                at.invalid(
                    path,
                    None,
                    "policy.invalid.at-least",
                    vec![("min", Arg::Count(1))],
                )
            })
        };
        let problems = [
            at_least_one(&["visible_recipients", "warn_parties"], limits.warn_parties),
            (limits.block_parties < limits.warn_parties).then(|| {
                at.invalid(
                    &["visible_recipients", "block_parties"],
                    None,
                    "policy.invalid.not-below",
                    vec![("other", Arg::Str("warn_parties".into()))],
                )
            }),
            at_least_one(
                &["visible_recipients", "block_addresses"],
                limits.block_addresses,
            ),
            at_least_one(
                &["attachments", "max_total_mb"],
                self.attachments.max_total_mb,
            ),
            (self.delay.seconds > super::MAX_DELAY_SECONDS).then(|| {
                at.invalid(
                    &["delay", "seconds"],
                    None,
                    "policy.invalid.at-most",
                    vec![("max", Arg::Count(super::MAX_DELAY_SECONDS as usize))],
                )
            }),
            self.newsletter_tool
                .as_ref()
                .and_then(|tool| tool.url.as_deref())
                .filter(|url| !(url.starts_with("https://") || url.starts_with("http://")))
                .map(|_| {
                    at.invalid(
                        &["newsletter_tool", "url"],
                        None,
                        "policy.invalid.web-address",
                        Vec::new(),
                    )
                }),
            // A blank label would name no label: the fix could apply nothing and no
            // mail would ever count as labelled. A name longer than any catalogue's is a
            // paste gone wrong.
            self.protection
                .label
                .as_deref()
                .filter(|label| label.trim().is_empty() || label.chars().count() > MAX_LABEL_CHARS)
                .map(|_| {
                    at.invalid(
                        &["protection", "label"],
                        None,
                        "policy.invalid.label",
                        vec![("max", Arg::Count(MAX_LABEL_CHARS))],
                    )
                }),
        ];
        if let Some(problem) = problems.into_iter().flatten().next() {
            return Err(problem);
        }
        for (key, list) in [
            (
                "extra_dangerous_extensions",
                &self.attachments.extra_dangerous_extensions,
            ),
            ("allowed_extensions", &self.attachments.allowed_extensions),
        ] {
            let bad = list.iter().position(|ext| {
                let ext = ext.trim_start_matches('.');
                ext.is_empty() || !ext.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            });
            if let Some(index) = bad {
                let value = serde_json::to_string(&list[index]).unwrap_or_default();
                return Err(at.invalid(
                    &["attachments", key],
                    Some(index),
                    "policy.invalid.file-ending",
                    vec![("value", Arg::Str(value))],
                ));
            }
        }
        for (key, set, role) in [
            ("internal_domains", &self.internal_domains, "internal"),
            ("trusted_domains", &self.trusted_domains, "trusted"),
        ] {
            if let Some((index, domain)) = public_suffix_in(set) {
                let message = match (domain.as_str().contains('.'), role) {
                    (true, "internal") => "policy.invalid.public-suffix.internal",
                    (true, _) => "policy.invalid.public-suffix.trusted",
                    (false, "internal") => "policy.invalid.top-level.internal",
                    (false, _) => "policy.invalid.top-level.trusted",
                };
                return Err(at.invalid(
                    &[key],
                    Some(index),
                    message,
                    vec![("domain", Arg::Str(domain.as_str().into()))],
                ));
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

/// The first entry that is a public suffix or a top-level domain: as an internal or
/// trusted domain it would make every organization under it internal or trusted.
fn public_suffix_in(set: &DomainSet) -> Option<(usize, &DomainName)> {
    set.iter()
        .enumerate()
        .find(|(_, domain)| domain.is_public_suffix())
}

/// The policy's text with its tree, to place errors found after reading.
struct Located<'t> {
    text: &'t str,
    tree: &'t Node,
}

impl Located<'_> {
    /// The offset of the key at `path` (or of item `index` of its list); as far as the
    /// path exists, the whole file at worst.
    fn offset(&self, path: &[&str], index: Option<usize>) -> usize {
        let mut node = self.tree;
        let mut offset = node.offset;
        for key in path {
            let Value::Object(members) = &node.value else {
                return offset;
            };
            let Some((found, value)) = members.iter().find(|(k, _)| k.text == *key) else {
                return offset;
            };
            offset = found.offset;
            node = value;
        }
        match (&node.value, index) {
            (Value::Array(items), Some(index)) => items.get(index).map_or(offset, |i| i.offset),
            _ => offset,
        }
    }

    fn invalid(
        &self,
        path: &[&str],
        index: Option<usize>,
        key: &str,
        mut args: Vec<(&str, Arg)>,
    ) -> PolicyError {
        let mut dotted = path.join(".");
        if let Some(index) = index {
            dotted.push_str(&format!("[{index}]"));
        }
        args.push(("path", Arg::Str(dotted.clone())));
        let message = text(key, &args);
        PolicyError::new(
            PolicyErrorKind::Invalid,
            dotted,
            position(self.text, self.offset(path, index)),
            message,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::messages::Lang;
    use crate::policy::default_policy_json;
    use crate::vocabulary::{RuleId, Severity};

    fn refused(text: &str) -> PolicyError {
        Policy::from_json(text).unwrap_err()
    }

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
        let error = refused("{\n\n  \"internal_domain\": [\"x.de\"]\n}");
        assert_eq!(error.kind(), PolicyErrorKind::UnknownKey);
        assert_eq!((error.line(), error.column()), (3, 3));
        assert_eq!(error.path(), "internal_domain");
        assert_eq!(
            error.message(),
            "unknown key `internal_domain`; did you mean `internal_domains`?"
        );
        assert_eq!(
            error.message_in(Lang::De),
            "unbekannter Schlüssel `internal_domain`; meinten Sie `internal_domains`?"
        );
    }

    #[test]
    fn unknown_nested_key_names_the_full_path() {
        let error = refused("{\"visible_recipients\": {\"warn_partys\": 3}}");
        assert_eq!(error.kind(), PolicyErrorKind::UnknownKey);
        assert_eq!(error.path(), "visible_recipients.warn_partys");
        assert_eq!(
            error.message(),
            "unknown key `visible_recipients.warn_partys`; did you mean `warn_parties`?"
        );
    }

    #[test]
    fn unknown_key_far_from_every_known_one_lists_them() {
        let error = refused("{\"override\": {\"zzz\": true}}");
        assert_eq!(
            error.message(),
            "unknown key `override.zzz`; expected one of: `allow_block`, `require_reason`"
        );
    }

    #[test]
    fn wrong_type_names_key_line_and_both_types() {
        let error = refused("{\n \"visible_recipients\": {\n  \"warn_parties\": \"5\"\n }\n}");
        assert_eq!(error.kind(), PolicyErrorKind::WrongValue);
        assert_eq!((error.line(), error.column()), (3, 19));
        assert_eq!(error.path(), "visible_recipients.warn_parties");
        assert_eq!(
            error.message(),
            "`visible_recipients.warn_parties` must be a whole number (0 or more), not the text \"5\""
        );
        assert_eq!(
            error.message_in(Lang::De),
            "`visible_recipients.warn_parties` muss eine ganze Zahl (0 oder größer) sein, nicht der Text \"5\""
        );
    }

    #[test]
    fn numbers_out_of_range_or_with_fractions_are_wrong_values() {
        for value in ["-1", "4294967296", "2.5", "1e3", "true", "null"] {
            let error = refused(&format!(
                "{{\"attachments\": {{\"max_total_mb\": {value}}}}}"
            ));
            assert_eq!(
                error.kind(),
                PolicyErrorKind::WrongValue,
                "{value}: {error}"
            );
            assert_eq!(error.path(), "attachments.max_total_mb", "{value}");
        }
    }

    #[test]
    fn a_policy_must_be_an_object_and_sections_too() {
        let error = refused("[]");
        assert_eq!(error.kind(), PolicyErrorKind::WrongValue);
        assert_eq!(
            error.message(),
            "the policy must be a JSON object `{…}`, not a list"
        );
        let error = refused("{\"attachments\": [20]}");
        assert_eq!(error.path(), "attachments");
        assert_eq!(
            error.message(),
            "`attachments` must be an object `{…}`, not a list"
        );
        let error = refused("{\"internal_domains\": [[\"a.de\"]]}");
        assert_eq!(error.path(), "internal_domains[0]");
    }

    #[test]
    fn bad_severity_and_bad_domain_are_wrong_values() {
        let error = refused("{\"severity\": {\"freemail-recipient\": \"warning\"}}");
        assert_eq!(error.kind(), PolicyErrorKind::WrongValue);
        assert_eq!(error.path(), "severity.freemail-recipient");
        assert_eq!(
            error.message(),
            "`severity.freemail-recipient`: unknown value `warning`; did you mean `warn`?"
        );
        let error = refused("{\"internal_domains\": [\"x.de\", \"ex ample.com\"]}");
        assert_eq!(error.kind(), PolicyErrorKind::WrongValue);
        assert_eq!(error.path(), "internal_domains[1]");
        assert_eq!(error.column(), 31);
        assert_eq!(
            error.message(),
            "`internal_domains[1]`: the text \"ex ample.com\" is not a domain name"
        );
        assert_eq!(
            error.message_in(Lang::De),
            "`internal_domains[1]`: der Text \"ex ample.com\" passt nicht, erwartet wird ein Domainname"
        );
    }

    #[test]
    fn own_identifiers_and_zero_thresholds_are_wrong_values_in_every_language() {
        let error = refused(
            "{\"personal_data\": {\"own_identifiers\": [\"DE89 3704 0044 0532 0130 01\"]}}",
        );
        assert_eq!(error.kind(), PolicyErrorKind::WrongValue);
        assert_eq!(error.path(), "personal_data.own_identifiers[0]");
        assert_eq!(error.column(), 40);
        assert_eq!(
            error.message(),
            "`personal_data.own_identifiers[0]`: the text \"DE89 3704 0044 0532 0130 01\" is \
             not an IBAN, card, tax, pension, health insurance or document number with valid \
             check digits"
        );
        assert_eq!(
            error.message_in(Lang::De),
            "`personal_data.own_identifiers[0]`: der Text \"DE89 3704 0044 0532 0130 01\" \
             passt nicht, erwartet wird eine IBAN, Karten-, Steuer-, Renten-, \
             Krankenversicherten- oder Ausweisnummer mit gültigen Prüfziffern"
        );
        let error = refused("{\"personal_data\": {\"min_ibans\": 0}}");
        assert_eq!(error.kind(), PolicyErrorKind::WrongValue);
        assert_eq!(error.path(), "personal_data.min_ibans");
        assert_eq!(
            error.message_in(Lang::De),
            "`personal_data.min_ibans`: die Zahl 0 passt nicht, erwartet wird eine ganze Zahl ab 1"
        );
    }

    #[test]
    fn unknown_rule_in_severity_is_an_unknown_key_at_the_key() {
        let error = refused("{\"severity\": {\n  \"freemail-recipent\": \"off\"}}");
        assert_eq!(error.kind(), PolicyErrorKind::UnknownKey);
        assert_eq!((error.line(), error.column()), (2, 3));
        assert_eq!(error.path(), "severity.freemail-recipent");
    }

    #[test]
    fn missing_newsletter_name_is_a_wrong_value() {
        let error = refused("{\"newsletter_tool\": {\"url\": \"https://x.example\"}}");
        assert_eq!(error.kind(), PolicyErrorKind::WrongValue);
        assert_eq!(error.path(), "newsletter_tool");
        assert_eq!(error.message(), "`newsletter_tool` needs `name`");
    }

    #[test]
    fn duplicate_keys_are_errors_at_the_second_one() {
        let error = refused(
            "{\"severity\": {\"freemail-recipient\": \"off\",\n \"freemail-recipient\": \"warn\"}}",
        );
        assert_eq!(error.kind(), PolicyErrorKind::Duplicate);
        assert_eq!((error.line(), error.column()), (2, 2));
        assert_eq!(error.path(), "severity.freemail-recipient");
        assert_eq!(
            error.message(),
            "`severity.freemail-recipient` is given twice"
        );
        let error = refused("{\"name\": \"a\", \"name\": \"b\"}");
        assert_eq!(error.kind(), PolicyErrorKind::Duplicate);
        assert_eq!(
            error.message_in(Lang::De),
            "`name` steht zweimal in der Datei"
        );
    }

    #[test]
    fn contradicting_thresholds_are_located() {
        let text = "{\n  \"visible_recipients\": {\n    \"warn_parties\": 9,\n    \"block_parties\": 3\n  }\n}";
        let error = refused(text);
        assert_eq!(error.kind(), PolicyErrorKind::Invalid);
        assert_eq!((error.line(), error.column()), (4, 5));
        assert_eq!(error.path(), "visible_recipients.block_parties");
        assert_eq!(
            error.message(),
            "`visible_recipients.block_parties` must not be below `warn_parties`"
        );
    }

    #[test]
    fn ranges_are_invalid_not_wrong() {
        let error = refused("{\"visible_recipients\": {\"warn_parties\": 0}}");
        assert_eq!(error.kind(), PolicyErrorKind::Invalid);
        assert_eq!(
            error.message_in(Lang::De),
            "`visible_recipients.warn_parties` muss mindestens 1 sein"
        );
    }

    #[test]
    fn empty_trailing_garbage_and_syntax() {
        assert_eq!(refused(" ").kind(), PolicyErrorKind::Empty);
        assert_eq!(refused("{} x").kind(), PolicyErrorKind::Syntax);
        assert_eq!(refused("{").kind(), PolicyErrorKind::Syntax);
    }

    #[test]
    fn trailing_comma_is_a_syntax_error_at_the_comma() {
        let text = "{\n  \"internal_domains\": [\"nordlicht.example\", \"nordlicht.de\",]\n}";
        let error = refused(text);
        assert_eq!(error.kind(), PolicyErrorKind::Syntax);
        assert_eq!((error.line(), error.column()), (2, 59));
        assert_eq!(error.to_string(), "line 2, column 59: trailing comma");
        assert_eq!(
            error.message_in(Lang::De),
            "überzähliges Komma vor der schließenden Klammer"
        );
    }

    #[test]
    fn extensions_are_normalized_and_checked() {
        let policy =
            Policy::from_json("{\"attachments\": {\"allowed_extensions\": [\".ISO\"]}}").unwrap();
        assert_eq!(policy.attachments.allowed_extensions, ["iso"]);
        let error = refused("{\"attachments\": {\"allowed_extensions\": [\"iso\", \"a b\"]}}");
        assert_eq!(error.kind(), PolicyErrorKind::Invalid);
        assert_eq!(error.path(), "attachments.allowed_extensions[1]");
        assert_eq!(error.column(), 48);
    }

    #[test]
    fn delay_is_bounded_and_its_typos_are_errors_with_a_path() {
        let policy =
            Policy::from_json(r#"{"delay": {"seconds": 900, "when": "findings"}}"#).unwrap();
        assert_eq!(policy.delay.seconds, 900);
        let error = refused("{\n  \"delay\": {\"seconds\": 901}\n}");
        assert_eq!(error.kind(), PolicyErrorKind::Invalid);
        assert_eq!(error.path(), "delay.seconds");
        assert_eq!((error.line(), error.column()), (2, 13));
        assert_eq!(error.message(), "`delay.seconds` must be at most 900");
        assert_eq!(
            error.message_in(Lang::De),
            "`delay.seconds` darf höchstens 900 sein"
        );
        let error = refused(r#"{"delay": {"external_seconds": 120}}"#);
        assert_eq!(error.kind(), PolicyErrorKind::UnknownKey);
        assert_eq!(error.path(), "delay.external_seconds");
        let error = refused(r#"{"delay": {"seconds": 60, "when": "extrenal"}}"#);
        assert_eq!(error.kind(), PolicyErrorKind::WrongValue);
        assert_eq!(error.path(), "delay.when");
        assert!(
            error.message().contains("did you mean `external`"),
            "{error}"
        );
        for bad in ["-1", "\"120\"", "2.5", "null"] {
            let error = refused(&format!(r#"{{"delay": {{"seconds": {bad}}}}}"#));
            assert_eq!(error.kind(), PolicyErrorKind::WrongValue, "{bad}");
            assert_eq!(error.path(), "delay.seconds", "{bad}");
        }
    }

    #[test]
    fn newsletter_url_must_be_a_web_address() {
        let error = refused("{\"newsletter_tool\": {\"name\": \"X\", \"url\": \"ftp://x\"}}");
        assert_eq!(error.kind(), PolicyErrorKind::Invalid);
        assert_eq!(error.path(), "newsletter_tool.url");
        assert!(
            Policy::from_json("{\"newsletter_tool\": {\"name\": \"X\", \"url\": \"https://x\"}}")
                .is_ok()
        );
    }

    #[test]
    fn public_suffixes_and_top_level_domains_are_not_internal_or_trusted() {
        let cases = [
            ("internal_domains", "co.uk", "public suffix", "internal"),
            ("internal_domains", "com", "top-level domain", "internal"),
            ("trusted_domains", "github.io", "public suffix", "trusted"),
            ("trusted_domains", "DE.", "top-level domain", "trusted"),
        ];
        for (key, domain, what, role) in cases {
            let text = format!("{{\n  \"{key}\": [\"corp.example\",\n    \"{domain}\"]\n}}");
            let error = refused(&text);
            assert_eq!(error.kind(), PolicyErrorKind::Invalid, "{domain}");
            assert_eq!(error.path(), format!("{key}[1]"));
            assert_eq!((error.line(), error.column()), (3, 5), "{domain}");
            let canonical = DomainName::parse(domain).unwrap();
            assert!(
                error.message().starts_with(&format!(
                    "`{key}[1]`: `{canonical}` is a {what}: every organisation under it would count as {role}."
                )),
                "{}",
                error.message()
            );
            assert!(
                error
                    .message_in(Lang::De)
                    .contains(&format!("`{canonical}`"))
            );
        }
        // Registrable domains, subdomains of suffixes and the rest of the lists are fine.
        for text in [
            r#"{"internal_domains": ["example.co.uk", "mail.example.com"]}"#,
            r#"{"trusted_domains": ["alice.github.io"]}"#,
            r#"{"blocked_domains": ["ru"], "freemail_domains": ["co.uk"]}"#,
        ] {
            assert!(Policy::from_json(text).is_ok(), "{text}");
        }
    }

    #[test]
    fn is_public_suffix_agrees_with_registrable() {
        for domain in [
            "com",
            "co.uk",
            "example.co.uk",
            "github.io",
            "alice.github.io",
            "ck",
            "foo.ck",
            "www.ck",
            "a.www.ck",
            "kawasaki.jp",
            "city.kawasaki.jp",
            "x.city.kawasaki.jp",
            "corp.local",
            "local",
        ] {
            let domain = DomainName::parse(domain).unwrap();
            assert_eq!(
                domain.is_public_suffix(),
                domain.registrable().is_none(),
                "{domain}"
            );
        }
    }

    #[test]
    fn every_message_is_translated_and_the_json_form_is_stable() {
        let broken = [
            "",
            "{,}",
            "{\"name\": \"a\",}",
            "{\"nmae\": 1}",
            "{\"name\": 1}",
            "{\"name\": \"a\", \"name\": \"a\"}",
            "{\"attachments\": {\"max_total_mb\": 0}}",
            "{\"on_checker_error\": \"fail-silently\"}",
            "{\"on_checker_error\": 5}",
        ];
        for text in broken {
            let error = refused(text);
            assert_ne!(error.message_in(Lang::De), error.message(), "{text}");
            assert!(!error.message().contains("policy."), "{text}: {error}");
            let json: serde_json::Value = serde_json::from_str(&error.to_json()).unwrap();
            assert_eq!(json["kind"], error.kind().as_str());
            assert_eq!(json["line"], error.line());
            assert_eq!(json["column"], error.column());
            assert_eq!(json["path"], error.path());
            assert_eq!(json["message"], error.message());
            assert_eq!(json["messages"]["de"], error.message_in(Lang::De));
        }
        assert_eq!(
            refused("{\"on_checker_error\": 5}").message(),
            "`on_checker_error` must be one of `fail-open`, `fail-closed`, not the number 5"
        );
    }
}

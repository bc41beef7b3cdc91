//! `unprotected-sensitive-data`: special categories (Art. 9 GDPR), bank or identity
//! data going to external recipients without end-to-end encryption or the policy's
//! sensitivity label.
//!
//! The reasoning is the German supervisory authorities' guidance on e-mail (DSK,
//! "Maßnahmen zum Schutz personenbezogener Daten bei der Übermittlung per E-Mail"):
//! transport encryption is the floor for every mail; where the data carries high risk,
//! the content itself must be encrypted end to end. What counts as sensitive are the
//! personal-data scan's findings at their own thresholds (`protection.special_categories`,
//! `identifiers`, `member_lists`).
//!
//! Protected is a mail whose front end reports end-to-end encryption switched on
//! (`protection.encrypted: true`), or that carries the policy's label. An unknown state
//! (no `protection`, or `encrypted: null`: Outlook's compose API has no S/MIME state)
//! is not protection: the finding says the state is unknown, and counts it as not
//! encrypted (fail closed). The fixes: switch encryption on where the client lets the
//! add-in (`encrypt`), apply the label (`apply-label`), or remove the external
//! recipients.

use std::collections::HashSet;

use crate::messages::{Arg, Lang, Text, text};
use crate::personal_data::{Identifier, Location};
use crate::policy::{ProtectionPolicy, RecipientSeverities};
use crate::recipients::Class;
use crate::rules::Context;
use crate::rules::personal_data::{category_key, kind_name, single_attachment};
use crate::vocabulary::{Finding, Fix, FixOffer, RuleId, Severity};

pub(super) const TITLE: &str = "rule.unprotected-sensitive-data.title";
pub(super) const WHY: &str = "rule.unprotected-sensitive-data.why";

impl Default for ProtectionPolicy {
    /// Special categories and identifiers need protection to external recipients;
    /// member lists (contact details) are ordinary personal data. Inside the
    /// organization nothing is reported; to a partner it stops once; to a private
    /// mailbox it blocks.
    fn default() -> Self {
        ProtectionPolicy {
            special_categories: true,
            identifiers: true,
            member_lists: false,
            label: None,
            severity_by_recipients: RecipientSeverities {
                internal: Severity::Off,
                external: Severity::Warn,
                private_mailbox: Severity::Block,
            },
        }
    }
}

/// What of the draft needs protection, by name, and where it is.
fn sensitive(context: &Context<'_>) -> (Vec<Text>, Vec<Location>) {
    let mut names = Vec::new();
    let mut places = Vec::new();
    let Some(scan) = &context.personal_data else {
        return (names, places);
    };
    let wanted = &context.policy.protection;
    if wanted.special_categories {
        let mut seen: Vec<&str> = Vec::new();
        for hit in &scan.special {
            if !seen.contains(&hit.category) {
                seen.push(hit.category);
                names.push(text(category_key(hit.category), &[]));
            }
            places.push(hit.location.clone());
        }
    }
    if wanted.identifiers {
        let settings = &context.policy.personal_data;
        for identifier in Identifier::ALL {
            let threshold = match identifier {
                Identifier::Iban => settings.min_ibans,
                _ => settings.min_other_identifiers,
            };
            let hits = scan.hits.iter().filter(|hit| hit.identifier == identifier);
            let distinct: HashSet<u64> = hits.clone().map(|hit| hit.key).collect();
            if !distinct.is_empty() && distinct.len() >= threshold.get() as usize {
                if let Arg::Text(name) = kind_name(identifier) {
                    names.push(name);
                }
                places.extend(hits.map(|hit| hit.location.clone()));
            }
        }
    }
    if wanted.member_lists {
        let least = context.policy.personal_data.min_list_people.get() as usize;
        let lists: Vec<_> = scan.lists.iter().filter(|list| list.people >= least).collect();
        if !lists.is_empty() {
            names.push(text("rule.unprotected-sensitive-data.what.member-list", &[]));
            places.extend(lists.iter().map(|list| list.location.clone()));
        }
    }
    (names, places)
}

/// "Health data, bank account numbers" in every language (German keeps its nouns
/// capitalized).
fn joined(names: &[Text]) -> Arg {
    let names = names.to_vec();
    Arg::Text(Text::from_fn(|lang: Lang| {
        let parts: Vec<String> = names
            .iter()
            .enumerate()
            .map(|(index, name)| {
                let name = name.get(lang);
                let mut chars = name.chars();
                match chars.next() {
                    Some(first) if index > 0 && lang == Lang::En => {
                        first.to_lowercase().chain(chars).collect()
                    }
                    _ => name.to_string(),
                }
            })
            .collect();
        parts.join(", ")
    }))
}

pub(super) fn check(context: &Context<'_>, ceiling: Severity) -> Vec<Finding> {
    let settings: &ProtectionPolicy = &context.policy.protection;
    let by = &settings.severity_by_recipients;
    // The recipients whose class asks for protection (by default everyone outside the
    // organization), and the worst severity among them.
    let mut severity = Severity::Off;
    let mut concerned: Vec<String> = Vec::new();
    for recipient in context.analysis.recipients.iter().filter(|r| !r.is_sender) {
        let this = if recipient.freemail {
            by.private_mailbox
        } else if recipient.class == Class::Internal {
            by.internal
        } else {
            by.external
        };
        if this != Severity::Off {
            severity = severity.max(this);
            concerned.push(recipient.key.clone());
        }
    }
    let severity = severity.min(ceiling);
    if severity == Severity::Off {
        return Vec::new();
    }
    let protection = context.draft.protection.clone().unwrap_or_default();
    if protection.encrypted == Some(true) {
        return Vec::new();
    }
    let label = settings.label.as_deref();
    if label.is_some_and(|wanted| protection.has_label(wanted)) {
        return Vec::new();
    }
    let (names, places) = sensitive(context);
    if names.is_empty() {
        return Vec::new();
    }
    let unknown = protection.encrypted.is_none();
    let state = match (unknown, label) {
        (false, None) => text("rule.unprotected-sensitive-data.state.off", &[]),
        (true, None) => text("rule.unprotected-sensitive-data.state.unknown", &[]),
        (false, Some(label)) => text(
            "rule.unprotected-sensitive-data.state.off.label",
            &[("label", Arg::Str(label.to_string()))],
        ),
        (true, Some(label)) => text(
            "rule.unprotected-sensitive-data.state.unknown.label",
            &[("label", Arg::Str(label.to_string()))],
        ),
    };
    let message = text(
        "rule.unprotected-sensitive-data.message",
        &[
            ("what", joined(&names)),
            ("count", Arg::Count(concerned.len())),
            (
                "recipients",
                Arg::Text(text(
                    if concerned.len() == 1 {
                        "rule.unprotected-sensitive-data.recipients.one"
                    } else {
                        "rule.unprotected-sensitive-data.recipients.other"
                    },
                    &[],
                )),
            ),
            ("state", Arg::Text(state)),
        ],
    );
    let mut finding = Finding::new(RuleId::UnprotectedSensitiveData, severity, message);
    finding.attachment = single_attachment(places.iter());
    if protection.can_encrypt {
        finding.fixes.push(FixOffer {
            label: text("fix.encrypt", &[]),
            action: Fix::Encrypt,
        });
    }
    if let (Some(label), true) = (label, protection.can_label) {
        finding.fixes.push(FixOffer {
            label: text("fix.apply-label", &[("label", Arg::Str(label.to_string()))]),
            action: Fix::ApplyLabel {
                label: label.to_string(),
            },
        });
    }
    finding.fixes.push(FixOffer {
        label: text("fix.remove-recipient", &[]),
        action: Fix::RemoveRecipient {
            addresses: concerned.clone(),
        },
    });
    finding.recipients = concerned;
    vec![finding]
}

#[cfg(test)]
mod tests {
    use crate::messages::Lang;
    use crate::rules::test_support::findings;
    use crate::vocabulary::{Fix, RuleId, Severity};

    const SICK_NOTE: &str = "Hallo Herr Weber,\\nanbei die Arbeitsunfähigkeitsbescheinigung von Frau Jensen.";
    const THREE_IBANS: &str =
        "Kunden:\\nDE89 3704 0044 0532 0130 00\\nGB29NWBK60161331926819\\nNL91 ABNA 0417 1643 00\\n";

    fn draft(to: &str, body: &str, protection: &str) -> String {
        let protection = if protection.is_empty() {
            String::new()
        } else {
            format!(r#","protection":{protection}"#)
        };
        format!(
            r#"{{"from":{{"address":"hr@corp.example"}},"to":[{{"address":"{to}"}}],"body":"{body}"{protection}}}"#
        )
    }

    fn rule(draft: &str, policy: &str) -> Vec<crate::vocabulary::Finding> {
        findings(RuleId::UnprotectedSensitiveData, draft, policy)
    }

    #[test]
    fn a_sick_note_to_a_private_mailbox_unencrypted_blocks_and_offers_encryption() {
        let found = rule(
            &draft("j@gmail.com", SICK_NOTE, r#"{"encrypted":false,"can_encrypt":true}"#),
            "{}",
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].severity, Severity::Block);
        let en = found[0].message.get(Lang::En);
        assert!(en.starts_with("Health data would go unprotected to 1 recipient:"), "{en}");
        assert!(en.contains("encryption is off"), "{en}");
        assert!(found[0].message.get(Lang::De).contains("Verschlüsselung ist aus"));
        let actions: Vec<&Fix> = found[0].fixes.iter().map(|f| &f.action).collect();
        assert_eq!(actions[0], &Fix::Encrypt);
        assert_eq!(
            actions[1],
            &Fix::RemoveRecipient {
                addresses: vec!["j@gmail.com".into()]
            }
        );
        assert_eq!(found[0].recipients, ["j@gmail.com"]);
    }

    #[test]
    fn encrypted_or_labelled_mail_is_protected() {
        let sick = draft("j@gmail.com", SICK_NOTE, r#"{"encrypted":true}"#);
        assert!(rule(&sick, "{}").is_empty());
        let policy = r#"{"protection":{"label":"Vertraulich"}}"#;
        let labelled = draft(
            "a@partner.example",
            SICK_NOTE,
            r#"{"label":"4e0c-guid","label_name":"vertraulich ","can_label":true}"#,
        );
        assert!(rule(&labelled, policy).is_empty());
        let by_id = r#"{"protection":{"label":"4E0C-GUID"}}"#;
        assert!(rule(&labelled, by_id).is_empty());
        // Another label is no protection.
        let other = r#"{"protection":{"label":"Streng vertraulich"}}"#;
        let found = rule(&labelled, other);
        assert_eq!(found.len(), 1);
        assert!(found[0].fixes.iter().any(|f| f.action
            == Fix::ApplyLabel {
                label: "Streng vertraulich".into()
            }));
        assert!(!found[0].fixes.iter().any(|f| f.action == Fix::Encrypt));
    }

    #[test]
    fn unknown_state_counts_as_unencrypted_and_says_so() {
        for protection in ["", r#"{"encrypted":null}"#, "{}"] {
            let found = rule(&draft("a@partner.example", SICK_NOTE, protection), "{}");
            assert_eq!(found.len(), 1, "{protection}");
            assert_eq!(found[0].severity, Severity::Warn);
            let en = found[0].message.get(Lang::En);
            assert!(en.contains("does not say whether"), "{en}");
            // No client fix is offered where the client cannot do it.
            assert_eq!(found[0].fixes.len(), 1);
        }
        let policy = r#"{"protection":{"label":"Confidential"}}"#;
        let found = rule(&draft("a@partner.example", SICK_NOTE, r#"{"can_label":true}"#), policy);
        let en = found[0].message.get(Lang::En);
        assert!(en.contains("“Confidential” is not applied"), "{en}");
        assert_eq!(
            found[0].fixes[0].action,
            Fix::ApplyLabel {
                label: "Confidential".into()
            }
        );
    }

    #[test]
    fn internal_mail_and_harmless_mail_pass() {
        assert!(rule(&draft("boss@corp.example", SICK_NOTE, ""), "{}").is_empty());
        assert!(rule(&draft("a@partner.example", "Termin am Dienstag?", ""), "{}").is_empty());
        // One invoice IBAN is business; three customers' IBANs are bank data.
        let one = draft("a@partner.example", "Bitte an DE89 3704 0044 0532 0130 00.", "");
        assert!(rule(&one, "{}").is_empty());
        let three = rule(&draft("a@partner.example", THREE_IBANS, ""), "{}");
        assert_eq!(three.len(), 1);
        assert!(three[0].message.get(Lang::En).starts_with("Bank account numbers"));
        assert!(!three[0].message.get(Lang::En).contains("0532"), "never echo the data");
    }

    #[test]
    fn policy_chooses_what_and_how_strict() {
        let sick = draft("j@gmail.com", SICK_NOTE, "");
        assert!(rule(&sick, r#"{"protection":{"special_categories":false}}"#).is_empty());
        let internal = draft("boss@corp.example", SICK_NOTE, "");
        let strict = r#"{"protection":{"severity_by_recipients":{"internal":"warn"}}}"#;
        assert_eq!(rule(&internal, strict)[0].severity, Severity::Warn);
        let capped = rule(&sick, r#"{"severity":{"unprotected-sensitive-data":"warn"}}"#);
        assert_eq!(capped[0].severity, Severity::Warn);
        // The personal-data rules off: the scan still runs for this rule.
        let off = r#"{"severity":{"personal-data-identifiers":"off","personal-data-member-list":"off",
                      "personal-data-special-category":"off"}}"#;
        assert_eq!(rule(&sick, off).len(), 1);
        for bad in [
            r#"{"protection":{"label":"  "}}"#,
            r#"{"protection":{"identifiers":"yes"}}"#,
            r#"{"protection":{"lable":"x"}}"#,
        ] {
            assert!(crate::policy::Policy::from_json(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_member_list_counts_only_when_the_policy_says_so() {
        let rows: Vec<String> = (0..12).map(|i| format!("Person {i};p{i}@mail{i}.example")).collect();
        let body = format!("Mitglieder:\\n{}", rows.join("\\n"));
        let list = draft("druck@print.example", &body, "");
        assert!(rule(&list, "{}").is_empty());
        let policy = r#"{"protection":{"member_lists":true}}"#;
        let found = rule(&list, policy);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].message.get(Lang::En).starts_with("A list of people"));
    }
}

//! `personal-data-identifiers`: validated identifiers of people in the subject, the
//! text or the files (IBAN, payment card, German tax, pension and health insurance
//! numbers, identity documents, dates of birth). One finding per kind that reaches its
//! threshold (`personal_data.min_ibans`, `min_dates_of_birth`, `min_other_identifiers`),
//! counted as distinct values;
//! the organization's own identifiers (`personal_data.own_identifiers`) and the bank
//! details of the sender's signature do not count. Values are shown masked.

use std::collections::HashSet;

use crate::messages::{Arg, text};
use crate::personal_data::{Identifier, Location};
use crate::rules::Context;
use crate::rules::personal_data::{kind_name, places, severity_for_recipients, single_attachment};
use crate::vocabulary::{Finding, RuleId, Severity};

pub(super) const TITLE: &str = "rule.personal-data-identifiers.title";
pub(super) const WHY: &str = "rule.personal-data-identifiers.why";

/// Masked examples shown per finding.
const EXAMPLES: usize = 3;
/// Lines kept per place: more than the message shows, so it can say "…".
const LINES_KEPT: usize = 6;

pub(super) fn check(context: &Context<'_>, ceiling: Severity) -> Vec<Finding> {
    let Some(scan) = &context.personal_data else {
        return Vec::new();
    };
    let severity = severity_for_recipients(context, ceiling);
    if severity == Severity::Off {
        return Vec::new();
    }
    let settings = &context.policy.personal_data;
    let mut findings = Vec::new();
    for identifier in Identifier::ALL {
        let hits: Vec<_> = scan
            .hits
            .iter()
            .filter(|hit| hit.identifier == identifier)
            .collect();
        let mut distinct = HashSet::new();
        let mut examples = Vec::new();
        let mut at: Vec<(Location, Vec<usize>)> = Vec::new();
        for hit in &hits {
            if distinct.insert(hit.key) && examples.len() < EXAMPLES {
                examples.push(hit.masked.clone());
            }
            // Hits come in order: a place's lines only grow. Only the first few are
            // shown, so a part with 100,000 hits costs no more than one with six.
            match at.iter_mut().find(|(location, _)| *location == hit.location) {
                Some((_, lines)) => {
                    if lines.len() <= LINES_KEPT && lines.last() != Some(&hit.line) {
                        lines.push(hit.line);
                    }
                }
                None => at.push((hit.location.clone(), vec![hit.line])),
            }
        }
        let threshold = match identifier {
            Identifier::Iban => settings.min_ibans,
            Identifier::DateOfBirth => settings.min_dates_of_birth,
            _ => settings.min_other_identifiers,
        };
        if distinct.is_empty() || distinct.len() < threshold.get() as usize {
            continue;
        }
        if distinct.len() > examples.len() {
            examples.push("…".to_string());
        }
        let message = text(
            "rule.personal-data-identifiers.message",
            &[
                ("kind", kind_name(identifier)),
                ("count", Arg::Count(distinct.len())),
                ("examples", Arg::Str(examples.join(", "))),
                ("places", places(&at)),
            ],
        );
        let mut finding = Finding::new(RuleId::PersonalDataIdentifiers, severity, message);
        finding.attachment = single_attachment(at.iter().map(|(location, _)| location));
        findings.push(finding);
    }
    findings
}

#[cfg(test)]
mod tests {
    use crate::messages::Lang;
    use crate::rules::test_support::findings;
    use crate::vocabulary::{RuleId, Severity};

    fn draft(to: &str, body: &str) -> String {
        format!(
            r#"{{"from":{{"address":"me@corp.example"}},"to":[{{"address":"{to}"}}],"body":{}}}"#,
            serde_json::to_string(body).unwrap()
        )
    }

    const THREE_IBANS: &str = "Kunden:\nDE89 3704 0044 0532 0130 00\nGB29NWBK60161331926819\n\
                               NL91 ABNA 0417 1643 00\n";

    #[test]
    fn three_ibans_to_a_partner_warn_masked_with_lines() {
        let found = findings(RuleId::PersonalDataIdentifiers, &draft("a@partner.example", THREE_IBANS), "{}");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Warn);
        let en = found[0].message.get(Lang::En);
        assert!(en.contains("DE89 **** **** 3000"), "{en}");
        assert!(en.contains("line 2, 3, 4"), "{en}");
        assert!(!en.contains("0532"), "the value leaks: {en}");
        assert!(found[0].message.get(Lang::De).contains("Zeile 2, 3, 4"));
    }

    #[test]
    fn one_invoice_iban_is_business_and_own_ibans_never_count() {
        let one = draft("a@partner.example", "Bitte überweisen an DE89 3704 0044 0532 0130 00.");
        assert!(findings(RuleId::PersonalDataIdentifiers, &one, "{}").is_empty());
        let policy = r#"{"personal_data":{"own_identifiers":["DE89370400440532013000"]}}"#;
        let three = draft("a@partner.example", THREE_IBANS);
        assert_eq!(findings(RuleId::PersonalDataIdentifiers, &three, "{}").len(), 1);
        // The company's own IBAN leaves two customers' IBANs: below the default of three.
        assert!(findings(RuleId::PersonalDataIdentifiers, &three, policy).is_empty());
        let strict = r#"{"personal_data":{"min_ibans":2,"own_identifiers":["DE89 3704 0044 0532 0130 00"]}}"#;
        let two_left = findings(RuleId::PersonalDataIdentifiers, &three, strict);
        assert_eq!(two_left.len(), 1);
        assert!(!two_left[0].message.get(Lang::En).contains("DE89"));
    }

    #[test]
    fn signature_bank_details_are_the_senders() {
        let body = "Anbei die Unterlagen.\n\n-- \nACME GmbH\nIBAN DE89 3704 0044 0532 0130 00\n\
                    IBAN GB29 NWBK 6016 1331 9268 19\nIBAN NL91 ABNA 0417 1643 00\n";
        assert!(findings(RuleId::PersonalDataIdentifiers, &draft("a@partner.example", body), "{}").is_empty());
    }

    #[test]
    fn severity_follows_the_recipients() {
        let body = "Steuer-ID von Frau M.: 86095742719";
        let internal = findings(RuleId::PersonalDataIdentifiers, &draft("hr@corp.example", body), "{}");
        assert_eq!(internal[0].severity, Severity::Info);
        let private = findings(RuleId::PersonalDataIdentifiers, &draft("x@gmail.com", body), "{}");
        assert_eq!(private[0].severity, Severity::Block);
        let capped = findings(
            RuleId::PersonalDataIdentifiers,
            &draft("x@gmail.com", body),
            r#"{"severity":{"personal-data-identifiers":"warn"}}"#,
        );
        assert_eq!(capped[0].severity, Severity::Warn);
        let quiet = findings(
            RuleId::PersonalDataIdentifiers,
            &draft("x@gmail.com", body),
            r#"{"personal_data":{"severity_by_recipients":{"private_mailbox":"off"}}}"#,
        );
        assert!(quiet.is_empty());
    }

    #[test]
    fn attachment_is_named() {
        use base64::Engine as _;
        let csv = "Name;IBAN\nA;DE89370400440532013000\nB;GB29NWBK60161331926819\nC;NL91ABNA0417164300\n";
        let content = base64::engine::general_purpose::STANDARD.encode(csv);
        let json = format!(
            r#"{{"from":{{"address":"me@corp.example"}},"to":[{{"address":"p@print.example"}}],
                "attachments":[{{"name":"kunden.csv","size":{},"content_base64":"{content}"}}]}}"#,
            csv.len()
        );
        let found = findings(RuleId::PersonalDataIdentifiers, &json, "{}");
        assert_eq!(found[0].attachment.as_deref(), Some("kunden.csv"));
        let en = found[0].message.get(Lang::En);
        assert!(en.contains("“kunden.csv” (line 2, 3, 4)"), "{en}");
    }

    #[test]
    fn a_forwarded_html_message_is_read() {
        use base64::Engine as _;
        let eml = "From: kunde@x.example\r\nSubject: Konten\r\nContent-Type: text/html\r\n\r\n\
                   <p>DE89 3704 0044 0532 0130 00<br>GB29 NWBK 6016 1331 9268 19<br>\
                   NL91&nbsp;ABNA&nbsp;0417&nbsp;1643&nbsp;00</p>\r\n";
        let content = base64::engine::general_purpose::STANDARD.encode(eml);
        let json = format!(
            r#"{{"from":{{"address":"me@corp.example"}},"to":[{{"address":"p@print.example"}}],
                "attachments":[{{"name":"fw.eml","media_type":"message/rfc822","size":{},"content_base64":"{content}"}}]}}"#,
            eml.len()
        );
        let found = findings(RuleId::PersonalDataIdentifiers, &json, "{}");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].attachment.as_deref(), Some("fw.eml"));
    }

    #[test]
    fn a_cut_csv_is_reported_as_not_inspected() {
        use base64::Engine as _;
        let content = base64::engine::general_purpose::STANDARD.encode("Name;IBAN\n");
        let json = format!(
            r#"{{"from":{{"address":"me@corp.example"}},"to":[{{"address":"p@print.example"}}],
                "attachments":[{{"name":"big.csv","size":5000000,"content_base64":"{content}"}}]}}"#
        );
        let found = findings(RuleId::ContentNotInspected, &json, "{}");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].attachment.as_deref(), Some("big.csv"));
    }

    #[test]
    fn a_typo_in_own_identifiers_is_a_policy_error() {
        let error = crate::policy::Policy::from_json(
            r#"{"personal_data":{"own_identifiers":["DE89 3704 0044 0532 0130 01"]}}"#,
        )
        .unwrap_err();
        assert!(error.to_string().contains("check digits"), "{error}");
        assert!(crate::policy::Policy::from_json(r#"{"personal_data":{"min_ibans":0}}"#).is_err());
    }
}

//! `personal-data-member-list`: one part of the draft (the text, one file) that lists
//! many distinct people: e-mail addresses (the draft's own participants not counted),
//! phone numbers next to a phone word or under a phone column, or vCards. A member
//! list to the printing shop, a CRM export, a pasted table. The threshold is
//! `personal_data.min_list_people`.

use crate::messages::{Arg, text};
use crate::personal_data::Location;
use crate::rules::Context;
use crate::rules::personal_data::{places, severity_for_recipients, single_attachment};
use crate::vocabulary::{Finding, RuleId, Severity};

pub(super) const TITLE: &str = "rule.personal-data-member-list.title";
pub(super) const WHY: &str = "rule.personal-data-member-list.why";

pub(super) fn check(context: &Context<'_>, ceiling: Severity) -> Vec<Finding> {
    let Some(scan) = &context.personal_data else {
        return Vec::new();
    };
    let severity = severity_for_recipients(context, ceiling);
    let threshold = context.policy.personal_data.min_list_people.get() as usize;
    if severity == Severity::Off {
        return Vec::new();
    }
    scan.lists
        .iter()
        .filter(|list| list.people >= threshold)
        .map(|list| {
            let at: [(Location, Vec<usize>); 1] = [(list.location.clone(), Vec::new())];
            let message = text(
                "rule.personal-data-member-list.message",
                &[("count", Arg::Count(list.people)), ("places", places(&at))],
            );
            let mut finding = Finding::new(RuleId::PersonalDataMemberList, severity, message);
            finding.attachment = single_attachment(std::iter::once(&list.location));
            finding
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::messages::Lang;
    use crate::rules::test_support::findings;
    use crate::vocabulary::{RuleId, Severity};

    fn with_file(name: &str, content: &str, to: &str) -> String {
        use base64::Engine as _;
        let encoded = base64::engine::general_purpose::STANDARD.encode(content);
        format!(
            r#"{{"from":{{"address":"me@corp.example"}},"to":[{{"address":"{to}"}}],
                "attachments":[{{"name":"{name}","size":{},"content_base64":"{encoded}"}}]}}"#,
            content.len()
        )
    }

    fn members(n: usize) -> String {
        let mut csv = String::from("Vorname;Nachname;E-Mail;Telefon\n");
        for i in 0..n {
            csv.push_str(&format!("V{i};N{i};m{i}@verein-mail.example;+49 30 5550{i:03}\n"));
        }
        csv
    }

    #[test]
    fn a_member_list_to_the_printer_warns_and_names_the_file() {
        let found = findings(
            RuleId::PersonalDataMemberList,
            &with_file("mitglieder.csv", &members(40), "druck@druckerei.example"),
            "{}",
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Warn);
        assert_eq!(found[0].attachment.as_deref(), Some("mitglieder.csv"));
        assert!(found[0].message.get(Lang::En).contains("40 people"), "{:?}", found[0].message);
        assert!(!found[0].message.get(Lang::En).contains("m1@"));
    }

    #[test]
    fn below_the_threshold_or_internal_it_is_quiet_or_info() {
        let few = with_file("team.csv", &members(9), "druck@druckerei.example");
        assert!(findings(RuleId::PersonalDataMemberList, &few, "{}").is_empty());
        let inside = with_file("mitglieder.csv", &members(40), "vorstand@corp.example");
        assert_eq!(findings(RuleId::PersonalDataMemberList, &inside, "{}")[0].severity, Severity::Info);
        let policy = r#"{"personal_data":{"min_list_people":50}}"#;
        let many = with_file("mitglieder.csv", &members(40), "druck@druckerei.example");
        assert!(findings(RuleId::PersonalDataMemberList, &many, policy).is_empty());
    }

    #[test]
    fn vcards_count_as_people() {
        let mut vcf = String::new();
        for i in 0..12 {
            vcf.push_str(&format!("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:P {i}\r\nEND:VCARD\r\n"));
        }
        let found = findings(
            RuleId::PersonalDataMemberList,
            &with_file("kontakte.vcf", &vcf, "x@gmail.com"),
            "{}",
        );
        assert_eq!(found[0].severity, Severity::Block);
    }
}

//! `list-not-expanded`: one finding per contact group or mailing list whose members the
//! front end could not read. Its members may be exposed to each other, or be private
//! mailboxes; nobody can tell.

use crate::draft::Part;
use crate::messages::{Arg, text};
use crate::rules::Context;
use crate::rules::not_inspected::{entries, reason_text};
use crate::vocabulary::{Finding, RuleId, Severity};

pub(super) const TITLE: &str = "rule.list-not-expanded.title";
pub(super) const WHY: &str = "rule.list-not-expanded.why";

pub(super) fn check(context: &Context<'_>, severity: Severity) -> Vec<Finding> {
    entries(context, |part| part == Part::List)
        .map(|entry| {
            let name = entry.name.clone().unwrap_or_default();
            let message = text(
                "rule.list-not-expanded.message",
                &[
                    ("name", Arg::Str(name.clone())),
                    ("reason", reason_text(entry.reason)),
                ],
            );
            let mut finding = Finding::new(RuleId::ListNotExpanded, severity, message);
            if name.contains('@') {
                finding.recipients.push(name.to_lowercase());
            }
            finding
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::findings;
    use crate::vocabulary::RuleId;

    const DRAFT: &str = r#"{"to":[{"address":"b@corp.example"}],"not_inspected":[
        {"part":"list","name":"Kunden <kunden@corp.example>","reason":"error"},
        {"part":"list","name":"Team","reason":"unsupported"},
        {"part":"body","reason":"timeout"}]}"#;

    #[test]
    fn one_finding_per_list_named_by_its_address() {
        let found = findings(RuleId::ListNotExpanded, DRAFT, "{}");
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].recipients, ["kunden <kunden@corp.example>"]);
        assert!(found[1].recipients.is_empty());
        assert!(found[1].message.get(crate::messages::Lang::En).contains("Team"));
    }

    #[test]
    fn no_list_no_finding() {
        let draft = r#"{"to":[{"address":"b@corp.example"}]}"#;
        assert!(findings(RuleId::ListNotExpanded, draft, "{}").is_empty());
    }
}

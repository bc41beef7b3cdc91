//! `external-recipients`: how many addresses outside the organization get the mail,
//! at how many organizations (like Outlook's MailTip). Informational by default.

use crate::messages::{Arg, text};
use crate::recipients::Class;
use crate::rules::Context;
use crate::vocabulary::{Finding, RuleId, Severity};

pub(super) const TITLE: &str = "rule.external-recipients.title";
pub(super) const WHY: &str = "rule.external-recipients.why";

pub(super) fn check(context: &Context<'_>, severity: Severity) -> Vec<Finding> {
    let summary = &context.summary;
    if summary.external_addresses == 0 {
        return Vec::new();
    }
    let key = match (summary.external_addresses, summary.external_organizations) {
        (1, _) => "rule.external-recipients.message.one",
        (_, 1) => "rule.external-recipients.message.one-organization",
        _ => "rule.external-recipients.message.other",
    };
    let message = text(
        key,
        &[
            ("addresses", Arg::Count(summary.external_addresses)),
            ("organizations", Arg::Count(summary.external_organizations)),
        ],
    );
    let mut found = Finding::new(RuleId::ExternalRecipients, severity, message);
    found.recipients = context
        .analysis
        .recipients
        .iter()
        .filter(|r| r.class != Class::Internal)
        .map(|r| r.key.clone())
        .collect();
    vec![found]
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{findings, to};
    use crate::vocabulary::RuleId;

    #[test]
    fn counts_addresses_and_organizations() {
        let found = findings(
            RuleId::ExternalRecipients,
            &to(&["a@one.example", "b@one.example", "c@two.example", "me2@corp.example"]),
            "{}",
        );
        assert_eq!(found[0].recipients, ["a@one.example", "b@one.example", "c@two.example"]);
        assert!(found[0].message.get(crate::messages::Lang::En).contains("3 external recipients from 2"), "{:?}", found[0].message);
        let one_org = findings(
            RuleId::ExternalRecipients,
            &to(&["a@one.example", "b@one.example"]),
            "{}",
        );
        assert!(one_org[0].message.get(crate::messages::Lang::En).contains("at one organization"));
    }

    #[test]
    fn colleagues_only_say_nothing() {
        assert!(findings(RuleId::ExternalRecipients, &to(&["x@corp.example"]), "{}").is_empty());
    }
}

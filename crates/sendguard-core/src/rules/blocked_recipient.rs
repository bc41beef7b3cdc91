//! `blocked-recipient`: a domain the policy blocks (`blocked_domains`), unless it is internal.

use crate::rules::Context;
use crate::rules::per_recipient::{MessageKeys, flag_recipients};
use crate::vocabulary::{Finding, RuleId, Severity};

pub(super) const TITLE: &str = "rule.blocked-recipient.title";
pub(super) const WHY: &str = "rule.blocked-recipient.why";

const MESSAGE: MessageKeys = MessageKeys {
    one: "rule.blocked-recipient.message.one",
    other: "rule.blocked-recipient.message.other",
};

pub(super) fn check(context: &Context<'_>, severity: Severity) -> Vec<Finding> {
    flag_recipients(context, RuleId::BlockedRecipient, severity, &MESSAGE, |r| {
        r.blocked
    })
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{findings, to};
    use crate::vocabulary::{Fix, RuleId};

    const POLICY: &str = r#"{"blocked_domains":["rival.example"],"internal_domains":["corp.example"]}"#;

    #[test]
    fn blocked_domains_and_their_subdomains() {
        let found = findings(
            RuleId::BlockedRecipient,
            &to(&["a@rival.example", "b@mx.rival.example", "c@ok.example"]),
            POLICY,
        );
        assert_eq!(found[0].recipients, ["a@rival.example", "b@mx.rival.example"]);
        assert_eq!(
            found[0].fixes[0].action,
            Fix::RemoveRecipient {
                addresses: found[0].recipients.clone()
            }
        );
        assert!(found[0].message.get(crate::messages::Lang::En).contains("(2 recipients)"), "{:?}", found[0].message);
    }

    #[test]
    fn others_pass() {
        assert!(findings(RuleId::BlockedRecipient, &to(&["c@ok.example"]), POLICY).is_empty());
        assert!(findings(RuleId::BlockedRecipient, &to(&["c@rival.example"]), "{}").is_empty());
    }
}

//! `freemail-recipient`: a private freemail or consumer-ISP mailbox (shipped lists plus the policy's `freemail_domains`); the sender's own address and throwaway ones (their own rule) are left out.

use crate::rules::Context;
use crate::rules::per_recipient::{MessageKeys, flag_recipients};
use crate::vocabulary::{Finding, RuleId, Severity};

pub(super) const TITLE: &str = "rule.freemail-recipient.title";
pub(super) const WHY: &str = "rule.freemail-recipient.why";

const MESSAGE: MessageKeys = MessageKeys {
    one: "rule.freemail-recipient.message.one",
    other: "rule.freemail-recipient.message.other",
};

pub(super) fn check(context: &Context<'_>, severity: Severity) -> Vec<Finding> {
    flag_recipients(context, RuleId::FreemailRecipient, severity, &MESSAGE, |r| {
        r.freemail && !r.disposable && !r.is_sender
    })
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{findings, to};
    use crate::vocabulary::RuleId;

    #[test]
    fn private_mailboxes_from_the_lists_and_the_policy() {
        let found = findings(
            RuleId::FreemailRecipient,
            &to(&["a@gmail.com", "b@firm.example", "c@home.example"]),
            r#"{"freemail_domains":["home.example"]}"#,
        );
        assert_eq!(found[0].recipients, ["a@gmail.com", "c@home.example"]);
    }

    #[test]
    fn business_throwaway_and_trusted_pass() {
        assert!(findings(RuleId::FreemailRecipient, &to(&["b@firm.example"]), "{}").is_empty());
        // A throwaway address has its own rule.
        assert!(findings(RuleId::FreemailRecipient, &to(&["x@mailinator.com"]), "{}").is_empty());
        assert!(
            findings(
                RuleId::FreemailRecipient,
                &to(&["a@gmail.com"]),
                r#"{"trusted_domains":["gmail.com"]}"#
            )
            .is_empty()
        );
    }
}

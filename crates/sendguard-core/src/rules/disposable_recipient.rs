//! `disposable-recipient`: a throwaway mail domain from the shipped list.

use crate::rules::Context;
use crate::rules::per_recipient::{MessageKeys, flag_recipients};
use crate::vocabulary::{Finding, RuleId, Severity};

pub(super) const TITLE: &str = "rule.disposable-recipient.title";
pub(super) const WHY: &str = "rule.disposable-recipient.why";

const MESSAGE: MessageKeys = MessageKeys {
    one: "rule.disposable-recipient.message.one",
    other: "rule.disposable-recipient.message.other",
};

pub(super) fn check(context: &Context<'_>, severity: Severity) -> Vec<Finding> {
    flag_recipients(context, RuleId::DisposableRecipient, severity, &MESSAGE, |r| {
        r.disposable
    })
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{findings, to};
    use crate::vocabulary::RuleId;

    #[test]
    fn throwaway_domains_only() {
        let found = findings(
            RuleId::DisposableRecipient,
            &to(&["x@mailinator.com", "y@firm.example"]),
            "{}",
        );
        assert_eq!(found[0].recipients, ["x@mailinator.com"]);
        assert!(found[0].message.get(crate::messages::Lang::En).contains("x@mailinator.com is a throwaway"));
        assert!(findings(RuleId::DisposableRecipient, &to(&["y@firm.example"]), "{}").is_empty());
    }
}

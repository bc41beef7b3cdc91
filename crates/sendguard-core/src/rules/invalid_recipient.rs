//! `invalid-recipient`: a recipient entry that is not a usable address (no valid domain).

use crate::rules::Context;
use crate::rules::per_recipient::{MessageKeys, flag_recipients};
use crate::vocabulary::{Finding, RuleId, Severity};

pub(super) const TITLE: &str = "rule.invalid-recipient.title";
pub(super) const WHY: &str = "rule.invalid-recipient.why";

const MESSAGE: MessageKeys = MessageKeys {
    one: "rule.invalid-recipient.message.one",
    other: "rule.invalid-recipient.message.other",
};

pub(super) fn check(context: &Context<'_>, severity: Severity) -> Vec<Finding> {
    flag_recipients(context, RuleId::InvalidRecipient, severity, &MESSAGE, |r| {
        r.domain.is_none()
    })
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{findings, to};
    use crate::vocabulary::RuleId;

    #[test]
    fn entries_without_a_usable_domain() {
        let found = findings(
            RuleId::InvalidRecipient,
            &to(&["nobody", "a@", "ok@firm.example"]),
            "{}",
        );
        assert_eq!(found[0].recipients, ["nobody", "a@"]);
        assert!(findings(RuleId::InvalidRecipient, &to(&["ok@firm.example"]), "{}").is_empty());
    }

    /// `me@corp.example` sends; `user%evil.example@corp.example` looks internal but a
    /// relay honouring the percent hack delivers it to evil.example.
    #[test]
    fn routed_local_parts_are_invalid_not_internal() {
        let draft = to(&[
            "user%evil.example@corp.example",
            "evil.example!user@corp.example",
            "colleague@corp.example",
        ]);
        let found = findings(RuleId::InvalidRecipient, &draft, "{}");
        assert_eq!(
            found[0].recipients,
            ["user%evil.example@corp.example", "evil.example!user@corp.example"]
        );
        // …and they count as external, not as colleagues.
        let external = findings(RuleId::ExternalRecipients, &draft, "{}");
        assert_eq!(external[0].recipients, found[0].recipients);
    }
}

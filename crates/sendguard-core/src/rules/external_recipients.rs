//! `external-recipients`: how many addresses outside the organization get the mail,
//! at how many organizations and how many of them are private mailboxes (like
//! Outlook's MailTip). Informational by default.
//!
//! A report says each thing once: at `info`, this finding is left out of a report in
//! which another finding already names recipients (the 30 addresses of a
//! `visible-recipients` block are not listed a second time under the MailTip); see
//! `rules::check`. At `warn` or `block` (a policy that wants every external mail
//! confirmed) it always stays.

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
    let organizations = match summary.external_organizations {
        1 => text("rule.external-recipients.organizations.one", &[]),
        n => text(
            "rule.external-recipients.organizations.other",
            &[("count", Arg::Count(n))],
        ),
    };
    let private = match summary.private_mailboxes {
        1 => text("rule.external-recipients.private.one", &[]),
        n => text(
            "rule.external-recipients.private.other",
            &[("count", Arg::Count(n))],
        ),
    };
    // Organizations and private mailboxes are named apart: a private gmx address is
    // nobody's organization.
    let key = match (
        summary.external_addresses,
        summary.external_organizations,
        summary.private_mailboxes,
    ) {
        (1, _, _) => "rule.external-recipients.message.one",
        (_, 0, 0) => "rule.external-recipients.message.plain",
        (_, _, 0) => "rule.external-recipients.message.organizations",
        (_, 0, _) => "rule.external-recipients.message.private",
        _ => "rule.external-recipients.message.mixed",
    };
    let message = text(
        key,
        &[
            ("addresses", Arg::Count(summary.external_addresses)),
            ("organizations", Arg::Text(organizations)),
            ("private", Arg::Text(private)),
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
    use crate::messages::Lang;
    use crate::rules::test_support::{findings, to};
    use crate::vocabulary::RuleId;

    fn message(addresses: &[&str]) -> (Vec<String>, String, String) {
        let found = findings(RuleId::ExternalRecipients, &to(addresses), "{}");
        assert_eq!(found.len(), 1);
        (
            found[0].recipients.clone(),
            found[0].message.get(Lang::En).to_string(),
            found[0].message.get(Lang::De).to_string(),
        )
    }

    #[test]
    fn counts_addresses_and_organizations() {
        let (recipients, en, de) = message(&[
            "a@one.example",
            "b@one.example",
            "c@two.example",
            "me2@corp.example",
        ]);
        assert_eq!(recipients, ["a@one.example", "b@one.example", "c@two.example"]);
        assert_eq!(en, "This mail goes to 3 external recipients at 2 organizations.");
        assert_eq!(de, "Diese Mail geht an 3 externe Empfänger bei 2 Organisationen.");
        let (_, en, de) = message(&["a@one.example", "b@one.example"]);
        assert_eq!(en, "This mail goes to 2 external recipients at one organization.");
        assert_eq!(de, "Diese Mail geht an 2 externe Empfänger bei einer Organisation.");
        let (_, en, _) = message(&["a@one.example"]);
        assert_eq!(en, "This mail goes to one external recipient.");
    }

    /// Issue 16: "at 41 organizations" counted a private gmx address as one.
    #[test]
    fn private_mailboxes_are_not_organizations() {
        let mut addresses: Vec<String> = (0..40).map(|i| format!("p{i}@firm{}.example", i % 12)).collect();
        addresses.push("privat@gmx.de".to_string());
        let addresses: Vec<&str> = addresses.iter().map(String::as_str).collect();
        let (_, en, de) = message(&addresses);
        assert_eq!(
            en,
            "This mail goes to 41 external recipients at 12 organizations, among them one private mailbox."
        );
        assert_eq!(
            de,
            "Diese Mail geht an 41 externe Empfänger bei 12 Organisationen, darunter ein privates Postfach."
        );
        let (_, en, de) = message(&["a@gmx.de", "b@web.de", "c@gmail.com"]);
        assert_eq!(en, "This mail goes to 3 external recipients, among them 3 private mailboxes.");
        assert_eq!(de, "Diese Mail geht an 3 externe Empfänger, darunter 3 private Postfächer.");
        let (_, en, _) = message(&["broken", "also-broken@"]);
        assert_eq!(en, "This mail goes to 2 external recipients.");
    }

    #[test]
    fn colleagues_only_say_nothing() {
        assert!(findings(RuleId::ExternalRecipients, &to(&["x@corp.example"]), "{}").is_empty());
    }
}

//! `freemail-recipient`: a private freemail or consumer-ISP mailbox (shipped lists plus
//! the policy's `freemail_domains`); the sender's own address and throwaway ones (their
//! own rule) are left out.
//!
//! Personal mail and a mailing are told apart by where the private mailboxes are and how
//! many people the draft goes to:
//!
//! - A private mailbox in To or Cc is always flagged at the rule's severity (default
//!   warn): that is correspondence with a private person, whatever else the draft holds.
//! - A private mailbox in Bcc only is flagged the same way, unless the draft is a
//!   **Bcc mailing**: at least `bcc_mailing_from` distinct recipients
//!   (default 10, the sender not counted) are in Bcc only. In a Bcc mailing nobody sees
//!   anybody else's address, so its private mailboxes are one info finding (never
//!   stopping the send) that counts them and, where the policy names a newsletter tool,
//!   suggests it. A partner newsletter to 800 people in Bcc, 48 of them at gmx.de or
//!   web.de, passes; a mail to one colleague with a private address in Bcc still warns.

use std::collections::HashSet;

use crate::messages::{Arg, short_list, text};
use crate::recipients::Recipient;
use crate::rules::Context;
use crate::rules::per_recipient::{MessageKeys, flag_recipients};
use crate::vocabulary::{Finding, RuleId, Severity};

pub(super) const TITLE: &str = "rule.freemail-recipient.title";
pub(super) const WHY: &str = "rule.freemail-recipient.why";

const MESSAGE: MessageKeys = MessageKeys {
    one: "rule.freemail-recipient.message.one",
    other: "rule.freemail-recipient.message.other",
};

/// A private mailbox this rule is about.
fn private(recipient: &Recipient) -> bool {
    recipient.freemail && !recipient.disposable && !recipient.is_sender
}

/// How many distinct recipients are in Bcc only, the sender not counted.
fn bcc_only(context: &Context<'_>) -> usize {
    context
        .analysis
        .recipients
        .iter()
        .filter(|r| !r.visible && !r.is_sender)
        .count()
}

pub(super) fn check(context: &Context<'_>, severity: Severity) -> Vec<Finding> {
    let threshold = context.policy.bcc_mailing_from;
    let in_bcc = bcc_only(context);
    let mailing = threshold > 0 && in_bcc >= usize::try_from(threshold).unwrap_or(usize::MAX);
    let mut found = flag_recipients(context, RuleId::FreemailRecipient, severity, &MESSAGE, |r| {
        private(r) && (r.visible || !mailing)
    });
    if mailing {
        found.extend(mailing_note(context, severity, in_bcc));
    }
    found
}

/// The info for the private mailboxes in a Bcc mailing: how many, at which domains, and
/// the newsletter tool where the policy names one. No fix: removing them is not what a
/// correct mailing needs.
fn mailing_note(context: &Context<'_>, severity: Severity, in_bcc: usize) -> Option<Finding> {
    let hits: Vec<&Recipient> = context
        .analysis
        .recipients
        .iter()
        .filter(|r| private(r) && !r.visible)
        .collect();
    if hits.is_empty() {
        return None;
    }
    let mut seen = HashSet::new();
    let domains: Vec<String> = hits
        .iter()
        .filter_map(|r| r.domain.as_ref())
        .filter(|domain| seen.insert(domain.as_str()))
        .map(|domain| domain.as_str().to_string())
        .collect();
    let key = if hits.len() == 1 {
        "rule.freemail-recipient.message.mailing.one"
    } else {
        "rule.freemail-recipient.message.mailing"
    };
    let mut message = text(
        key,
        &[
            ("count", Arg::Count(hits.len())),
            ("total", Arg::Count(in_bcc)),
            ("domains", short_list(&domains, 3)),
        ],
    );
    if let Some(tool) = &context.policy.newsletter_tool {
        message.append(&text(
            "rule.visible-recipients.tool",
            &[("tool", Arg::Str(tool.name.clone()))],
        ));
    }
    let mut finding = Finding::new(
        RuleId::FreemailRecipient,
        severity.min(Severity::Info),
        message,
    );
    finding.recipients = hits.iter().map(|r| r.key.clone()).collect();
    Some(finding)
}

#[cfg(test)]
mod tests {
    use crate::messages::Lang;
    use crate::rules::test_support::{findings, to};
    use crate::vocabulary::{RuleId, Severity};

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

    /// A draft from me@corp.example: `to` in To, then `business` partners and the
    /// `private` addresses in Bcc.
    fn bcc_draft(to: &[&str], business: usize, private: &[&str]) -> String {
        let entry = |a: &str| format!("{{\"address\":\"{a}\"}}");
        let to: Vec<String> = to.iter().map(|a| entry(a)).collect();
        let bcc: Vec<String> = (0..business)
            .map(|i| entry(&format!("p{i}@partner{i}.example")))
            .chain(private.iter().map(|a| entry(a)))
            .collect();
        format!(
            r#"{{"from":{{"address":"me@corp.example"}},"to":[{}],"bcc":[{}]}}"#,
            to.join(","),
            bcc.join(",")
        )
    }

    fn severities(draft: &str, policy: &str) -> Vec<(Severity, usize)> {
        findings(RuleId::FreemailRecipient, draft, policy)
            .iter()
            .map(|f| (f.severity, f.recipients.len()))
            .collect()
    }

    #[test]
    fn a_bcc_mailing_with_private_mailboxes_is_an_info() {
        // The sender in To, 752 partners and 48 private people in Bcc.
        let private: Vec<String> = (0..48)
            .map(|i| format!("kunde{i}@{}", ["gmx.de", "web.de"][i % 2]))
            .collect();
        let private: Vec<&str> = private.iter().map(String::as_str).collect();
        let draft = bcc_draft(&["me@corp.example"], 752, &private);
        let found = findings(
            RuleId::FreemailRecipient,
            &draft,
            r#"{"newsletter_tool":{"name":"CleverReach"}}"#,
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Info);
        assert_eq!(found[0].recipients.len(), 48);
        assert!(found[0].fixes.is_empty());
        let en = found[0].message.get(Lang::En);
        assert!(en.contains("48 of the 800 recipients in Bcc"), "{en}");
        assert!(en.contains("gmx.de, web.de"), "{en}");
        assert!(en.ends_with("For mailings, use CleverReach."), "{en}");
        // Without a tool, no suggestion.
        let plain = findings(RuleId::FreemailRecipient, &draft, "{}");
        assert!(!plain[0].message.get(Lang::De).contains("nutzen"));
    }

    #[test]
    fn the_threshold_is_exact_and_from_the_policy() {
        // 9 business + 1 private = 10 in Bcc: a mailing at the default.
        let ten = bcc_draft(&["me@corp.example"], 9, &["x@gmail.com"]);
        assert_eq!(severities(&ten, "{}"), [(Severity::Info, 1)]);
        let found = findings(RuleId::FreemailRecipient, &ten, "{}");
        assert!(
            found[0]
                .message
                .get(Lang::En)
                .starts_with("One of the 10 recipients in Bcc uses a private mailbox (gmail.com)."),
            "{:?}",
            found[0].message
        );
        // 9 in Bcc: personal mail, the private mailbox warns.
        let nine = bcc_draft(&["me@corp.example"], 8, &["x@gmail.com"]);
        assert_eq!(severities(&nine, "{}"), [(Severity::Warn, 1)]);
        // The sender in Bcc does not count towards the ten.
        let with_sender = bcc_draft(&[], 8, &["x@gmail.com", "me@corp.example"]);
        assert_eq!(severities(&with_sender, "{}"), [(Severity::Warn, 1)]);
        let policy = |n: u32| format!(r#"{{"bcc_mailing_from":{n}}}"#);
        assert_eq!(severities(&ten, &policy(11)), [(Severity::Warn, 1)]);
        assert_eq!(severities(&nine, &policy(9)), [(Severity::Info, 1)]);
        // 0 switches the exception off.
        assert_eq!(severities(&ten, &policy(0)), [(Severity::Warn, 1)]);
    }

    #[test]
    fn personal_mail_still_warns() {
        // One private person in To.
        assert_eq!(
            severities(&to(&["oma.erna@web.de"]), "{}"),
            [(Severity::Warn, 1)]
        );
        // One private person in Bcc of a small mail.
        let small = bcc_draft(&["kollege@corp.example"], 0, &["privat@gmx.de"]);
        assert_eq!(severities(&small, "{}"), [(Severity::Warn, 1)]);
        // A private address in To of a Bcc mailing is still personal: it warns, and the
        // Bcc ones are the info.
        let mixed = bcc_draft(&["privat@gmx.de"], 20, &["a@web.de", "b@gmail.com"]);
        assert_eq!(
            severities(&mixed, "{}"),
            [(Severity::Warn, 1), (Severity::Info, 2)]
        );
        let found = findings(RuleId::FreemailRecipient, &mixed, "{}");
        assert_eq!(found[0].recipients, ["privat@gmx.de"]);
        assert_eq!(found[1].recipients, ["a@web.de", "b@gmail.com"]);
    }

    #[test]
    fn the_policy_severity_caps_the_info_and_the_warning() {
        let mixed = bcc_draft(&["privat@gmx.de"], 20, &["a@web.de"]);
        assert_eq!(
            severities(&mixed, r#"{"severity":{"freemail-recipient":"info"}}"#),
            [(Severity::Info, 1), (Severity::Info, 1)]
        );
        assert_eq!(
            severities(&mixed, r#"{"severity":{"freemail-recipient":"block"}}"#),
            [(Severity::Block, 1), (Severity::Info, 1)]
        );
    }
}

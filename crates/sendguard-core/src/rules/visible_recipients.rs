//! `visible-recipients`: external recipients in To/Cc exposed to each other, counted
//! as parties (one per organization, each private mailbox its own). Its thresholds
//! are the policy's `visible_recipients` section; their defaults are here.

use crate::messages::{Arg, text};
use crate::policy::VisibleRecipients;
use crate::rules::Context;
use crate::rules::per_recipient::export_offer;
use crate::vocabulary::{Finding, Fix, FixOffer, RuleId, Severity};

pub(super) const TITLE: &str = "rule.visible-recipients.title";
pub(super) const WHY: &str = "rule.visible-recipients.why";

impl Default for VisibleRecipients {
    /// Five parties who see each other are a mailing, fifteen a data breach; 25
    /// addresses block even when they belong to few organizations.
    fn default() -> Self {
        VisibleRecipients {
            warn_parties: 5,
            block_parties: 15,
            block_addresses: 25,
        }
    }
}

/// `ceiling` is the policy's severity for the rule: the thresholds decide between
/// warn and block, never above it.
pub(super) fn check(context: &Context<'_>, ceiling: Severity) -> Vec<Finding> {
    let analysis = &context.analysis;
    let limits = &context.policy.visible_recipients;
    let exposed: Vec<String> = analysis.exposed().map(|r| r.key.clone()).collect();
    let parties = context.summary.visible_parties;
    let count = |n: u32| usize::try_from(n).unwrap_or(usize::MAX);
    let level = if parties >= count(limits.block_parties)
        || exposed.len() >= count(limits.block_addresses)
    {
        Severity::Block
    } else if parties >= count(limits.warn_parties) {
        Severity::Warn
    } else {
        return Vec::new();
    };
    let mut message = text(
        "rule.visible-recipients.message",
        &[
            ("addresses", Arg::Count(exposed.len())),
            ("parties", Arg::Count(parties)),
        ],
    );
    if let Some(tool) = &context.policy.newsletter_tool {
        let hint = text(
            "rule.visible-recipients.tool",
            &[("tool", Arg::Str(tool.name.clone()))],
        );
        message.append(&hint);
    }
    let mut found = Finding::new(RuleId::VisibleRecipients, level.min(ceiling), message);
    found.recipients = exposed;
    found.fixes = vec![
        FixOffer {
            label: text("fix.move-to-bcc", &[]),
            action: Fix::MoveToBcc,
        },
        export_offer(context.policy),
    ];
    vec![found]
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{findings, to};
    use crate::vocabulary::{RuleId, Severity};

    fn severity(addresses: &[&str], policy: &str) -> Option<Severity> {
        let found = findings(RuleId::VisibleRecipients, &to(addresses), policy);
        assert!(found.len() <= 1);
        found.first().map(|f| f.severity)
    }

    #[test]
    fn parties_not_addresses_decide() {
        let four = ["a@one.example", "b@two.example", "c@three.example", "d@four.example"];
        assert_eq!(severity(&four, "{}"), None);
        let five = [&four[..], &["e@five.example"]].concat();
        assert_eq!(severity(&five, "{}"), Some(Severity::Warn));
        // Ten people at one organization are one party.
        let one_firm: Vec<String> = (0..10).map(|i| format!("p{i}@firm.example")).collect();
        let one_firm: Vec<&str> = one_firm.iter().map(String::as_str).collect();
        assert_eq!(severity(&one_firm, "{}"), None);
        // Colleagues are not exposed.
        let colleagues: Vec<String> = (0..30).map(|i| format!("c{i}@corp.example")).collect();
        let colleagues: Vec<&str> = colleagues.iter().map(String::as_str).collect();
        assert_eq!(severity(&colleagues, "{}"), None);
    }

    #[test]
    fn thresholds_and_ceiling_come_from_the_policy() {
        let addresses: Vec<String> = (0..25).map(|i| format!("p{i}@firm.example")).collect();
        let addresses: Vec<&str> = addresses.iter().map(String::as_str).collect();
        assert_eq!(severity(&addresses, "{}"), Some(Severity::Block));
        assert_eq!(
            severity(&addresses, r#"{"severity":{"visible-recipients":"warn"}}"#),
            Some(Severity::Warn)
        );
        assert_eq!(
            severity(
                &["a@one.example", "b@two.example"],
                r#"{"visible_recipients":{"warn_parties":2}}"#
            ),
            Some(Severity::Warn)
        );
    }

    #[test]
    fn offers_bcc_and_the_newsletter_tool() {
        let five = ["a@1.example", "b@2.example", "c@3.example", "d@4.example", "e@5.example"];
        let found = findings(
            RuleId::VisibleRecipients,
            &to(&five),
            r#"{"newsletter_tool":{"name":"rapidmail"}}"#,
        );
        assert_eq!(found[0].fixes.len(), 2);
        assert!(found[0].message.get(crate::messages::Lang::En).ends_with("For mailings, use rapidmail."));
        assert!(found[0].fixes[1].label.get(crate::messages::Lang::De).contains("rapidmail"));
    }
}

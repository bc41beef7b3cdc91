//! The shape several recipient rules share: flag recipients one by one, name them and
//! their domains, and offer to remove them.

use std::collections::HashSet;

use crate::messages::{Arg, short_list, text};
use crate::policy::Policy;
use crate::recipients::Recipient;
use crate::rules::Context;
use crate::vocabulary::{Finding, Fix, FixOffer, RuleId, Severity};

/// The catalogue keys of a per-recipient rule's message: one recipient, several.
pub(super) struct MessageKeys {
    pub(super) one: &'static str,
    pub(super) other: &'static str,
}

/// One finding naming every recipient `flagged` accepts, with a remove fix; none when
/// no recipient is flagged.
pub(super) fn flag_recipients(
    context: &Context<'_>,
    rule: RuleId,
    severity: Severity,
    keys: &MessageKeys,
    flagged: impl Fn(&Recipient) -> bool,
) -> Vec<Finding> {
    let hits: Vec<&Recipient> = context
        .analysis
        .recipients
        .iter()
        .filter(|r| flagged(r))
        .collect();
    if hits.is_empty() {
        return Vec::new();
    }
    let addresses: Vec<String> = hits.iter().map(|r| r.key.clone()).collect();
    // Distinct domains in draft order (a set keeps 10,000 hits linear).
    let mut seen = HashSet::new();
    let domains: Vec<String> = hits
        .iter()
        .filter_map(|hit| hit.domain.as_ref())
        .filter(|domain| seen.insert(domain.as_str()))
        .map(|domain| domain.as_str().to_string())
        .collect();
    let key = if hits.len() == 1 {
        keys.one
    } else {
        keys.other
    };
    let message = text(
        key,
        &[
            ("count", Arg::Count(hits.len())),
            ("addresses", short_list(&addresses, 3)),
            ("domains", short_list(&domains, 3)),
        ],
    );
    let mut found = Finding::new(rule, severity, message);
    found.fixes = vec![FixOffer {
        label: text("fix.remove-recipient", &[]),
        action: Fix::RemoveRecipient {
            addresses: addresses.clone(),
        },
    }];
    found.recipients = addresses;
    vec![found]
}

/// The export fix, labelled with the policy's newsletter tool when it names one.
pub(super) fn export_offer(policy: &Policy) -> FixOffer {
    let label = match &policy.newsletter_tool {
        Some(tool) => text(
            "fix.export-recipients.tool",
            &[("tool", Arg::Str(tool.name.clone()))],
        ),
        None => text("fix.export-recipients", &[]),
    };
    FixOffer {
        label,
        action: Fix::ExportRecipients,
    }
}

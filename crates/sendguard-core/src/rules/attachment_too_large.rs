//! `attachment-too-large`: the attachments together weigh more than the policy's
//! limit (`attachments.max_total_mb`).

use crate::messages::{Arg, text};
use crate::rules::Context;
use crate::rules::file_names::{attachment_finding, printable};
use crate::vocabulary::{Finding, RuleId, Severity};

pub(super) const TITLE: &str = "rule.attachment-too-large.title";
pub(super) const WHY: &str = "rule.attachment-too-large.why";

pub(super) fn check(context: &Context<'_>, severity: Severity) -> Vec<Finding> {
    let attachments = &context.draft.attachments;
    let limit = u64::from(context.policy.attachments.max_total_mb) * 1_000_000;
    // Declared sizes come from the draft: a hostile one adds up past u64::MAX. The sum
    // saturates, so an overflow is reported as too large instead of wrapping to small.
    let total = attachments
        .iter()
        .fold(0u64, |sum, attachment| sum.saturating_add(attachment.size));
    if total <= limit {
        return Vec::new();
    }
    let Some(largest) = attachments.iter().max_by_key(|a| a.size) else {
        return Vec::new();
    };
    let message = if largest.size > limit {
        text(
            "rule.attachment-too-large.message",
            &[
                ("name", Arg::Str(printable(&largest.name))),
                ("size", Arg::Bytes(largest.size)),
                ("limit", Arg::Bytes(limit)),
            ],
        )
    } else {
        text(
            "rule.attachment-too-large.message.total",
            &[("size", Arg::Bytes(total)), ("limit", Arg::Bytes(limit))],
        )
    };
    vec![attachment_finding(
        RuleId::AttachmentTooLarge,
        severity,
        &largest.name,
        message,
    )]
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{attachments, findings};
    use crate::vocabulary::RuleId;

    fn run(sizes: &[(&str, u64)]) -> Vec<crate::vocabulary::Finding> {
        let parts: Vec<String> = sizes
            .iter()
            .map(|(name, size)| format!("{{\"name\":\"{name}\",\"size\":{size}}}"))
            .collect();
        let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
        findings(RuleId::AttachmentTooLarge, &attachments(&parts), "{}")
    }

    #[test]
    fn at_the_limit_passes_above_it_names_the_largest() {
        assert!(run(&[("a.pdf", 10_000_000), ("b.pdf", 10_000_000)]).is_empty());
        let found = run(&[("a.pdf", 12_000_000), ("b.pdf", 9_000_000)]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].attachment.as_deref(), Some("a.pdf"));
        assert!(found[0].message.get(crate::messages::Lang::En).contains("21 MB"), "{:?}", found[0].message);
        let one = run(&[("big.iso", 25_300_000)]);
        assert!(one[0].message.get(crate::messages::Lang::De).contains("25,3 MB"), "{:?}", one[0].message);
    }
}

//! `content-not-inspected`: one finding per body or attachment the checker could not
//! look into. The recipient rules still ran over everything readable; this says what
//! they could not cover, so a fault never turns into a silent pass.

use crate::draft::Part;
use crate::messages::{Arg, text};
use crate::rules::Context;
use crate::rules::not_inspected::{entries, reason_text};
use crate::vocabulary::{Finding, RuleId, Severity};

pub(super) const TITLE: &str = "rule.content-not-inspected.title";
pub(super) const WHY: &str = "rule.content-not-inspected.why";

pub(super) fn check(context: &Context<'_>, severity: Severity) -> Vec<Finding> {
    entries(context, |part| part != Part::List)
        .map(|entry| {
            let reason = reason_text(entry.reason);
            match (entry.part, entry.name.as_deref()) {
                (Part::Attachment, Some(name)) => {
                    let message = text(
                        "rule.content-not-inspected.message.attachment",
                        &[("name", Arg::Str(name.to_string())), ("reason", reason)],
                    );
                    let mut finding = Finding::new(RuleId::ContentNotInspected, severity, message);
                    finding.attachment = Some(name.to_string());
                    finding
                }
                (Part::Attachment, None) => Finding::new(
                    RuleId::ContentNotInspected,
                    severity,
                    text(
                        "rule.content-not-inspected.message.attachment-unnamed",
                        &[("reason", reason)],
                    ),
                ),
                _ => Finding::new(
                    RuleId::ContentNotInspected,
                    severity,
                    text(
                        "rule.content-not-inspected.message.body",
                        &[("reason", reason)],
                    ),
                ),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::draft::Draft;
    use crate::policy::Policy;
    use crate::rules::check;
    use crate::vocabulary::{RuleId, Severity, Verdict};

    fn draft(not_inspected: &str) -> Draft {
        Draft::from_json(&format!(
            r#"{{"from": {{"address": "a@corp.example"}},
                "to": [{{"address": "b@corp.example"}}],
                "not_inspected": {not_inspected}}}"#
        ))
        .unwrap()
    }

    #[test]
    fn nothing_missing_no_finding() {
        let report = check(&draft("[]"), &Policy::default());
        assert_eq!(report.verdict, Verdict::Pass);
    }

    #[test]
    fn each_entry_is_a_finding_with_its_reason() {
        let report = check(
            &draft(
                r#"[{"part": "body", "reason": "timeout"},
                    {"part": "attachment", "name": "scan.pdf", "reason": "too-large"},
                    {"part": "list", "name": "Kunden <kunden@corp.example>", "reason": "error"}]"#,
            ),
            &Policy::default(),
        );
        assert_eq!(report.verdict, Verdict::Warn);
        let rules: Vec<RuleId> = report.findings.iter().map(|f| f.rule).collect();
        assert_eq!(
            rules,
            [
                RuleId::ContentNotInspected,
                RuleId::ContentNotInspected,
                RuleId::ListNotExpanded
            ]
        );
        assert!(report.findings[0].message.get(crate::messages::Lang::En).contains("took too long"));
        assert_eq!(report.findings[1].attachment.as_deref(), Some("scan.pdf"));
        assert!(report.findings[1].message.get(crate::messages::Lang::De).contains("scan.pdf"));
        assert!(report.findings[2].message.get(crate::messages::Lang::En).contains("Kunden"));
    }

    #[test]
    fn policy_sets_the_severity() {
        let policy = Policy::from_json(
            r#"{"severity": {"content-not-inspected": "block", "list-not-expanded": "off"}}"#,
        )
        .unwrap();
        let report = check(
            &draft(
                r#"[{"part": "attachment", "reason": "unsupported"},
                    {"part": "list", "name": "x", "reason": "error"}]"#,
            ),
            &policy,
        );
        assert_eq!(report.verdict, Verdict::Block);
        assert_eq!(report.findings.len(), 1);
        assert_eq!(report.findings[0].severity, Severity::Block);
    }

    #[test]
    fn unknown_part_or_reason_is_an_input_error() {
        assert!(
            Draft::from_json(r#"{"not_inspected": [{"part": "bdy", "reason": "timeout"}]}"#)
                .is_err()
        );
        assert!(
            Draft::from_json(r#"{"not_inspected": [{"part": "body", "reason": "slow"}]}"#).is_err()
        );
    }
}

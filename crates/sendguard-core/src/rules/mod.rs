//! The rules, one file each (`rules/<rule_id>.rs`: logic, own defaults, pass/fail
//! tests), declared once in the registry (`src/registry.rs`), and [`check`], which
//! runs them over an analysed draft.
//!
//! A rule module provides `TITLE` and `WHY` (catalogue keys of its headline and its
//! reason) and `check(context, severity) -> Vec<Finding>`; the registry's dispatch
//! below calls it and fills in the title and reason.

mod file_names;
mod not_inspected;
mod per_recipient;
mod personal_data;

use crate::draft::Draft;
use crate::messages::text;
use crate::policy::Policy;
use crate::recipients::Analysis;
use crate::report::Report;
use crate::vocabulary::{Finding, RuleId, Severity, Summary, Verdict};

macro_rules! declare_rule_modules {
    ($( $(#[doc = $doc:literal])* $module:ident => $variant:ident, $id:literal, $severity:ident; )*) => {
        $( mod $module; )*

        /// Runs one rule at `severity` (never `off`) and gives its findings the rule's
        /// title and reason.
        fn run(rule: RuleId, context: &Context<'_>, severity: Severity) -> Vec<Finding> {
            let (mut findings, title, why) = match rule {
                $(RuleId::$variant => ($module::check(context, severity), $module::TITLE, $module::WHY),)*
            };
            if !findings.is_empty() {
                let (title, why) = (text(title, &[]), text(why, &[]));
                for finding in &mut findings {
                    finding.title = title.clone();
                    finding.why = why.clone();
                }
            }
            findings
        }

        /// Every rule's headline and reason keys, for the catalogue tests.
        #[cfg(test)]
        pub(crate) const TITLES_AND_REASONS: &[(RuleId, &str, &str)] =
            &[$((RuleId::$variant, $module::TITLE, $module::WHY)),*];
    };
}

rule_registry!(declare_rule_modules);

/// What every rule sees: the draft, the policy, and the recipient analysis and its
/// counts, each done once per check.
pub(crate) struct Context<'a> {
    pub(crate) draft: &'a Draft,
    /// Every file a recipient can open, containers expanded (see [`crate::files`]).
    pub(crate) files: crate::files::Files<'a>,
    /// What could not be inspected: the draft's own entries, then the containers the
    /// expansion could not open.
    pub(crate) not_inspected: Vec<crate::draft::NotInspected>,
    pub(crate) policy: &'a Policy,
    /// The personal-data scan of subject, text and files; `None` when every
    /// personal-data rule is off.
    pub(crate) personal_data: Option<crate::personal_data::Scan>,
    pub(crate) analysis: Analysis,
    pub(crate) summary: Summary,
}

impl<'a> Context<'a> {
    fn new(draft: &'a Draft, policy: &'a Policy) -> Context<'a> {
        let analysis = Analysis::new(draft, policy);
        let files = crate::files::expand(draft);
        let scanned = [
            RuleId::PersonalDataIdentifiers,
            RuleId::PersonalDataMemberList,
            RuleId::PersonalDataSpecialCategory,
            RuleId::UnprotectedSensitiveData,
        ]
        .into_iter()
        .any(|rule| policy.severity.get(rule) != Severity::Off);
        let personal_data = scanned.then(|| crate::personal_data::scan(draft, &files, policy));
        let mut not_inspected: Vec<crate::draft::NotInspected> = draft
            .not_inspected
            .iter()
            .cloned()
            .chain(files.gaps.iter().map(crate::files::Gap::not_inspected))
            .collect();
        for gap in personal_data.iter().flat_map(|scan| &scan.gaps) {
            if !not_inspected.contains(gap) {
                not_inspected.push(gap.clone());
            }
        }
        Context {
            draft,
            not_inspected,
            personal_data,
            files,
            policy,
            summary: analysis.summary(),
            analysis,
        }
    }
}

/// Checks a draft against a policy.
///
/// Pure and deterministic: the same draft and policy give the same report, byte for
/// byte once serialized, in every front end.
pub fn check(draft: &Draft, policy: &Policy) -> Report {
    let context = Context::new(draft, policy);
    let mut findings: Vec<Finding> = RuleId::ALL
        .into_iter()
        .filter_map(|rule| {
            let severity = policy.severity.get(rule);
            (severity != Severity::Off).then(|| run(rule, &context, severity))
        })
        .flatten()
        .collect();
    // Each thing once: the informational MailTip (`external-recipients` at info) is
    // left out when another finding already names recipients; that finding and its
    // list say what the decision needs.
    if findings
        .iter()
        .any(|f| f.rule != RuleId::ExternalRecipients && !f.recipients.is_empty())
    {
        findings
            .retain(|f| !(f.rule == RuleId::ExternalRecipients && f.severity == Severity::Info));
    }
    // Stable sort: worst first, registry order within a severity.
    findings.sort_by_key(|finding| std::cmp::Reverse(finding.severity));
    let verdict = findings
        .iter()
        .map(|finding| Verdict::from_severity(finding.severity))
        .max()
        .unwrap_or(Verdict::Pass);
    Report::new(verdict, findings, context.summary, policy)
}

/// What the rules' own tests use: one rule run over a draft and a policy given as JSON.
#[cfg(test)]
pub(crate) mod test_support {
    use super::*;

    /// The findings of `rule` alone, at the policy's severity for it.
    pub(crate) fn findings(rule: RuleId, draft: &str, policy: &str) -> Vec<Finding> {
        let draft = Draft::from_json(draft).unwrap();
        let policy = Policy::from_json(policy).unwrap();
        let context = Context::new(&draft, &policy);
        let severity = policy.severity.get(rule);
        assert_ne!(severity, Severity::Off, "{rule} is off in this policy");
        run(rule, &context, severity)
    }

    /// A draft from `me@corp.example` to these addresses (To), as JSON.
    pub(crate) fn to(addresses: &[&str]) -> String {
        let to: Vec<String> = addresses
            .iter()
            .map(|a| format!("{{\"address\":\"{a}\"}}"))
            .collect();
        format!(
            "{{\"from\":{{\"address\":\"me@corp.example\"}},\"to\":[{}]}}",
            to.join(",")
        )
    }

    /// A draft with these attachments (JSON objects), as JSON.
    pub(crate) fn attachments(attachments: &[&str]) -> String {
        format!(
            "{{\"from\":{{\"address\":\"me@corp.example\"}},\"attachments\":[{}]}}",
            attachments.join(",")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_has_its_title_and_reason_keys() {
        for (rule, title, why) in TITLES_AND_REASONS {
            assert_eq!(*title, format!("rule.{}.title", rule.id()));
            assert_eq!(*why, format!("rule.{}.why", rule.id()));
        }
        assert_eq!(TITLES_AND_REASONS.len(), RuleId::ALL.len());
    }

    fn rules_of(draft: &str, policy: &str) -> Vec<(RuleId, Severity)> {
        let draft = Draft::from_json(draft).unwrap();
        check(&draft, &Policy::from_json(policy).unwrap())
            .findings
            .iter()
            .map(|f| (f.rule, f.severity))
            .collect()
    }

    /// Issue 13: the 30-Cc report listed the same 30 addresses under the block and
    /// again under the external-recipients note.
    #[test]
    fn the_mailtip_does_not_repeat_what_another_finding_lists() {
        let cc: Vec<String> = (0..30)
            .map(|i| format!(r#"{{"address":"p{i}@firm{i}.example"}}"#))
            .collect();
        let thirty = format!(
            r#"{{"from":{{"address":"me@corp.example"}},"cc":[{}]}}"#,
            cc.join(",")
        );
        assert_eq!(
            rules_of(&thirty, "{}"),
            [(RuleId::VisibleRecipients, Severity::Block)]
        );
        // A policy that wants external mail confirmed keeps it.
        assert_eq!(
            rules_of(&thirty, r#"{"severity":{"external-recipients":"warn"}}"#),
            [
                (RuleId::VisibleRecipients, Severity::Block),
                (RuleId::ExternalRecipients, Severity::Warn)
            ]
        );
        // Alone, or next to an attachment finding (which names no recipient), it stays.
        let one = r#"{"from":{"address":"me@corp.example"},"to":[{"address":"a@firm.example"}],
            "attachments":[{"name":"setup.exe","size":10}]}"#;
        assert_eq!(
            rules_of(one, "{}"),
            [
                (RuleId::AttachmentDangerousType, Severity::Block),
                (RuleId::ExternalRecipients, Severity::Info)
            ]
        );
    }

    #[test]
    fn findings_come_worst_first_with_titles() {
        let draft = Draft::from_json(
            r#"{"from":{"address":"me@corp.example"},
                "to":[{"address":"a@mailinator.com"},{"address":"b@gmail.com"}]}"#,
        )
        .unwrap();
        let report = check(&draft, &Policy::default());
        assert_eq!(report.verdict, Verdict::Block);
        let severities: Vec<Severity> = report.findings.iter().map(|f| f.severity).collect();
        let mut sorted = severities.clone();
        sorted.sort_by_key(|s| std::cmp::Reverse(*s));
        assert_eq!(severities, sorted);
        assert!(
            report
                .findings
                .iter()
                .all(|f| !f.title.get(crate::messages::Lang::En).is_empty())
        );
    }
}

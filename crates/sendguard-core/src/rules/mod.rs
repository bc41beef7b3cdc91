//! The rules: a table of stable ids, default severities and the function that runs
//! each one over an analysed draft.

mod attachments;
mod inspection;
mod recipients;

use serde::{Deserialize, Serialize};

use crate::draft::Draft;
use crate::policy::{Policy, Severity};
use crate::report::{Finding, Report, Summary, Verdict};

pub(crate) use recipients::{Analysis, Class};

/// A rule's stable id: it appears in JSON reports, in the policy and in the docs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuleId {
    /// Recipients exposed to each other in To/Cc, counted as parties.
    VisibleRecipients,
    /// A domain the policy blocks.
    BlockedRecipient,
    /// A throwaway mail domain.
    DisposableRecipient,
    /// A private freemail or consumer-ISP mailbox.
    FreemailRecipient,
    /// A recipient entry that is not a usable address (no valid domain).
    InvalidRecipient,
    /// How many external organizations get the mail (like a MailTip).
    ExternalRecipients,
    /// An executable or script attached.
    AttachmentDangerousType,
    /// A file name that hides its real type.
    AttachmentDisguisedName,
    /// Attachments over the policy's size limit.
    AttachmentTooLarge,
    /// Part of the draft (body, an attachment) that could not be inspected.
    ContentNotInspected,
    /// A contact group or mailing list whose members could not be read.
    ListNotExpanded,
}

/// One row of the rule table.
struct Rule {
    id: RuleId,
    name: &'static str,
    default_severity: Severity,
    run: fn(&Context<'_>, Severity) -> Vec<Finding>,
}

/// The rules in the order reports list them (within one severity) and docs describe
/// them.
const RULES: &[Rule] = &[
    Rule {
        id: RuleId::VisibleRecipients,
        name: "visible-recipients",
        default_severity: Severity::Block,
        run: recipients::visible_recipients,
    },
    Rule {
        id: RuleId::BlockedRecipient,
        name: "blocked-recipient",
        default_severity: Severity::Block,
        run: recipients::blocked_recipient,
    },
    Rule {
        id: RuleId::DisposableRecipient,
        name: "disposable-recipient",
        default_severity: Severity::Block,
        run: recipients::disposable_recipient,
    },
    Rule {
        id: RuleId::FreemailRecipient,
        name: "freemail-recipient",
        default_severity: Severity::Warn,
        run: recipients::freemail_recipient,
    },
    Rule {
        id: RuleId::InvalidRecipient,
        name: "invalid-recipient",
        default_severity: Severity::Warn,
        run: recipients::invalid_recipient,
    },
    Rule {
        id: RuleId::ExternalRecipients,
        name: "external-recipients",
        default_severity: Severity::Info,
        run: recipients::external_recipients,
    },
    Rule {
        id: RuleId::AttachmentDangerousType,
        name: "attachment-dangerous-type",
        default_severity: Severity::Block,
        run: attachments::dangerous_type,
    },
    Rule {
        id: RuleId::AttachmentDisguisedName,
        name: "attachment-disguised-name",
        default_severity: Severity::Block,
        run: attachments::disguised_name,
    },
    Rule {
        id: RuleId::AttachmentTooLarge,
        name: "attachment-too-large",
        default_severity: Severity::Warn,
        run: attachments::too_large,
    },
    Rule {
        id: RuleId::ContentNotInspected,
        name: "content-not-inspected",
        default_severity: Severity::Warn,
        run: inspection::content_not_inspected,
    },
    Rule {
        id: RuleId::ListNotExpanded,
        name: "list-not-expanded",
        default_severity: Severity::Warn,
        run: inspection::list_not_expanded,
    },
];

impl RuleId {
    /// Every rule, in table order.
    pub const ALL: [RuleId; 11] = [
        RuleId::VisibleRecipients,
        RuleId::BlockedRecipient,
        RuleId::DisposableRecipient,
        RuleId::FreemailRecipient,
        RuleId::InvalidRecipient,
        RuleId::ExternalRecipients,
        RuleId::AttachmentDangerousType,
        RuleId::AttachmentDisguisedName,
        RuleId::AttachmentTooLarge,
        RuleId::ContentNotInspected,
        RuleId::ListNotExpanded,
    ];

    fn rule(self) -> &'static Rule {
        // RULES lists every id; the test below keeps it that way.
        RULES
            .iter()
            .find(|rule| rule.id == self)
            .unwrap_or(&RULES[0])
    }

    /// The stable id, e.g. `"visible-recipients"`.
    pub fn id(self) -> &'static str {
        self.rule().name
    }

    /// The severity when the policy does not set one.
    pub fn default_severity(self) -> Severity {
        self.rule().default_severity
    }

    /// Looks a rule up by its id.
    pub fn from_id(id: &str) -> Option<RuleId> {
        RULES
            .iter()
            .find(|rule| rule.name == id)
            .map(|rule| rule.id)
    }
}

impl std::fmt::Display for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

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
    pub(crate) analysis: Analysis,
    pub(crate) summary: Summary,
}

/// Checks a draft against a policy.
///
/// Pure and deterministic: the same draft and policy give the same report, byte for
/// byte once serialized, in every front end.
pub fn check(draft: &Draft, policy: &Policy) -> Report {
    let analysis = Analysis::new(draft, policy);
    let files = crate::files::expand(draft);
    let context = Context {
        draft,
        not_inspected: draft
            .not_inspected
            .iter()
            .cloned()
            .chain(files.gaps.iter().map(crate::files::Gap::not_inspected))
            .collect(),
        files,
        policy,
        summary: analysis.summary(),
        analysis,
    };
    let mut findings: Vec<Finding> = RULES
        .iter()
        .filter_map(|rule| {
            let severity = policy.severity.get(rule.id);
            (severity != Severity::Off).then(|| (rule.run)(&context, severity))
        })
        .flatten()
        .collect();
    // Stable sort: worst first, table order within a severity.
    findings.sort_by_key(|finding| std::cmp::Reverse(finding.severity));
    let verdict = findings
        .iter()
        .map(|finding| Verdict::from_severity(finding.severity))
        .max()
        .unwrap_or(Verdict::Pass);
    Report::new(verdict, findings, context.summary, policy)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_and_ids_agree() {
        assert_eq!(RULES.len(), RuleId::ALL.len());
        for (rule, id) in RULES.iter().zip(RuleId::ALL) {
            assert_eq!(rule.id, id);
            let json = serde_json::to_string(&id).unwrap();
            assert_eq!(json, format!("\"{}\"", rule.name));
            assert_eq!(RuleId::from_id(rule.name), Some(id));
        }
    }
}

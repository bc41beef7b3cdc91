//! The report: what the checker found, and what the user can do about it.

use serde::{Deserialize, Serialize};

use crate::fix::Fix;
use crate::messages::{Text, text};
use crate::policy::{Policy, Severity};
use crate::rules::RuleId;

/// The outcome of a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Send. Info findings may be shown.
    Pass,
    /// Stop once; the user may confirm.
    Warn,
    /// Stop until fixed (or overridden, where the policy allows).
    Block,
}

impl Verdict {
    pub(crate) fn from_severity(severity: Severity) -> Verdict {
        match severity {
            Severity::Off | Severity::Info => Verdict::Pass,
            Severity::Warn => Verdict::Warn,
            Severity::Block => Verdict::Block,
        }
    }

    /// The stable id: `pass`, `warn` or `block`.
    pub fn id(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Warn => "warn",
            Verdict::Block => "block",
        }
    }

    /// The CLI exit status for this verdict: 0, 1 or 2.
    pub fn exit_code(self) -> u8 {
        match self {
            Verdict::Pass => 0,
            Verdict::Warn => 1,
            Verdict::Block => 2,
        }
    }
}

/// A problem one rule found. Findings are data, not errors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Which rule.
    pub rule: RuleId,
    /// How serious, after the policy (never `off`).
    pub severity: Severity,
    /// A few words for the headline.
    pub title: Text,
    /// What is wrong, with counts and names.
    pub message: Text,
    /// Why it matters, in one sentence.
    pub why: Text,
    /// The recipients concerned (lower-cased), in draft order.
    pub recipients: Vec<String>,
    /// The attachment concerned, for attachment rules.
    pub attachment: Option<String>,
    /// What the user can do, best first.
    pub fixes: Vec<FixOffer>,
}

impl Finding {
    /// A finding of `rule` with the rule's title and reason from the catalogue; the
    /// caller adds recipients, attachment and fixes.
    pub(crate) fn new(rule: RuleId, severity: Severity, message: Text) -> Finding {
        let prefix = format!("rule.{}", rule.id());
        Finding {
            rule,
            severity,
            title: text(&format!("{prefix}.title"), &[]),
            message,
            why: text(&format!("{prefix}.why"), &[]),
            recipients: Vec::new(),
            attachment: None,
            fixes: Vec::new(),
        }
    }
}

/// A fix a finding offers: a button label and the action to pass to [`crate::apply`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixOffer {
    /// The button text.
    pub label: Text,
    /// The action.
    pub action: Fix,
}

/// Counts over the distinct recipients of the draft.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Distinct recipients in To, Cc and Bcc.
    pub recipients: usize,
    /// Distinct recipients in To or Cc.
    pub visible: usize,
    /// Distinct recipients outside the internal domains (trusted partners included).
    pub external_addresses: usize,
    /// Distinct parties among them: one per organization, each private mailbox (and
    /// each unusable address) its own.
    pub external_organizations: usize,
    /// Parties exposed to each other: external, visible, counted as
    /// `visible-recipients` counts them.
    pub visible_parties: usize,
}

/// Whether the user may send despite a `block`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Override {
    /// Overriding a block is allowed.
    pub allowed: bool,
    /// The user must give a reason.
    pub reason_required: bool,
}

/// The checker's answer for one draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// The worst finding's severity (`info` counts as pass).
    pub verdict: Verdict,
    /// A headline for the verdict.
    pub headline: Text,
    /// The findings, worst first.
    pub findings: Vec<Finding>,
    /// Counts over the recipients.
    pub summary: Summary,
    /// Whether a block may be overridden.
    #[serde(rename = "override")]
    pub override_block: Override,
    /// The checker that produced this report.
    pub checker_version: String,
}

impl Report {
    pub(crate) fn new(
        verdict: Verdict,
        findings: Vec<Finding>,
        summary: Summary,
        policy: &Policy,
    ) -> Report {
        Report {
            verdict,
            headline: text(&format!("verdict.{}", verdict.id()), &[]),
            findings,
            summary,
            override_block: Override {
                allowed: policy.override_block.allow_block,
                reason_required: policy.override_block.require_reason,
            },
            checker_version: crate::VERSION.to_string(),
        }
    }

    /// The report as one line of JSON: the form the CLI prints and every front end
    /// receives.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

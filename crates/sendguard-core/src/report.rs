//! The report: what the checker found, and what the user can do about it.

use serde::{Deserialize, Serialize};

use crate::messages::{Text, text};
use crate::policy::Policy;
use crate::vocabulary::{Finding, Summary, Verdict};

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
            headline: text(
                match verdict {
                    Verdict::Pass => "verdict.pass",
                    Verdict::Warn => "verdict.warn",
                    Verdict::Block => "verdict.block",
                },
                &[],
            ),
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

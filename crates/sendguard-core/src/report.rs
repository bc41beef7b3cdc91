//! The report: what the checker found, and what the user can do about it.

use serde::{Deserialize, Serialize};

use crate::messages::{Arg, Text, text};
use crate::policy::{DelayWhen, Policy};
use crate::vocabulary::{Finding, Summary, Verdict};

/// Whether the user may send despite a `block`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Override {
    /// Overriding a block is allowed.
    pub allowed: bool,
    /// The user must give a reason.
    pub reason_required: bool,
}

/// How long a mail is held after Send before it leaves, and why: decided by the core
/// from the policy's `delay` section so that every front end holds the same mail for
/// the same time. It applies only to a mail that is sent: a block still stops the send,
/// and a held mail has passed every check (or the user confirmed or overrode them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delay {
    /// Seconds between Send and the mail leaving (1 to
    /// [`MAX_DELAY_SECONDS`](crate::MAX_DELAY_SECONDS)).
    pub seconds: u32,
    /// Which setting of `delay.when` held this mail: `external`, `findings`, `always`.
    pub reason: DelayWhen,
    /// One sentence for the user: how long, and why.
    pub message: Text,
}

impl Delay {
    /// The delay for a draft with this verdict and these counts under `policy`, if
    /// any.
    fn decide(policy: &Policy, verdict: Verdict, summary: &Summary) -> Option<Delay> {
        let seconds = policy.delay.seconds;
        if seconds == 0 {
            return None;
        }
        let external = summary.external_addresses > 0;
        let applies = match policy.delay.when {
            DelayWhen::Always => true,
            DelayWhen::External => external,
            DelayWhen::Findings => external && verdict != Verdict::Pass,
        };
        if !applies {
            return None;
        }
        let duration = match (seconds % 60, seconds / 60) {
            (0, 1) => text("delayed.duration.minute", &[]),
            (0, minutes) => text(
                "delayed.duration.minutes",
                &[("count", Arg::Count(minutes as usize))],
            ),
            (1, 0) => text("delayed.duration.second", &[]),
            _ => text(
                "delayed.duration.seconds",
                &[("count", Arg::Count(seconds as usize))],
            ),
        };
        let key = match policy.delay.when {
            DelayWhen::External => "delayed.reason.external",
            DelayWhen::Findings => "delayed.reason.findings",
            DelayWhen::Always => "delayed.reason.always",
        };
        Some(Delay {
            seconds,
            reason: policy.delay.when,
            message: text(key, &[("duration", Arg::Text(duration))]),
        })
    }
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
    /// How long the mail waits after Send before it leaves, if the policy holds it
    /// back; absent: it leaves at once. Never a reason to let a blocked mail go.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay: Option<Delay>,
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
            delay: Delay::decide(policy, verdict, &summary),
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

#[cfg(test)]
mod tests {
    use crate::messages::Lang;
    use crate::rules::test_support::to;
    use crate::{DelayWhen, Draft, Policy, check};

    fn delay_of(recipients: &[&str], policy: &str) -> Option<(u32, DelayWhen, String)> {
        let draft = Draft::from_json(&to(recipients)).unwrap();
        let report = check(&draft, &Policy::from_json(policy).unwrap());
        report
            .delay
            .map(|d| (d.seconds, d.reason, d.message.get(Lang::En).to_string()))
    }

    const INTERNAL: &[&str] = &["colleague@corp.example"];
    const EXTERNAL: &[&str] = &["colleague@corp.example", "buyer@partner.example"];
    /// Five parties visible to each other: a warning.
    const WARNED: &[&str] = &[
        "a@one.example",
        "b@two.example",
        "c@three.example",
        "d@four.example",
        "e@five.example",
    ];

    #[test]
    fn no_delay_by_default_or_at_zero() {
        assert_eq!(delay_of(EXTERNAL, "{}"), None);
        assert_eq!(
            delay_of(EXTERNAL, r#"{"delay": {"seconds": 0, "when": "always"}}"#),
            None
        );
    }

    #[test]
    fn external_holds_only_mail_that_leaves_the_organization() {
        let policy = r#"{"delay": {"seconds": 120}}"#;
        assert_eq!(delay_of(INTERNAL, policy), None);
        let (seconds, reason, message) = delay_of(EXTERNAL, policy).unwrap();
        assert_eq!((seconds, reason), (120, DelayWhen::External));
        assert_eq!(
            message,
            "It goes outside the organisation, so it waits 2 minutes before it leaves: until then it can still be stopped."
        );
        // An address that is not usable may be anyone's: it counts as external.
        assert!(delay_of(&["colleague@corp.example", "broken@"], policy).is_some());
    }

    #[test]
    fn findings_holds_external_mail_sent_past_a_warning_only() {
        let policy = r#"{"delay": {"seconds": 90, "when": "findings"}}"#;
        assert_eq!(delay_of(INTERNAL, policy), None);
        assert_eq!(delay_of(EXTERNAL, policy), None, "a pass is not held");
        let (seconds, reason, message) = delay_of(WARNED, policy).unwrap();
        assert_eq!((seconds, reason), (90, DelayWhen::Findings));
        assert!(message.contains("90 seconds"), "{message}");
    }

    #[test]
    fn always_holds_internal_mail_too_and_durations_read_well() {
        for (seconds, shown_en, shown_de) in [
            (1, "1 second", "1 Sekunde"),
            (60, "1 minute", "1 Minute"),
            (61, "61 seconds", "61 Sekunden"),
            (900, "15 minutes", "15 Minuten"),
        ] {
            let policy = format!(r#"{{"delay": {{"seconds": {seconds}, "when": "always"}}}}"#);
            let draft = Draft::from_json(&to(INTERNAL)).unwrap();
            let delay = check(&draft, &Policy::from_json(&policy).unwrap())
                .delay
                .unwrap();
            assert_eq!(delay.reason, DelayWhen::Always);
            assert!(delay.message.get(Lang::En).contains(shown_en), "{seconds}");
            assert!(delay.message.get(Lang::De).contains(shown_de), "{seconds}");
        }
    }

    #[test]
    fn a_blocked_mail_still_blocks_and_carries_the_delay_for_an_override() {
        let policy = r#"{"delay": {"seconds": 60, "when": "findings"}, "blocked_domains": ["evil.example"]}"#;
        let draft = Draft::from_json(&to(&["x@evil.example"])).unwrap();
        let report = check(&draft, &Policy::from_json(policy).unwrap());
        assert_eq!(report.verdict, crate::Verdict::Block);
        assert_eq!(report.delay.map(|d| d.seconds), Some(60));
    }

    #[test]
    fn the_report_json_names_seconds_and_reason_and_leaves_out_no_delay() {
        let draft = Draft::from_json(&to(EXTERNAL)).unwrap();
        let held = check(
            &draft,
            &Policy::from_json(r#"{"delay": {"seconds": 30}}"#).unwrap(),
        );
        let json: serde_json::Value = serde_json::from_str(&held.to_json()).unwrap();
        assert_eq!(json["delay"]["seconds"], 30);
        assert_eq!(json["delay"]["reason"], "external");
        assert!(
            json["delay"]["message"]["de"]
                .as_str()
                .unwrap()
                .contains("30 Sekunden")
        );
        let free = check(&draft, &Policy::default()).to_json();
        assert!(!free.contains("\"delay\""));
    }
}

//! The words every part of the checker shares: rule ids, severities, verdicts,
//! findings and fixes.
//!
//! This module depends on nothing else in the crate except the message type, so the
//! policy, the rules, the fixes and the report can all use it without importing each
//! other.

use serde::{Deserialize, Serialize};

use crate::messages::Text;

macro_rules! declare_rule_ids {
    ($( $(#[doc = $doc:literal])* $module:ident => $variant:ident, $id:literal, $severity:ident; )*) => {
        /// A rule's stable id: it appears in JSON reports, in the policy and in the docs.
        ///
        /// Generated from the rule registry (`src/registry.rs`): every id has a rule.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum RuleId {
            $(
                $(#[doc = $doc])*
                #[serde(rename = $id)]
                $variant,
            )*
        }

        /// How many rules there are.
        const RULE_COUNT: usize = [$($id),*].len();

        impl RuleId {
            /// Every rule, in registry order.
            pub const ALL: [RuleId; RULE_COUNT] = [$(RuleId::$variant),*];

            /// The stable id, e.g. `"visible-recipients"`.
            pub fn id(self) -> &'static str {
                match self {
                    $(RuleId::$variant => $id,)*
                }
            }

            /// The severity when the policy does not set one.
            pub fn default_severity(self) -> Severity {
                match self {
                    $(RuleId::$variant => Severity::$severity,)*
                }
            }

            /// What the rule checks, in one line (its registry documentation).
            pub fn description(self) -> &'static str {
                match self {
                    $(RuleId::$variant => concat!($($doc),*).trim_ascii(),)*
                }
            }

            /// Looks a rule up by its id.
            pub fn from_id(id: &str) -> Option<RuleId> {
                match id {
                    $($id => Some(RuleId::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

rule_registry!(declare_rule_ids);

impl std::fmt::Display for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

/// How strongly a rule reacts, from nothing to stopping the send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// The rule does not run.
    Off,
    /// Shown, never stops anything.
    Info,
    /// Stops the send once; the user may confirm.
    Warn,
    /// Stops the send until the user fixes the draft (or overrides, where allowed).
    Block,
}

impl Severity {
    /// Every severity, mildest first.
    pub const ALL: [Severity; 4] = [
        Severity::Off,
        Severity::Info,
        Severity::Warn,
        Severity::Block,
    ];

    /// The stable id: `off`, `info`, `warn` or `block`.
    pub fn id(self) -> &'static str {
        match self {
            Severity::Off => "off",
            Severity::Info => "info",
            Severity::Warn => "warn",
            Severity::Block => "block",
        }
    }

    /// Looks a severity up by its id.
    pub fn from_id(id: &str) -> Option<Severity> {
        Severity::ALL
            .into_iter()
            .find(|severity| severity.id() == id)
    }
}

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
    /// A finding of `rule`; the rule registry's dispatch fills in the rule's title and
    /// reason from the rule's module, the rule adds recipients, attachment and fixes.
    pub(crate) fn new(rule: RuleId, severity: Severity, message: Text) -> Finding {
        Finding {
            rule,
            severity,
            title: Text::default(),
            message,
            why: Text::default(),
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

/// An action a finding offers. Passed back unchanged to [`crate::apply`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Fix {
    /// Every visible external recipient goes to Bcc; internal and trusted recipients
    /// stay (unless the policy moves them too); an empty To gets the sender (or
    /// nobody, per policy).
    MoveToBcc,
    /// Removes exactly these addresses (compared case-insensitively) from To, Cc and
    /// Bcc.
    RemoveRecipient {
        /// The addresses to remove.
        addresses: Vec<String>,
    },
    /// Leaves the draft as it is and exports the visible recipients as CSV, for the
    /// newsletter tool.
    ExportRecipients,
    /// Replaces one address with the one the user probably meant (a look-alike domain
    /// with the known domain it imitates): one out, one in, same local part, same field,
    /// display name and group; nothing else changes.
    ReplaceRecipient {
        /// The address to take out (compared case-insensitively).
        address: String,
        /// The address to put in its place.
        replacement: String,
    },
    /// Switches end-to-end encryption on (Thunderbird: the identity's OpenPGP or
    /// S/MIME); the add-in writes it into the compose window. Recipients stay as they are.
    Encrypt,
    /// Applies the policy's sensitivity label (Outlook); the add-in looks it up in the
    /// label catalogue by id or name. Recipients stay as they are.
    ApplyLabel {
        /// The label's name or id, as the policy names it.
        label: String,
    },
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
    /// Distinct organizations among them (registrable domains, or tenants below a
    /// shared mail-hosting suffix). Private mailboxes and unusable addresses are not
    /// organizations: they are not counted here.
    pub external_organizations: usize,
    /// Private mailboxes (freemail and consumer-ISP addresses) among them.
    #[serde(default)]
    pub private_mailboxes: usize,
    /// Parties exposed to each other: external, visible, counted as
    /// `visible-recipients` counts them.
    pub visible_parties: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_round_trip_through_json_and_text() {
        for rule in RuleId::ALL {
            let json = serde_json::to_string(&rule).unwrap();
            assert_eq!(json, format!("\"{}\"", rule.id()));
            assert_eq!(RuleId::from_id(rule.id()), Some(rule));
            assert!(!rule.description().is_empty(), "{rule} has no description");
        }
        assert_eq!(RuleId::from_id("no-such-rule"), None);
    }

    #[test]
    fn severities_round_trip() {
        for severity in Severity::ALL {
            let json = serde_json::to_string(&severity).unwrap();
            assert_eq!(json, format!("\"{}\"", severity.id()));
            assert_eq!(Severity::from_id(severity.id()), Some(severity));
        }
        assert!(Severity::Off < Severity::Info && Severity::Warn < Severity::Block);
    }

    /// The string-literal members of `export type NAME = "a" | "b" …;` in the
    /// checker package's TypeScript declarations.
    fn typescript_union(name: &str) -> Vec<String> {
        let declarations = include_str!("../../sendguard-wasm/js/sendguard-checker.d.ts");
        let start = declarations
            .find(&format!("export type {name} ="))
            .unwrap_or_else(|| panic!("sendguard-checker.d.ts has no type {name}"));
        let body = &declarations[start..];
        let body = &body[..body.find(';').unwrap()];
        body.split('"')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    }

    /// The TypeScript types front ends compile against list exactly the registry's
    /// rules and the severities and verdicts the core serializes, in the same order.
    #[test]
    fn typescript_declarations_match_the_vocabulary() {
        let rules: Vec<&str> = RuleId::ALL.iter().map(|r| r.id()).collect();
        assert_eq!(
            typescript_union("RuleId"),
            rules,
            "update the RuleId union in sendguard-checker.d.ts"
        );
        let severities: Vec<&str> = Severity::ALL.iter().map(|s| s.id()).collect();
        assert_eq!(typescript_union("Severity"), severities);
        let verdicts = [Verdict::Pass, Verdict::Warn, Verdict::Block].map(Verdict::id);
        assert_eq!(typescript_union("Verdict"), verdicts);
    }
}

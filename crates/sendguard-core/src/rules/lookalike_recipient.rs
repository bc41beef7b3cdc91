//! `lookalike-recipient`: a recipient domain that is not known but looks like one that
//! is: the sender's organization, an internal or trusted domain, a domain from the
//! address book (`known_domains`), another recipient's domain, or a big mail provider.
//! The techniques are in [`crate::lookalike`]. Warn by default; a homograph or ASCII
//! look-alike (`1` for `l`) of the sender's, an internal or a trusted domain blocks.
//! Each finding offers `replace-recipient` (the same local part at the known domain) for
//! each address, and `remove-recipient`.

use std::collections::HashMap;

use crate::address::Address;
use crate::domain::{DomainName, organization_of};
use crate::lists;
use crate::lookalike::{KnownIndex, Name, Script, Source, Technique, mixed_scripts, providers};
use crate::messages::{Arg, Text, short_list, text};
use crate::recipients::{Class, Recipient};
use crate::rules::Context;
use crate::vocabulary::{Finding, Fix, FixOffer, RuleId, Severity};

pub(super) const TITLE: &str = "rule.lookalike-recipient.title";
pub(super) const WHY: &str = "rule.lookalike-recipient.why";

/// Replace offers per finding: one button per address is useful for a few, noise for
/// fifty (the remove fix still takes them all).
const MAX_REPLACE_OFFERS: usize = 5;

/// Address-book domains looked at; a bigger address book is cut, not rejected.
const MAX_ADDRESS_BOOK_DOMAINS: usize = 50_000;

/// One distinct recipient organization, in draft order.
struct Organization<'a> {
    name: Name,
    recipients: Vec<&'a Recipient>,
    /// Where it first appears in the draft.
    first: usize,
    /// Any of its recipients internal or trusted (then it is known, not a candidate).
    ours: bool,
}

impl Organization<'_> {
    /// How likely this is the domain the user meant, when two recipients' domains
    /// resemble each other: plain ASCII over an IDN, more recipients over fewer, the
    /// earlier over the later.
    fn credibility(&self) -> (bool, usize, std::cmp::Reverse<usize>) {
        (
            self.name.label().is_ascii(),
            self.recipients.len(),
            std::cmp::Reverse(self.first),
        )
    }
}

pub(super) fn check(context: &Context<'_>, severity: Severity) -> Vec<Finding> {
    let draft = context.draft;
    let policy = context.policy;
    let organizations = organizations(context);
    if organizations.is_empty() {
        return Vec::new();
    }

    let mut index = KnownIndex::default();
    let mut add = |domain: &DomainName, source: Source| {
        index.add(&organization_of(domain), source);
    };
    if let Some(domain) = draft
        .from
        .as_ref()
        .and_then(Address::domain)
        .and_then(DomainName::parse)
    {
        add(&domain, Source::Sender);
    }
    policy
        .internal_domains
        .iter()
        .for_each(|d| add(d, Source::Internal));
    policy
        .trusted_domains
        .iter()
        .for_each(|d| add(d, Source::Trusted));
    providers()
        .filter_map(DomainName::parse)
        .for_each(|d| add(&d, Source::Provider));
    draft
        .known_domains
        .iter()
        .take(MAX_ADDRESS_BOOK_DOMAINS)
        .filter_map(|d| DomainName::parse(d))
        .for_each(|d| add(&d, Source::AddressBook));
    let by_ascii: HashMap<&str, &Organization<'_>> = organizations
        .iter()
        .map(|o| (o.name.ascii.as_str(), o))
        .collect();
    for organization in &organizations {
        if let Some(domain) = DomainName::parse(&organization.name.ascii) {
            index.add(&domain, Source::Recipient);
        }
    }
    index.finish();

    let mut findings = Vec::new();
    for organization in &organizations {
        let known_otherwise = index
            .get(&organization.name.ascii)
            .is_some_and(|k| k.source != Source::Recipient);
        let listed = DomainName::parse(&organization.name.ascii).is_some_and(|d| {
            lists::is_freemail(&d) || policy.freemail_domains.covers(&d)
        });
        if organization.ours || known_otherwise || listed {
            continue;
        }
        let resemblance = index
            .resembles(&organization.name, |known| {
                known.source != Source::Recipient
                    || by_ascii
                        .get(known.name.ascii.as_str())
                        .is_some_and(|other| other.credibility() > organization.credibility())
            })
            // Two recipients at one name under two suffixes (corp.de, corp.com) are
            // usually one company's domains; a swap counts against a known domain only.
            .filter(|(known, technique)| {
                known.source != Source::Recipient
                    || !matches!(technique, Technique::OtherSuffix { .. })
            });
        let addresses: Vec<String> = organization
            .recipients
            .iter()
            .map(|r| r.key.clone())
            .collect();
        let remove = FixOffer {
            label: text("fix.remove-recipient", &[]),
            action: Fix::RemoveRecipient {
                addresses: addresses.clone(),
            },
        };
        let domain = Arg::Str(organization.name.ascii.clone());
        let mut found = match resemblance {
            Some((known, technique)) => {
                let blocks = technique.deceives_the_eye()
                    && matches!(
                        known.source,
                        Source::Sender | Source::Internal | Source::Trusted
                    );
                let level = if blocks && severity == Severity::Warn {
                    Severity::Block
                } else {
                    severity
                };
                let message = text(
                    "rule.lookalike-recipient.message",
                    &[
                        ("domain", domain),
                        ("known", Arg::Str(known.name.ascii.clone())),
                        ("relation", Arg::Text(relation(known.source))),
                        ("reason", Arg::Text(reason(&technique))),
                        ("addresses", short_list(&addresses, 3)),
                    ],
                );
                let mut finding = Finding::new(RuleId::LookalikeRecipient, level, message);
                finding.fixes = organization
                    .recipients
                    .iter()
                    .take(MAX_REPLACE_OFFERS)
                    .filter_map(|r| {
                        replace_offer(r, &organization.name.ascii, &known.name.ascii)
                    })
                    .collect();
                finding
            }
            None => {
                let Some(scripts) = mixed_scripts(organization.name.label()) else {
                    continue;
                };
                let names: Vec<Text> = scripts.into_iter().map(script_name).collect();
                let scripts = Text::from_fn(|lang| {
                    names
                        .iter()
                        .map(|n| n.get(lang))
                        .collect::<Vec<_>>()
                        .join(", ")
                });
                let message = text(
                    "rule.lookalike-recipient.message.mixed-scripts",
                    &[
                        ("domain", domain),
                        ("scripts", Arg::Text(scripts)),
                        ("addresses", short_list(&addresses, 3)),
                    ],
                );
                Finding::new(RuleId::LookalikeRecipient, severity, message)
            }
        };
        found.fixes.push(remove);
        found.recipients = addresses;
        findings.push(found);
    }
    findings
}

/// The distinct registrable domains of the recipients (the sender left out), in draft
/// order.
fn organizations<'a>(context: &'a Context<'_>) -> Vec<Organization<'a>> {
    let mut order: Vec<Organization<'a>> = Vec::new();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (position, recipient) in context.analysis.recipients.iter().enumerate() {
        if recipient.is_sender {
            continue;
        }
        let Some(organization) = &recipient.organization else {
            continue;
        };
        let ours = recipient.class != Class::External;
        if let Some(&index) = seen.get(organization.as_str()) {
            order[index].recipients.push(recipient);
            order[index].ours |= ours;
            continue;
        }
        let Some(name) = Name::new(organization) else {
            continue;
        };
        seen.insert(organization.as_str(), order.len());
        order.push(Organization {
            name,
            recipients: vec![recipient],
            first: position,
            ours,
        });
    }
    order
}

/// The same address at the known domain: `max@mail.gmai1.com` → `max@mail.gmail.com`.
fn replace_offer(recipient: &Recipient, lookalike: &str, known: &str) -> Option<FixOffer> {
    let (local, domain) = recipient.key.rsplit_once('@')?;
    let domain = recipient
        .domain
        .as_ref()
        .map_or(domain, |d| d.as_str())
        .to_string();
    let prefix = domain.strip_suffix(lookalike)?;
    let replacement = format!("{local}@{prefix}{known}");
    Some(FixOffer {
        label: text(
            "fix.replace-recipient",
            &[
                ("address", Arg::Str(recipient.key.clone())),
                ("replacement", Arg::Str(replacement.clone())),
            ],
        ),
        action: Fix::ReplaceRecipient {
            address: recipient.key.clone(),
            replacement,
        },
    })
}

fn relation(source: Source) -> Text {
    text(
        match source {
            Source::Sender => "rule.lookalike-recipient.relation.sender",
            Source::Internal => "rule.lookalike-recipient.relation.internal",
            Source::Trusted => "rule.lookalike-recipient.relation.trusted",
            Source::Provider => "rule.lookalike-recipient.relation.provider",
            Source::AddressBook => "rule.lookalike-recipient.relation.address-book",
            Source::Recipient => "rule.lookalike-recipient.relation.recipient",
        },
        &[],
    )
}

fn script_name(script: Script) -> Text {
    text(
        match script {
            Script::Latin => "rule.lookalike-recipient.script.latin",
            Script::Greek => "rule.lookalike-recipient.script.greek",
            Script::Cyrillic => "rule.lookalike-recipient.script.cyrillic",
            Script::Armenian => "rule.lookalike-recipient.script.armenian",
            Script::Cherokee => "rule.lookalike-recipient.script.cherokee",
            Script::Han => "rule.lookalike-recipient.script.han",
            Script::Kana => "rule.lookalike-recipient.script.kana",
            Script::Hangul => "rule.lookalike-recipient.script.hangul",
            Script::Other => "rule.lookalike-recipient.script.other",
        },
        &[],
    )
}

/// Why the domain looks like the known one: "1 for l", "hyphen missing", …
fn reason(technique: &Technique) -> Text {
    let s = |value: &str| Arg::Str(value.to_string());
    let c = |value: char| Arg::Str(value.to_string());
    match technique {
        Technique::Homograph {
            script,
            found,
            expected,
        } => text(
            "rule.lookalike-recipient.reason.homograph",
            &[
                ("found", c(*found)),
                ("code", Arg::Str(format!("U+{:04X}", u32::from(*found)))),
                ("script", Arg::Text(script_name(*script))),
                ("expected", s(expected)),
            ],
        ),
        Technique::Lookalike { found, expected } => text(
            "rule.lookalike-recipient.reason.lookalike",
            &[("found", s(found)), ("expected", s(expected))],
        ),
        Technique::Replaced {
            found,
            expected,
            neighbours,
        } => text(
            if *neighbours {
                "rule.lookalike-recipient.reason.neighbouring-key"
            } else {
                "rule.lookalike-recipient.reason.replaced"
            },
            &[("found", c(*found)), ("expected", c(*expected))],
        ),
        Technique::Swapped { found, expected } => text(
            "rule.lookalike-recipient.reason.swapped",
            &[("found", s(found)), ("expected", s(expected))],
        ),
        Technique::Missing { expected } => text(
            "rule.lookalike-recipient.reason.missing",
            &[("expected", c(*expected))],
        ),
        Technique::Extra { found } => text(
            "rule.lookalike-recipient.reason.extra",
            &[("found", c(*found))],
        ),
        Technique::HyphenAdded => text("rule.lookalike-recipient.reason.hyphen-added", &[]),
        Technique::HyphenMissing => text("rule.lookalike-recipient.reason.hyphen-missing", &[]),
        Technique::OtherSuffix { found, expected } => text(
            "rule.lookalike-recipient.reason.other-suffix",
            &[("found", s(found)), ("expected", s(expected))],
        ),
    }
}

#[cfg(test)]
mod tests {
    use crate::messages::Lang;
    use crate::rules::test_support::{findings, to};
    use crate::vocabulary::{Fix, RuleId, Severity};

    fn en(finding: &crate::vocabulary::Finding) -> &str {
        finding.message.get(Lang::En)
    }

    #[test]
    fn a_homograph_of_another_recipient_blocks_nothing_but_warns() {
        let found = findings(
            RuleId::LookalikeRecipient,
            &to(&[
                "max@lieferant-meier.example",
                "buchhaltung@lieferant-m\u{435}ier.example",
            ]),
            "{}",
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].severity, Severity::Warn);
        assert_eq!(
            found[0].recipients,
            ["buchhaltung@lieferant-m\u{435}ier.example"]
        );
        assert!(en(&found[0]).contains("looks like lieferant-meier.example, another recipient's domain"));
        assert!(en(&found[0]).contains("Cyrillic"), "{}", en(&found[0]));
        assert_eq!(
            found[0].fixes[0].action,
            Fix::ReplaceRecipient {
                address: "buchhaltung@lieferant-m\u{435}ier.example".into(),
                replacement: "buchhaltung@lieferant-meier.example".into()
            }
        );
        assert!(matches!(found[0].fixes[1].action, Fix::RemoveRecipient { .. }));
    }

    #[test]
    fn a_lookalike_of_the_senders_domain_blocks() {
        let draft = r#"{"from":{"address":"me@corp-holding.example"},
            "to":[{"address":"anna@corp-ho1ding.example"}]}"#;
        let found = findings(RuleId::LookalikeRecipient, draft, "{}");
        assert_eq!(found[0].severity, Severity::Block);
        assert!(
            en(&found[0]).contains("looks like corp-holding.example, the sender's domain: 1 for l"),
            "{}",
            en(&found[0])
        );
        // A policy that keeps the rule at info keeps it there.
        let found = findings(
            RuleId::LookalikeRecipient,
            draft,
            r#"{"severity":{"lookalike-recipient":"info"}}"#,
        );
        assert_eq!(found[0].severity, Severity::Info);
    }

    #[test]
    fn typos_of_providers_trusted_and_address_book_domains_warn() {
        let found = findings(RuleId::LookalikeRecipient, &to(&["a@gmial.com"]), "{}");
        assert_eq!(found[0].severity, Severity::Warn);
        assert!(en(&found[0]).contains("gmail.com, a big mail provider"));
        let found = findings(
            RuleId::LookalikeRecipient,
            &to(&["a@rhein-hydraulik.com"]),
            r#"{"trusted_domains":["rhein-hydraulik.de"]}"#,
        );
        assert!(en(&found[0]).contains(".com instead of .de"), "{}", en(&found[0]));
        let draft = r#"{"from":{"address":"me@corp.example"},
            "to":[{"address":"a@nordsee-fisch.de"}], "known_domains":["nordsee-fish.de"]}"#;
        let found = findings(RuleId::LookalikeRecipient, draft, "{}");
        assert!(en(&found[0]).contains("address book"), "{}", en(&found[0]));
    }

    #[test]
    fn known_domains_and_distinct_names_pass() {
        for list in [
            vec!["a@gmx.de", "b@gmx.net", "c@gmx.at", "d@web.de"],
            vec!["a@meyer-werkzeug.de", "b@meyer-werkzeug.at", "c@meyer-werkzeug.ch"],
            vec!["a@siemens.de", "b@daimler.com", "c@bosch.de"],
        ] {
            assert!(
                findings(RuleId::LookalikeRecipient, &to(&list), "{}").is_empty(),
                "{list:?}"
            );
        }
        // The sender's company in another country.
        let draft = r#"{"from":{"address":"me@corp.de"},"to":[{"address":"a@corp.at"}]}"#;
        assert!(findings(RuleId::LookalikeRecipient, draft, "{}").is_empty());
        // In the address book: known, not a look-alike.
        let draft = r#"{"from":{"address":"me@corp.example"},
            "to":[{"address":"a@corp-ho1ding.example"}], "known_domains":["corp-ho1ding.example"]}"#;
        assert!(findings(RuleId::LookalikeRecipient, draft, "{}").is_empty());
    }

    #[test]
    fn mixed_scripts_without_a_match_still_warn() {
        let found = findings(
            RuleId::LookalikeRecipient,
            &to(&["a@b\u{430}nk-xyz.example"]),
            "{}",
        );
        assert_eq!(found.len(), 1);
        assert!(en(&found[0]).contains("Latin, Cyrillic"), "{}", en(&found[0]));
        assert!(matches!(found[0].fixes[0].action, Fix::RemoveRecipient { .. }));
    }

    #[test]
    fn the_majority_is_the_domain_meant() {
        let found = findings(
            RuleId::LookalikeRecipient,
            &to(&["a@meier-bau.de", "b@meier-bau.de", "c@meier-bua.de"]),
            "{}",
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].recipients, ["c@meier-bua.de"]);
    }
}

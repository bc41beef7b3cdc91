//! Recipient analysis (done once per check) and the recipient rules.

use std::collections::{HashMap, HashSet};

use crate::address::Address;
use crate::domain::{DomainName, organization_of};
use crate::draft::{Draft, Field};
use crate::fix::Fix;
use crate::lists;
use crate::messages::{Arg, short_list, text};
use crate::policy::{Policy, Severity};
use crate::report::{Finding, FixOffer, Summary};
use crate::rules::{Context, RuleId};

/// Where a recipient stands relative to the sender's organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    /// One of the policy's internal domains (or the sender's organization).
    Internal,
    /// A trusted partner domain: external, but not counted as exposed.
    Trusted,
    /// Everyone else, including addresses without a usable domain.
    External,
}

/// One distinct recipient (by lower-cased address), as the rules see it.
pub(crate) struct Recipient {
    pub(crate) key: String,
    /// Listed in To or Cc (anywhere in the draft).
    pub(crate) visible: bool,
    pub(crate) domain: Option<DomainName>,
    pub(crate) organization: Option<DomainName>,
    pub(crate) class: Class,
    pub(crate) freemail: bool,
    pub(crate) disposable: bool,
    pub(crate) blocked: bool,
    /// The sender's own address: everyone sees it in From anyway.
    pub(crate) is_sender: bool,
}

impl Recipient {
    /// The party this recipient belongs to: the organization for business domains,
    /// the address itself for private mailboxes (private people do not know each
    /// other) and for addresses without a usable domain.
    fn party(&self) -> &str {
        match &self.organization {
            Some(organization) if !self.freemail => organization.as_str(),
            _ => &self.key,
        }
    }

    /// Exposed to the other visible recipients, and not ours to expose freely.
    fn exposed(&self) -> bool {
        self.visible && self.class == Class::External && !self.is_sender
    }
}

/// Facts about a domain, looked up once per distinct domain.
struct DomainFacts {
    domain: DomainName,
    organization: DomainName,
    class: Class,
    freemail: bool,
    disposable: bool,
    blocked: bool,
}

/// The recipients of a draft, deduplicated and classified.
pub(crate) struct Analysis {
    pub(crate) recipients: Vec<Recipient>,
    by_key: HashMap<String, usize>,
}

/// A private mailbox domain: on the shipped freemail lists or the policy's own.
fn is_private_mail(domain: &DomainName, policy: &Policy) -> bool {
    lists::is_freemail(domain) || policy.freemail_domains.iter().any(|f| domain.is_within(f))
}

/// The domains that count as internal: the policy's, else the sender's organization.
pub(crate) fn internal_domains(draft: &Draft, policy: &Policy) -> Vec<DomainName> {
    if !policy.internal_domains.is_empty() {
        return policy.internal_domains.clone();
    }
    // A sender on gmail.com belongs to no organization: making gmail.com internal
    // would hide every private gmail recipient from the rules.
    draft
        .from
        .as_ref()
        .and_then(Address::domain)
        .and_then(DomainName::parse)
        .filter(|domain| !is_private_mail(domain, policy))
        .map(|domain| vec![organization_of(&domain)])
        .unwrap_or_default()
}

impl Analysis {
    pub(crate) fn new(draft: &Draft, policy: &Policy) -> Analysis {
        let internal = internal_domains(draft, policy);
        let sender = draft.from.as_ref().map(Address::key);
        let mut facts: HashMap<String, Option<DomainFacts>> = HashMap::new();
        let mut recipients: Vec<Recipient> = Vec::new();
        let mut by_key: HashMap<String, usize> = HashMap::new();
        for (field, address) in draft.recipients() {
            let key = address.key();
            let visible = field != Field::Bcc;
            if let Some(&index) = by_key.get(&key) {
                recipients[index].visible |= visible;
                continue;
            }
            let domain_text = address.domain().unwrap_or("").to_lowercase();
            let fact = facts
                .entry(domain_text)
                .or_insert_with_key(|text| domain_facts(text, &internal, policy));
            let fact = fact.as_ref();
            let recipient = Recipient {
                is_sender: sender.as_deref() == Some(key.as_str()),
                key: key.clone(),
                visible,
                domain: fact.map(|f| f.domain.clone()),
                organization: fact.map(|f| f.organization.clone()),
                // An address without a usable domain is nobody we know: external.
                class: fact.map_or(Class::External, |f| f.class),
                freemail: fact.is_some_and(|f| f.freemail),
                disposable: fact.is_some_and(|f| f.disposable),
                blocked: fact.is_some_and(|f| f.blocked),
            };
            by_key.insert(key, recipients.len());
            recipients.push(recipient);
        }
        Analysis { recipients, by_key }
    }

    /// The class of the recipient with this key (External when unknown).
    pub(crate) fn class_of(&self, key: &str) -> Class {
        self.by_key
            .get(key)
            .map_or(Class::External, |&index| self.recipients[index].class)
    }

    fn exposed(&self) -> impl Iterator<Item = &Recipient> {
        self.recipients.iter().filter(|r| r.exposed())
    }

    pub(crate) fn summary(&self) -> Summary {
        let external: Vec<&Recipient> = self
            .recipients
            .iter()
            .filter(|r| r.class != Class::Internal)
            .collect();
        Summary {
            recipients: self.recipients.len(),
            visible: self.recipients.iter().filter(|r| r.visible).count(),
            external_addresses: external.len(),
            external_organizations: external
                .iter()
                .map(|r| r.party())
                .collect::<HashSet<_>>()
                .len(),
            visible_parties: self
                .exposed()
                .map(Recipient::party)
                .collect::<HashSet<_>>()
                .len(),
        }
    }
}

fn domain_facts(text: &str, internal: &[DomainName], policy: &Policy) -> Option<DomainFacts> {
    let domain = DomainName::parse(text)?;
    let within = |list: &[DomainName]| list.iter().any(|d| domain.is_within(d));
    let class = if within(internal) {
        Class::Internal
    } else if within(&policy.trusted_domains) {
        Class::Trusted
    } else {
        Class::External
    };
    let outside = class == Class::External;
    Some(DomainFacts {
        organization: organization_of(&domain),
        class,
        freemail: outside && is_private_mail(&domain, policy),
        disposable: outside && lists::is_disposable(&domain),
        blocked: class != Class::Internal && within(&policy.blocked_domains),
        domain,
    })
}

pub(crate) fn export_offer(policy: &Policy) -> FixOffer {
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

pub(super) fn visible_recipients(context: &Context<'_>, ceiling: Severity) -> Vec<Finding> {
    let analysis = &context.analysis;
    let limits = &context.policy.visible_recipients;
    let exposed: Vec<String> = analysis.exposed().map(|r| r.key.clone()).collect();
    let parties = context.summary.visible_parties;
    let count = |n: u32| usize::try_from(n).unwrap_or(usize::MAX);
    let level = if parties >= count(limits.block_parties)
        || exposed.len() >= count(limits.block_addresses)
    {
        Severity::Block
    } else if parties >= count(limits.warn_parties) {
        Severity::Warn
    } else {
        return Vec::new();
    };
    let mut message = text(
        "rule.visible-recipients.message",
        &[
            ("addresses", Arg::Count(exposed.len())),
            ("parties", Arg::Count(parties)),
        ],
    );
    if let Some(tool) = &context.policy.newsletter_tool {
        let hint = text(
            "rule.visible-recipients.tool",
            &[("tool", Arg::Str(tool.name.clone()))],
        );
        message.en = format!("{} {}", message.en, hint.en);
        message.de = format!("{} {}", message.de, hint.de);
    }
    let mut found = Finding::new(RuleId::VisibleRecipients, level.min(ceiling), message);
    found.recipients = exposed;
    found.fixes = vec![
        FixOffer {
            label: text("fix.move-to-bcc", &[]),
            action: Fix::MoveToBcc,
        },
        export_offer(context.policy),
    ];
    vec![found]
}

/// A rule that flags recipients one by one and offers to remove them.
fn flag_recipients(
    context: &Context<'_>,
    rule: RuleId,
    severity: Severity,
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
    let keys: Vec<String> = hits.iter().map(|r| r.key.clone()).collect();
    // Distinct domains in draft order (a set keeps 10,000 hits linear).
    let mut seen = HashSet::new();
    let domains: Vec<String> = hits
        .iter()
        .filter_map(|hit| hit.domain.as_ref())
        .filter(|domain| seen.insert(domain.as_str()))
        .map(|domain| domain.as_str().to_string())
        .collect();
    let plural = if hits.len() == 1 { "one" } else { "other" };
    let message = text(
        &format!("rule.{}.message.{plural}", rule.id()),
        &[
            ("count", Arg::Count(hits.len())),
            ("addresses", short_list(&keys, 3)),
            ("domains", short_list(&domains, 3)),
        ],
    );
    let mut found = Finding::new(rule, severity, message);
    found.fixes = vec![FixOffer {
        label: text("fix.remove-recipient", &[]),
        action: Fix::RemoveRecipient {
            addresses: keys.clone(),
        },
    }];
    found.recipients = keys;
    vec![found]
}

pub(super) fn blocked_recipient(context: &Context<'_>, severity: Severity) -> Vec<Finding> {
    flag_recipients(context, RuleId::BlockedRecipient, severity, |r| r.blocked)
}

pub(super) fn disposable_recipient(context: &Context<'_>, severity: Severity) -> Vec<Finding> {
    flag_recipients(context, RuleId::DisposableRecipient, severity, |r| {
        r.disposable
    })
}

pub(super) fn freemail_recipient(context: &Context<'_>, severity: Severity) -> Vec<Finding> {
    flag_recipients(context, RuleId::FreemailRecipient, severity, |r| {
        r.freemail && !r.disposable && !r.is_sender
    })
}

pub(super) fn invalid_recipient(context: &Context<'_>, severity: Severity) -> Vec<Finding> {
    flag_recipients(context, RuleId::InvalidRecipient, severity, |r| {
        r.domain.is_none()
    })
}

pub(super) fn external_recipients(context: &Context<'_>, severity: Severity) -> Vec<Finding> {
    let summary = &context.summary;
    if summary.external_addresses == 0 {
        return Vec::new();
    }
    let plural = match (summary.external_addresses, summary.external_organizations) {
        (1, _) => "one",
        (_, 1) => "one-organization",
        _ => "other",
    };
    let message = text(
        &format!("rule.external-recipients.message.{plural}"),
        &[
            ("addresses", Arg::Count(summary.external_addresses)),
            ("organizations", Arg::Count(summary.external_organizations)),
        ],
    );
    let mut found = Finding::new(RuleId::ExternalRecipients, severity, message);
    found.recipients = context
        .analysis
        .recipients
        .iter()
        .filter(|r| r.class != Class::Internal)
        .map(|r| r.key.clone())
        .collect();
    vec![found]
}

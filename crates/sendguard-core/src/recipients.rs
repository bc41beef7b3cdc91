//! Recipient analysis, done once per check and shared by the recipient rules and the
//! `move-to-bcc` fix: each distinct recipient with its domain, organization, class
//! (internal, trusted, external) and the lists it is on, and the parties they form.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use crate::address::Address;
use crate::domain::{DomainName, organization_with};
use crate::draft::{Draft, Field};
use crate::lists;
use crate::policy::{DomainSet, Policy};
use crate::vocabulary::Summary;

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
    pub(crate) fn party(&self) -> &str {
        match &self.organization {
            Some(organization) if !self.freemail => organization.as_str(),
            _ => &self.key,
        }
    }

    /// Exposed to the other visible recipients, and not ours to expose freely.
    pub(crate) fn exposed(&self) -> bool {
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
    lists::is_freemail(domain) || policy.freemail_domains.covers(domain)
}

/// The organization of `domain`: its registrable domain, or its tenant below a shared
/// mail-hosting suffix (shipped, or the policy's `tenant_suffixes`).
pub(crate) fn organization_in(domain: &DomainName, policy: &Policy) -> DomainName {
    organization_with(domain, |suffix| policy.tenant_suffixes.contains(suffix))
}

/// The domains that count as internal: the policy's, else the sender's organization.
pub(crate) fn internal_domains<'p>(draft: &Draft, policy: &'p Policy) -> Cow<'p, DomainSet> {
    if !policy.internal_domains.is_empty() {
        return Cow::Borrowed(&policy.internal_domains);
    }
    // A sender on gmail.com belongs to no organization: making gmail.com internal
    // would hide every private gmail recipient from the rules.
    let sender_organization = draft
        .from
        .as_ref()
        .and_then(Address::domain)
        .and_then(DomainName::parse)
        .filter(|domain| !is_private_mail(domain, policy))
        .map(|domain| organization_in(&domain, policy));
    Cow::Owned(sender_organization.into_iter().collect())
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

    pub(crate) fn exposed(&self) -> impl Iterator<Item = &Recipient> {
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
                .filter(|r| !r.freemail)
                .filter_map(|r| r.organization.as_ref().map(DomainName::as_str))
                .collect::<HashSet<&str>>()
                .len(),
            private_mailboxes: external.iter().filter(|r| r.freemail).count(),
            visible_parties: self
                .exposed()
                .map(Recipient::party)
                .collect::<HashSet<_>>()
                .len(),
        }
    }
}

fn domain_facts(text: &str, internal: &DomainSet, policy: &Policy) -> Option<DomainFacts> {
    let domain = DomainName::parse(text)?;
    let class = if internal.covers(&domain) {
        Class::Internal
    } else if policy.trusted_domains.covers(&domain) {
        Class::Trusted
    } else {
        Class::External
    };
    let outside = class == Class::External;
    Some(DomainFacts {
        organization: organization_in(&domain, policy),
        class,
        freemail: outside && is_private_mail(&domain, policy),
        disposable: outside && lists::is_disposable(&domain),
        blocked: class != Class::Internal && policy.blocked_domains.covers(&domain),
        domain,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analysis(draft: &str, policy: &str) -> Analysis {
        let draft = Draft::from_json(draft).unwrap();
        Analysis::new(&draft, &Policy::from_json(policy).unwrap())
    }

    fn recipient<'a>(analysis: &'a Analysis, key: &str) -> &'a Recipient {
        &analysis.recipients[analysis.by_key[key]]
    }

    const DRAFT: &str = r#"{"from":{"address":"Me@Corp.example"},
        "to":[{"address":"A@sales.corp.example"},{"address":"b@partner.example"}],
        "cc":[{"address":"c@x.firm.co.uk"},{"address":"d@y.firm.co.uk"},{"address":"e@gmail.com"}],
        "bcc":[{"address":"a@sales.corp.example"},{"address":"f@gmail.com"},{"address":"me@corp.example"},
               {"address":"broken"}]}"#;

    #[test]
    fn classes_from_the_sender_and_the_policy() {
        let plain = analysis(DRAFT, "{}");
        assert_eq!(plain.class_of("a@sales.corp.example"), Class::Internal);
        assert_eq!(plain.class_of("b@partner.example"), Class::External);
        assert_eq!(plain.class_of("broken"), Class::External);
        assert_eq!(
            plain.class_of("not-in-the-draft@x.example"),
            Class::External
        );
        let trusting = analysis(DRAFT, r#"{"trusted_domains":["partner.example"]}"#);
        assert_eq!(trusting.class_of("b@partner.example"), Class::Trusted);
        // The policy's list replaces the sender's organization.
        let listed = analysis(DRAFT, r#"{"internal_domains":["partner.example"]}"#);
        assert_eq!(listed.class_of("b@partner.example"), Class::Internal);
        assert_eq!(listed.class_of("a@sales.corp.example"), Class::External);
    }

    #[test]
    fn a_freemail_sender_makes_nobody_internal() {
        let draft = r#"{"from":{"address":"me@gmail.com"},"to":[{"address":"x@gmail.com"}]}"#;
        assert_eq!(
            analysis(draft, "{}").class_of("x@gmail.com"),
            Class::External
        );
    }

    #[test]
    fn recipients_are_distinct_and_visible_anywhere_counts() {
        let analysis = analysis(DRAFT, "{}");
        assert_eq!(analysis.recipients.len(), 8);
        assert!(recipient(&analysis, "a@sales.corp.example").visible);
        assert!(!recipient(&analysis, "f@gmail.com").visible);
        assert!(recipient(&analysis, "me@corp.example").is_sender);
        assert!(recipient(&analysis, "e@gmail.com").freemail);
    }

    #[test]
    fn parties_are_organizations_or_single_private_mailboxes() {
        let analysis = analysis(DRAFT, "{}");
        assert_eq!(recipient(&analysis, "c@x.firm.co.uk").party(), "firm.co.uk");
        assert_eq!(recipient(&analysis, "d@y.firm.co.uk").party(), "firm.co.uk");
        assert_eq!(recipient(&analysis, "e@gmail.com").party(), "e@gmail.com");
        assert_eq!(recipient(&analysis, "broken").party(), "broken");
        let summary = analysis.summary();
        assert_eq!(
            summary,
            Summary {
                recipients: 8,
                visible: 5,
                // b, c, d, e, f, broken.
                external_addresses: 6,
                // partner.example, firm.co.uk; the gmail addresses are private
                // mailboxes, `broken` is nobody.
                external_organizations: 2,
                private_mailboxes: 2,
                // partner.example, firm.co.uk, e@gmail.com.
                visible_parties: 3,
            }
        );
    }

    #[test]
    fn a_tenant_sender_makes_only_its_own_tenant_internal() {
        let draft = r#"{"from":{"address":"me@contoso.onmicrosoft.com"},
            "to":[{"address":"colleague@contoso.onmicrosoft.com"},
                  {"address":"a@fabrikam.onmicrosoft.com"},{"address":"b@fabrikam.onmicrosoft.com"},
                  {"address":"c@tailspin.onmicrosoft.com"},
                  {"address":"d@kunde1.mailhost.example"},{"address":"e@kunde2.mailhost.example"}]}"#;
        let plain = analysis(draft, "{}");
        assert_eq!(
            plain.class_of("colleague@contoso.onmicrosoft.com"),
            Class::Internal
        );
        assert_eq!(
            plain.class_of("a@fabrikam.onmicrosoft.com"),
            Class::External
        );
        assert_eq!(
            plain.class_of("c@tailspin.onmicrosoft.com"),
            Class::External
        );
        // fabrikam, tailspin, mailhost.example.
        assert_eq!(plain.summary().visible_parties, 3);
        // The policy names another shared host: its customers are separate too.
        let hosted = analysis(draft, r#"{"tenant_suffixes":["mailhost.example"]}"#);
        assert_eq!(hosted.summary().visible_parties, 4);
        assert_eq!(
            recipient(&hosted, "d@kunde1.mailhost.example")
                .organization
                .as_ref()
                .map(DomainName::as_str),
            Some("kunde1.mailhost.example")
        );
        // A sender at a hosted customer makes only that customer internal.
        let hosted_sender =
            draft.replace("me@contoso.onmicrosoft.com", "me@kunde1.mailhost.example");
        let hosted = analysis(
            &hosted_sender,
            r#"{"tenant_suffixes":["mailhost.example"]}"#,
        );
        assert_eq!(
            hosted.class_of("d@kunde1.mailhost.example"),
            Class::Internal
        );
        assert_eq!(
            hosted.class_of("e@kunde2.mailhost.example"),
            Class::External
        );
    }

    #[test]
    fn blocked_applies_outside_only() {
        let analysis = analysis(
            DRAFT,
            r#"{"blocked_domains":["firm.co.uk","corp.example"]}"#,
        );
        assert!(recipient(&analysis, "c@x.firm.co.uk").blocked);
        assert!(!recipient(&analysis, "a@sales.corp.example").blocked);
    }
}

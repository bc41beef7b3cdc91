//! A policy's list of domains, indexed at load: a policy may list tens of thousands
//! of domains, and a check looks each recipient domain up once per parent domain (a
//! handful of hash lookups) instead of scanning the list.

use std::collections::HashSet;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::domain::DomainName;

/// Domains as the policy lists them (order kept for writing the policy back out), with
/// a hash index for [`DomainSet::covers`].
#[derive(Debug, Clone, Default)]
pub struct DomainSet {
    listed: Vec<DomainName>,
    index: HashSet<String>,
}

impl DomainSet {
    /// Whether `domain` is one of the listed domains or a subdomain of one
    /// (label-aligned: `badexample.com` is not within `example.com`).
    ///
    /// ```
    /// use sendguard_core::{DomainName, Policy};
    ///
    /// let policy = Policy::from_json(r#"{"trusted_domains": ["example.com"]}"#).unwrap();
    /// let d = |text: &str| DomainName::parse(text).unwrap();
    /// assert!(policy.trusted_domains.covers(&d("mail.example.com")));
    /// assert!(!policy.trusted_domains.covers(&d("badexample.com")));
    /// ```
    pub fn covers(&self, domain: &DomainName) -> bool {
        !self.index.is_empty()
            && domain
                .self_and_parents()
                .any(|candidate| self.index.contains(candidate))
    }

    /// Whether exactly this canonical domain is listed (its subdomains are not).
    pub(crate) fn contains(&self, domain: &str) -> bool {
        self.index.contains(domain)
    }

    /// No domain listed.
    pub fn is_empty(&self) -> bool {
        self.listed.is_empty()
    }

    /// The domains in the order the policy lists them.
    pub fn iter(&self) -> impl Iterator<Item = &DomainName> {
        self.listed.iter()
    }
}

impl FromIterator<DomainName> for DomainSet {
    fn from_iter<I: IntoIterator<Item = DomainName>>(domains: I) -> DomainSet {
        let listed: Vec<DomainName> = domains.into_iter().collect();
        let index = listed.iter().map(|d| d.as_str().to_string()).collect();
        DomainSet { listed, index }
    }
}

impl PartialEq for DomainSet {
    fn eq(&self, other: &DomainSet) -> bool {
        self.listed == other.listed
    }
}

impl Eq for DomainSet {}

impl Serialize for DomainSet {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.listed.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for DomainSet {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<DomainName>::deserialize(deserializer).map(DomainSet::from_iter)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> DomainName {
        DomainName::parse(text).unwrap()
    }

    #[test]
    fn covers_the_domain_and_its_subdomains_only() {
        let set: DomainSet = [d("example.com"), d("corp.co.uk")].into_iter().collect();
        assert!(set.covers(&d("example.com")));
        assert!(set.covers(&d("a.b.example.com")));
        assert!(set.covers(&d("x.corp.co.uk")));
        assert!(!set.covers(&d("badexample.com")));
        assert!(!set.covers(&d("com")));
        assert!(!set.covers(&d("co.uk")));
        assert!(!set.covers(&d("example.com.evil.net")));
        assert!(!DomainSet::default().covers(&d("example.com")));
    }

    #[test]
    fn agrees_with_is_within_on_a_list() {
        let listed = [d("a.example"), d("b.c.example"), d("xn--bcher-kva.example")];
        let set: DomainSet = listed.iter().cloned().collect();
        for probe in [
            "a.example",
            "x.a.example",
            "c.example",
            "b.c.example",
            "z.b.c.example",
            "bücher.example",
            "example",
        ] {
            let probe = d(probe);
            let scan = listed.iter().any(|l| probe.is_within(l));
            assert_eq!(set.covers(&probe), scan, "{probe}");
        }
    }
}

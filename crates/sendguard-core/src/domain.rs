//! Domain names: canonical form (lower-case ASCII after IDNA, no trailing dot) and the
//! organization a domain belongs to (its registrable domain by the Public Suffix List).

use crate::table::ReversedSet;
use std::fmt;

/// The Public Suffix List, ICANN and private sections (see `data/SOURCES.md`), as
/// `build.rs` prepares it: punycode, reversed and front-coded. Plain rules…
const PUBLIC_SUFFIX_RULES: ReversedSet = ReversedSet(include_bytes!(concat!(
    env!("OUT_DIR"),
    "/public_suffix_rules.bin"
)));
/// …wildcard rules without their `*.` (`ck` stands for `*.ck`)…
const PUBLIC_SUFFIX_WILDCARDS: ReversedSet = ReversedSet(include_bytes!(concat!(
    env!("OUT_DIR"),
    "/public_suffix_wildcards.bin"
)));
/// …and exception rules without their `!`.
const PUBLIC_SUFFIX_EXCEPTIONS: ReversedSet = ReversedSet(include_bytes!(concat!(
    env!("OUT_DIR"),
    "/public_suffix_exceptions.bin"
)));

/// A domain name in canonical form: lower-case, ASCII (IDN labels as `xn--` punycode),
/// without a trailing dot, every label 1 to 63 bytes, at most 253 bytes in all.
///
/// Two spellings of one domain compare equal once parsed:
///
/// ```
/// use sendguard_core::DomainName;
///
/// let unicode = DomainName::parse("Bücher.Example.").unwrap();
/// let ascii = DomainName::parse("xn--bcher-kva.example").unwrap();
/// assert_eq!(unicode, ascii);
/// assert_eq!(ascii.as_str(), "xn--bcher-kva.example");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DomainName(String);

impl DomainName {
    /// Canonicalizes `text`, or returns `None` when it is not a domain name.
    pub fn parse(text: &str) -> Option<DomainName> {
        let text = text.trim();
        let text = text.strip_suffix('.').unwrap_or(text);
        let ascii = if text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
        {
            text.to_ascii_lowercase()
        } else {
            idna::domain_to_ascii(text).ok()?
        };
        let valid = !ascii.is_empty()
            && ascii.len() <= 253
            && ascii.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'))
            });
        valid.then_some(DomainName(ascii))
    }

    /// The canonical text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this domain is `other` or a subdomain of it (`sales.example.com` is within
    /// `example.com`; `corp.example.com.evil.net` is not).
    pub fn is_within(&self, other: &DomainName) -> bool {
        self.0 == other.0
            || (self.0.len() > other.0.len()
                && self.0.ends_with(other.0.as_str())
                && self.0.as_bytes()[self.0.len() - other.0.len() - 1] == b'.')
    }

    /// This domain, then each parent down to the top-level label:
    /// `a.b.example` → `a.b.example`, `b.example`, `example`.
    pub fn self_and_parents(&self) -> impl Iterator<Item = &str> {
        let text = self.0.as_str();
        std::iter::once(text).chain(
            text.match_indices('.')
                .map(move |(index, _)| &text[index + 1..]),
        )
    }

    /// Whether this domain is itself a public suffix (or a bare top-level label), so
    /// that it has no registrable domain: `co.uk`, `com`, `github.io`. The same answer
    /// as `registrable().is_none()` in two table lookups instead of one per label.
    ///
    /// ```
    /// use sendguard_core::DomainName;
    ///
    /// let d = |text: &str| DomainName::parse(text).unwrap();
    /// assert!(d("co.uk").is_public_suffix() && d("com").is_public_suffix());
    /// assert!(!d("example.co.uk").is_public_suffix());
    /// ```
    pub fn is_public_suffix(&self) -> bool {
        match self.0.split_once('.') {
            None => true,
            Some((_, parent)) => {
                !PUBLIC_SUFFIX_EXCEPTIONS.contains(&self.0)
                    && (PUBLIC_SUFFIX_RULES.contains(&self.0)
                        || PUBLIC_SUFFIX_WILDCARDS.contains(parent))
            }
        }
    }

    /// The registrable domain by the Public Suffix List, if this domain has one (a bare
    /// public suffix like `co.uk` has none).
    ///
    /// The list's algorithm: among the rules matching this domain, an exception rule
    /// (`!www.ck`) wins and its suffix is the rule minus its first label; otherwise the
    /// rule with the most labels wins, a wildcard (`*.ck`) standing for any one label;
    /// with no rule, the top-level label alone is the suffix. The registrable domain is
    /// the suffix plus one more label.
    pub fn registrable(&self) -> Option<DomainName> {
        let suffixes: Vec<&str> = self.self_and_parents().collect();
        let labels = suffixes.len();
        let mut suffix_labels = 1;
        // suffixes[labels - k] is the suffix of k labels.
        // One label is the default rule's suffix; rules start mattering at two.
        for k in 2..=labels {
            let suffix = suffixes[labels - k];
            if PUBLIC_SUFFIX_EXCEPTIONS.contains(suffix) {
                suffix_labels = k - 1;
                break;
            }
            let wildcard = PUBLIC_SUFFIX_WILDCARDS.contains(suffixes[labels - k + 1]);
            if wildcard || PUBLIC_SUFFIX_RULES.contains(suffix) {
                suffix_labels = k;
            }
        }
        (labels > suffix_labels)
            .then(|| DomainName(suffixes[labels - suffix_labels - 1].to_string()))
    }
}

impl serde::Serialize for DomainName {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for DomainName {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        DomainName::parse(&text).ok_or_else(|| {
            let found = serde::de::Unexpected::Str(&text);
            serde::de::Error::invalid_value(found, &crate::expecting::Expecting::Domain)
        })
    }
}

impl fmt::Display for DomainName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Shared mail-hosting suffixes the Public Suffix List lacks (`onmicrosoft.com` …), one
/// per line, as `build.rs` takes them from `data/tenant-suffixes.txt` (sources in
/// `data/SOURCES.md`).
const TENANT_SUFFIXES: &str = include_str!(concat!(env!("OUT_DIR"), "/tenant_suffixes.txt"));

/// The shipped tenant suffixes.
fn shipped_tenant_suffixes() -> impl Iterator<Item = &'static str> {
    TENANT_SUFFIXES.lines().filter(|line| !line.is_empty())
}

/// The organization a domain belongs to: its registrable domain, or the domain itself
/// when it has none (a bare suffix, a single label).
///
/// Below a shared mail-hosting suffix the Public Suffix List does not list (the
/// shipped `data/tenant-suffixes.txt`: `onmicrosoft.com` and Microsoft's other tenant
/// domains), each tenant is its own organization.
///
/// ```
/// use sendguard_core::{organization_of, DomainName};
///
/// let org = |d: &str| organization_of(&DomainName::parse(d).unwrap()).to_string();
/// assert_eq!(org("mail.sales.example.co.uk"), "example.co.uk");
/// assert_eq!(org("alice.github.io"), "alice.github.io"); // private section
/// assert_eq!(org("contoso.onmicrosoft.com"), "contoso.onmicrosoft.com");
/// ```
pub fn organization_of(domain: &DomainName) -> DomainName {
    organization_with(domain, |_| false)
}

/// [`organization_of`], with `more_suffixes` (the policy's `tenant_suffixes`) counted as
/// tenant suffixes too. Of the registrable domain and the tenant (the longest listed
/// suffix strictly above `domain`, plus one label), the longer one wins: either
/// separates more.
pub(crate) fn organization_with(
    domain: &DomainName,
    more_suffixes: impl Fn(&str) -> bool,
) -> DomainName {
    let registrable = domain.registrable();
    let names: Vec<&str> = domain.self_and_parents().collect();
    // names[i] for i ≥ 1 are the strict parents, longest first.
    let tenant = (1..names.len())
        .find(|&i| {
            let suffix = names[i];
            more_suffixes(suffix) || shipped_tenant_suffixes().any(|s| s == suffix)
        })
        .map(|i| names[i - 1]);
    match (tenant, registrable) {
        (Some(tenant), Some(registrable)) if registrable.0.len() >= tenant.len() => registrable,
        (Some(tenant), _) => DomainName(tenant.to_string()),
        (None, registrable) => registrable.unwrap_or_else(|| domain.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> DomainName {
        DomainName::parse(text).unwrap()
    }

    #[test]
    fn canonical_form() {
        assert_eq!(d("EXAMPLE.com.").as_str(), "example.com");
        assert_eq!(d("bücher.example"), d("XN--BCHER-KVA.example"));
        for bad in [
            "",
            ".",
            "a..b",
            "ex ample.com",
            "-.",
            &"a".repeat(64),
            "a@b",
        ] {
            assert_eq!(DomainName::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn within_is_label_aligned() {
        assert!(d("example.com").is_within(&d("example.com")));
        assert!(d("sales.example.com").is_within(&d("example.com")));
        assert!(!d("badexample.com").is_within(&d("example.com")));
        assert!(!d("corp.example.evil.net").is_within(&d("example.net")));
        assert!(!d("example.com").is_within(&d("sales.example.com")));
    }

    #[test]
    fn parents() {
        let domain = d("a.b.example");
        let all: Vec<_> = domain.self_and_parents().collect();
        assert_eq!(all, ["a.b.example", "b.example", "example"]);
    }

    #[test]
    fn tenants_below_shared_suffixes_are_organizations() {
        let org = |text: &str| organization_of(&d(text)).to_string();
        assert_eq!(org("contoso.onmicrosoft.com"), "contoso.onmicrosoft.com");
        assert_eq!(org("fabrikam.onmicrosoft.com"), "fabrikam.onmicrosoft.com");
        assert_eq!(org("x.contoso.onmicrosoft.com"), "contoso.onmicrosoft.com");
        // The hybrid routing domain is a longer suffix: the longest one wins.
        assert_eq!(
            org("contoso.mail.onmicrosoft.com"),
            "contoso.mail.onmicrosoft.com"
        );
        assert_eq!(org("contoso.onmicrosoft.us"), "contoso.onmicrosoft.us");
        assert_eq!(org("contoso.onmicrosoft.de"), "contoso.onmicrosoft.de");
        assert_eq!(
            org("contoso.partner.onmschina.cn"),
            "contoso.partner.onmschina.cn"
        );
        // The suffix itself has no tenant: the Public Suffix List decides.
        assert_eq!(org("onmicrosoft.com"), "onmicrosoft.com");
        assert_eq!(org("partner.onmschina.cn"), "onmschina.cn");
        // Nothing else changes.
        assert_eq!(org("a.b.example.co.uk"), "example.co.uk");
        assert_eq!(org("notonmicrosoft.com"), "notonmicrosoft.com");
    }

    #[test]
    fn more_suffixes_from_the_policy_and_the_longer_organization_wins() {
        let hosted = |s: &str| s == "mailhost.example" || s == "co.uk";
        let org = |text: &str| organization_with(&d(text), hosted).to_string();
        assert_eq!(org("kunde-a.mailhost.example"), "kunde-a.mailhost.example");
        assert_eq!(
            org("mx.kunde-a.mailhost.example"),
            "kunde-a.mailhost.example"
        );
        assert_eq!(org("mailhost.example"), "mailhost.example");
        // A suffix the PSL already separates gives the same organization.
        assert_eq!(org("sales.firm.co.uk"), "firm.co.uk");
        // The PSL separating more than a listed suffix wins (alice.github.io).
        let github = |s: &str| s == "io";
        assert_eq!(
            organization_with(&d("x.alice.github.io"), github).to_string(),
            "alice.github.io"
        );
    }

    #[test]
    fn shipped_tenant_suffixes_are_canonical_and_not_in_the_psl() {
        let suffixes: Vec<&str> = shipped_tenant_suffixes().collect();
        assert!(suffixes.len() >= 5, "{suffixes:?}");
        for suffix in suffixes {
            assert_eq!(d(suffix).as_str(), suffix, "not canonical");
            // Listed in the PSL already, it would be redundant here.
            assert!(
                !PUBLIC_SUFFIX_RULES.contains(suffix),
                "{suffix} is in the Public Suffix List now: drop it from tenant-suffixes.txt"
            );
        }
    }

    /// The official vectors, `checkPublicSuffix('domain', 'expected' | null);`.
    #[test]
    fn public_suffix_list_test_vectors() {
        let mut ran = 0;
        for line in include_str!("../data/test_psl.txt").lines() {
            let Some(args) = line
                .trim()
                .strip_prefix("checkPublicSuffix(")
                .and_then(|rest| rest.strip_suffix(");"))
            else {
                continue;
            };
            let (input, expected) = args.split_once(", ").expect("two arguments");
            let unquote = |s: &str| (s != "null").then(|| s.trim_matches('\'').to_string());
            let input = unquote(input);
            let expected = unquote(expected).map(|e| d(&e));
            let actual = input
                .as_deref()
                .and_then(DomainName::parse)
                .and_then(|domain| domain.registrable());
            assert_eq!(actual, expected, "checkPublicSuffix({input:?})");
            ran += 1;
        }
        assert!(ran > 50, "only {ran} PSL vectors ran");
    }
}

//! Table tests for the field parsers: inputs and expected outputs live in
//! `tests/cases/*.json`, so adding a case is adding a line of data.

// clippy.toml allows these in `#[test]` functions; the helpers here are test code too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use sendguard_core::{Address, DomainName, organization_of, parse_address_list};
use serde::Deserialize;
use serde::de::DeserializeOwned;

fn load<T: DeserializeOwned>(name: &str) -> Vec<T> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/cases")
        .join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let cases: Vec<T> =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(!cases.is_empty(), "{name} has no cases");
    cases
}

/// Runs every case, collects every mismatch, and fails once with all of them.
fn report(name: &str, failures: &[String], ran: usize) {
    assert!(ran > 0, "{name}: no case ran");
    assert!(
        failures.is_empty(),
        "{name}: {} of {ran} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AddressListCase {
    comment: String,
    /// The expected output is right and the parser is not (yet): the case is listed
    /// but does not fail, and fails once the parser gets it right, so the marker goes.
    #[serde(default)]
    known_bug: Option<String>,
    input: String,
    addresses: Vec<Address>,
    rejected: Vec<(usize, String)>,
}

#[test]
fn address_list_cases() {
    let cases: Vec<AddressListCase> = load("address_list.json");
    let mut failures = Vec::new();
    for case in &cases {
        let (addresses, rejected) = parse_address_list(&case.input);
        let right = addresses == case.addresses && rejected == case.rejected;
        if let Some(bug) = &case.known_bug {
            if right {
                failures.push(format!(
                    "- {} now passes: remove its known_bug marker",
                    case.comment
                ));
            } else {
                eprintln!("known bug: {}: {bug}", case.comment);
            }
            continue;
        }
        if !right {
            failures.push(format!(
                "- {} ({:?})\n    expected {:?} / rejected {:?}\n    actual   {:?} / rejected {:?}",
                case.comment, case.input, case.addresses, case.rejected, addresses, rejected
            ));
        }
    }
    report("address_list.json", &failures, cases.len());
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DomainCase {
    input: String,
    /// `null`: not a domain name.
    canonical: Option<String>,
    #[serde(default)]
    organization: Option<String>,
}

#[test]
fn domain_cases() {
    let cases: Vec<DomainCase> = load("domains.json");
    let mut failures = Vec::new();
    for case in &cases {
        let parsed = DomainName::parse(&case.input);
        let canonical = parsed.as_ref().map(|d| d.as_str().to_string());
        let organization = parsed.as_ref().map(|d| organization_of(d).to_string());
        if canonical != case.canonical {
            failures.push(format!(
                "- parse({:?}) = {canonical:?}, expected {:?}",
                case.input, case.canonical
            ));
        } else if case.canonical.is_some() && organization != case.organization {
            failures.push(format!(
                "- organization_of({:?}) = {organization:?}, expected {:?}",
                case.input, case.organization
            ));
        }
        // Canonical form is a fixed point: parsing it again changes nothing.
        if let Some(domain) = &parsed {
            if DomainName::parse(domain.as_str()).as_ref() != Some(domain) {
                failures.push(format!("- {:?} is not a fixed point", domain.as_str()));
            }
        }
    }
    report("domains.json", &failures, cases.len());
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WithinCase {
    domain: String,
    of: String,
    within: bool,
}

#[test]
fn within_cases() {
    let cases: Vec<WithinCase> = load("within.json");
    let mut failures = Vec::new();
    for case in &cases {
        let domain = DomainName::parse(&case.domain).expect("table domains are valid");
        let of = DomainName::parse(&case.of).expect("table domains are valid");
        if domain.is_within(&of) != case.within {
            failures.push(format!(
                "- {:?}.is_within({:?}) should be {}",
                case.domain, case.of, case.within
            ));
        }
    }
    report("within.json", &failures, cases.len());
}

//! Property tests: invariants that must hold for every draft, not just the corpus.
//!
//! - No fix offered in a report loses, duplicates or invents a recipient (compared by
//!   lower-cased address): only `remove-recipient` removes (exactly what it names), only
//!   `move-to-bcc` adds (the sender, into To); `replace-recipient` takes exactly one
//!   address out and puts exactly one in (same local part, in the same fields).
//! - After `move-to-bcc`, checking again never reports `visible-recipients`; after
//!   `remove-recipient`, the rule that offered it no longer fires.
//! - `check` never panics, whatever JSON, policy or bytes it is given.
//!
//! Case counts are chosen so the whole file runs in a few seconds in a debug build;
//! `PROPTEST_CASES=10000 cargo test --test properties` runs a longer session.

// clippy.toml allows these in `#[test]` functions; the helpers here are test code too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use proptest::test_runner::Config;
use sendguard_core::{Address, Draft, Field, Fix, Policy, RuleId, apply, check};
use serde_json::{Value, json};

// ---------------------------------------------------------------- draft generation

/// Domains by kind; the sender is at `nordlicht.example` unless a case says otherwise.
const INTERNAL: &[&str] = &[
    "nordlicht.example",
    "kiel.nordlicht.example",
    "NORDLICHT.example",
];
const BUSINESS: &[&str] = &[
    "rhein-hydraulik.de",
    "mail.rhein-hydraulik.de",
    "thames-logistics.co.uk",
    "harbour-freight.co.uk",
    "bäckerei-müller.de",
    "xn--bckerei-mller-bfb28a.de",
    "atlas-systems.fr",
    "nordlicht.example.evil.net",
    "partner.example",
];
const FREEMAIL: &[&str] = &["gmail.com", "web.de", "GMX.net", "outlook.com"];
/// Look-alikes of the domains above (homograph, digit for letter, TLD swap, typo).
const LOOKALIKE: &[&str] = &[
    "nord1icht.example",
    "nordlicht-example.com",
    "rhein-hydraulik.com",
    "rhein-hydrau1ik.de",
    "rhein-hydraul\u{456}k.de",
    "xn--rhein-hydrauli-ykh.de",
    "gmai1.com",
    "gmial.com",
    "atlas-sytems.fr",
];
/// What an address book may know.
const KNOWN: &[&str] = &[
    "atlas-systems.fr",
    "rhein-hydraulik.com",
    "not a domain",
    "",
];
const DISPOSABLE: &[&str] = &["trashmail.de", "mailinator.com"];
const LOCALS: &[&str] = &["anna", "Bob", "c.doe", "info", "einkauf", "jürgen"];
const INVALID: &[&str] = &[
    "Hans Müller",
    "anna@",
    "@rhein-hydraulik.de",
    "x@a..b",
    "",
    "a@-x.de",
];

fn vary_case(text: &str, mask: u32) -> String {
    text.chars()
        .enumerate()
        .map(|(i, c)| {
            if mask & (1 << (i % 32)) != 0 {
                c.to_uppercase().next().unwrap_or(c)
            } else {
                c
            }
        })
        .collect()
}

fn address_text() -> impl Strategy<Value = String> {
    let domain = prop_oneof![
        3 => proptest::sample::select(INTERNAL),
        4 => proptest::sample::select(BUSINESS),
        2 => proptest::sample::select(LOOKALIKE),
        2 => proptest::sample::select(FREEMAIL),
        1 => proptest::sample::select(DISPOSABLE),
    ];
    prop_oneof![
        12 => (proptest::sample::select(LOCALS), domain, any::<u32>(), any::<bool>())
            .prop_map(|(local, domain, mask, vary)| {
                let text = format!("{local}@{domain}");
                if vary { vary_case(&text, mask) } else { text }
            }),
        1 => proptest::sample::select(INVALID).prop_map(str::to_string),
    ]
}

fn address() -> impl Strategy<Value = Address> {
    (
        address_text(),
        proptest::option::weighted(0.3, "[A-Za-zäöü ,\"]{0,12}"),
        proptest::option::weighted(0.15, proptest::sample::select(&["Partners", "Team"][..])),
    )
        .prop_map(|(address, name, group)| Address {
            name,
            address,
            group: group.map(str::to_string),
        })
}

fn draft() -> impl Strategy<Value = Draft> {
    let sender = prop_oneof![
        8 => Just(Some(Address::new("Katrin.Vogt@nordlicht.example"))),
        1 => address().prop_map(Some),
        1 => Just(None),
    ];
    let field = || proptest::collection::vec(address(), 0..14);
    let known = proptest::collection::vec(
        proptest::sample::select(KNOWN).prop_map(str::to_string),
        0..3,
    );
    (sender, field(), field(), field(), any::<bool>(), known).prop_map(
        |(from, to, mut cc, bcc, sender_in_cc, known_domains)| {
            // The sender in its own Cc is common (newsletters to self).
            if let (true, Some(from)) = (sender_in_cc, &from) {
                cc.push(from.clone());
            }
            Draft {
                from,
                to,
                cc,
                bcc,
                known_domains,
                ..Draft::default()
            }
        },
    )
}

/// Policies that change what the fixes do and when rules fire.
fn policy() -> impl Strategy<Value = Policy> {
    let texts: &[&str] = &[
        "{}",
        r#"{"move_to_bcc": {"to": "nobody"}}"#,
        r#"{"move_to_bcc": {"keep_internal_visible": false}}"#,
        r#"{"visible_recipients": {"warn_parties": 1, "block_parties": 2, "block_addresses": 3}}"#,
        r#"{"internal_domains": ["rhein-hydraulik.de"], "trusted_domains": ["atlas-systems.fr"]}"#,
        r#"{"trusted_domains": ["partner.example", "gmail.com"], "blocked_domains": ["thames-logistics.co.uk"]}"#,
        r#"{"freemail_domains": ["partner.example"], "severity": {"visible-recipients": "info"},
            "visible_recipients": {"warn_parties": 1, "block_parties": 1, "block_addresses": 1}}"#,
    ];
    proptest::sample::select(texts).prop_map(|text| Policy::from_json(text).unwrap())
}

// ---------------------------------------------------------------- the invariants

fn key(address: &Address) -> String {
    address.address.trim().to_lowercase()
}

/// How often each recipient (lower-cased) appears over To, Cc and Bcc.
fn counts(draft: &Draft) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for (_, address) in draft.recipients() {
        *counts.entry(key(address)).or_insert(0) += 1;
    }
    counts
}

/// Every (address as written, display name) after the fix was in the draft before.
fn spellings(draft: &Draft) -> BTreeSet<(String, Option<String>)> {
    draft
        .recipients()
        .map(|(_, a)| (a.address.clone(), a.name.clone()))
        .collect()
}

fn check_fix(
    before: &Draft,
    fix: &Fix,
    policy: &Policy,
    rule: RuleId,
) -> Result<(), TestCaseError> {
    let applied = apply(before, fix, policy)
        .map_err(|e| TestCaseError::fail(format!("offered fix {fix:?} fails: {e}")))?;
    let after = &applied.draft;
    prop_assert_eq!(&after.from, &before.from, "a fix changed From");
    let (old, new) = (counts(before), counts(after));
    let sender = before.from.as_ref().map(key);
    let removed: BTreeSet<String> = match fix {
        Fix::RemoveRecipient { addresses } => {
            addresses.iter().map(|a| a.trim().to_lowercase()).collect()
        }
        Fix::ReplaceRecipient { address, .. } => BTreeSet::from([address.trim().to_lowercase()]),
        _ => BTreeSet::new(),
    };
    // The one address replace-recipient may add, as written, with the name it replaces.
    let added = match fix {
        Fix::ReplaceRecipient {
            address,
            replacement,
        } => {
            let (old_local, _) = address.rsplit_once('@').expect("an address");
            let (new_local, _) = replacement.rsplit_once('@').expect("an address");
            prop_assert_eq!(old_local.to_lowercase(), new_local.to_lowercase());
            Some((
                address.trim().to_lowercase(),
                replacement.trim().to_string(),
            ))
        }
        _ => None,
    };
    for (address, &n) in &new {
        let was = old.get(address).copied().unwrap_or(0);
        let sender_added = matches!(fix, Fix::MoveToBcc) && sender.as_deref() == Some(address);
        let allowed = match &added {
            Some((out, replacement)) if replacement.to_lowercase() == *address => {
                was.max(old.get(out).copied().unwrap_or(0))
            }
            _ if sender_added => was.max(1),
            _ => was,
        };
        prop_assert!(
            n <= allowed,
            "{fix:?} invents or duplicates {address}: {was} -> {n}"
        );
        prop_assert!(!removed.contains(address), "{fix:?} left {address} in");
    }
    for address in old.keys() {
        prop_assert!(
            new.contains_key(address) || removed.contains(address),
            "{fix:?} lost {address}"
        );
    }
    let mut before_spellings = spellings(before);
    if let Some(from) = &before.from {
        before_spellings.insert((from.address.clone(), from.name.clone()));
    }
    let replaced: BTreeSet<(String, Option<String>)> = match &added {
        Some((out, replacement)) => before
            .recipients()
            .filter(|(_, a)| key(a) == *out)
            .map(|(_, a)| (replacement.clone(), a.name.clone()))
            .collect(),
        None => BTreeSet::new(),
    };
    for spelling in spellings(after) {
        prop_assert!(
            before_spellings.contains(&spelling) || replaced.contains(&spelling),
            "{fix:?} wrote {spelling:?}, which the draft did not have"
        );
    }

    let recheck = check(after, policy);
    match fix {
        Fix::MoveToBcc => {
            prop_assert!(
                recheck
                    .findings
                    .iter()
                    .all(|f| f.rule != RuleId::VisibleRecipients),
                "visible-recipients after move-to-bcc: {:?}",
                recheck.summary
            );
            prop_assert_eq!(recheck.summary.visible_parties, 0);
        }
        // The rule no longer fires for the removed recipients (it may still have
        // other findings: `freemail-recipient`'s info on a Bcc mailing's private
        // mailboxes stays when a private mailbox in To is removed).
        Fix::RemoveRecipient { .. } => prop_assert!(
            recheck
                .findings
                .iter()
                .filter(|f| f.rule == rule)
                .all(|f| f.recipients.iter().all(|r| !removed.contains(r))),
            "{} still fires for its recipients after removing them",
            rule
        ),
        Fix::ReplaceRecipient {
            address,
            replacement,
        } => {
            let out = address.trim().to_lowercase();
            let new_key = replacement.trim().to_lowercase();
            prop_assert!(
                recheck
                    .findings
                    .iter()
                    .all(|f| !f.recipients.contains(&out)),
                "{} is still reported after replacing it",
                address
            );
            // In every field the old address was in, and only there; where the
            // replacement already was a recipient, it stays where it was.
            let known = before.recipients().any(|(_, a)| key(a) == new_key);
            for field in [Field::To, Field::Cc, Field::Bcc] {
                let had = before.field(field).iter().any(|a| key(a) == out);
                let had_new = before.field(field).iter().any(|a| key(a) == new_key);
                let has = after.field(field).iter().any(|a| key(a) == new_key);
                let expected = if known { had_new } else { had };
                prop_assert_eq!(has, expected, "{:?} in {:?}", replacement, field);
            }
        }
        Fix::ExportRecipients => {
            prop_assert_eq!(after, before, "export changed the draft");
            let export = applied.export.as_ref().expect("export-recipients exports");
            prop_assert!(export.content.starts_with("email,name\r\n"));
        }
        // Protection changes how the mail travels: the recipients stay, and the
        // finding that asked for it is gone.
        Fix::Encrypt | Fix::ApplyLabel { .. } => {
            prop_assert_eq!(&after.to, &before.to);
            prop_assert_eq!(&after.cc, &before.cc);
            prop_assert_eq!(&after.bcc, &before.bcc);
            prop_assert!(
                recheck
                    .findings
                    .iter()
                    .all(|f| f.rule != RuleId::UnprotectedSensitiveData),
                "{fix:?} left unprotected-sensitive-data"
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(Config { cases: 3000, ..Config::default() })]

    #[test]
    fn offered_fixes_never_lose_duplicate_or_invent(draft in draft(), policy in policy()) {
        let report = check(&draft, &policy);
        // Deterministic and serializable: every front end relies on both.
        prop_assert_eq!(&check(&draft, &policy), &report);
        let json = report.to_json();
        prop_assert!(!json.is_empty());
        for finding in &report.findings {
            for offer in &finding.fixes {
                check_fix(&draft, &offer.action, &policy, finding.rule)?;
            }
        }
    }

    /// Move to BCC even when nothing offered it: it must still keep every recipient
    /// and leave nobody external visible.
    #[test]
    fn move_to_bcc_always_hides_every_external(draft in draft(), policy in policy()) {
        check_fix(&draft, &Fix::MoveToBcc, &policy, RuleId::VisibleRecipients)?;
    }

    /// Drafts survive the JSON form the add-ins send: same draft, same report.
    #[test]
    fn draft_json_round_trip(draft in draft()) {
        let json = serde_json::to_string(&draft).unwrap();
        let back = Draft::from_json(&json).unwrap();
        prop_assert_eq!(&back, &draft);
        prop_assert_eq!(check(&back, &Policy::default()), check(&draft, &Policy::default()));
    }
}

// ---------------------------------------------------------------- never panics

/// JSON values shaped like drafts and policies: the real keys (so parsing gets deep),
/// some wrong ones, and every JSON type in every place.
fn json_value(keys: &'static [&'static str]) -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        (0u64..40).prop_map(|n| json!(n)),
        any::<f64>().prop_map(|n| json!(n)),
        address_text().prop_map(Value::String),
        "\\PC{0,16}".prop_map(Value::String),
        proptest::sample::select(
            &[
                "off", "info", "warn", "block", "sender", "nobody", "TVqQ", "%%"
            ][..]
        )
        .prop_map(|s| Value::String(s.to_string())),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::vec(
                (
                    prop_oneof![
                        8 => proptest::sample::select(keys).prop_map(str::to_string),
                        1 => "[a-z_-]{1,10}",
                    ],
                    inner
                ),
                0..6,
            )
            .prop_map(|entries| Value::Object(entries.into_iter().collect())),
        ]
    })
}

const DRAFT_KEYS: &[&str] = &[
    "from",
    "to",
    "cc",
    "bcc",
    "subject",
    "body",
    "attachments",
    "name",
    "address",
    "group",
    "media_type",
    "size",
    "content_base64",
    "known_domains",
];
const POLICY_KEYS: &[&str] = &[
    "$schema",
    "name",
    "internal_domains",
    "trusted_domains",
    "freemail_domains",
    "blocked_domains",
    "severity",
    "visible_recipients",
    "move_to_bcc",
    "newsletter_tool",
    "attachments",
    "override",
    "on_checker_error",
    "warn_parties",
    "block_parties",
    "block_addresses",
    "to",
    "keep_internal_visible",
    "url",
    "max_total_mb",
    "extra_dangerous_extensions",
    "allowed_extensions",
    "allow_block",
    "require_reason",
    "visible-recipients",
    "freemail-recipient",
    "attachment-too-large",
];

proptest! {
    #![proptest_config(Config { cases: 3000, ..Config::default() })]

    #[test]
    fn check_never_panics_on_json_drafts(value in json_value(DRAFT_KEYS), policy in policy()) {
        if let Ok(draft) = Draft::from_json(&value.to_string()) {
            let report = check(&draft, &policy);
            for offer in report.findings.iter().flat_map(|f| &f.fixes) {
                apply(&draft, &offer.action, &policy).unwrap();
            }
        }
    }

    #[test]
    fn policy_parser_never_panics(value in json_value(POLICY_KEYS), draft in draft()) {
        let text = serde_json::to_string_pretty(&value).unwrap();
        match Policy::from_json(&text) {
            Ok(policy) => {
                let report = check(&draft, &policy);
                prop_assert!(report.findings.iter().all(|f| f.severity != sendguard_core::Severity::Off));
            }
            Err(error) => {
                // Every error says where: a line inside the text.
                prop_assert!(error.line() >= 1 && error.line() <= text.lines().count().max(1));
                prop_assert!(!error.message().is_empty());
            }
        }
    }

    #[test]
    fn check_never_panics_on_arbitrary_text(text in "\\PC{0,300}") {
        if let Ok(draft) = Draft::from_json(&text) {
            check(&draft, &Policy::default());
        }
        if let Ok(draft) = Draft::from_eml(text.as_bytes()) {
            check(&draft, &Policy::default());
        }
        let _ = Policy::from_json(&text);
        let _ = sendguard_core::parse_address_list(&text);
    }

    #[test]
    fn check_never_panics_on_arbitrary_eml_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        if let Ok(draft) = Draft::from_eml(&bytes) {
            check(&draft, &Policy::default());
        }
    }

    /// Bytes that look like a message, so the parser gets past the first line.
    #[test]
    fn check_never_panics_on_header_like_eml(
        headers in proptest::collection::vec(
            (
                proptest::sample::select(&["From", "To", "Cc", "Bcc", "Subject", "Content-Type",
                    "Content-Disposition", "Content-Transfer-Encoding", "MIME-Version"][..]),
                "[ -~\\t]{0,60}|=\\?UTF-8\\?[QB]\\?[ -~]{0,20}\\?=|[^\\r\\n]{0,30}",
            ),
            0..8,
        ),
        body in proptest::collection::vec(any::<u8>(), 0..200),
    ) {
        let mut eml = Vec::new();
        for (name, value) in headers {
            eml.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
        }
        eml.extend_from_slice(b"\r\n");
        eml.extend_from_slice(&body);
        if let Ok(draft) = Draft::from_eml(&eml) {
            let report = check(&draft, &Policy::default());
            for offer in report.findings.iter().flat_map(|f| &f.fixes) {
                apply(&draft, &offer.action, &Policy::default()).unwrap();
            }
        }
    }
}

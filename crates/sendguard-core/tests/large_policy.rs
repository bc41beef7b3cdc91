//! A policy with 60,000 domains (the server accepts policies that large) must load and
//! check 1,000 recipients well inside the Outlook handler's deadline, natively; the
//! domain lists are hashed at load, so each recipient costs a few lookups, not a scan.
//!
//! The bounds hold for a debug build on a loaded machine; `cargo test --release -p
//! sendguard-core --test large_policy -- --nocapture` prints the real figures.

#![allow(clippy::unwrap_used, clippy::print_stdout)]

use std::time::{Duration, Instant};

use sendguard_core::{Address, Draft, Policy, RuleId, check};

/// The Outlook handler's whole budget for reading the draft, loading the policy and
/// checking; the checker may use a fraction of it.
const HANDLER_DEADLINE: Duration = Duration::from_secs(4);

fn domains(prefix: &str, count: usize) -> String {
    let list: Vec<String> = (0..count)
        .map(|i| format!("\"{prefix}{i}.example-{}.de\"", i % 97))
        .collect();
    format!("[{}]", list.join(","))
}

#[test]
fn sixty_thousand_domains_and_a_thousand_recipients() {
    let policy_json = format!(
        r#"{{"trusted_domains": {}, "blocked_domains": {}, "freemail_domains": {}}}"#,
        domains("partner", 20_000),
        domains("rival", 20_000),
        domains("home", 20_000),
    );
    let started = Instant::now();
    let policy = Policy::from_json(&policy_json).unwrap();
    let load = started.elapsed();

    // Every fourth recipient hits one of the lists (at a subdomain, to exercise the
    // parent walk); the rest are strangers that must miss all three.
    let cc: Vec<Address> = (0..1_000)
        .map(|i| {
            let domain = match i % 4 {
                0 => format!("mail.partner{i}.example-{}.de", i % 97),
                1 => format!("rival{i}.example-{}.de", i % 97),
                2 => format!("home{i}.example-{}.de", i % 97),
                _ => format!("stranger{i}.example.org"),
            };
            Address::new(format!("p{i}@{domain}"))
        })
        .collect();
    let draft = Draft {
        from: Some(Address::new("me@corp.example")),
        cc,
        ..Draft::default()
    };
    let started = Instant::now();
    let report = check(&draft, &policy);
    let first = started.elapsed();
    let started = Instant::now();
    for _ in 0..10 {
        std::hint::black_box(check(&draft, &policy));
    }
    let each = started.elapsed() / 10;
    println!(
        "60,000-domain policy: load {load:?}, first check of 1,000 recipients {first:?}, then {each:?} each"
    );

    let count = |rule: RuleId| {
        report
            .findings
            .iter()
            .find(|f| f.rule == rule)
            .map_or(0, |f| f.recipients.len())
    };
    assert_eq!(count(RuleId::BlockedRecipient), 250);
    assert_eq!(count(RuleId::FreemailRecipient), 250);
    // Trusted partners are external but not exposed: 750 exposed addresses remain.
    let visible = report
        .findings
        .iter()
        .find(|f| f.rule == RuleId::VisibleRecipients)
        .unwrap();
    assert_eq!(visible.recipients.len(), 750);

    assert!(
        load + first < HANDLER_DEADLINE / 2,
        "load {load:?} + check {first:?} is not well inside {HANDLER_DEADLINE:?}"
    );
}

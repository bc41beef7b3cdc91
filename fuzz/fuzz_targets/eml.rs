//! An `.eml` from anywhere: reading it and checking it must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sendguard_core::{Draft, Policy, apply, check};

fuzz_target!(|data: &[u8]| {
    if let Ok(draft) = Draft::from_eml(data) {
        let policy = Policy::default();
        let report = check(&draft, &policy);
        for offer in report.findings.iter().flat_map(|f| &f.fixes) {
            // An offered fix always applies.
            apply(&draft, &offer.action, &policy).unwrap();
        }
    }
});

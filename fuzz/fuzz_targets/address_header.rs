//! One address field from anywhere: every entry the reader finds must survive a check
//! and the fixes it offers (no panic, no lost recipient).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sendguard_core::{Draft, Policy, apply, check};

fuzz_target!(|data: &[u8]| {
    let mut eml = b"From: a@corp.example\r\nTo: ".to_vec();
    // Keep the input inside the one field (a line break would end it).
    eml.extend(data.iter().map(|&b| if b == b'\n' { b' ' } else { b }));
    eml.extend_from_slice(b"\r\n\r\nbody\r\n");
    if let Ok(draft) = Draft::from_eml(&eml) {
        let policy = Policy::default();
        let report = check(&draft, &policy);
        for offer in report.findings.iter().flat_map(|f| &f.fixes) {
            apply(&draft, &offer.action, &policy).unwrap();
        }
    }
});

//! Policy files from IT: an error or a policy, never a panic; an error always says
//! where, and an accepted policy is one `check` can run with.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sendguard_core::{Draft, Policy, check};

fuzz_target!(|text: &str| {
    match Policy::from_json(text) {
        Ok(policy) => {
            let draft = Draft::from_json(
                r#"{"from": {"address": "a@nordlicht.example"},
                    "cc": [{"address": "b@x.example"}, {"address": "c@gmail.com"}],
                    "attachments": [{"name": "a.pdf.exe", "size": 30000000}]}"#,
            )
            .unwrap();
            check(&draft, &policy);
        }
        Err(error) => {
            assert!(error.line() >= 1, "{error}");
            assert!(!error.message().is_empty());
        }
    }
});

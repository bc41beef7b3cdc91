//! JSON drafts from the add-ins: read, check, and apply every offered fix; a fix
//! never loses or invents a recipient.
#![no_main]

use std::collections::BTreeSet;

use libfuzzer_sys::fuzz_target;
use sendguard_core::{Draft, Fix, Policy, apply, check};

fn keys(draft: &Draft) -> BTreeSet<String> {
    draft.recipients().map(|(_, a)| a.key()).collect()
}

fuzz_target!(|text: &str| {
    let Ok(draft) = Draft::from_json(text) else {
        return;
    };
    let policy = Policy::default();
    let report = check(&draft, &policy);
    let before = keys(&draft);
    for offer in report.findings.iter().flat_map(|f| &f.fixes) {
        let after = keys(&apply(&draft, &offer.action, &policy).unwrap().draft);
        let mut expected = before.clone();
        match &offer.action {
            Fix::RemoveRecipient { addresses } => {
                for address in addresses {
                    expected.remove(&address.trim().to_lowercase());
                }
            }
            Fix::MoveToBcc => {
                if let Some(from) = draft.from.as_ref().filter(|_| after.len() > before.len()) {
                    expected.insert(from.key());
                }
            }
            // One out, one in (when the intended address is already there, only out).
            Fix::ReplaceRecipient {
                address,
                replacement,
            } => {
                expected.remove(&address.trim().to_lowercase());
                expected.insert(replacement.trim().to_lowercase());
            }
            // Encryption and labels change how the mail travels, never who gets it.
            Fix::ExportRecipients | Fix::Encrypt | Fix::ApplyLabel { .. } => {}
        }
        assert_eq!(after, expected, "{:?}", offer.action);
    }
});

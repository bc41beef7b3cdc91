//! Attachment content from anywhere (a zip, a forwarded message, a `winmail.dat`):
//! expanding it and checking the draft must never panic, hang or blow the budget.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sendguard_core::{Attachment, Draft, Policy, check, list_files};

fuzz_target!(|data: &[u8]| {
    // The first byte picks how the attachment is declared; the rest is its content.
    let Some((&kind, content)) = data.split_first() else {
        return;
    };
    let (name, media_type) = match kind % 3 {
        0 => ("archive.zip", "application/zip"),
        1 => ("forward.eml", "message/rfc822"),
        _ => ("winmail.dat", "application/ms-tnef"),
    };
    let draft = Draft {
        attachments: vec![Attachment {
            name: name.to_string(),
            media_type: Some(media_type.to_string()),
            size: content.len() as u64,
            content: Some(content.to_vec()),
            ..Attachment::default()
        }],
        ..Draft::default()
    };
    let (files, _) = list_files(&draft);
    assert!(!files.is_empty(), "the attachment itself is always listed");
    let _ = check(&draft, &Policy::default());
});

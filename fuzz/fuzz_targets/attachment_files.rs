//! Attachment content from anywhere (a zip, a forwarded message, a `winmail.dat`, an
//! Office, OpenDocument or PDF document whose text is extracted):
//! expanding it and checking the draft must never panic, hang or blow the budget.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sendguard_core::{Attachment, Draft, Policy, check, list_files};

fuzz_target!(|data: &[u8]| {
    // The first byte picks how the attachment is declared; the rest is its content.
    let Some((&kind, content)) = data.split_first() else {
        return;
    };
    let (name, media_type) = match kind % 7 {
        0 => ("archive.zip", "application/zip"),
        1 => ("forward.eml", "message/rfc822"),
        2 => ("winmail.dat", "application/ms-tnef"),
        // Documents whose text the personal-data scan extracts.
        3 => ("liste.docx", "application/octet-stream"),
        4 => ("liste.xlsx", "application/octet-stream"),
        5 => ("liste.odt", "application/octet-stream"),
        _ => ("befund.pdf", "application/pdf"),
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

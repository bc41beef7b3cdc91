//! An Outlook `.msg` from anywhere: reading it (compound file, MAPI properties,
//! attached messages) and checking it must never panic, hang or run out of memory.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sendguard_core::{Draft, Policy, check, list_files};

fuzz_target!(|data: &[u8]| {
    if let Ok(draft) = Draft::from_msg(data) {
        // Attached messages become forwarded ones: the file listing opens them.
        let _ = list_files(&draft);
        let _ = check(&draft, &Policy::default());
    }
});

//! Prints what sendguard reads from `.eml` and Outlook `.msg` files, one JSON object per line: the
//! recipients of every address field and every file with all its names. The
//! differential test (`tests/mime-oracle/compare.py`, run by `cargo xtask test
//! "mime oracle"`) compares this with Python's `email` package.
//!
//! `cargo run -p sendguard-core --features legacy-charsets --example read_eml -- FILE…`

use std::io::Write as _;

use serde_json::{Value, json};

fn main() {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut failed = false;
    for path in std::env::args().skip(1) {
        let line = match std::fs::read(&path) {
            Ok(bytes) => read(&path, &bytes),
            Err(error) => {
                failed = true;
                json!({"path": path, "error": error.to_string()})
            }
        };
        if writeln!(out, "{line}").is_err() {
            return;
        }
    }
    if failed {
        std::process::exit(1);
    }
}

fn read(path: &str, bytes: &[u8]) -> Value {
    let parsed = if sendguard_core::looks_like_msg(bytes) {
        sendguard_core::Draft::from_msg(bytes)
    } else {
        sendguard_core::Draft::from_eml(bytes)
    };
    let draft = match parsed {
        Ok(draft) => draft,
        Err(error) => return json!({"path": path, "error": error.to_string()}),
    };
    let keys = |list: &[sendguard_core::Address]| -> Vec<String> {
        list.iter().map(sendguard_core::Address::key).collect()
    };
    let (files, gaps) = sendguard_core::list_files(&draft);
    let files: Vec<Value> = files
        .iter()
        .map(|file| json!({"place": file.place, "names": file.names}))
        .collect();
    json!({
        "path": path,
        "to": keys(&draft.to),
        "cc": keys(&draft.cc),
        "bcc": keys(&draft.bcc),
        "files": files,
        "not_opened": gaps,
        "from": draft.from.as_ref().map(sendguard_core::Address::key),
        "subject": draft.subject,
        "body": draft.body,
    })
}

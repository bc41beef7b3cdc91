//! Prints each `.eml` given as the JSON draft the core reads from it, one per line
//! (`{"error": …}` for a file the core rejects). The Node tests use it to run the
//! golden `.eml` corpus through the wasm modules, which leave `.eml` parsing out.

#![allow(clippy::print_stdout)]

use sendguard_core::Draft;

fn main() {
    for file in std::env::args().skip(1) {
        let line = match std::fs::read(&file) {
            Ok(bytes) => match Draft::from_eml(&bytes) {
                Ok(draft) => serde_json::to_string(&draft)
                    .unwrap_or_else(|e| serde_json::json!({ "error": e.to_string() }).to_string()),
                Err(error) => serde_json::json!({ "error": error.to_string() }).to_string(),
            },
            Err(error) => serde_json::json!({ "error": error.to_string() }).to_string(),
        };
        println!("{line}");
    }
}

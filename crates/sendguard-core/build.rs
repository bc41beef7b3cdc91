//! Build script: the Public Suffix List without its comments.
//!
//! More than half of `public_suffix_list.dat` is comments (who registered which
//! suffix, and why). The parser skips them, but `include_bytes!` would ship them in
//! every binary, and in the WebAssembly checker that is about 45 KB of the 350 KB
//! (gzip) budget. Rules and the two section markers (`===BEGIN ICANN DOMAINS===`,
//! `===BEGIN PRIVATE DOMAINS===`, which decide whether a rule is private) are kept
//! verbatim, so the parsed list is the same.

// A build script talks to cargo through stdout.
#![allow(clippy::print_stdout)]

use std::path::PathBuf;

fn main() {
    let source = "data/public_suffix_list.dat";
    println!("cargo::rerun-if-changed={source}");
    let text = match std::fs::read_to_string(source) {
        Ok(text) => text,
        Err(error) => {
            // An empty list would silently make every domain its own organization.
            println!("cargo::error=cannot read {source}: {error}");
            return;
        }
    };
    let mut rules = String::with_capacity(text.len() / 2);
    for line in text.lines() {
        let keep = if line.starts_with("//") {
            line.contains("===BEGIN ICANN DOMAINS===")
                || line.contains("===BEGIN PRIVATE DOMAINS===")
        } else {
            !line.trim().is_empty()
        };
        if keep {
            rules.push_str(line);
            rules.push('\n');
        }
    }
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    if let Err(error) = std::fs::write(out.join("public_suffix_rules.dat"), rules) {
        println!("cargo::error=cannot write the stripped Public Suffix List: {error}");
    }
}

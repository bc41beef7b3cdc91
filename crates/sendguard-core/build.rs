//! Build script: the domain data and the core's messages as tables ready to search.
//!
//! The checker runs in a fresh JavaScript runtime on every Send in Outlook, sometimes
//! without WebAssembly or a JIT, so anything done on first use is paid on every Send.
//! Instead of parsing the Public Suffix List, the domain lists and the message
//! catalogue at run time, this script writes each in a form the core searches in
//! place: no start-up work, and no pointer table per entry in the module. Domain
//! tables are reversed and front-coded (`src/front_coding.rs`, searched by
//! `table::ReversedSet`); the short type lists are sorted, newline-separated strings.
//!
//! - `public_suffix_rules.bin`, `public_suffix_wildcards.bin`,
//!   `public_suffix_exceptions.bin`: the rules of the Public Suffix List (ICANN and
//!   private sections), IDN labels in punycode, split by kind so that the few wildcard
//!   (`*.ck` → `ck`) and exception (`!www.ck` → `www.ck`) rules are searched in small
//!   tables. Comments (more than half the file) are dropped.
//! - `freemail.bin`, `disposable.bin`: the vendored lists, lower-cased and deduplicated.
//! - `dangerous_types.txt`: the union of the vendored attachment-type lists (Outlook's,
//!   Gmail's, sendguard's launchers), endings without the dot; `macro_types.txt`: the
//!   macro-enabled Office formats; `tenant_suffixes.txt`: the shared mail-hosting
//!   suffixes (`onmicrosoft.com` …) without their comments.
//! - `lookalike_providers.txt`: the big mail providers `lookalike-recipient` compares
//!   with, sorted; `confusables.rs`: the vendored subset of Unicode's confusables
//!   (`data/confusables-ascii.txt`) as two parallel arrays sorted by source character,
//!   targets lower-cased.
//! - `messages.rs`: the catalogue entries the core itself renders (`rule.*`, `fix.*`,
//!   `reason.*`, `verdict.*`, `format.*`, `personal-data.*`, `policy.*`), per language as sorted arrays; the front ends'
//!   UI strings stay out.

// A build script talks to cargo through stdout.
#![allow(clippy::print_stdout)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[path = "src/front_coding.rs"]
mod front_coding;

#[path = "src/message_prefixes.rs"]
mod message_prefixes;
use message_prefixes::CORE_MESSAGE_PREFIXES;

fn main() {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    let result = public_suffix_rules(&out)
        .and_then(|()| {
            domain_list(
                &out,
                "freemail.bin",
                &["data/freemail-core.txt", "data/freemail-extra.txt"],
            )
        })
        .and_then(|()| domain_list(&out, "disposable.bin", &["data/disposable.txt"]))
        .and_then(|()| {
            type_list(
                &out,
                "dangerous_types.txt",
                &[
                    "data/attachment-types-outlook.txt",
                    "data/attachment-types-gmail.txt",
                    "data/attachment-types-launchers.txt",
                ],
            )
        })
        .and_then(|()| {
            type_list(
                &out,
                "macro_types.txt",
                &["data/attachment-types-macro.txt"],
            )
        })
        .and_then(|()| providers(&out))
        .and_then(|()| confusables(&out))
        .and_then(|()| tenant_suffixes(&out))
        .and_then(|()| messages(&out));
    if let Err(error) = result {
        // An empty list would silently make every domain its own organization: fail.
        println!("cargo::error={error}");
    }
}

fn read(path: &str) -> Result<String, String> {
    println!("cargo::rerun-if-changed={path}");
    std::fs::read_to_string(path).map_err(|error| format!("cannot read {path}: {error}"))
}

/// The domain tables: reversed and front-coded (`src/front_coding.rs`).
fn write_set(out: &Path, name: &str, entries: &[String]) -> Result<(), String> {
    let bytes = front_coding::encode(entries.iter().map(String::as_str))
        .map_err(|error| format!("{name}: {error}"))?;
    std::fs::write(out.join(name), bytes).map_err(|error| format!("cannot write {name}: {error}"))
}

fn write(out: &Path, name: &str, content: &str) -> Result<(), String> {
    std::fs::write(out.join(name), content).map_err(|error| format!("cannot write {name}: {error}"))
}

/// Sorted (byte order, as `str::cmp` compares), deduplicated, newline-separated.
fn sorted_lines(mut lines: Vec<String>) -> String {
    lines.sort();
    lines.dedup();
    lines.join("\n")
}

fn to_ascii(domain: &str, source: &str) -> Result<String, String> {
    if domain.is_ascii() {
        return Ok(domain.to_ascii_lowercase());
    }
    idna::domain_to_ascii(domain).map_err(|_| format!("{source}: {domain:?} is not a domain"))
}

fn public_suffix_rules(out: &Path) -> Result<(), String> {
    let source = "data/public_suffix_list.dat";
    let text = read(source)?;
    let (mut rules, mut wildcards, mut exceptions) = (Vec::new(), Vec::new(), Vec::new());
    for line in text.lines() {
        // A rule is the first whitespace-separated word of a line that is not a comment.
        let Some(rule) = line.split_whitespace().next() else {
            continue;
        };
        if rule.starts_with("//") {
            continue;
        }
        if let Some(name) = rule.strip_prefix("*.") {
            wildcards.push(to_ascii(name, source)?);
        } else if let Some(name) = rule.strip_prefix('!') {
            exceptions.push(to_ascii(name, source)?);
        } else {
            rules.push(to_ascii(rule, source)?);
        }
    }
    if rules.len() < 5_000 || wildcards.is_empty() || exceptions.is_empty() {
        return Err(format!(
            "{source}: only {} rules; is the file complete?",
            rules.len()
        ));
    }
    write_set(out, "public_suffix_rules.bin", &rules)?;
    write_set(out, "public_suffix_wildcards.bin", &wildcards)?;
    write_set(out, "public_suffix_exceptions.bin", &exceptions)
}

fn domain_list(out: &Path, name: &str, sources: &[&str]) -> Result<(), String> {
    let mut domains = Vec::new();
    for source in sources {
        for line in read(source)?.lines() {
            let entry = line.split('#').next().unwrap_or("").trim();
            if !entry.is_empty() {
                domains.push(to_ascii(entry.trim_end_matches('.'), source)?);
            }
        }
    }
    if domains.len() < 100 {
        return Err(format!(
            "{name}: only {} domains; are the lists complete?",
            domains.len()
        ));
    }
    write_set(out, name, &domains)
}

/// File endings, one per line (`#` comments and blank lines skipped), merged.
fn type_list(out: &Path, name: &str, sources: &[&str]) -> Result<(), String> {
    let mut endings = Vec::new();
    for source in sources {
        for line in read(source)?.lines() {
            let entry = line.split('#').next().unwrap_or("").trim();
            if entry.is_empty() {
                continue;
            }
            if !entry
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
            {
                return Err(format!(
                    "{source}: {entry:?} is not a lowercase ending without a dot"
                ));
            }
            endings.push(entry.to_string());
        }
    }
    if endings.len() < 10 {
        return Err(format!(
            "{name}: only {} endings; are the lists complete?",
            endings.len()
        ));
    }
    write(out, name, &sorted_lines(endings))
}

/// The curated providers: registrable domains, one per line.
fn providers(out: &Path) -> Result<(), String> {
    let source = "data/lookalike-providers.txt";
    let mut domains = Vec::new();
    for line in read(source)?.lines() {
        let entry = line.split('#').next().unwrap_or("").trim();
        if !entry.is_empty() {
            domains.push(to_ascii(entry, source)?);
        }
    }
    if domains.len() < 10 {
        return Err(format!("{source}: only {} providers", domains.len()));
    }
    write(out, "lookalike_providers.txt", &sorted_lines(domains))
}

/// `SOURCE ; TARGET ; MA # comment` lines (hex code points) to sorted Rust arrays.
fn confusables(out: &Path) -> Result<(), String> {
    let source = "data/confusables-ascii.txt";
    let hex = |field: &str| -> Result<char, String> {
        u32::from_str_radix(field, 16)
            .ok()
            .and_then(char::from_u32)
            .ok_or_else(|| format!("{source}: {field:?} is not a code point"))
    };
    let mut pairs: Vec<(char, String)> = Vec::new();
    for line in read(source)?.lines() {
        let data = line.split('#').next().unwrap_or("").trim();
        if data.is_empty() {
            continue;
        }
        let fields: Vec<&str> = data.split(';').map(str::trim).collect();
        let (Some(from), Some(to)) = (fields.first(), fields.get(1)) else {
            return Err(format!("{source}: {line:?} is not SOURCE ; TARGET"));
        };
        let from = hex(from)?;
        let to = to
            .split_whitespace()
            .map(hex)
            .collect::<Result<String, String>>()?
            .to_ascii_lowercase();
        if !to.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            return Err(format!("{source}: target of {from:?} is not ASCII"));
        }
        pairs.push((from, to));
    }
    if pairs.len() < 100 {
        return Err(format!("{source}: only {} confusables", pairs.len()));
    }
    pairs.sort();
    pairs.dedup_by(|a, b| a.0 == b.0);
    let mut code = String::from(
        "/// Characters a domain label can hold that look like ASCII, sorted.\n\
         pub(crate) static CONFUSABLE_SOURCES: &[char] = &[",
    );
    for (from, _) in &pairs {
        let _ = write!(code, "{from:?},");
    }
    code.push_str(
        "];\n/// What each of `CONFUSABLE_SOURCES` looks like, lower-case ASCII.\n\
         pub(crate) static CONFUSABLE_TARGETS: &[&str] = &[",
    );
    for (_, to) in &pairs {
        let _ = write!(code, "{to:?},");
    }
    code.push_str("];\n");
    write(out, "confusables.rs", &code)
}

/// The shared mail-hosting suffixes, one per line, comments dropped (the file's
/// comments say where each comes from; the module needs only the names).
fn tenant_suffixes(out: &Path) -> Result<(), String> {
    let source = "data/tenant-suffixes.txt";
    let mut suffixes = Vec::new();
    for line in read(source)?.lines() {
        let entry = line.split('#').next().unwrap_or("").trim();
        if entry.is_empty() {
            continue;
        }
        if entry.split('.').count() < 2 || to_ascii(entry, source)? != entry {
            return Err(format!(
                "{source}: {entry:?} is not a lowercase ASCII suffix"
            ));
        }
        suffixes.push(entry.to_string());
    }
    write(out, "tenant_suffixes.txt", &sorted_lines(suffixes))
}

fn messages(out: &Path) -> Result<(), String> {
    let source = "messages.json";
    let catalogue: BTreeMap<String, BTreeMap<String, String>> =
        serde_json::from_str(&read(source)?).map_err(|error| format!("{source}: {error}"))?;
    if catalogue.is_empty() {
        return Err(format!("{source}: no language"));
    }
    let mut table = String::from(
        "/// The core's catalogue: per language code, (key, text) sorted by key.\n\
         pub(crate) static CATALOGUE: &[(&str, &[(&str, &str)])] = &[\n",
    );
    for (lang, entries) in &catalogue {
        let _ = writeln!(table, "    ({lang:?}, &[");
        for (key, text) in entries {
            if CORE_MESSAGE_PREFIXES
                .iter()
                .any(|prefix| key.starts_with(prefix))
            {
                let _ = writeln!(table, "        ({key:?}, {text:?}),");
            }
        }
        table.push_str("    ]),\n");
    }
    table.push_str("];\n");
    write(out, "messages.rs", &table)
}

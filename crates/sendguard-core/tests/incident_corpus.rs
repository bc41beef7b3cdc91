//! `sendguard incident` over the golden corpus: for every `tests/corpus/NNN-name.eml`
//! (with its `.policy.json` when present) the breach-register entry is compared with
//! `tests/corpus/incident/NNN-name.json`, noticed at a fixed moment. The papers
//! (register in Markdown, authority draft, data-subject draft, follow-up mail) are
//! snapshotted in both languages for a few cases that show each path of the assessment:
//! `tests/corpus/incident/papers/NNN-name.LANG.txt`.
//!
//! `UPDATE_GOLDEN=1 cargo test -p sendguard-core --test incident_corpus` rewrites them;
//! read every changed file before committing it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::{Path, PathBuf};

use sendguard_core::{Incident, Lang, Policy, parse_noticed};

/// The moment the corpus mistakes were noticed.
const NOTICED: &str = "2026-12-01T09:00Z";

/// Cases whose papers are snapshotted: addresses in Cc (medium), Bcc only (low), a
/// private mailbox (medium), a sick note (high, Art. 9), a member list (people in the
/// content), an IBAN run in a zip (identifiers).
const PAPER_CASES: &[&str] = &[
    "001-partner-newsletter-800-cc",
    "002-partner-newsletter-800-bcc",
    "009-freemail-recipient",
    "071-sick-note-to-private-mailbox",
    "070-member-list-csv-to-printer",
    "073-payment-run-in-zip-to-provider",
];

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus")
}

fn update() -> bool {
    std::env::var_os("UPDATE_GOLDEN").is_some()
}

fn compare(path: &Path, actual: &str, failures: &mut Vec<String>) {
    if update() {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, actual).unwrap();
        return;
    }
    match fs::read_to_string(path) {
        Ok(expected) if expected == actual => {}
        Ok(_) => failures.push(format!("{} differs:\n{actual}", path.display())),
        Err(_) => failures.push(format!("{} is missing", path.display())),
    }
}

#[test]
fn register_entries_and_papers_match_the_reviewed_files() {
    let noticed = parse_noticed(NOTICED).unwrap();
    let mut cases: Vec<PathBuf> = fs::read_dir(corpus())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "eml"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 30, "the corpus has {} cases", cases.len());
    let mut failures = Vec::new();
    let mut papers_seen = 0;
    for eml in &cases {
        let stem = eml.file_stem().unwrap().to_str().unwrap().to_string();
        let policy = match fs::read_to_string(eml.with_file_name(format!("{stem}.policy.json"))) {
            Ok(text) => Policy::from_json(&text).unwrap(),
            Err(_) => Policy::default(),
        };
        let bytes = fs::read(eml).unwrap();
        let actual = match Incident::from_eml(&bytes, noticed, &policy) {
            Ok(incident) => {
                if PAPER_CASES.contains(&stem.as_str()) {
                    papers_seen += 1;
                    for lang in Lang::ALL {
                        let papers = incident.documents(lang);
                        let text = format!(
                            "==== register ====\n{}\n==== authority ====\n{}\n==== data subjects ====\n{}\n==== recall.eml ====\n{}\n==== mailto ====\n{}\n",
                            papers.register_markdown,
                            papers.authority,
                            papers.data_subjects,
                            papers.recall_eml.replace("\r\n", "\n"),
                            papers.recall_mailto.chars().take(400).collect::<String>(),
                        );
                        let path = corpus()
                            .join("incident/papers")
                            .join(format!("{stem}.{}.txt", lang.code()));
                        compare(&path, &text, &mut failures);
                    }
                }
                // The version changes with every release; the entry's content does not.
                let mut value: serde_json::Value =
                    serde_json::from_str(&incident.to_json()).unwrap();
                value["checker_version"] = serde_json::Value::from("(any)");
                serde_json::to_string_pretty(&value).unwrap() + "\n"
            }
            Err(error) => format!(
                "{{\n  \"error\": {}\n}}\n",
                serde_json::to_string(&error.to_string()).unwrap()
            ),
        };
        compare(
            &corpus().join("incident").join(format!("{stem}.json")),
            &actual,
            &mut failures,
        );
    }
    assert_eq!(
        papers_seen,
        PAPER_CASES.len(),
        "a paper case is missing from the corpus"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

//! Precision and recall of each detector over the labelled corpus in
//! `tests/personal-data/` (written by its `generate.py`: invoices with the company's
//! IBAN, payment runs, HR and medical mails, member lists as CSV, VCF and pasted
//! tables and as Word, Excel, PowerPoint, OpenDocument, PDF and zip files, medical
//! letters with ICD-10 codes and dates of birth, card data, newsletters, business
//! mail, a meeting invitation and hard negatives for codes and dates). `.txt`
//! files are checked as the text of a mail, the rest as attachments, with the corpus
//! policy (the company's own IBAN listed). The table is printed (`cargo xtask test
//! "personal data"` shows it) and each detector must reach 95 % in both.

use std::collections::{BTreeMap, HashSet};

use serde_json::Value;

use super::{Identifier, scan, scan::hash};
use crate::draft::{Attachment, Draft};
use crate::policy::Policy;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/personal-data");

#[derive(Default)]
struct Tally {
    true_positive: usize,
    false_positive: usize,
    false_negative: usize,
}

impl Tally {
    fn precision(&self) -> f64 {
        ratio(self.true_positive, self.true_positive + self.false_positive)
    }
    fn recall(&self) -> f64 {
        ratio(self.true_positive, self.true_positive + self.false_negative)
    }
}

#[allow(clippy::cast_precision_loss)] // counts far below 2^52
fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        1.0
    } else {
        part as f64 / whole as f64
    }
}

fn draft_for(file: &str, content: Vec<u8>) -> Draft {
    let mut draft = Draft::from_json(
        r#"{"from":{"address":"me@corp.example"},"to":[{"address":"x@partner.example"}]}"#,
    )
    .unwrap();
    if file.ends_with(".txt") {
        draft.body = String::from_utf8(content).unwrap();
    } else {
        draft.attachments.push(Attachment {
            name: file.to_string(),
            size: content.len() as u64,
            content: Some(content),
            ..Attachment::default()
        });
    }
    draft
}

#[test]
fn precision_and_recall_per_detector() {
    let labels: Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{DIR}/labels.json")).unwrap())
            .unwrap();
    let policy =
        Policy::from_json(&std::fs::read_to_string(format!("{DIR}/policy.json")).unwrap()).unwrap();
    let threshold = policy.personal_data.min_list_people.get() as usize;
    let mut tallies: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut misses = Vec::new();
    let cases = labels.as_array().unwrap();
    for case in cases {
        let file = case["file"].as_str().unwrap();
        let content = std::fs::read(format!("{DIR}/corpus/{file}")).unwrap();
        let draft = draft_for(file, content);
        let files = crate::files::expand(&draft);
        let found = scan(&draft, &files, &policy);
        assert!(found.gaps.is_empty(), "{file}: {:?}", found.gaps);
        for identifier in Identifier::ALL {
            let expected: HashSet<u64> = case[identifier.id()]
                .as_array()
                .map(|values| {
                    values
                        .iter()
                        .map(|v| hash(v.as_str().unwrap().as_bytes()))
                        .collect()
                })
                .unwrap_or_default();
            let got: HashSet<u64> = found
                .hits
                .iter()
                .filter(|hit| hit.identifier == identifier)
                .map(|hit| hit.key)
                .collect();
            let tally = tallies.entry(identifier.id()).or_default();
            tally.true_positive += got.intersection(&expected).count();
            let false_positive = got.difference(&expected).count();
            let false_negative = expected.difference(&got).count();
            tally.false_positive += false_positive;
            tally.false_negative += false_negative;
            if false_positive + false_negative > 0 {
                misses.push(format!(
                    "{file}: {} +{false_positive} -{false_negative}",
                    identifier.id()
                ));
            }
        }
        let expected: HashSet<&str> = case["special"]
            .as_array()
            .map(|values| values.iter().map(|v| v.as_str().unwrap()).collect())
            .unwrap_or_default();
        let got: HashSet<&str> = found.special.iter().map(|hit| hit.category).collect();
        let tally = tallies.entry("special-category").or_default();
        tally.true_positive += got.intersection(&expected).count();
        tally.false_positive += got.difference(&expected).count();
        tally.false_negative += expected.difference(&got).count();
        if got != expected {
            misses.push(format!("{file}: special {got:?}, labelled {expected:?}"));
        }
        let coded = found.special.iter().any(|hit| hit.diagnosis_codes > 0);
        let expected = case["icd10"].as_bool().unwrap_or(false);
        let tally = tallies.entry("icd-10 (health)").or_default();
        match (coded, expected) {
            (true, true) => tally.true_positive += 1,
            (true, false) => tally.false_positive += 1,
            (false, true) => tally.false_negative += 1,
            (false, false) => {}
        }
        if coded != expected {
            misses.push(format!("{file}: icd-10 found {coded}, labelled {expected}"));
        }
        let listed = found.lists.iter().any(|list| list.people >= threshold);
        let expected = case["list"].as_bool().unwrap();
        let tally = tallies.entry("member-list").or_default();
        match (listed, expected) {
            (true, true) => tally.true_positive += 1,
            (true, false) => tally.false_positive += 1,
            (false, true) => tally.false_negative += 1,
            (false, false) => {}
        }
        if listed != expected {
            misses.push(format!(
                "{file}: member-list found {listed}, labelled {expected}"
            ));
        }
    }
    let mut table = format!(
        "personal-data detectors over {} labelled cases\n\
         | detector | expected | found | true | precision | recall |\n|---|---:|---:|---:|---:|---:|\n",
        cases.len()
    );
    for (name, tally) in &tallies {
        table.push_str(&format!(
            "| {name} | {} | {} | {} | {:.1} % | {:.1} % |\n",
            tally.true_positive + tally.false_negative,
            tally.true_positive + tally.false_positive,
            tally.true_positive,
            tally.precision() * 100.0,
            tally.recall() * 100.0
        ));
    }
    println!("{table}");
    for miss in &misses {
        println!("  miss: {miss}");
    }
    assert!(cases.len() >= 60, "only {} cases", cases.len());
    for (name, tally) in &tallies {
        assert!(
            tally.true_positive + tally.false_negative >= 3,
            "{name}: fewer than 3 labelled positives"
        );
        assert!(
            tally.precision() >= 0.95 && tally.recall() >= 0.95,
            "{name} below 95 %:\n{table}\n{misses:#?}"
        );
    }
}

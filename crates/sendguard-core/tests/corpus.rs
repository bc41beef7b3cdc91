//! The golden corpus: every `tests/corpus/NNN-name.eml` is checked (with
//! `NNN-name.policy.json` when present, else the default policy) and the report's
//! *structure* is compared with `NNN-name.json`: verdict, summary, and per finding its
//! rule, severity, recipients, attachment and fix actions. Lists longer than
//! [`LONG_LIST`] are summarised (count, first entries, last entry), so the
//! 10,000-recipient case stays readable.
//!
//! The prose (titles, messages, reasons, fix labels, in every language) is checked once
//! per rule instead of once per case: `tests/corpus/prose/<rule-id>.txt` holds every
//! text that rule produces over the corpus, case by case. Review those files like
//! translations.
//!
//! An `.eml` the checker must refuse has `{"error": "…"}` as its expected file.
//!
//! `UPDATE_GOLDEN=1 cargo test -p sendguard-core --test corpus` rewrites the expected
//! files and the prose snapshots from the current checker. Read every changed file
//! before committing it: a golden file that records a bug is worse than none.

// clippy.toml allows these in `#[test]` functions; the helpers here are test code too,
// and a panic in them is the failure report we want.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use sendguard_core::{Draft, Lang, Policy, Report, RuleId, Text, apply, check};
use serde_json::{Value, json};

/// Cases whose expected file holds the *correct* report while the checker still gets it
/// wrong. They are reported but do not fail the run; once the checker is fixed they
/// match, and the run fails until the entry is removed here. `UPDATE_GOLDEN` leaves
/// their expected files alone.
const KNOWN_BUGS: &[(&str, &str)] = &[];

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus")
}

/// The `.eml` files of the corpus, sorted by name.
fn cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = fs::read_dir(corpus_dir())
        .expect("tests/corpus exists")
        .map(|entry| entry.expect("readable directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "eml"))
        .collect();
    cases.sort();
    cases
}

fn sibling(eml: &Path, suffix: &str) -> PathBuf {
    let stem = eml
        .file_stem()
        .and_then(|s| s.to_str())
        .expect("UTF-8 name");
    eml.with_file_name(format!("{stem}{suffix}"))
}

/// What the checker says about one case: the report, or the input error, as a JSON
/// value and as the text to write (fields in the order the report declares them).
#[allow(clippy::type_complexity)]
fn actual(eml: &Path) -> Result<(Value, String, Vec<(String, Vec<String>)>), String> {
    let policy = match fs::read_to_string(sibling(eml, ".policy.json")) {
        Ok(text) => Policy::from_json(&text).map_err(|e| format!("bad policy: {e}"))?,
        Err(_) => Policy::default(),
    };
    let bytes = fs::read(eml).map_err(|e| e.to_string())?;
    let draft = match Draft::from_eml(&bytes) {
        Ok(draft) => draft,
        Err(error) => {
            let value = json!({ "error": error.to_string() });
            let text = pretty(&value);
            return Ok((value, text, Vec::new()));
        }
    };
    let report = check(&draft, &policy);

    // Every front end that sends the same draft as JSON must get the same answer.
    let as_json = serde_json::to_string(&draft).map_err(|e| e.to_string())?;
    let reread = Draft::from_json(&as_json).map_err(|e| format!("draft JSON round trip: {e}"))?;
    if check(&reread, &policy) != report {
        return Err("the draft read back from its JSON form gets a different report".into());
    }

    // Moving to BCC must always settle the visibility finding it is offered for.
    for offer in report.findings.iter().flat_map(|f| &f.fixes) {
        let fixed = apply(&draft, &offer.action, &policy)
            .map_err(|e| format!("offered fix {:?} fails: {e}", offer.action))?;
        if matches!(offer.action, sendguard_core::Fix::MoveToBcc)
            && check(&fixed.draft, &policy)
                .findings
                .iter()
                .any(|f| f.rule == RuleId::VisibleRecipients)
        {
            return Err("visible-recipients is still reported after move-to-bcc".into());
        }
        // Replacing a look-alike takes it out of every finding and puts the intended
        // address in.
        if let sendguard_core::Fix::ReplaceRecipient {
            address,
            replacement,
        } = &offer.action
        {
            let after = check(&fixed.draft, &policy);
            if after
                .findings
                .iter()
                .any(|f| f.recipients.contains(address))
            {
                return Err(format!(
                    "{address} is still reported after replace-recipient"
                ));
            }
            if !fixed
                .draft
                .recipients()
                .any(|(_, a)| a.key() == replacement.to_lowercase())
            {
                return Err(format!("replace-recipient did not put in {replacement}"));
            }
        }
    }
    let value = structure(&report);
    let text = pretty(&value);
    Ok((value, text, prose(&report)))
}

/// Lists longer than this are summarised in the expected files.
const LONG_LIST: usize = 25;

/// A list of strings, or for a long one `{"count", "first", "last"}`.
fn list(items: &[String]) -> Value {
    if items.len() <= LONG_LIST {
        return json!(items);
    }
    json!({
        "count": items.len(),
        "first": &items[..5],
        "last": items.last(),
    })
}

/// The part of a report that decides what happens: no prose.
fn structure(report: &Report) -> Value {
    let findings: Vec<Value> = report
        .findings
        .iter()
        .map(|finding| {
            let fixes: Vec<Value> = finding
                .fixes
                .iter()
                .map(|offer| match &offer.action {
                    sendguard_core::Fix::RemoveRecipient { addresses } => {
                        json!({"kind": "remove-recipient", "addresses": list(addresses)})
                    }
                    other => serde_json::to_value(other).expect("fixes serialize"),
                })
                .collect();
            json!({
                "rule": finding.rule,
                "severity": finding.severity,
                "recipients": list(&finding.recipients),
                "attachment": finding.attachment,
                "fixes": fixes,
            })
        })
        .collect();
    json!({
        "verdict": report.verdict,
        "summary": report.summary,
        "override": report.override_block,
        "findings": findings,
    })
}

/// Every text of a report, per rule: `(rule id, lines)`.
fn prose(report: &Report) -> Vec<(String, Vec<String>)> {
    let show = |out: &mut Vec<String>, what: &str, text: &Text| {
        for lang in Lang::ALL {
            let code = match lang {
                Lang::En => "en",
                Lang::De => "de",
            };
            out.push(format!("{what}.{code}: {}", text.get(lang)));
        }
    };
    report
        .findings
        .iter()
        .map(|finding| {
            let mut lines = Vec::new();
            show(&mut lines, "title", &finding.title);
            show(&mut lines, "message", &finding.message);
            show(&mut lines, "why", &finding.why);
            for offer in &finding.fixes {
                show(&mut lines, "fix", &offer.label);
            }
            (finding.rule.id().to_string(), lines)
        })
        .collect()
}

fn prose_dir() -> PathBuf {
    corpus_dir().join("prose")
}

/// The snapshot text of one rule: the lines every case shares (title, reason, fix
/// labels) once, then what each case adds (its message) under the case's name.
fn prose_snapshot(rule: &str, cases: &[(String, Vec<String>)]) -> String {
    let common: Vec<&String> = cases.first().map_or(Vec::new(), |(_, first)| {
        first
            .iter()
            .filter(|line| cases.iter().all(|(_, lines)| lines.contains(line)))
            .collect()
    });
    let mut out = format!(
        "# Every text `{rule}` produces over tests/corpus.\n\
         # Regenerate: UPDATE_GOLDEN=1 cargo test -p sendguard-core --test corpus\n\n\
         ## in every case\n"
    );
    for line in &common {
        let _ = writeln!(out, "{line}");
    }
    for (case, lines) in cases {
        let _ = writeln!(out, "\n## {case}");
        for line in lines.iter().filter(|line| !common.contains(line)) {
            let _ = writeln!(out, "{line}");
        }
    }
    out
}

fn pretty(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("JSON values serialize");
    text.push('\n');
    text
}

/// A unified-style diff: the lines between the common head and the common tail, with
/// three lines of context. Linear, so it stays fast on the 10,000-recipient reports.
fn diff(expected: &str, actual: &str) -> String {
    let old: Vec<&str> = expected.lines().collect();
    let new: Vec<&str> = actual.lines().collect();
    let head = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let tail = old[head..]
        .iter()
        .rev()
        .zip(new[head..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let context = 3;
    let start = head.saturating_sub(context);
    let mut out = format!(
        "@@ -{},{} +{},{} @@\n",
        start + 1,
        old.len() - tail - start,
        start + 1,
        new.len() - tail - start
    );
    let shown = |out: &mut String, sign: char, lines: &[&str]| {
        const MAX: usize = 40;
        for line in lines.iter().take(MAX) {
            let _ = writeln!(out, "{sign}{line}");
        }
        if lines.len() > MAX {
            let _ = writeln!(out, "{sign}… {} more lines", lines.len() - MAX);
        }
    };
    shown(&mut out, ' ', &old[start..head]);
    shown(&mut out, '-', &old[head..old.len() - tail]);
    shown(&mut out, '+', &new[head..new.len() - tail]);
    let end = (old.len() - tail + context).min(old.len());
    shown(&mut out, ' ', &old[old.len() - tail..end]);
    out
}

#[test]
fn golden_corpus() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v != "0" && !v.is_empty());
    let cases = cases();
    for (case, _) in KNOWN_BUGS {
        assert!(
            cases.iter().any(|eml| eml.ends_with(case)),
            "KNOWN_BUGS names {case}, which is not in the corpus"
        );
    }
    let mut failures = Vec::new();
    let mut known = Vec::new();
    let mut updated = 0;
    let mut prose_by_rule: BTreeMap<String, Vec<(String, Vec<String>)>> = BTreeMap::new();
    for eml in &cases {
        let name = eml.file_name().unwrap().to_string_lossy().into_owned();
        let expected_path = sibling(eml, ".json");
        let known_bug = KNOWN_BUGS.iter().find(|(case, _)| *case == name);
        let (actual, actual_text, texts) = match actual(eml) {
            Ok(found) => found,
            Err(problem) => {
                failures.push(format!("{name}: {problem}"));
                continue;
            }
        };
        let stem = name.trim_end_matches(".eml").to_string();
        for (rule, lines) in texts {
            prose_by_rule
                .entry(rule)
                .or_default()
                .push((stem.clone(), lines));
        }
        if update && known_bug.is_none() {
            if fs::read_to_string(&expected_path).ok().as_deref() != Some(actual_text.as_str()) {
                fs::write(&expected_path, &actual_text).expect("expected file is writable");
                updated += 1;
            }
            continue;
        }
        let expected: Value = match fs::read_to_string(&expected_path) {
            Ok(text) => match serde_json::from_str(&text) {
                Ok(value) => value,
                Err(error) => {
                    failures.push(format!("{name}: expected file is not JSON: {error}"));
                    continue;
                }
            },
            Err(_) => {
                failures.push(format!(
                    "{name}: no expected report {} (run with UPDATE_GOLDEN=1, then read it)",
                    expected_path.display()
                ));
                continue;
            }
        };
        match known_bug {
            Some((_, bug)) if expected != actual => {
                known.push(format!("{name}: known bug: {bug}"));
                continue;
            }
            Some(_) => {
                failures.push(format!(
                    "{name}: matches its expected report now: remove it from KNOWN_BUGS"
                ));
                continue;
            }
            None => {}
        }
        if expected != actual {
            failures.push(format!(
                "{name}: report differs from {}\n{}",
                expected_path.file_name().unwrap().to_string_lossy(),
                diff(&pretty(&expected), &pretty(&actual))
            ));
        }
    }
    // The prose snapshots: one file per rule that the corpus exercises.
    if update {
        fs::create_dir_all(prose_dir()).expect("prose directory is writable");
    }
    for (rule, texts) in &prose_by_rule {
        let path = prose_dir().join(format!("{rule}.txt"));
        let snapshot = prose_snapshot(rule, texts);
        let stored = fs::read_to_string(&path).ok();
        if stored.as_deref() == Some(snapshot.as_str()) {
            continue;
        }
        if update {
            fs::write(&path, &snapshot).expect("prose snapshot is writable");
            updated += 1;
        } else {
            failures.push(format!(
                "prose of {rule} differs from {}\n{}",
                path.display(),
                diff(stored.as_deref().unwrap_or(""), &snapshot)
            ));
        }
    }
    if let Ok(entries) = fs::read_dir(prose_dir()) {
        for entry in entries {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            let rule = name.trim_end_matches(".txt");
            if !prose_by_rule.contains_key(rule) {
                failures.push(format!("prose/{name}: no corpus case produces this rule"));
            }
        }
    }
    for note in &known {
        eprintln!("{note}");
    }
    eprintln!(
        "golden corpus: {} cases, {} failed, {} known bugs{}",
        cases.len(),
        failures.len(),
        known.len(),
        if update {
            format!(", {updated} expected files rewritten")
        } else {
            String::new()
        }
    );
    assert!(
        cases.len() >= 20,
        "only {} corpus cases found in {}",
        cases.len(),
        corpus_dir().display()
    );
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}

/// Every policy and expected file belongs to a case, so a renamed `.eml` cannot leave
/// its expectation silently unused.
#[test]
fn no_orphaned_expectations() {
    let mut orphans = Vec::new();
    for entry in fs::read_dir(corpus_dir()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let Some(stem) = name
            .strip_suffix(".policy.json")
            .or_else(|| name.strip_suffix(".json"))
        else {
            continue;
        };
        if !path.with_file_name(format!("{stem}.eml")).exists() {
            orphans.push(name);
        }
    }
    assert!(orphans.is_empty(), "files without an .eml: {orphans:?}");
}

#[test]
fn diff_shows_the_changed_lines_with_context() {
    let old = "a\nb\nc\nd\ne\nf\ng\n";
    let new = "a\nb\nc\nD\ne\nf\ng\n";
    let shown = diff(old, new);
    assert!(shown.contains("-d\n+D\n"), "{shown}");
    assert!(shown.contains(" c\n") && shown.contains(" e\n"), "{shown}");
}

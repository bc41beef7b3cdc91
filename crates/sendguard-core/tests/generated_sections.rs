//! The parts of checked-in files that the rule registry decides are generated from it:
//! the `severity` section of `policy.schema.json` (one property per rule, with its
//! description, the severities and its default) and the `RuleId` union of the checker
//! package's TypeScript declarations. Editors and the site's policy editor read the
//! schema; front ends compile against the declarations.
//!
//! The test fails when a file differs from what the registry generates;
//! `UPDATE_GENERATED=1 cargo test -p sendguard-core --test generated_sections` rewrites
//! the sections in place (the rest of each file is left exactly as it is).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use sendguard_core::{RuleId, Severity};

fn path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

fn json_string(text: &str) -> String {
    serde_json::to_string(text).unwrap()
}

/// The schema's `severity.properties` members, at the file's indentation.
fn severity_properties() -> String {
    let severities: Vec<String> = Severity::ALL
        .iter()
        .map(|s| format!("            {}", json_string(s.id())))
        .collect();
    let members: Vec<String> = RuleId::ALL
        .iter()
        .map(|rule| {
            let mut member = String::new();
            let _ = writeln!(member, "        {}: {{", json_string(rule.id()));
            let _ = writeln!(
                member,
                "          \"description\": {},",
                json_string(rule.description())
            );
            let _ = writeln!(member, "          \"type\": \"string\",");
            let _ = writeln!(member, "          \"enum\": [");
            let _ = writeln!(member, "{}", severities.join(",\n"));
            let _ = writeln!(member, "          ],");
            let _ = writeln!(
                member,
                "          \"default\": {}",
                json_string(rule.default_severity().id())
            );
            member.push_str("        }");
            member
        })
        .collect();
    format!("\n{}\n      ", members.join(",\n"))
}

/// `text` with the body of the object that starts at `open` (the index of its `{`)
/// replaced by `body`.
fn splice_object(text: &str, open: usize, body: &str) -> String {
    let mut depth = 0;
    let mut in_string = false;
    let mut escaped = false;
    for (offset, c) in text[open..].char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            '{' if !in_string => depth += 1,
            '}' if !in_string => {
                depth -= 1;
                if depth == 0 {
                    let close = open + offset;
                    return format!("{}{body}{}", &text[..=open], &text[close..]);
                }
            }
            _ => {}
        }
    }
    panic!("unbalanced object at byte {open}");
}

fn generated_schema(current: &str) -> String {
    let severity = current
        .find("\"severity\": {")
        .expect("the schema has a severity section");
    let properties = severity
        + current[severity..]
            .find("\"properties\": {")
            .expect("severity has properties");
    let open = properties + "\"properties\": ".len();
    splice_object(current, open, &severity_properties())
}

fn generated_typescript(current: &str) -> String {
    let start = current
        .find("export type RuleId =")
        .expect("the declarations have a RuleId type");
    let end = start + current[start..].find(';').expect("RuleId ends with ;");
    let members: Vec<String> = RuleId::ALL
        .iter()
        .map(|rule| format!("  | {}", json_string(rule.id())))
        .collect();
    format!(
        "{}export type RuleId =\n{}{}",
        &current[..start],
        members.join("\n"),
        &current[end..]
    )
}

fn check_or_update(relative: &str, generate: fn(&str) -> String) -> Option<String> {
    let file = path(relative);
    let current = std::fs::read_to_string(&file).unwrap();
    let generated = generate(&current);
    if generated == current {
        return None;
    }
    if std::env::var_os("UPDATE_GENERATED").is_some() {
        // Write beside and rename, so a test reading the file meanwhile sees the old
        // or the new text, never half of one.
        let temporary = file.with_extension("generated-tmp");
        std::fs::write(&temporary, generated).unwrap();
        std::fs::rename(&temporary, &file).unwrap();
        return None;
    }
    Some(format!(
        "{relative} is out of date with the rule registry: run \
         UPDATE_GENERATED=1 cargo test -p sendguard-core --test generated_sections"
    ))
}

#[test]
fn schema_and_typescript_follow_the_registry() {
    let problems: Vec<String> = [
        check_or_update("policy.schema.json", generated_schema),
        check_or_update(
            "../sendguard-wasm/js/sendguard-checker.d.ts",
            generated_typescript,
        ),
    ]
    .into_iter()
    .flatten()
    .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_generated_schema_is_valid_json_with_every_rule() {
    let current = std::fs::read_to_string(path("policy.schema.json")).unwrap();
    let schema: serde_json::Value = serde_json::from_str(&generated_schema(&current)).unwrap();
    let properties = &schema["properties"]["severity"]["properties"];
    for rule in RuleId::ALL {
        assert_eq!(
            properties[rule.id()]["default"],
            rule.default_severity().id(),
            "{rule}"
        );
    }
    assert_eq!(properties.as_object().unwrap().len(), RuleId::ALL.len());
}

#[test]
fn splicing_replaces_only_the_object_body() {
    let text = r#"{"a": {"x": "}{"}, "b": 1}"#;
    let open = text.find("{\"x\"").unwrap();
    assert_eq!(splice_object(text, open, "NEW"), r#"{"a": {NEW}, "b": 1}"#);
}

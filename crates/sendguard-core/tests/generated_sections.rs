//! Files generated from the policy's Rust types and the rule registry, checked in so
//! that editors, the site's policy editor and TypeScript front ends can read them:
//!
//! - `policy.schema.json`, the policy's JSON Schema, whole;
//! - in the checker package's TypeScript declarations, the `RuleId` union and the
//!   `Policy` interface.
//!
//! How it is generated: the derived `Deserialize` of [`Policy`] is driven by a tracing
//! deserializer that records every key, its type, its enum values and which are
//! optional; defaults come from `Policy::default()`; descriptions are the doc comments
//! of the policy's fields (read from `src/policy/mod.rs`); the severity section comes
//! from the rule registry. Value constraints the parser checks beyond types (minimums,
//! domain names, URL and file-ending forms) are listed once in [`CONSTRAINTS`], and a
//! test proves the parser enforces each one. No `$ref`: the editor walks `properties`.
//!
//! The test fails when a file differs from what is generated;
//! `UPDATE_GENERATED=1 cargo test -p sendguard-core --test generated_sections` rewrites
//! them (only the generated sections of the declarations file).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Deserialize as _;
use serde::de::value::{Error as TraceError, StrDeserializer};
use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};
use serde_json::{Value, json};

use sendguard_core::{Policy, PolicyErrorKind, RuleId, Severity};

fn path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

// ---------------------------------------------------------------- tracing the types

/// The shape of a value as the policy's `Deserialize` impls ask for it.
#[derive(Debug, Clone, PartialEq)]
enum Shape {
    Unknown,
    Bool,
    Count,
    Text,
    List(Box<Shape>),
    /// A struct: its Rust name and its fields (JSON names) in declaration order.
    Object(&'static str, Vec<(&'static str, Shape)>),
    Enum(&'static [&'static str]),
    Optional(Box<Shape>),
    /// A map read by hand (the severities): keys come from the rule registry.
    Map,
}

/// A deserializer that hands every visitor a plausible value and notes what it asked
/// for.
struct Tracer<'s>(&'s mut Shape);

impl<'de> de::Deserializer<'de> for Tracer<'_> {
    type Error = TraceError;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, TraceError> {
        Err(de::Error::custom(
            "the policy types ask for a self-describing value; teach the tracer",
        ))
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TraceError> {
        *self.0 = Shape::Bool;
        visitor.visit_bool(false)
    }

    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TraceError> {
        *self.0 = Shape::Count;
        visitor.visit_u64(1)
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TraceError> {
        self.deserialize_u32(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TraceError> {
        *self.0 = Shape::Text;
        // A value every string in the policy accepts (domain names included).
        visitor.visit_str("example.com")
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TraceError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TraceError> {
        let mut inner = Shape::Unknown;
        let value = visitor.visit_some(Tracer(&mut inner))?;
        *self.0 = Shape::Optional(Box::new(inner));
        Ok(value)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TraceError> {
        let mut inner = Shape::Unknown;
        let value = visitor.visit_seq(OneItem(Some(&mut inner)))?;
        *self.0 = Shape::List(Box::new(inner));
        Ok(value)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TraceError> {
        *self.0 = Shape::Map;
        visitor.visit_map(de::value::MapDeserializer::new(std::iter::empty::<(
            &str,
            &str,
        )>()))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, TraceError> {
        let mut traced = Vec::new();
        let value = visitor.visit_map(Fields {
            fields,
            traced: &mut traced,
        })?;
        *self.0 = Shape::Object(name, traced);
        Ok(value)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, TraceError> {
        *self.0 = Shape::Enum(variants);
        let first: StrDeserializer<'_, TraceError> = variants[0].into_deserializer();
        visitor.visit_enum(first)
    }

    serde::forward_to_deserialize_any! {
        i8 i16 i32 i64 i128 u8 u16 u128 f32 f64 char bytes byte_buf unit unit_struct
        newtype_struct tuple tuple_struct identifier ignored_any
    }
}

struct OneItem<'s>(Option<&'s mut Shape>);

impl<'de> de::SeqAccess<'de> for OneItem<'_> {
    type Error = TraceError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, TraceError> {
        match self.0.take() {
            // An item type that refuses the tracer's sample value (an identifier with
            // check digits) has told its shape already; the list then ends empty.
            Some(slot) => Ok(seed.deserialize(Tracer(slot)).ok()),
            None => Ok(None),
        }
    }
}

struct Fields<'s> {
    fields: &'static [&'static str],
    traced: &'s mut Vec<(&'static str, Shape)>,
}

impl<'de> de::MapAccess<'de> for Fields<'_> {
    type Error = TraceError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, TraceError> {
        let Some(field) = self.fields.get(self.traced.len()) else {
            return Ok(None);
        };
        let key: StrDeserializer<'_, TraceError> = field.into_deserializer();
        seed.deserialize(key).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, TraceError> {
        let field = self.fields[self.traced.len()];
        let mut shape = Shape::Unknown;
        let value = seed.deserialize(Tracer(&mut shape))?;
        self.traced.push((field, shape));
        Ok(value)
    }
}

fn policy_shape() -> Shape {
    let mut shape = Shape::Unknown;
    Policy::deserialize(Tracer(&mut shape)).unwrap();
    shape
}

// ---------------------------------------------------------------- doc comments

/// What the source says about one field: its doc comment and whether it may be left
/// out.
#[derive(Debug, Default, Clone)]
struct FieldDoc {
    description: String,
    optional: bool,
}

/// Field docs by (struct name, JSON key), read from the policy's source: the doc
/// comments, `#[serde(rename = …)]` and whether the struct or field has a default.
fn field_docs() -> HashMap<(String, String), FieldDoc> {
    let source = std::fs::read_to_string(path("src/policy/mod.rs")).unwrap();
    let mut docs = HashMap::new();
    let mut attributes = String::new();
    let mut doc_lines: Vec<String> = Vec::new();
    let mut current: Option<(String, bool)> = None; // struct name, has container default
    for line in source.lines() {
        let line = line.trim();
        if let Some(text) = line.strip_prefix("///") {
            doc_lines.push(text.trim().to_string());
        } else if line.starts_with("#[") {
            attributes.push_str(line);
        } else if let Some(rest) = line.strip_prefix("pub struct ") {
            let name = rest.split([' ', '{', '(']).next().unwrap().to_string();
            let default = attributes.contains("serde(") && attributes.contains("default");
            current = rest.ends_with('{').then_some((name, default));
            attributes.clear();
            doc_lines.clear();
        } else if line == "}" {
            current = None;
        } else if let (Some((name, container_default)), Some(rest)) =
            (&current, line.strip_prefix("pub "))
        {
            let (field, ty) = rest.split_once(':').unwrap();
            let json_name = attributes
                .split("rename = \"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .unwrap_or(field)
                .to_string();
            let field_default = attributes
                .split("serde(")
                .skip(1)
                .any(|args| args.split(')').next().unwrap_or("").contains("default"));
            docs.insert(
                (name.clone(), json_name),
                FieldDoc {
                    description: doc_lines.join(" ").replace('`', ""),
                    optional: *container_default
                        || field_default
                        || ty.trim().starts_with("Option<"),
                },
            );
            attributes.clear();
            doc_lines.clear();
        } else if !line.starts_with("//") && !line.starts_with("pub") {
            // Anything else (a blank line, code) ends what the comments described.
            attributes.clear();
            doc_lines.clear();
        }
    }
    docs
}

// ---------------------------------------------------------------- constraints

/// Constraints the parser checks beyond the JSON types, by path (`[]` = each list
/// item), each with a value that breaks it: [`constraints_are_enforced`] feeds that
/// value to the parser and expects it refused.
const CONSTRAINTS: &[(&str, &str, &str)] = &[
    (
        "internal_domains[]",
        r#"{"format": "hostname"}"#,
        r#""not a domain""#,
    ),
    (
        "trusted_domains[]",
        r#"{"format": "hostname"}"#,
        r#""not a domain""#,
    ),
    (
        "freemail_domains[]",
        r#"{"format": "hostname"}"#,
        r#""not a domain""#,
    ),
    (
        "blocked_domains[]",
        r#"{"format": "hostname"}"#,
        r#""not a domain""#,
    ),
    (
        "tenant_suffixes[]",
        r#"{"format": "hostname"}"#,
        r#""not a domain""#,
    ),
    ("visible_recipients.warn_parties", r#"{"minimum": 1}"#, "0"),
    ("visible_recipients.block_parties", r#"{"minimum": 1}"#, "0"),
    (
        "visible_recipients.block_addresses",
        r#"{"minimum": 1}"#,
        "0",
    ),
    ("attachments.max_total_mb", r#"{"minimum": 1}"#, "0"),
    ("delay.seconds", r#"{"maximum": 900}"#, "901"),
    ("personal_data.min_ibans", r#"{"minimum": 1}"#, "0"),
    (
        "personal_data.min_other_identifiers",
        r#"{"minimum": 1}"#,
        "0",
    ),
    ("personal_data.min_dates_of_birth", r#"{"minimum": 1}"#, "0"),
    ("personal_data.min_list_people", r#"{"minimum": 1}"#, "0"),
    (
        "protection.label",
        r#"{"pattern": "\\S", "maxLength": 256}"#,
        r#""  ""#,
    ),
    // Check digits are beyond JSON Schema; the description says so.
    (
        "personal_data.own_identifiers[]",
        r#"{"minLength": 1}"#,
        r#""a b""#,
    ),
    (
        "attachments.extra_dangerous_extensions[]",
        r#"{"pattern": "^\\.?[A-Za-z0-9-]+$"}"#,
        r#""a b""#,
    ),
    (
        "attachments.allowed_extensions[]",
        r#"{"pattern": "^\\.?[A-Za-z0-9-]+$"}"#,
        r#""a b""#,
    ),
    (
        "newsletter_tool.url",
        r#"{"pattern": "^https?://"}"#,
        r#""ftp://x""#,
    ),
];

fn constraint(path: &str) -> Option<Value> {
    CONSTRAINTS
        .iter()
        .find(|(p, _, _)| *p == path)
        .map(|(_, json, _)| serde_json::from_str(json).unwrap())
}

// ---------------------------------------------------------------- the schema

/// A JSON value whose objects keep their key order (the editor builds its form in
/// property order), printed like `JSON.stringify(value, null, 2)`.
enum Ordered {
    Object(Vec<(String, Ordered)>),
    Plain(Value),
}

impl Ordered {
    fn print(&self, indent: usize, out: &mut String) {
        match self {
            Ordered::Plain(value) => {
                let text = serde_json::to_string_pretty(value).unwrap();
                let pad = " ".repeat(indent);
                out.push_str(&text.replace('\n', &format!("\n{pad}")));
            }
            Ordered::Object(members) if members.is_empty() => out.push_str("{}"),
            Ordered::Object(members) => {
                out.push_str("{\n");
                let pad = " ".repeat(indent + 2);
                for (index, (key, value)) in members.iter().enumerate() {
                    let _ = write!(out, "{pad}{}: ", serde_json::to_string(key).unwrap());
                    value.print(indent + 2, out);
                    out.push_str(if index + 1 < members.len() {
                        ",\n"
                    } else {
                        "\n"
                    });
                }
                let _ = write!(out, "{}}}", " ".repeat(indent));
            }
        }
    }
}

fn plain(value: Value) -> Ordered {
    Ordered::Plain(value)
}

/// The schema of one property. `path` is dotted; `default` is the default policy's
/// value there, if any.
fn property(
    path: &str,
    shape: &Shape,
    description: &str,
    default: Option<&Value>,
    docs: &HashMap<(String, String), FieldDoc>,
) -> Ordered {
    let mut members: Vec<(String, Ordered)> = Vec::new();
    let (shape, nullable) = match shape {
        Shape::Optional(inner) => (&**inner, true),
        other => (other, false),
    };
    let type_name = |name: &str| {
        if nullable {
            json!([name, "null"])
        } else {
            json!(name)
        }
    };
    match shape {
        Shape::Bool => members.push(("type".into(), plain(type_name("boolean")))),
        Shape::Count => members.push(("type".into(), plain(type_name("integer")))),
        Shape::Text => members.push(("type".into(), plain(type_name("string")))),
        Shape::Enum(values) => {
            members.push(("type".into(), plain(type_name("string"))));
            members.push(("enum".into(), plain(json!(values))));
        }
        Shape::List(item) => {
            members.push(("type".into(), plain(type_name("array"))));
            let mut items = vec![("type".to_string(), plain(json!(scalar_type(item))))];
            if let Some(Value::Object(extra)) = constraint(&format!("{path}[]")) {
                items.extend(extra.into_iter().map(|(k, v)| (k, plain(v))));
            }
            members.push(("items".into(), Ordered::Object(items)));
        }
        Shape::Object(name, fields) => {
            members.push(("type".into(), plain(type_name("object"))));
            members.push(("additionalProperties".into(), plain(json!(false))));
            let required: Vec<&str> = fields
                .iter()
                .filter(|(field, _)| !docs[&(name.to_string(), field.to_string())].optional)
                .map(|(field, _)| *field)
                .collect();
            if !required.is_empty() {
                members.push(("required".into(), plain(json!(required))));
            }
            let properties = fields
                .iter()
                .map(|(field, shape)| {
                    let doc = &docs[&(name.to_string(), field.to_string())];
                    let child_path = join(path, field);
                    let child_default = default.and_then(|d| d.get(field));
                    (
                        field.to_string(),
                        property(&child_path, shape, &doc.description, child_default, docs),
                    )
                })
                .collect();
            members.push(("properties".into(), Ordered::Object(properties)));
        }
        Shape::Map => {
            members.push(("type".into(), plain(json!("object"))));
            members.push(("additionalProperties".into(), plain(json!(false))));
            members.push(("properties".into(), severity_properties()));
        }
        Shape::Optional(_) | Shape::Unknown => panic!("{path}: cannot describe {shape:?}"),
    }
    if let Some(Value::Object(extra)) = constraint(path) {
        members.extend(extra.into_iter().map(|(k, v)| (k, plain(v))));
    }
    // Sections have no default of their own (each key has one); a section that may be
    // null says so.
    if let Some(default) = default
        && (nullable || !matches!(shape, Shape::Object(..) | Shape::Map))
    {
        members.push(("default".into(), plain(default.clone())));
    }
    if !description.is_empty() {
        members.insert(0, ("description".into(), plain(json!(description))));
    }
    Ordered::Object(members)
}

fn scalar_type(shape: &Shape) -> &'static str {
    match shape {
        Shape::Text | Shape::Enum(_) => "string",
        Shape::Count => "integer",
        Shape::Bool => "boolean",
        other => panic!("lists of {other:?} are not described"),
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// One property per rule, from the registry.
fn severity_properties() -> Ordered {
    let severities: Vec<&str> = Severity::ALL.iter().map(|s| s.id()).collect();
    Ordered::Object(
        RuleId::ALL
            .iter()
            .map(|rule| {
                (
                    rule.id().to_string(),
                    Ordered::Object(vec![
                        ("description".into(), plain(json!(rule.description()))),
                        ("type".into(), plain(json!("string"))),
                        ("enum".into(), plain(json!(severities))),
                        ("default".into(), plain(json!(rule.default_severity().id()))),
                    ]),
                )
            })
            .collect(),
    )
}

fn generated_schema(_current: &str) -> String {
    let docs = field_docs();
    let defaults: Value = serde_json::to_value(Policy::default()).unwrap();
    let Ordered::Object(body) = property("", &policy_shape(), "", Some(&defaults), &docs) else {
        unreachable!()
    };
    let mut members = vec![
        (
            "$schema".to_string(),
            plain(json!("https://json-schema.org/draft/2020-12/schema")),
        ),
        (
            "$id".into(),
            plain(json!("https://sendguard.invalid/policy.schema.json")),
        ),
        ("title".into(), plain(json!("sendguard policy"))),
        (
            "description".into(),
            plain(json!(
                "One JSON file for the whole organization. Every field is optional; an empty \
                 object {} is the default policy. Unknown keys are errors. Generated from the \
                 policy's Rust types (crates/sendguard-core/tests/generated_sections.rs): do \
                 not edit by hand."
            )),
        ),
    ];
    members.extend(body);
    let mut out = String::new();
    Ordered::Object(members).print(0, &mut out);
    out.push('\n');
    out
}

// ---------------------------------------------------------------- TypeScript

fn typescript_type(
    shape: &Shape,
    indent: usize,
    docs: &HashMap<(String, String), FieldDoc>,
) -> String {
    match shape {
        Shape::Bool => "boolean".into(),
        Shape::Count => "number".into(),
        Shape::Text => "string".into(),
        Shape::Enum(values) => values
            .iter()
            .map(|v| serde_json::to_string(v).unwrap())
            .collect::<Vec<_>>()
            .join(" | "),
        Shape::List(item) => {
            let inner = typescript_type(item, indent, docs);
            // `"a" | "b"[]` would be "a", or a list of "b": a union needs parentheses.
            if inner.contains(" | ") {
                format!("({inner})[]")
            } else {
                format!("{inner}[]")
            }
        }
        Shape::Optional(inner) => format!("{} | null", typescript_type(inner, indent, docs)),
        Shape::Map => "Partial<Record<RuleId, Severity>>".into(),
        Shape::Object(name, fields) => {
            let pad = " ".repeat(indent + 2);
            let mut out = String::from("{\n");
            for (field, shape) in fields {
                let doc = &docs[&(name.to_string(), field.to_string())];
                if !doc.description.is_empty() {
                    let _ = writeln!(out, "{pad}/** {} */", doc.description.replace("*/", "* /"));
                }
                let _ = writeln!(
                    out,
                    "{pad}{field}{}: {};",
                    if doc.optional { "?" } else { "" },
                    typescript_type(shape, indent + 2, docs)
                );
            }
            let _ = write!(out, "{}}}", " ".repeat(indent));
            out
        }
        Shape::Unknown => panic!("cannot describe {shape:?}"),
    }
}

fn generated_typescript(current: &str) -> String {
    let start = current
        .find("export type RuleId =")
        .expect("the declarations have a RuleId type");
    let end = start + current[start..].find(';').expect("RuleId ends with ;");
    let members: Vec<String> = RuleId::ALL
        .iter()
        .map(|rule| format!("  | {}", serde_json::to_string(rule.id()).unwrap()))
        .collect();
    let current = format!(
        "{}export type RuleId =\n{}{}",
        &current[..start],
        members.join("\n"),
        &current[end..]
    );
    let start = current
        .find("export interface Policy {")
        .expect("the declarations have a Policy interface");
    let end = start + current[start..].find("\n}\n").expect("Policy ends with }") + 2;
    let body = typescript_type(&policy_shape(), 0, &field_docs());
    format!(
        "{}export interface Policy {}{}",
        &current[..start],
        body,
        &current[end..]
    )
}

// ---------------------------------------------------------------- checking

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
        "{relative} is out of date with the policy types: run \
         UPDATE_GENERATED=1 cargo test -p sendguard-core --test generated_sections"
    ))
}

#[test]
fn schema_and_typescript_follow_the_types() {
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
fn the_trace_sees_every_key_of_the_default_policy() {
    let Shape::Object(_, fields) = policy_shape() else {
        panic!("the policy is not a struct")
    };
    let defaults: Value = serde_json::from_str(sendguard_core::default_policy_json()).unwrap();
    for key in defaults.as_object().unwrap().keys() {
        assert!(fields.iter().any(|(f, _)| f == key), "{key} not traced");
    }
    assert!(fields.iter().any(|(f, _)| *f == "$schema"));
    assert_eq!(
        fields
            .iter()
            .find(|(f, _)| *f == "on_checker_error")
            .unwrap()
            .1,
        Shape::Enum(&["fail-open", "fail-closed"])
    );
}

#[test]
fn the_generated_schema_has_every_rule_every_description_and_no_refs() {
    let schema: Value = serde_json::from_str(&generated_schema("")).unwrap();
    let properties = &schema["properties"]["severity"]["properties"];
    for rule in RuleId::ALL {
        assert_eq!(
            properties[rule.id()]["default"],
            rule.default_severity().id(),
            "{rule}"
        );
    }
    assert_eq!(properties.as_object().unwrap().len(), RuleId::ALL.len());
    fn walk(node: &Value, path: &str) {
        let Some(object) = node.as_object() else {
            return;
        };
        assert!(!object.contains_key("$ref"), "{path} uses $ref");
        if let Some(Value::Object(properties)) = object.get("properties") {
            for (key, child) in properties {
                assert!(
                    child["description"].as_str().is_some_and(|d| d.len() > 10),
                    "{path}.{key} has no description"
                );
                walk(child, &format!("{path}.{key}"));
            }
        }
    }
    walk(&schema, "");
    assert_eq!(
        schema["properties"]["newsletter_tool"]["required"],
        json!(["name"])
    );
    assert_eq!(
        schema["properties"]["newsletter_tool"]["type"],
        json!(["object", "null"])
    );
    assert_eq!(
        schema["properties"]["visible_recipients"]["properties"]["warn_parties"]["default"],
        json!(5)
    );
}

/// Every constraint in the schema is one the parser enforces: the breaking value is
/// refused at that path, and the constraint's path exists.
#[test]
fn constraints_are_enforced() {
    for (path, _, breaking) in CONSTRAINTS {
        let (keys, list) = match path.strip_suffix("[]") {
            Some(keys) => (keys, true),
            None => (*path, false),
        };
        let mut value = if list {
            format!("[{breaking}]")
        } else {
            breaking.to_string()
        };
        let keys: Vec<&str> = keys.split('.').collect();
        if keys[0] == "newsletter_tool" {
            value = format!("{{\"name\": \"Tool\", \"url\": {value}}}");
        }
        let depth = if keys[0] == "newsletter_tool" {
            1
        } else {
            keys.len()
        };
        for key in keys[..depth].iter().rev() {
            value = format!("{{\"{key}\": {value}}}");
        }
        let error = Policy::from_json(&value).expect_err(&value);
        assert!(
            matches!(
                error.kind(),
                PolicyErrorKind::Invalid | PolicyErrorKind::WrongValue
            ),
            "{value}: {error}"
        );
        assert!(
            error.path().starts_with(&keys.join(".")),
            "{value}: refused at {} instead",
            error.path()
        );
    }
}

/// The other direction: every list of strings whose items the parser checks (a value
/// with a space in it is refused) has its constraint in the schema, so a new domain
/// list cannot be added without one.
#[test]
fn every_checked_list_has_a_constraint() {
    let Shape::Object(_, fields) = policy_shape() else {
        panic!("the policy is not a struct")
    };
    let mut lists = Vec::new();
    for (key, shape) in &fields {
        match shape {
            Shape::List(item) if **item == Shape::Text => lists.push(key.to_string()),
            Shape::Object(_, inner) => {
                for (child, shape) in inner {
                    if matches!(shape, Shape::List(item) if **item == Shape::Text) {
                        lists.push(format!("{key}.{child}"));
                    }
                }
            }
            _ => {}
        }
    }
    assert!(lists.len() >= 7, "{lists:?}");
    for list in lists {
        let mut value = "[\"a b\"]".to_string();
        for key in list.rsplit('.') {
            value = format!("{{\"{key}\": {value}}}");
        }
        if Policy::from_json(&value).is_err() {
            assert!(
                constraint(&format!("{list}[]")).is_some(),
                "{list}: the parser checks its items, the schema does not say how"
            );
        }
    }
}

#[test]
fn splicing_keeps_the_rest_of_the_declarations() {
    let current =
        std::fs::read_to_string(path("../sendguard-wasm/js/sendguard-checker.d.ts")).unwrap();
    let generated = generated_typescript(&current);
    assert!(generated.contains("export interface Policy {\n"));
    assert!(generated.contains("  newsletter_tool?: {\n"));
    assert!(generated.contains("    name: string;\n"));
    assert!(generated.contains("  severity?: Partial<Record<RuleId, Severity>>;\n"));
    assert_eq!(
        generated.matches("export interface").count(),
        current.matches("export interface").count()
    );
}

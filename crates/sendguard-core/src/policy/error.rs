//! A policy the checker cannot accept: the kind of problem, the key, the place, and the
//! message in every language, built from typed problems (never from another library's
//! wording).

use std::fmt;

use serde::ser::SerializeMap as _;
use serde::{Serialize, Serializer};

use crate::messages::{Arg, Lang, Text, text};
use crate::policy::de::{Error as DeError, Found, Problem, Want};
use crate::policy::tree::{ReadError, SyntaxProblem, position};
use crate::similarity::suggest;

/// A policy the checker cannot accept, with the key and the place.
///
/// Its machine form (for front ends and the JavaScript boundary) is
/// [`PolicyError::to_json`]: `{"kind", "path", "line", "column", "message", "messages"}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    kind: PolicyErrorKind,
    path: String,
    line: usize,
    column: usize,
    message: Text,
}

/// What is wrong with a policy.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PolicyErrorKind {
    /// The file is empty.
    Empty,
    /// Not valid JSON (a trailing comma, a missing quote, text after the object).
    Syntax,
    /// A key the policy does not have (usually a typo).
    UnknownKey,
    /// A value of the wrong type or form (a string where a number belongs, a bad
    /// domain, a severity that does not exist).
    WrongValue,
    /// A key given twice in one object.
    Duplicate,
    /// Values that are each fine but contradict each other, are out of range, or would
    /// undo the protection (a public suffix as an internal domain).
    Invalid,
}

impl PolicyErrorKind {
    /// Every kind.
    pub const ALL: [PolicyErrorKind; 6] = [
        PolicyErrorKind::Empty,
        PolicyErrorKind::Syntax,
        PolicyErrorKind::UnknownKey,
        PolicyErrorKind::WrongValue,
        PolicyErrorKind::Duplicate,
        PolicyErrorKind::Invalid,
    ];

    /// The stable machine name: `empty`, `syntax`, `unknown-key`, `wrong-value`,
    /// `duplicate`, `invalid`.
    ///
    /// ```
    /// use sendguard_core::Policy;
    ///
    /// let error = Policy::from_json(r#"{"severty": {}}"#).unwrap_err();
    /// assert_eq!(error.kind().as_str(), "unknown-key");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            PolicyErrorKind::Empty => "empty",
            PolicyErrorKind::Syntax => "syntax",
            PolicyErrorKind::UnknownKey => "unknown-key",
            PolicyErrorKind::WrongValue => "wrong-value",
            PolicyErrorKind::Duplicate => "duplicate",
            PolicyErrorKind::Invalid => "invalid",
        }
    }
}

impl fmt::Display for PolicyErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PolicyError {
    pub(crate) fn new(
        kind: PolicyErrorKind,
        path: impl Into<String>,
        (line, column): (usize, usize),
        message: Text,
    ) -> PolicyError {
        PolicyError {
            kind,
            path: path.into(),
            line,
            column,
            message,
        }
    }

    pub(crate) fn empty() -> PolicyError {
        PolicyError::new(
            PolicyErrorKind::Empty,
            "",
            (1, 1),
            text("policy.empty", &[]),
        )
    }

    /// A problem of the JSON itself.
    pub(crate) fn from_read(source: &str, error: ReadError) -> PolicyError {
        match error {
            ReadError::Syntax(problem, offset) => PolicyError::new(
                PolicyErrorKind::Syntax,
                "",
                position(source, offset),
                text(syntax_key(problem), &[]),
            ),
            ReadError::Duplicate(parents, key, offset) => {
                let mut path = parents.join(".");
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(&key);
                let message = text("policy.duplicate", &[("path", Arg::Str(path.clone()))]);
                PolicyError::new(
                    PolicyErrorKind::Duplicate,
                    path,
                    position(source, offset),
                    message,
                )
            }
        }
    }

    /// A problem found while reading the tree into the policy's types.
    pub(crate) fn from_de(source: &str, error: &DeError) -> PolicyError {
        let path = error.path();
        let place = position(source, error.offset.unwrap_or(0));
        let at = |key: &str, args: &mut Vec<(&str, Arg)>| {
            args.push(("path", Arg::Str(path.clone())));
            text(key, args)
        };
        let (kind, message) = match &error.problem {
            Problem::UnknownKey { key, known } => {
                let mut message = text("policy.unknown-key", &[("key", Arg::Str(path.clone()))]);
                message.push_text(&suggestion(key, known));
                (PolicyErrorKind::UnknownKey, message)
            }
            Problem::UnknownValue { value, known } => {
                let mut message = at(
                    "policy.unknown-value",
                    &mut vec![("value", Arg::Str(value.clone()))],
                );
                message.push_text(&suggestion(value, known));
                (PolicyErrorKind::WrongValue, message)
            }
            Problem::WrongType { found, .. } if path.is_empty() => (
                PolicyErrorKind::WrongValue,
                text(
                    "policy.not-an-object",
                    &[("found", Arg::Text(describe_found(found)))],
                ),
            ),
            Problem::WrongType { want, found } => (
                PolicyErrorKind::WrongValue,
                at(
                    "policy.wrong-type",
                    &mut vec![
                        ("want", Arg::Text(describe_want(*want))),
                        ("found", Arg::Text(describe_found(found))),
                    ],
                ),
            ),
            Problem::NotA { found, want } => (
                PolicyErrorKind::WrongValue,
                at(
                    "policy.not-a",
                    &mut vec![
                        ("want", Arg::Text(text(want.message_key(), &[]))),
                        ("found", Arg::Text(describe_found(found))),
                    ],
                ),
            ),
            Problem::Missing { key } => (
                PolicyErrorKind::WrongValue,
                at(
                    "policy.missing",
                    &mut vec![("key", Arg::Str((*key).into()))],
                ),
            ),
            Problem::Duplicate => (
                PolicyErrorKind::Duplicate,
                text("policy.duplicate", &[("path", Arg::Str(path.clone()))]),
            ),
            Problem::Other(words) => {
                let words = if path.is_empty() {
                    words.clone()
                } else {
                    format!("`{path}`: {words}")
                };
                (
                    PolicyErrorKind::WrongValue,
                    Text::from_fn(|_| words.clone()),
                )
            }
        };
        PolicyError::new(kind, path, place, message)
    }

    /// What kind of problem this is.
    pub fn kind(&self) -> PolicyErrorKind {
        self.kind
    }

    /// The key concerned, dotted, with list indexes in brackets
    /// (`visible_recipients.warn_parties`, `internal_domains[2]`); empty for the whole
    /// file and for syntax errors.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// 1-based line.
    pub fn line(&self) -> usize {
        self.line
    }

    /// 1-based column, in characters.
    pub fn column(&self) -> usize {
        self.column
    }

    /// The problem in English, without the position.
    pub fn message(&self) -> &str {
        self.message.get(Lang::En)
    }

    /// The problem in `lang`, without the position.
    pub fn message_in(&self, lang: Lang) -> &str {
        self.message.get(lang)
    }

    /// The problem in every language.
    pub fn text(&self) -> &Text {
        &self.message
    }

    /// The machine form: `{"kind":"unknown-key","path":"…","line":3,"column":5,
    /// "message":"<English>","messages":{"en":"…","de":"…"}}`.
    ///
    /// ```
    /// use sendguard_core::Policy;
    ///
    /// let error = Policy::from_json("{\n  \"name\": 5\n}").unwrap_err();
    /// let json: serde_json::Value = serde_json::from_str(&error.to_json()).unwrap();
    /// assert_eq!(json["kind"], "wrong-value");
    /// assert_eq!((json["line"].as_u64(), json["column"].as_u64()), (Some(2), Some(11)));
    /// assert!(json["messages"]["de"].as_str().unwrap().contains("`name`"));
    /// ```
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

impl Serialize for PolicyError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(6))?;
        map.serialize_entry("kind", self.kind.as_str())?;
        map.serialize_entry("path", &self.path)?;
        map.serialize_entry("line", &self.line)?;
        map.serialize_entry("column", &self.column)?;
        map.serialize_entry("message", self.message())?;
        map.serialize_entry("messages", &self.message)?;
        map.end()
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line,
            self.column,
            self.message()
        )
    }
}

impl std::error::Error for PolicyError {}

fn syntax_key(problem: SyntaxProblem) -> &'static str {
    match problem {
        SyntaxProblem::TrailingComma => "policy.syntax.trailing-comma",
        SyntaxProblem::ExpectedValue => "policy.syntax.expected-value",
        SyntaxProblem::ExpectedKey => "policy.syntax.expected-key",
        SyntaxProblem::ExpectedColon => "policy.syntax.expected-colon",
        SyntaxProblem::ExpectedCommaOrBrace => "policy.syntax.expected-comma-or-brace",
        SyntaxProblem::ExpectedCommaOrBracket => "policy.syntax.expected-comma-or-bracket",
        SyntaxProblem::UnexpectedEnd => "policy.syntax.unexpected-end",
        SyntaxProblem::UnclosedString => "policy.syntax.unclosed-string",
        SyntaxProblem::BadEscape => "policy.syntax.bad-escape",
        SyntaxProblem::ControlCharacter => "policy.syntax.control-character",
        SyntaxProblem::BadNumber => "policy.syntax.bad-number",
        SyntaxProblem::TextAfter => "policy.syntax.text-after",
        SyntaxProblem::TooDeep => "policy.syntax.too-deep",
        SyntaxProblem::ByteOrderMark => "policy.syntax.byte-order-mark",
    }
}

fn describe_want(want: Want) -> Text {
    match want {
        Want::Count(max) if max == u64::from(u32::MAX) => text("policy.want.count", &[]),
        Want::Count(max) => text(
            "policy.want.count-up-to",
            &[(
                "max",
                Arg::Count(usize::try_from(max).unwrap_or(usize::MAX)),
            )],
        ),
        Want::Integer => text("policy.want.integer", &[]),
        Want::Bool => text("policy.want.bool", &[]),
        Want::Text => text("policy.want.text", &[]),
        Want::List => text("policy.want.list", &[]),
        Want::Object => text("policy.want.object", &[]),
        Want::OneOf(values) => text(
            "policy.want.one-of",
            &[("values", Arg::Str(quoted_list(values)))],
        ),
    }
}

fn describe_found(found: &Found) -> Text {
    let quoted = |value: &str| Arg::Str(serde_json::to_string(value).unwrap_or_default());
    match found {
        Found::Null => text("policy.found.null", &[]),
        Found::Bool(b) => text("policy.found.bool", &[("value", Arg::Str(b.to_string()))]),
        Found::Number(n) => text("policy.found.number", &[("value", Arg::Str(n.clone()))]),
        Found::Text(t) => text("policy.found.text", &[("value", quoted(t))]),
        Found::List => text("policy.found.list", &[]),
        Found::Object => text("policy.found.object", &[]),
        Found::Other(words) => Text::from_fn(|_| words.clone()),
    }
}

fn quoted_list(values: &[&str]) -> String {
    values
        .iter()
        .map(|value| format!("`{value}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// "; did you mean `x`?" for a near miss, else the list to choose from.
fn suggestion(unknown: &str, known: &[&str]) -> Text {
    match suggest(unknown, known) {
        Some(best) => text(
            "policy.did-you-mean",
            &[("suggestion", Arg::Str(best.into()))],
        ),
        None if known.is_empty() => Text::default(),
        None => text(
            "policy.expected-one-of",
            &[("values", Arg::Str(quoted_list(known)))],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_names_are_distinct_kebab_case() {
        let names: Vec<&str> = PolicyErrorKind::ALL.map(PolicyErrorKind::as_str).to_vec();
        for name in &names {
            assert!(
                name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{name}"
            );
            assert_eq!(names.iter().filter(|n| *n == name).count(), 1, "{name}");
        }
    }

    #[test]
    fn suggestions_only_for_near_misses() {
        assert_eq!(
            suggest("warning", &["off", "info", "warn", "block"]),
            Some("warn")
        );
        assert_eq!(suggest("loud", &["off", "info", "warn", "block"]), None);
    }
}

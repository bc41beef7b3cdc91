//! Errors for input we cannot read: a draft that is not JSON of the documented shape, an
//! `.eml` that is not a message. Findings about a draft are never errors.

use std::fmt;

/// A draft (JSON or `.eml`) that cannot be turned into a [`crate::Draft`].
///
/// The message says what is wrong and, where the input has lines, where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    kind: InputErrorKind,
    message: String,
    line: Option<usize>,
    column: Option<usize>,
}

/// What kind of problem an [`InputError`] describes.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputErrorKind {
    /// The input is empty.
    Empty,
    /// The input is not syntactically valid (JSON syntax, no mail header).
    Syntax,
    /// The input is well-formed but does not have the draft's shape (unknown field,
    /// wrong type, bad base64).
    Shape,
    /// The input is larger than the checker accepts.
    TooLarge,
}

impl InputErrorKind {
    /// Every kind.
    pub const ALL: [InputErrorKind; 4] = [
        InputErrorKind::Empty,
        InputErrorKind::Syntax,
        InputErrorKind::Shape,
        InputErrorKind::TooLarge,
    ];

    /// The stable machine name: `empty`, `syntax`, `shape`, `too-large`.
    ///
    /// ```
    /// use sendguard_core::Draft;
    ///
    /// assert_eq!(Draft::from_json("").unwrap_err().kind().as_str(), "empty");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            InputErrorKind::Empty => "empty",
            InputErrorKind::Syntax => "syntax",
            InputErrorKind::Shape => "shape",
            InputErrorKind::TooLarge => "too-large",
        }
    }
}

impl fmt::Display for InputErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl InputError {
    pub(crate) fn new(kind: InputErrorKind, message: impl Into<String>) -> Self {
        InputError {
            kind,
            message: message.into(),
            line: None,
            column: None,
        }
    }

    pub(crate) fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// What kind of problem this is.
    pub fn kind(&self) -> InputErrorKind {
        self.kind
    }

    /// The problem, without the position.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The machine form: `{"kind":"syntax","message":"…","line":3,"column":5}`
    /// (`line` and `column` are `null` when unknown).
    ///
    /// ```
    /// use sendguard_core::Draft;
    ///
    /// let json = Draft::from_json("{\n  \"to\": 5\n}").unwrap_err().to_json();
    /// let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    /// assert_eq!((json["kind"].as_str(), json["line"].as_u64()), (Some("shape"), Some(2)));
    /// ```
    pub fn to_json(&self) -> String {
        serde_json::json!({
            "kind": self.kind.as_str(),
            "message": self.message,
            "line": self.line,
            "column": self.column,
        })
        .to_string()
    }

    /// The 1-based line of the problem, when the input has lines.
    pub fn line(&self) -> Option<usize> {
        self.line
    }

    /// The 1-based column of the problem, when known.
    pub fn column(&self) -> Option<usize> {
        self.column
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(column)) => {
                write!(f, "line {line}, column {column}: {}", self.message)
            }
            _ => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for InputError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_names_are_distinct_kebab_case() {
        let names = InputErrorKind::ALL.map(InputErrorKind::as_str);
        for name in names {
            assert!(
                name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{name}"
            );
            assert_eq!(names.iter().filter(|n| **n == name).count(), 1, "{name}");
        }
    }

    #[test]
    fn json_form_has_kind_message_and_place() {
        let error = InputError::new(InputErrorKind::TooLarge, "too big").at(2, 7);
        assert_eq!(
            error.to_json(),
            r#"{"column":7,"kind":"too-large","line":2,"message":"too big"}"#
        );
        let error = InputError::new(InputErrorKind::Empty, "empty");
        assert_eq!(
            error.to_json(),
            r#"{"column":null,"kind":"empty","line":null,"message":"empty"}"#
        );
    }
}

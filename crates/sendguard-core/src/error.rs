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

//! A strict JSON reader that keeps where every value and key stands, so that every
//! policy error can name its line and column, and so that syntax problems (a trailing
//! comma, a duplicate key) are kinds the code knows rather than sentences to parse.
//!
//! It accepts exactly RFC 8259 JSON: no comments, no trailing commas, no single quotes,
//! no byte-order mark; it refuses a key that appears twice in one object (JSON allows
//! it, but a policy that says `warn` and `off` for one rule must not pick either).

/// A JSON value with the byte offset where it starts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    pub(crate) value: Value,
    pub(crate) offset: usize,
}

/// An object key with the byte offset of its opening quote.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Key {
    pub(crate) text: String,
    pub(crate) offset: usize,
}

/// The JSON values. Numbers keep the form they were written in: the policy only has
/// whole numbers, and a fraction or an exponent must be reported, not rounded.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Null,
    Bool(bool),
    /// A whole number that fits in 64 bits (sign kept).
    Integer(i128),
    /// Any other number (fraction, exponent, or too large), as written.
    OtherNumber(String),
    String(String),
    Array(Vec<Node>),
    Object(Vec<(Key, Node)>),
}

/// What is wrong with the text as JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SyntaxProblem {
    /// A comma right before `}` or `]` (placed at the comma, the thing to delete).
    TrailingComma,
    /// Something other than a value where a value belongs.
    ExpectedValue,
    /// Something other than `"key"` where a key belongs.
    ExpectedKey,
    /// No `:` after a key.
    ExpectedColon,
    /// No `,` or `}` after a member.
    ExpectedCommaOrBrace,
    /// No `,` or `]` after an item.
    ExpectedCommaOrBracket,
    /// The text ends inside a value.
    UnexpectedEnd,
    /// A string is not closed.
    UnclosedString,
    /// A backslash sequence JSON does not have, or a broken `\u` escape.
    BadEscape,
    /// A raw control character (a tab, a line break) inside a string.
    ControlCharacter,
    /// A number JSON does not allow (`01`, `1.`, `+1`, `.5`).
    BadNumber,
    /// Text after the top-level value.
    TextAfter,
    /// Nested deeper than [`MAX_DEPTH`].
    TooDeep,
    /// The file starts with a byte-order mark.
    ByteOrderMark,
}

/// A problem found while reading, with the byte offset it is at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ReadError {
    Syntax(SyntaxProblem, usize),
    /// A key that appears twice in one object: the path of its parent (keys), the key,
    /// and the offset of the second occurrence.
    Duplicate(Vec<String>, String, usize),
}

/// How deep objects and arrays may nest; a policy needs three levels.
pub(crate) const MAX_DEPTH: usize = 64;

/// Reads `text` as one JSON value.
pub(crate) fn parse(text: &str) -> Result<Node, ReadError> {
    let mut reader = Reader {
        bytes: text.as_bytes(),
        text,
        at: 0,
        path: Vec::new(),
    };
    if text.starts_with('\u{feff}') {
        return Err(ReadError::Syntax(SyntaxProblem::ByteOrderMark, 0));
    }
    reader.skip_whitespace();
    let node = reader.value(0)?;
    reader.skip_whitespace();
    if reader.at < reader.bytes.len() {
        return Err(reader.error(SyntaxProblem::TextAfter));
    }
    Ok(node)
}

/// 1-based line and column (in characters) of a byte offset.
pub(crate) fn position(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

struct Reader<'t> {
    bytes: &'t [u8],
    text: &'t str,
    at: usize,
    /// The keys leading to the object being read (for duplicate-key errors).
    path: Vec<String>,
}

impl Reader<'_> {
    fn error(&self, problem: SyntaxProblem) -> ReadError {
        ReadError::Syntax(problem, self.at)
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node, ReadError> {
        let offset = self.at;
        let value = match self.peek() {
            None => return Err(self.error(SyntaxProblem::UnexpectedEnd)),
            Some(b'{') => self.object(depth + 1)?,
            Some(b'[') => self.array(depth + 1)?,
            Some(b'"') => Value::String(self.string()?),
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(_) => {
                let rest = &self.bytes[self.at..];
                let (value, length) = if rest.starts_with(b"true") {
                    (Value::Bool(true), 4)
                } else if rest.starts_with(b"false") {
                    (Value::Bool(false), 5)
                } else if rest.starts_with(b"null") {
                    (Value::Null, 4)
                } else {
                    return Err(self.error(SyntaxProblem::ExpectedValue));
                };
                self.at += length;
                value
            }
        };
        Ok(Node { value, offset })
    }

    fn object(&mut self, depth: usize) -> Result<Value, ReadError> {
        if depth > MAX_DEPTH {
            return Err(self.error(SyntaxProblem::TooDeep));
        }
        self.at += 1; // `{`
        let mut members: Vec<(Key, Node)> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut comma = 0;
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(Value::Object(members));
        }
        loop {
            self.skip_whitespace();
            let key_offset = self.at;
            match self.peek() {
                Some(b'"') => {}
                Some(b'}') if !members.is_empty() => {
                    return Err(ReadError::Syntax(SyntaxProblem::TrailingComma, comma));
                }
                None => return Err(self.error(SyntaxProblem::UnexpectedEnd)),
                Some(_) => return Err(self.error(SyntaxProblem::ExpectedKey)),
            }
            let key = self.string()?;
            if !seen.insert(key.clone()) {
                return Err(ReadError::Duplicate(self.path.clone(), key, key_offset));
            }
            self.skip_whitespace();
            match self.peek() {
                Some(b':') => self.at += 1,
                None => return Err(self.error(SyntaxProblem::UnexpectedEnd)),
                Some(_) => return Err(self.error(SyntaxProblem::ExpectedColon)),
            }
            self.skip_whitespace();
            self.path.push(key);
            let value = self.value(depth)?;
            let key = self.path.pop().unwrap_or_default();
            members.push((
                Key {
                    text: key,
                    offset: key_offset,
                },
                value,
            ));
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => {
                    comma = self.at;
                    self.at += 1;
                }
                Some(b'}') => {
                    self.at += 1;
                    return Ok(Value::Object(members));
                }
                None => return Err(self.error(SyntaxProblem::UnexpectedEnd)),
                Some(_) => return Err(self.error(SyntaxProblem::ExpectedCommaOrBrace)),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, ReadError> {
        if depth > MAX_DEPTH {
            return Err(self.error(SyntaxProblem::TooDeep));
        }
        self.at += 1; // `[`
        let mut items = Vec::new();
        let mut comma = 0;
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_whitespace();
            if self.peek() == Some(b']') && !items.is_empty() {
                return Err(ReadError::Syntax(SyntaxProblem::TrailingComma, comma));
            }
            items.push(self.value(depth)?);
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => {
                    comma = self.at;
                    self.at += 1;
                }
                Some(b']') => {
                    self.at += 1;
                    return Ok(Value::Array(items));
                }
                None => return Err(self.error(SyntaxProblem::UnexpectedEnd)),
                Some(_) => return Err(self.error(SyntaxProblem::ExpectedCommaOrBracket)),
            }
        }
    }

    /// A string starting at the opening quote; `self.at` ends after the closing one.
    fn string(&mut self) -> Result<String, ReadError> {
        self.at += 1; // `"`
        let mut out = String::new();
        loop {
            let start = self.at;
            while let Some(byte) = self.peek() {
                if byte == b'"' || byte == b'\\' || byte < 0x20 {
                    break;
                }
                self.at += 1;
            }
            // Only ASCII bytes stop the scan, so both ends are character boundaries.
            out.push_str(&self.text[start..self.at]);
            match self.peek() {
                None => return Err(self.error(SyntaxProblem::UnclosedString)),
                Some(b'"') => {
                    self.at += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.at += 1;
                    self.escape(&mut out)?;
                }
                Some(_) => return Err(self.error(SyntaxProblem::ControlCharacter)),
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), ReadError> {
        let Some(byte) = self.peek() else {
            return Err(self.error(SyntaxProblem::UnclosedString));
        };
        self.at += 1;
        let simple = match byte {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let first = self.hex4()?;
                let code = if (0xD800..0xDC00).contains(&first) {
                    // A high surrogate must be followed by `\u` and a low one.
                    if self.bytes.get(self.at..self.at + 2) != Some(b"\\u") {
                        return Err(self.error(SyntaxProblem::BadEscape));
                    }
                    self.at += 2;
                    let second = self.hex4()?;
                    if !(0xDC00..0xE000).contains(&second) {
                        return Err(self.error(SyntaxProblem::BadEscape));
                    }
                    0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                } else {
                    first
                };
                let Some(c) = char::from_u32(code) else {
                    return Err(self.error(SyntaxProblem::BadEscape));
                };
                c
            }
            _ => {
                self.at -= 1;
                return Err(self.error(SyntaxProblem::BadEscape));
            }
        };
        out.push(simple);
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32, ReadError> {
        let digits = self
            .text
            .get(self.at..self.at + 4)
            .filter(|digits| digits.bytes().all(|b| b.is_ascii_hexdigit()));
        let Some(digits) = digits else {
            return Err(self.error(SyntaxProblem::BadEscape));
        };
        self.at += 4;
        u32::from_str_radix(digits, 16).map_err(|_| self.error(SyntaxProblem::BadEscape))
    }

    fn number(&mut self) -> Result<Value, ReadError> {
        let start = self.at;
        let digits = |reader: &mut Reader<'_>| {
            let from = reader.at;
            while matches!(reader.peek(), Some(b'0'..=b'9')) {
                reader.at += 1;
            }
            reader.at - from
        };
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        let int_start = self.at;
        let int_digits = digits(self);
        if int_digits == 0 || (int_digits > 1 && self.bytes[int_start] == b'0') {
            self.at = int_start;
            return Err(self.error(SyntaxProblem::BadNumber));
        }
        let mut whole = true;
        if self.peek() == Some(b'.') {
            self.at += 1;
            whole = false;
            if digits(self) == 0 {
                return Err(self.error(SyntaxProblem::BadNumber));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            whole = false;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if digits(self) == 0 {
                return Err(self.error(SyntaxProblem::BadNumber));
            }
        }
        let written = &self.text[start..self.at];
        Ok(match written.parse::<i128>() {
            Ok(number) if whole && written.len() <= 20 => Value::Integer(number),
            _ => Value::OtherNumber(written.to_string()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn syntax(text: &str) -> (SyntaxProblem, (usize, usize)) {
        match parse(text) {
            Err(ReadError::Syntax(problem, offset)) => (problem, position(text, offset)),
            other => panic!("{text:?}: {other:?}"),
        }
    }

    #[test]
    fn reads_every_kind_of_value_with_its_place() {
        let text = "{\n  \"a\": [true, false, null, -12, 1.5e3, \"x\\u00e9\\ud83d\\ude00\"],\n  \"b\": {}\n}";
        let node = parse(text).unwrap();
        let Value::Object(members) = &node.value else {
            panic!("{node:?}")
        };
        assert_eq!(members[0].0.text, "a");
        assert_eq!(position(text, members[0].0.offset), (2, 3));
        assert_eq!(position(text, members[1].1.offset), (3, 8));
        let Value::Array(items) = &members[0].1.value else {
            panic!()
        };
        let values: Vec<&Value> = items.iter().map(|n| &n.value).collect();
        assert_eq!(
            values,
            [
                &Value::Bool(true),
                &Value::Bool(false),
                &Value::Null,
                &Value::Integer(-12),
                &Value::OtherNumber("1.5e3".into()),
                &Value::String("xé😀".into()),
            ]
        );
    }

    #[test]
    fn agrees_with_serde_json_on_what_is_json() {
        let cases = [
            "{}",
            "[]",
            "0",
            "-0",
            "01",
            "1.",
            ".5",
            "+1",
            "1e",
            "1e+5",
            "\"\\x\"",
            "\"\\ud800\"",
            "\"\\ud800\\u0041\"",
            "\"\\udc00\"",
            "\"a\tb\"",
            "[1,]",
            "{\"a\":1,}",
            "{\"a\" 1}",
            "{a:1}",
            "[1 2]",
            "tru",
            "nul",
            "\"abc",
            "{\"a\":",
            "[",
            "{} {}",
            "\"\\u00zz\"",
            "123456789012345678901234567890",
            " [ 1 , { \"k\" : [ ] } ] ",
        ];
        for case in cases {
            let ours = parse(case).is_ok();
            let theirs = serde_json::from_str::<serde_json::Value>(case).is_ok();
            assert_eq!(ours, theirs, "{case:?}");
        }
    }

    #[test]
    fn syntax_problems_are_kinds_with_places() {
        assert_eq!(
            syntax("{\n  \"name\": \"x\",\n}"),
            (SyntaxProblem::TrailingComma, (2, 14))
        );
        assert_eq!(syntax("[1,\n 2, ]"), (SyntaxProblem::TrailingComma, (2, 3)));
        assert_eq!(syntax("{\"a\" 1}"), (SyntaxProblem::ExpectedColon, (1, 6)));
        assert_eq!(
            syntax("{\"a\": 1 \"b\": 2}"),
            (SyntaxProblem::ExpectedCommaOrBrace, (1, 9))
        );
        assert_eq!(
            syntax("[1 2]"),
            (SyntaxProblem::ExpectedCommaOrBracket, (1, 4))
        );
        assert_eq!(syntax("{'a': 1}"), (SyntaxProblem::ExpectedKey, (1, 2)));
        assert_eq!(syntax("{\"a\": }"), (SyntaxProblem::ExpectedValue, (1, 7)));
        assert_eq!(syntax("{\"a\": 1"), (SyntaxProblem::UnexpectedEnd, (1, 8)));
        assert_eq!(syntax("\"abc"), (SyntaxProblem::UnclosedString, (1, 5)));
        assert_eq!(syntax("\"a\\qb\""), (SyntaxProblem::BadEscape, (1, 4)));
        assert_eq!(
            syntax("\"a\nb\""),
            (SyntaxProblem::ControlCharacter, (1, 3))
        );
        assert_eq!(syntax("[01]"), (SyntaxProblem::BadNumber, (1, 2)));
        assert_eq!(syntax("{} x"), (SyntaxProblem::TextAfter, (1, 4)));
        assert_eq!(syntax("\u{feff}{}"), (SyntaxProblem::ByteOrderMark, (1, 1)));
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(syntax(&deep).0, SyntaxProblem::TooDeep);
    }

    #[test]
    fn a_key_twice_in_one_object_is_refused_with_its_path() {
        let text = "{\"s\": {\"a\": 1,\n \"a\": 2}}";
        assert_eq!(
            parse(text),
            Err(ReadError::Duplicate(vec!["s".into()], "a".into(), 16))
        );
        assert_eq!(position(text, 16), (2, 2));
        assert!(parse("{\"s\": {\"a\": 1}, \"t\": {\"a\": 1}}").is_ok());
    }

    #[test]
    fn columns_count_characters() {
        // serde_json counts bytes and would say 9 for the comma.
        let text = "{\"ä\": 1,}";
        assert_eq!(syntax(text), (SyntaxProblem::TrailingComma, (1, 8)));
    }
}

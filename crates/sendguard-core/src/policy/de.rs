//! serde's derived `Deserialize` impls, driven over a [`tree::Node`] by a deserializer
//! whose error type is ours: when a derived impl meets a key it does not know it calls
//! [`de::Error::unknown_field`] with the keys it does know, and that becomes a typed
//! [`Problem::UnknownKey`] with the place of the key, not a sentence to take apart.
//!
//! It is also stricter than serde_json where a policy needs it: a struct is read only
//! from an object (serde_json also takes an array, field by field), a whole number only
//! from a whole number in range.

use std::fmt;

use serde::de::{self, DeserializeSeed, IntoDeserializer, Unexpected, Visitor};

use crate::expecting::Expecting;
use crate::policy::tree::{Key, Node, Value};

/// What is wrong, as data; [`crate::policy::PolicyError`] words it in every language.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Problem {
    /// A key the object does not have; `known` are the keys it does.
    UnknownKey {
        key: String,
        known: &'static [&'static str],
    },
    /// A string that is not one of the allowed values.
    UnknownValue {
        value: String,
        known: &'static [&'static str],
    },
    /// A value of the wrong JSON type.
    WrongType { want: Want, found: Found },
    /// A value of the right type that is not acceptable (`"ex ample.com"` as a
    /// domain). `want` is what the type's own `Deserialize` expects.
    NotA { found: Found, want: Expecting },
    /// A required key is missing.
    Missing { key: &'static str },
    /// A key given twice.
    Duplicate,
    /// Anything else a `Deserialize` impl reports, in its own words.
    Other(String),
}

/// What a place in the policy takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Want {
    /// A whole number, 0 or more, up to the given maximum.
    Count(u64),
    /// A whole number in a signed range.
    Integer,
    Bool,
    Text,
    List,
    Object,
    /// One of these strings.
    OneOf(&'static [&'static str]),
}

/// What was found instead, for the message.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Found {
    Null,
    Bool(bool),
    Number(String),
    Text(String),
    List,
    Object,
    /// Anything serde describes itself.
    Other(String),
}

impl Found {
    fn of(value: &Value) -> Found {
        match value {
            Value::Null => Found::Null,
            Value::Bool(b) => Found::Bool(*b),
            Value::Integer(n) => Found::Number(n.to_string()),
            Value::OtherNumber(text) => Found::Number(text.clone()),
            Value::String(text) => Found::Text(text.clone()),
            Value::Array(_) => Found::List,
            Value::Object(_) => Found::Object,
        }
    }

    fn from_unexpected(unexpected: &Unexpected<'_>) -> Found {
        match unexpected {
            Unexpected::Bool(b) => Found::Bool(*b),
            Unexpected::Unsigned(n) => Found::Number(n.to_string()),
            Unexpected::Signed(n) => Found::Number(n.to_string()),
            Unexpected::Float(n) => Found::Number(n.to_string()),
            Unexpected::Str(text) => Found::Text((*text).to_string()),
            Unexpected::Char(c) => Found::Text(c.to_string()),
            Unexpected::Unit | Unexpected::Option => Found::Null,
            Unexpected::Seq => Found::List,
            Unexpected::Map => Found::Object,
            other => Found::Other(other.to_string()),
        }
    }
}

/// One step of the path to a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Segment {
    Key(String),
    Index(usize),
}

/// The error of [`NodeDeserializer`]: a problem, where it is, and the path to it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Error {
    pub(crate) problem: Problem,
    /// Byte offset of the innermost value or key concerned.
    pub(crate) offset: Option<usize>,
    /// The path, innermost step first (errors collect it on the way out).
    pub(crate) reversed_path: Vec<Segment>,
}

impl Error {
    fn new(problem: Problem) -> Error {
        Error {
            problem,
            offset: None,
            reversed_path: Vec::new(),
        }
    }

    /// Places the error at `offset` unless an inner value placed it already.
    fn at(mut self, offset: usize) -> Error {
        self.offset.get_or_insert(offset);
        self
    }

    fn within(mut self, segment: Segment) -> Error {
        self.reversed_path.push(segment);
        self
    }

    /// The path from the top, dotted, with list indexes in brackets.
    pub(crate) fn path(&self) -> String {
        let mut path = String::new();
        for segment in self.reversed_path.iter().rev() {
            match segment {
                Segment::Key(key) => {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(key);
                }
                Segment::Index(index) => path.push_str(&format!("[{index}]")),
            }
        }
        path
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} at `{}`", self.problem, self.path())
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Error {
        Error::new(Problem::Other(message.to_string()))
    }

    fn invalid_type(unexpected: Unexpected<'_>, expected: &dyn de::Expected) -> Error {
        let words = expected.to_string();
        Error::new(match Expecting::from_phrase(&words) {
            Some(want) => Problem::NotA {
                found: Found::from_unexpected(&unexpected),
                want,
            },
            // Not one of ours (the policy's own types all say what they expect typed).
            None => Problem::Other(format!("{unexpected} is not {words}")),
        })
    }

    fn invalid_value(unexpected: Unexpected<'_>, expected: &dyn de::Expected) -> Error {
        Error::invalid_type(unexpected, expected)
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Error {
        Error::new(Problem::UnknownValue {
            value: variant.to_string(),
            known: expected,
        })
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Error {
        Error::new(Problem::UnknownKey {
            key: field.to_string(),
            known: expected,
        })
    }

    fn missing_field(field: &'static str) -> Error {
        Error::new(Problem::Missing { key: field })
    }

    fn duplicate_field(_field: &'static str) -> Error {
        Error::new(Problem::Duplicate)
    }
}

/// Deserializes one node of the tree.
pub(crate) struct NodeDeserializer<'n>(pub(crate) &'n Node);

impl NodeDeserializer<'_> {
    fn wrong(&self, want: Want) -> Error {
        Error::new(Problem::WrongType {
            want,
            found: Found::of(&self.0.value),
        })
        .at(self.0.offset)
    }

    fn count<'de, V: Visitor<'de>>(self, max: u64, visitor: V) -> Result<V::Value, Error> {
        match &self.0.value {
            Value::Integer(n) if (0..=i128::from(max)).contains(n) => {
                // In range by the guard, so the conversion cannot fail.
                let n = u64::try_from(*n).unwrap_or(max);
                visitor
                    .visit_u64::<Error>(n)
                    .map_err(|e| e.at(self.0.offset))
            }
            _ => Err(self.wrong(Want::Count(max))),
        }
    }

    fn integer<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.0.value {
            Value::Integer(n) => match i64::try_from(*n) {
                Ok(n) => visitor
                    .visit_i64::<Error>(n)
                    .map_err(|e| e.at(self.0.offset)),
                Err(_) => Err(self.wrong(Want::Integer)),
            },
            _ => Err(self.wrong(Want::Integer)),
        }
    }
}

macro_rules! counts {
    ($($method:ident => $type:ty,)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
                self.count(<$type>::MAX.into(), visitor)
            }
        )*
    };
}

macro_rules! integers {
    ($($method:ident,)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
                self.integer(visitor)
            }
        )*
    };
}

impl<'de> de::Deserializer<'de> for NodeDeserializer<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let offset = self.0.offset;
        let result = match &self.0.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Integer(n) => match (u64::try_from(*n), i64::try_from(*n)) {
                (Ok(n), _) => visitor.visit_u64(n),
                (_, Ok(n)) => visitor.visit_i64(n),
                _ => visitor.visit_str(&n.to_string()),
            },
            Value::OtherNumber(text) => match text.parse::<f64>() {
                Ok(n) => visitor.visit_f64(n),
                Err(_) => visitor.visit_str(text),
            },
            Value::String(text) => visitor.visit_str(text),
            Value::Array(items) => visitor.visit_seq(Items::new(items)),
            Value::Object(members) => visitor.visit_map(Members::new(members)),
        };
        result.map_err(|e| e.at(offset))
    }

    counts! {
        deserialize_u8 => u8,
        deserialize_u16 => u16,
        deserialize_u32 => u32,
        deserialize_u64 => u64,
    }

    integers! {
        deserialize_i8,
        deserialize_i16,
        deserialize_i32,
        deserialize_i64,
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.0.value {
            Value::Bool(b) => visitor
                .visit_bool::<Error>(*b)
                .map_err(|e| e.at(self.0.offset)),
            _ => Err(self.wrong(Want::Bool)),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.0.value {
            Value::String(text) => visitor
                .visit_str::<Error>(text)
                .map_err(|e| e.at(self.0.offset)),
            _ => Err(self.wrong(Want::Text)),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.0.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.0.value {
            Value::Array(items) => visitor
                .visit_seq(Items::new(items))
                .map_err(|e| e.at(self.0.offset)),
            _ => Err(self.wrong(Want::List)),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.0.value {
            Value::Object(members) => visitor
                .visit_map(Members::new(members))
                .map_err(|e| e.at(self.0.offset)),
            _ => Err(self.wrong(Want::Object)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match &self.0.value {
            Value::String(text) => visitor
                .visit_enum(text.as_str().into_deserializer())
                .map_err(|e: Error| e.at(self.0.offset)),
            _ => Err(self.wrong(Want::OneOf(variants))),
        }
    }

    serde::forward_to_deserialize_any! {
        i128 u128 f32 f64 bytes byte_buf unit unit_struct ignored_any
    }
}

/// The items of a list, each error tagged with its index.
struct Items<'n> {
    items: std::slice::Iter<'n, Node>,
    index: usize,
}

impl<'n> Items<'n> {
    fn new(items: &'n [Node]) -> Items<'n> {
        Items {
            items: items.iter(),
            index: 0,
        }
    }
}

impl<'de> de::SeqAccess<'de> for Items<'_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        let Some(item) = self.items.next() else {
            return Ok(None);
        };
        let index = self.index;
        self.index += 1;
        seed.deserialize(NodeDeserializer(item))
            .map(Some)
            .map_err(|e| e.at(item.offset).within(Segment::Index(index)))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

/// The members of an object, each error tagged with its key.
struct Members<'n> {
    members: std::slice::Iter<'n, (Key, Node)>,
    value: Option<&'n (Key, Node)>,
}

impl<'n> Members<'n> {
    fn new(members: &'n [(Key, Node)]) -> Members<'n> {
        Members {
            members: members.iter(),
            value: None,
        }
    }
}

impl<'de> de::MapAccess<'de> for Members<'_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some(member) = self.members.next() else {
            return Ok(None);
        };
        self.value = Some(member);
        let key = &member.0;
        let deserializer: de::value::StrDeserializer<'_, Error> =
            key.text.as_str().into_deserializer();
        seed.deserialize(deserializer)
            .map(Some)
            .map_err(|e| e.at(key.offset).within(Segment::Key(key.text.clone())))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let Some((key, value)) = self.value.take() else {
            return Err(de::Error::custom("a value was read before its key"));
        };
        seed.deserialize(NodeDeserializer(value))
            .map_err(|e| e.at(value.offset).within(Segment::Key(key.text.clone())))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.members.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::tree::parse;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Inner {
        count: u32,
        #[serde(default)]
        flag: bool,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Outer {
        inner: Inner,
        #[serde(default)]
        names: Vec<String>,
        #[serde(default)]
        mode: Option<Mode>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "kebab-case")]
    enum Mode {
        FailOpen,
        FailClosed,
    }

    fn read(text: &str) -> Result<Outer, Error> {
        Outer::deserialize(NodeDeserializer(&parse(text).unwrap()))
    }

    #[test]
    fn reads_what_serde_json_reads() {
        let text =
            r#"{"inner": {"count": 3, "flag": true}, "names": ["a"], "mode": "fail-closed"}"#;
        assert_eq!(read(text).unwrap(), serde_json::from_str(text).unwrap());
    }

    #[test]
    fn unknown_key_is_typed_with_the_known_keys_and_placed_at_the_key() {
        let error = read("{\"inner\": {\"count\": 3, \"flaag\": true}}").unwrap_err();
        assert_eq!(
            error.problem,
            Problem::UnknownKey {
                key: "flaag".into(),
                known: &["count", "flag"]
            }
        );
        assert_eq!(error.path(), "inner.flaag");
        assert_eq!(error.offset, Some(23));
    }

    #[test]
    fn wrong_types_are_typed_and_placed_at_the_value() {
        let error = read("{\"inner\": {\"count\": \"3\"}}").unwrap_err();
        assert_eq!(
            error.problem,
            Problem::WrongType {
                want: Want::Count(u32::MAX.into()),
                found: Found::Text("3".into())
            }
        );
        assert_eq!(
            (error.path().as_str(), error.offset),
            ("inner.count", Some(20))
        );
        for (text, path) in [
            ("{\"inner\": {\"count\": -1}}", "inner.count"),
            ("{\"inner\": {\"count\": 4294967296}}", "inner.count"),
            ("{\"inner\": {\"count\": 1.0}}", "inner.count"),
            ("{\"inner\": [3, true]}", "inner"),
            (
                "{\"inner\": {\"count\": 1}, \"names\": [\"a\", 2]}",
                "names[1]",
            ),
            ("[]", ""),
        ] {
            let error = read(text).unwrap_err();
            assert!(
                matches!(error.problem, Problem::WrongType { .. }),
                "{text}: {error}"
            );
            assert_eq!(error.path(), path, "{text}");
        }
    }

    #[test]
    fn unknown_enum_value_and_missing_key_are_typed() {
        let error = read("{\"inner\": {\"count\": 1}, \"mode\": \"fail-silently\"}").unwrap_err();
        assert_eq!(
            error.problem,
            Problem::UnknownValue {
                value: "fail-silently".into(),
                known: &["fail-open", "fail-closed"]
            }
        );
        assert_eq!(error.path(), "mode");
        let error = read("{\"inner\": {\"flag\": true}}").unwrap_err();
        assert_eq!(error.problem, Problem::Missing { key: "count" });
        assert_eq!((error.path().as_str(), error.offset), ("inner", Some(10)));
    }
}

//! How much of a draft the checker is willing to build, counted before it is built.
//!
//! A 63 MB JSON draft can list three million attachments; building them all (and the
//! findings about them) took a minute and 12 GB before the count was ever looked at.
//! [`json_census`] walks the JSON once without allocating anything per element and
//! stops at the first list that is too long, so a hostile draft ends in milliseconds
//! with an error that says what and where.

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::draft::{MAX_ATTACHMENTS, MAX_KNOWN_DOMAINS, MAX_NOT_INSPECTED, MAX_RECIPIENTS};
use crate::error::{InputError, InputErrorKind};

/// Which limit a draft went over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Over {
    Recipients,
    Attachments,
    NotInspected,
    KnownDomains,
}

#[derive(Default)]
struct Census {
    recipients: usize,
    attachments: usize,
    not_inspected: usize,
    known_domains: usize,
    over: Option<Over>,
}

/// Counts the recipients (`to`, `cc`, `bcc` together), attachments and `not_inspected`
/// entries of a JSON draft
/// and refuses it if either is over its limit, naming the line and column where the
/// count went over. Anything else wrong with the text is left to the real parse, which
/// reports it precisely; this pass only ever says "too large".
pub(crate) fn json_census(text: &str) -> Result<(), InputError> {
    let mut census = Census::default();
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let Err(error) = TopLevel(&mut census).deserialize(&mut deserializer) else {
        return Ok(());
    };
    let message = match census.over {
        None => return Ok(()),
        Some(Over::Recipients) => format!(
            "the draft has more than {MAX_RECIPIENTS} recipients (To, Cc and Bcc together); \
             the checker accepts at most {MAX_RECIPIENTS}"
        ),
        Some(Over::Attachments) => format!(
            "the draft has more than {MAX_ATTACHMENTS} attachments; the checker accepts at most \
             {MAX_ATTACHMENTS}"
        ),
        Some(Over::NotInspected) => format!(
            "the draft has more than {MAX_NOT_INSPECTED} not_inspected entries; the checker \
             accepts at most {MAX_NOT_INSPECTED}"
        ),
        Some(Over::KnownDomains) => format!(
            "the draft has more than {MAX_KNOWN_DOMAINS} known_domains; the checker accepts at \
             most {MAX_KNOWN_DOMAINS}"
        ),
    };
    Err(InputError::new(InputErrorKind::TooLarge, message).at(error.line(), error.column()))
}

/// The draft object: its list fields are counted, everything else skipped.
struct TopLevel<'a>(&'a mut Census);

impl<'de> DeserializeSeed<'de> for TopLevel<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for TopLevel<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a draft object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            let over = match key.as_ref() {
                "to" | "cc" | "bcc" => Over::Recipients,
                "attachments" => Over::Attachments,
                "not_inspected" => Over::NotInspected,
                "known_domains" => Over::KnownDomains,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            map.next_value_seed(List {
                census: &mut *self.0,
                over,
            })?;
        }
        Ok(())
    }
}

/// One list field: counts its elements without building them.
struct List<'a> {
    census: &'a mut Census,
    over: Over,
}

impl<'de> DeserializeSeed<'de> for List<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for List<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a list")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let (count, limit) = match self.over {
            Over::Recipients => (&mut self.census.recipients, MAX_RECIPIENTS),
            Over::Attachments => (&mut self.census.attachments, MAX_ATTACHMENTS),
            Over::NotInspected => (&mut self.census.not_inspected, MAX_NOT_INSPECTED),
            Over::KnownDomains => (&mut self.census.known_domains, MAX_KNOWN_DOMAINS),
        };
        while seq.next_element::<IgnoredAny>()?.is_some() {
            *count += 1;
            if *count > limit {
                self.census.over = Some(self.over);
                return Err(de::Error::custom("over the limit"));
            }
        }
        Ok(())
    }
}

/// Lines of an `.eml` that start with `--`: every MIME part starts with one. The
/// parser builds a part (headers, body, decoded content) for each, before any count
/// could be checked, so a message with millions of empty parts is refused up front.
/// Ten lines per allowed attachment leave room for nested multiparts, closing
/// delimiters and `-- ` signature lines.
pub(crate) const MAX_EML_DASH_LINES: usize = 10 * MAX_ATTACHMENTS;

/// Refuses an `.eml` with more `--` lines than [`MAX_EML_DASH_LINES`].
pub(crate) fn eml_census(bytes: &[u8]) -> Result<(), InputError> {
    let mut dash_lines = 0usize;
    for (index, line) in bytes.split(|byte| *byte == b'\n').enumerate() {
        if !line.starts_with(b"--") {
            continue;
        }
        dash_lines += 1;
        if dash_lines > MAX_EML_DASH_LINES {
            return Err(InputError::new(
                InputErrorKind::TooLarge,
                format!(
                    "the message has more than {MAX_EML_DASH_LINES} MIME part boundaries \
                     (lines starting with `--`); the checker accepts at most \
                     {MAX_ATTACHMENTS} attachments"
                ),
            )
            .at(index + 1, 1));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_lists_are_counted_before_they_are_built() {
        let attachment = r#"{"name":"a.txt","size":1}"#;
        let at_limit = format!(
            r#"{{"attachments":[{}]}}"#,
            vec![attachment; MAX_ATTACHMENTS].join(",")
        );
        assert_eq!(json_census(&at_limit), Ok(()));
        let over = format!(
            "{{\"to\":[],\n\"attachments\":[{}]}}",
            vec![attachment; MAX_ATTACHMENTS + 1].join(",")
        );
        let error = json_census(&over).unwrap_err();
        assert_eq!(error.kind(), InputErrorKind::TooLarge);
        assert_eq!(error.line(), Some(2));
        assert!(error.to_string().contains("attachments"), "{error}");
        let recipient = r#"{"address":"a@b.de"}"#;
        let split = format!(
            r#"{{"to":[{}],"bcc":[{}]}}"#,
            vec![recipient; MAX_RECIPIENTS / 2].join(","),
            vec![recipient; MAX_RECIPIENTS / 2 + 1].join(",")
        );
        assert!(
            json_census(&split)
                .unwrap_err()
                .to_string()
                .contains("recipients")
        );
    }

    #[test]
    fn json_census_leaves_other_errors_to_the_parser() {
        for text in [
            "",
            "[1,2]",
            "{\"to\": 5}",
            "{\"attachments\": [",
            "nonsense",
        ] {
            assert_eq!(json_census(text), Ok(()), "{text}");
        }
    }

    #[test]
    fn eml_dash_lines_are_capped() {
        let ok = "--b\r\n".repeat(MAX_EML_DASH_LINES);
        assert_eq!(eml_census(ok.as_bytes()), Ok(()));
        let over = format!("To: a@b.de\r\n\r\n{ok}--b--\r\n");
        let error = eml_census(over.as_bytes()).unwrap_err();
        assert_eq!(error.kind(), InputErrorKind::TooLarge);
        assert_eq!(error.line(), Some(MAX_EML_DASH_LINES + 3));
    }
}

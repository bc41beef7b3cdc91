//! The draft: what the user is about to send, as every front end describes it.

use serde::{Deserialize, Serialize};

use crate::address::Address;
use crate::error::{InputError, InputErrorKind};

/// The largest draft (JSON or `.eml`) the checker reads, in bytes. Mail servers refuse
/// far smaller messages; anything bigger is not a draft but a mistake.
pub const MAX_INPUT_BYTES: usize = 100 * 1024 * 1024;

/// The most recipients (To + Cc + Bcc) a draft may have. Exchange Online stops at
/// 1,000 per message (500 per field on classic Outlook); 100,000 leaves room for
/// every client while keeping a hostile input from turning into a hang.
pub const MAX_RECIPIENTS: usize = 100_000;

/// The most attachments a draft may have. Exchange Online accepts 250 per message;
/// 1,000 leaves room for every client while keeping three million attachments in a
/// 63 MB draft from turning into a minute of work and gigabytes of memory.
pub const MAX_ATTACHMENTS: usize = 1_000;

/// The most `not_inspected` entries a draft may have: one per attachment, per
/// recipient (a list that could not be expanded) and the body. Each becomes a finding.
pub const MAX_NOT_INSPECTED: usize = MAX_ATTACHMENTS + MAX_RECIPIENTS + 1;

/// The most `known_domains` a draft may carry: a large address book has a few
/// thousand; more is a mistake or an attack.
pub const MAX_KNOWN_DOMAINS: usize = 100_000;

/// A message about to be sent.
///
/// Built by a front end from its mail client's API ([`Draft::from_json`]) or from a
/// saved message ([`Draft::from_eml`]). Every field is optional in JSON.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Draft {
    /// The sender. Without a policy list of internal domains, the sender's organization
    /// is what counts as internal.
    pub from: Option<Address>,
    /// Recipients everyone sees.
    pub to: Vec<Address>,
    /// Recipients everyone sees, in copy.
    pub cc: Vec<Address>,
    /// Recipients nobody else sees.
    pub bcc: Vec<Address>,
    /// The subject line.
    pub subject: String,
    /// The body as plain text.
    pub body: String,
    /// The attachments, in order.
    pub attachments: Vec<Attachment>,
    /// What the front end (or the `.eml` reader) could not look at: a body read that
    /// timed out, an attachment it could not open, a contact group it could not expand.
    /// Each entry becomes a finding: what was not inspected is reported, never skipped.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_inspected: Vec<NotInspected>,
    /// Domains the sender already writes to, from the mail program's address books
    /// (Thunderbird fills it): `lookalike-recipient` compares recipients with them and
    /// never reports one of them. Domains only, never addresses; entries that are not
    /// domains are ignored.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub known_domains: Vec<String>,
    /// How the mail will travel: end-to-end encryption and sensitivity label as the
    /// mail program reports them (Thunderbird fills `encrypted`, Outlook `label`).
    /// Absent: the front end says nothing, which `unprotected-sensitive-data` reads as
    /// not encrypted (fail closed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub protection: Option<Protection>,
}

/// How a draft is protected on its way, as the mail program reports it.
///
/// Unknown is not unencrypted, but it is treated like it: a state the front end cannot
/// read (`encrypted` absent or `null`, as in Outlook, whose compose API has no S/MIME
/// state) does not count as protection; the finding then says that the state is unknown.
///
/// ```
/// use sendguard_core::Draft;
///
/// let draft = Draft::from_json(r#"{"protection": {"encrypted": true, "can_encrypt": true}}"#).unwrap();
/// assert_eq!(draft.protection.unwrap().encrypted, Some(true));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Protection {
    /// End-to-end encryption of the body (OpenPGP or S/MIME) is switched on (`true`),
    /// off (`false`), or the mail program does not say (`null`, absent).
    pub encrypted: Option<bool>,
    /// The id (a GUID in Outlook) of the sensitivity label applied to the mail, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// That label's display name, where the front end could look it up.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label_name: Option<String>,
    /// The add-in can switch encryption on for this mail (Thunderbird: the identity has
    /// OpenPGP or S/MIME set up). Then the `encrypt` fix is offered.
    pub can_encrypt: bool,
    /// The add-in can apply a sensitivity label (Outlook: the label catalogue is
    /// enabled). Then the `apply-label` fix is offered when the policy names a label.
    pub can_label: bool,
}

impl Protection {
    /// Whether the applied label is the one the policy names (`wanted`: its id or its
    /// name, compared without case and surrounding blanks).
    pub fn has_label(&self, wanted: &str) -> bool {
        let wanted = wanted.trim().to_lowercase();
        !wanted.is_empty()
            && [&self.label, &self.label_name]
                .into_iter()
                .flatten()
                .any(|value| value.trim().to_lowercase() == wanted)
    }
}

/// One part of a draft that could not be inspected, and why.
///
/// ```
/// use sendguard_core::{Draft, Part, Reason};
///
/// let draft = Draft::from_json(r#"{"not_inspected": [
///     {"part": "attachment", "name": "scan.pdf", "reason": "timeout"}
/// ]}"#).unwrap();
/// assert_eq!(draft.not_inspected[0].part, Part::Attachment);
/// assert_eq!(draft.not_inspected[0].reason, Reason::Timeout);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotInspected {
    /// Which kind of part.
    pub part: Part,
    /// The attachment's file name, or the list's name or address; none for the body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Why it was not inspected.
    pub reason: Reason,
}

/// The kind of part that was not inspected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Part {
    /// The text of the mail.
    Body,
    /// An attachment, or a file inside one (an archive entry, a forwarded message).
    Attachment,
    /// A contact group or mailing list whose members could not be read.
    List,
}

/// Why a part was not inspected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    /// Larger than the checker (or the front end's budget) reads.
    TooLarge,
    /// Reading it took longer than its time limit.
    Timeout,
    /// It could not be read or decoded.
    Unreadable,
    /// It is encrypted.
    Encrypted,
    /// It is nested deeper than the checker opens.
    TooDeep,
    /// The mail has more parts than the checker opens.
    TooMany,
    /// The mail program reported an error when asked for it.
    Error,
    /// The mail program gives add-ins no way to read it (a cloud attachment, say).
    Unsupported,
}

impl Reason {
    /// The stable id, as in JSON: `too-large`, `timeout`, …
    pub fn id(self) -> &'static str {
        match self {
            Reason::TooLarge => "too-large",
            Reason::Timeout => "timeout",
            Reason::Unreadable => "unreadable",
            Reason::Encrypted => "encrypted",
            Reason::TooDeep => "too-deep",
            Reason::TooMany => "too-many",
            Reason::Error => "error",
            Reason::Unsupported => "unsupported",
        }
    }

    /// Every reason, in declaration order.
    pub const ALL: [Reason; 8] = [
        Reason::TooLarge,
        Reason::Timeout,
        Reason::Unreadable,
        Reason::Encrypted,
        Reason::TooDeep,
        Reason::TooMany,
        Reason::Error,
        Reason::Unsupported,
    ];
}

/// A file attached to a draft.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attachment {
    /// The file name as the recipient will see it.
    pub name: String,
    /// Other names the same file carries (a MIME part can name itself differently in
    /// `filename*`, `filename` and `name`; clients differ in which they show). The
    /// attachment rules check every one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_names: Vec<String>,
    /// The declared media type (`application/pdf`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    /// Size in bytes.
    #[serde(default)]
    pub size: u64,
    /// The content, when the front end provides it (base64 in JSON).
    #[serde(
        default,
        rename = "content_base64",
        with = "base64_content",
        skip_serializing_if = "Option::is_none"
    )]
    pub content: Option<Vec<u8>>,
}

/// One of the three recipient fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Field {
    /// To.
    To,
    /// Cc.
    Cc,
    /// Bcc.
    Bcc,
}

impl Draft {
    /// Reads a draft from the JSON shape the add-ins send (see `docs/formats.md`).
    ///
    /// Unknown fields are errors, so a front end that misspells `cc` is caught in its
    /// tests instead of silently checking nothing.
    pub fn from_json(text: &str) -> Result<Draft, InputError> {
        if text.len() > MAX_INPUT_BYTES {
            return Err(too_large(text.len()));
        }
        if text.trim().is_empty() {
            return Err(InputError::new(
                InputErrorKind::Empty,
                "the draft is empty: expected a JSON object",
            ));
        }
        crate::limits::json_census(text)?;
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let draft: Draft =
            serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
                let path = error.path().to_string();
                let inner = error.into_inner();
                let kind = if inner.is_syntax() || inner.is_eof() {
                    InputErrorKind::Syntax
                } else {
                    InputErrorKind::Shape
                };
                let message = if path == "." {
                    format!("invalid draft: {}", strip_position(&inner))
                } else {
                    format!("invalid draft at `{path}`: {}", strip_position(&inner))
                };
                InputError::new(kind, message).at(inner.line(), inner.column())
            })?;
        deserializer.end().map_err(|error| {
            InputError::new(
                InputErrorKind::Syntax,
                "unexpected text after the draft object (two drafts in one input?)",
            )
            .at(error.line(), error.column())
        })?;
        if let Err(place) = crate::json::objects_not_arrays(
            text,
            &[
                "to",
                "cc",
                "bcc",
                "attachments",
                "not_inspected",
                "known_domains",
            ],
        ) {
            let message = if place.path.is_empty() {
                "a draft must be a JSON object `{…}`, not an array".to_string()
            } else {
                format!(
                    "invalid draft at `{}`: expected an object, not an array",
                    place.path
                )
            };
            return Err(
                InputError::new(InputErrorKind::Shape, message).at(place.line, place.column)
            );
        }
        draft.within_limits()?;
        Ok(draft)
    }

    /// The recipients of one field.
    pub fn field(&self, field: Field) -> &[Address] {
        match field {
            Field::To => &self.to,
            Field::Cc => &self.cc,
            Field::Bcc => &self.bcc,
        }
    }

    /// Every recipient with the field it is in: To, then Cc, then Bcc, in draft order.
    pub fn recipients(&self) -> impl Iterator<Item = (Field, &Address)> {
        [Field::To, Field::Cc, Field::Bcc]
            .into_iter()
            .flat_map(move |field| self.field(field).iter().map(move |a| (field, a)))
    }

    pub(crate) fn within_limits(&self) -> Result<(), InputError> {
        let count = self.to.len() + self.cc.len() + self.bcc.len();
        if count > MAX_RECIPIENTS {
            return Err(InputError::new(
                InputErrorKind::TooLarge,
                format!(
                    "the draft has {count} recipients; the checker accepts at most {MAX_RECIPIENTS}"
                ),
            ));
        }
        let count = self.attachments.len();
        if count > MAX_ATTACHMENTS {
            return Err(InputError::new(
                InputErrorKind::TooLarge,
                format!(
                    "the draft has {count} attachments; the checker accepts at most {MAX_ATTACHMENTS}"
                ),
            ));
        }
        let count = self.known_domains.len();
        if count > MAX_KNOWN_DOMAINS {
            return Err(InputError::new(
                InputErrorKind::TooLarge,
                format!(
                    "the draft has {count} known_domains; the checker accepts at most {MAX_KNOWN_DOMAINS}"
                ),
            ));
        }
        let count = self.not_inspected.len();
        if count > MAX_NOT_INSPECTED {
            return Err(InputError::new(
                InputErrorKind::TooLarge,
                format!(
                    "the draft has {count} not_inspected entries; the checker accepts at most {MAX_NOT_INSPECTED}"
                ),
            ));
        }
        Ok(())
    }
}

pub(crate) fn too_large(len: usize) -> InputError {
    InputError::new(
        InputErrorKind::TooLarge,
        format!(
            "the input is {len} bytes; the checker reads at most {MAX_INPUT_BYTES} bytes ({} MiB)",
            MAX_INPUT_BYTES / (1024 * 1024)
        ),
    )
}

/// serde_json appends " at line L column C" to its messages; we report the position
/// separately, so the text would say it twice.
pub(crate) fn strip_position(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(index) => text[..index].to_string(),
        None => text,
    }
}

mod base64_content {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;
    use serde::{Deserialize, Deserializer, Serializer};

    #[allow(clippy::ref_option)] // the signature serde's `with` requires
    pub(super) fn serialize<S: Serializer>(
        content: &Option<Vec<u8>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match content {
            Some(bytes) => serializer.serialize_str(&STANDARD.encode(bytes)),
            None => serializer.serialize_none(),
        }
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Vec<u8>>, D::Error> {
        let text: Option<String> = Option::deserialize(deserializer)?;
        text.map(|mut text| {
            // In place: a second copy of a 60 MB attachment would be the peak of the
            // whole check.
            text.retain(|c| !c.is_ascii_whitespace());
            STANDARD
                .decode(text)
                .map_err(|error| serde::de::Error::custom(format!("not base64: {error}")))
        })
        .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_object_is_an_empty_draft() {
        assert_eq!(Draft::from_json("{}"), Ok(Draft::default()));
    }

    #[test]
    fn unknown_field_names_path_and_line() {
        let error = Draft::from_json("{\n  \"to\": [],\n  \"cc\": [{\"adress\": \"a@b.de\"}]\n}")
            .unwrap_err();
        assert_eq!(error.kind(), InputErrorKind::Shape);
        assert_eq!(error.line(), Some(3));
        let text = error.to_string();
        assert!(text.contains("cc[0]"), "{text}");
        assert!(text.contains("adress"), "{text}");
    }

    #[test]
    fn syntax_and_empty_errors() {
        assert_eq!(
            Draft::from_json("{\"to\": [").unwrap_err().kind(),
            InputErrorKind::Syntax
        );
        assert_eq!(
            Draft::from_json("  \n").unwrap_err().kind(),
            InputErrorKind::Empty
        );
    }

    #[test]
    fn base64_content_round_trips() {
        let draft = Draft::from_json(
            r#"{"attachments":[{"name":"a.bin","size":3,"content_base64":"TVqQ"}]}"#,
        )
        .unwrap();
        assert_eq!(
            draft.attachments[0].content.as_deref(),
            Some(&b"MZ\x90"[..])
        );
        let json = serde_json::to_string(&draft).unwrap();
        assert_eq!(Draft::from_json(&json).unwrap(), draft);
        let bad = Draft::from_json(r#"{"attachments":[{"name":"a","content_base64":"%%"}]}"#);
        assert!(bad.unwrap_err().to_string().contains("not base64"));
    }

    #[test]
    fn too_many_recipients_is_an_error_not_a_hang() {
        let many: Vec<String> = (0..=MAX_RECIPIENTS)
            .map(|i| format!("{{\"address\":\"u{i}@x.de\"}}"))
            .collect();
        let json = format!("{{\"bcc\":[{}]}}", many.join(","));
        assert_eq!(
            Draft::from_json(&json).unwrap_err().kind(),
            InputErrorKind::TooLarge
        );
    }
}

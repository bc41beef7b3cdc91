//! Reading a draft from a saved message (`.eml`, RFC 5322 + MIME).

use mail_parser::{Addr, Address as ParsedAddress, MessageParser, MimeHeaders as _};

use crate::address::Address;
use crate::draft::{Attachment, Draft, MAX_INPUT_BYTES, too_large};
use crate::error::{InputError, InputErrorKind};

impl Draft {
    /// Reads a draft from an `.eml` file.
    ///
    /// Display names are decoded (RFC 2047, UTF-8 headers), group syntax is kept in
    /// [`Address::group`], attachment names follow RFC 2231. Attachment content is
    /// kept so that rules can look inside it.
    ///
    /// ```
    /// use sendguard_core::Draft;
    ///
    /// let eml = b"From: a@example.com\r\nTo: =?UTF-8?Q?M=C3=BCller=2C_Hans?= <h@x.de>\r\n\r\nHi\r\n";
    /// let draft = Draft::from_eml(eml).unwrap();
    /// assert_eq!(draft.to[0].name.as_deref(), Some("Müller, Hans"));
    /// ```
    pub fn from_eml(bytes: &[u8]) -> Result<Draft, InputError> {
        if bytes.len() > MAX_INPUT_BYTES {
            return Err(too_large(bytes.len()));
        }
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(InputError::new(
                InputErrorKind::Empty,
                "the message is empty: expected mail headers (From:, To:, …)",
            ));
        }
        let message = MessageParser::new().parse(bytes).ok_or_else(|| {
            InputError::new(
                InputErrorKind::Syntax,
                "not a mail message: no header block found",
            )
        })?;
        if message.headers().is_empty() {
            return Err(InputError::new(
                InputErrorKind::Syntax,
                "not a mail message: the first line is not a header (`Name: value`)",
            ));
        }
        let addresses = |list: Option<&ParsedAddress<'_>>| list.map(convert).unwrap_or_default();
        let draft = Draft {
            from: message
                .from()
                .and_then(|list| convert(list).into_iter().next()),
            to: addresses(message.to()),
            cc: addresses(message.cc()),
            bcc: addresses(message.bcc()),
            subject: message.subject().unwrap_or_default().to_string(),
            body: message
                .body_text(0)
                .map(std::borrow::Cow::into_owned)
                .unwrap_or_default(),
            attachments: message
                .attachments()
                .enumerate()
                .map(|(index, part)| {
                    let content = part.contents().to_vec();
                    Attachment {
                        name: part
                            .attachment_name()
                            .map_or_else(|| format!("attachment-{}", index + 1), str::to_string),
                        media_type: part.content_type().map(|ct| match ct.subtype() {
                            Some(subtype) => format!("{}/{subtype}", ct.ctype()),
                            None => ct.ctype().to_string(),
                        }),
                        size: content.len() as u64,
                        content: Some(content),
                    }
                })
                .collect(),
            not_inspected: Vec::new(),
        };
        draft.within_limits()?;
        Ok(draft)
    }
}

/// Flattens an address list, keeping each mailbox's group name. Mailboxes without an
/// address (`To: Hans Müller`, a broken header) keep what the header said, so the user
/// sees them rather than losing them.
fn convert(list: &ParsedAddress<'_>) -> Vec<Address> {
    let mut out = Vec::new();
    let mut push = |addr: &Addr<'_>, group: Option<&str>| {
        if let Some(address) = mailbox_address(addr.address.as_deref(), addr.name.as_deref(), group)
        {
            out.push(address);
        }
    };
    match list {
        ParsedAddress::List(mailboxes) => {
            for mailbox in mailboxes {
                push(mailbox, None);
            }
        }
        ParsedAddress::Group(groups) => {
            for group in groups {
                for mailbox in &group.addresses {
                    push(mailbox, group.name.as_deref());
                }
            }
        }
    }
    out
}

fn mailbox_address(
    address: Option<&str>,
    name: Option<&str>,
    group: Option<&str>,
) -> Option<Address> {
    let name = name.map(str::trim).filter(|n| !n.is_empty());
    let address = match address.map(str::trim).filter(|a| !a.is_empty()) {
        Some(address) => address,
        // A bare word: keep it as the address, so it is reported as unusable.
        None => name?,
    };
    Some(Address {
        name: name.filter(|n| *n != address).map(str::to_string),
        address: address.to_string(),
        group: group.map(str::to_string),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_and_encoded_names() {
        let eml = "From: Anna <anna@corp.example>\r\n\
                   To: Partners: a@x.example, \"Doe, Jane\" <j@y.example>;, solo@z.example\r\n\
                   Cc: undisclosed-recipients:;\r\n\
                   Subject: =?ISO-8859-1?Q?Gr=FC=DFe?=\r\n\r\nbody\r\n";
        let draft = Draft::from_eml(eml.as_bytes()).unwrap();
        assert_eq!(draft.subject, "Grüße");
        assert_eq!(draft.to.len(), 3);
        assert_eq!(draft.to[0].group.as_deref(), Some("Partners"));
        assert_eq!(draft.to[1].name.as_deref(), Some("Doe, Jane"));
        assert_eq!(draft.to[2].group, None);
        assert!(draft.cc.is_empty());
        assert_eq!(draft.body.trim(), "body");
    }

    #[test]
    fn rfc2231_attachment_name_and_size() {
        let eml = "From: a@b.example\r\nTo: c@d.example\r\nMIME-Version: 1.0\r\n\
            Content-Type: multipart/mixed; boundary=XX\r\n\r\n--XX\r\n\
            Content-Type: text/plain\r\n\r\nsee attached\r\n--XX\r\n\
            Content-Type: application/octet-stream\r\n\
            Content-Disposition: attachment; filename*=UTF-8''Rechnung%20M%C3%A4rz.pdf.exe\r\n\
            Content-Transfer-Encoding: base64\r\n\r\nTVqQAA==\r\n--XX--\r\n";
        let draft = Draft::from_eml(eml.as_bytes()).unwrap();
        assert_eq!(draft.attachments.len(), 1);
        let attachment = &draft.attachments[0];
        assert_eq!(attachment.name, "Rechnung März.pdf.exe");
        assert_eq!(attachment.size, 4);
        assert_eq!(attachment.content.as_deref(), Some(&b"MZ\x90\x00"[..]));
    }

    #[test]
    fn unusable_inputs_are_errors() {
        assert_eq!(
            Draft::from_eml(b"").unwrap_err().kind(),
            InputErrorKind::Empty
        );
        assert_eq!(
            Draft::from_eml(b" \r\n ").unwrap_err().kind(),
            InputErrorKind::Empty
        );
    }
}

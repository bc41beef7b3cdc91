//! Reading a draft from a saved message (`.eml`, RFC 5322 + MIME), through the MIME
//! reader in [`crate::mime`], which reads it the way the recipient's client will.

use crate::draft::{
    Attachment, Draft, MAX_INPUT_BYTES, NotInspected, Part, Protection, Reason, too_large,
};
use crate::error::{InputError, InputErrorKind};
use crate::mime;

impl Draft {
    /// Reads a draft from an `.eml` file.
    ///
    /// Every `To`, `Cc` and `Bcc` field counts, and `Resent-To`/`Resent-Cc`/`Resent-Bcc`
    /// with them. Display names are decoded (RFC 2047, UTF-8 headers), group syntax is
    /// kept in [`Address::group`](crate::Address::group), attachment names follow
    /// RFC 2231, and a part with several names keeps all of them
    /// ([`Attachment::other_names`]). Attachment content is kept so that rules can look
    /// inside it (forwarded messages and archives included).
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
        crate::limits::eml_census(bytes)?;
        let (fields, _) = mime::header::split(bytes);
        if fields.is_empty() {
            return Err(InputError::new(
                InputErrorKind::Syntax,
                "not a mail message: the first line is not a header (`Name: value`)",
            ));
        }
        let reading = mime::read(bytes);
        let draft = Draft {
            from: reading.from.into_iter().next(),
            to: reading.to,
            cc: reading.cc,
            bcc: reading.bcc,
            subject: reading.subject,
            // An HTML-only message: its text as a reader sees it.
            body: if reading.body.is_empty() {
                crate::personal_data::html_to_text(&reading.html)
            } else {
                reading.body
            },
            attachments: reading
                .files
                .into_iter()
                .enumerate()
                .map(|(index, file)| attachment(index, file))
                .collect(),
            not_inspected: [
                (reading.limits.too_deep, Reason::TooDeep),
                (reading.limits.too_many, Reason::TooMany),
            ]
            .into_iter()
            .filter(|(hit, _)| *hit)
            .map(|(_, reason)| NotInspected {
                part: Part::Attachment,
                name: None,
                reason,
            })
            .collect(),
            // A saved message carries no address book.
            known_domains: Vec::new(),
            protection: encrypted_message(&fields).then(|| Protection {
                encrypted: Some(true),
                ..Protection::default()
            }),
        };
        draft.within_limits()?;
        Ok(draft)
    }
}

/// A file of the message as an attachment: its first name shown, the others kept.
fn attachment(index: usize, file: mime::File) -> Attachment {
    let mut names = file.names.into_iter();
    let name = names
        .next()
        .unwrap_or_else(|| format!("attachment-{}", index + 1));
    Attachment {
        name,
        other_names: names.collect(),
        media_type: file.media_type,
        size: file.content.len() as u64,
        content: Some(file.content),
    }
}

/// Whether the message as a whole is end-to-end encrypted: PGP/MIME
/// (`multipart/encrypted`, RFC 3156) or S/MIME enveloped data (`application/pkcs7-mime`,
/// RFC 8551; a signed-only S/MIME message says `smime-type=signed-data`). Anything else
/// (no protection read): the checker treats the state as unknown.
fn encrypted_message(fields: &[mime::header::Field]) -> bool {
    let Some(raw) = mime::header::all(fields, "content-type").next() else {
        return false;
    };
    let content_type = mime::header::structured(raw);
    match content_type.value.as_str() {
        "multipart/encrypted" => true,
        "application/pkcs7-mime" | "application/x-pkcs7-mime" => {
            content_type.param("smime-type").is_none_or(|kind| {
                kind.eq_ignore_ascii_case("enveloped-data")
                    || kind.eq_ignore_ascii_case("authenveloped-data")
            })
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encrypted_messages_say_so_and_signed_ones_do_not() {
        let with = |content_type: &str| {
            let eml = format!(
                "From: a@b.example\r\nTo: c@d.example\r\nContent-Type: {content_type}\r\n\r\nx\r\n"
            );
            Draft::from_eml(eml.as_bytes())
                .unwrap()
                .protection
                .and_then(|p| p.encrypted)
        };
        let pgp = "multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=x";
        assert_eq!(with(pgp), Some(true));
        assert_eq!(
            with("application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m"),
            Some(true)
        );
        assert_eq!(with("application/pkcs7-mime; smime-type=signed-data"), None);
        assert_eq!(
            with("multipart/signed; protocol=\"application/pgp-signature\"; boundary=x"),
            None
        );
        assert_eq!(with("text/plain"), None);
    }

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
    fn an_html_only_message_has_its_text_as_body() {
        let eml = "From: a@b.example\r\nTo: c@d.example\r\nContent-Type: text/html; charset=utf-8\r\n\r\n\
                   <html><body><p>IBAN&nbsp;DE89</p></body></html>\r\n";
        let draft = Draft::from_eml(eml.as_bytes()).unwrap();
        assert_eq!(draft.body.trim(), "IBAN DE89");
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

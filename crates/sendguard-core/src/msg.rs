//! Reading a draft from an Outlook `.msg` file (MS-OXMSG): what Outlook on Windows
//! writes when a mail is dragged out or saved, and what IT's archives are full of.
//!
//! A `.msg` is a compound file ([`crate::cfb`]). The message's properties are streams
//! named `__substg1.0_IIIITTTT` (property id and type, hex) and, for fixed-size values,
//! 16-byte records in `__properties_version1.0`. Each recipient is a storage
//! `__recip_version1.0_#NNNNNNNN` with its type (To, Cc, Bcc) and address; each
//! attachment a storage `__attach_version1.0_#NNNNNNNN` with its names and data, or,
//! for an attached Outlook item, a whole message as a storage of its own.
//!
//! Like the `.eml` reader, this one takes the reading that exposes more: every
//! recipient of the table counts (an unknown type counts as To), every file name an
//! attachment carries is kept, an attached message is opened (as a forwarded message,
//! so the attachment rules look inside it), and what could not be read is a
//! not-inspected entry, never a silent skip.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::address::Address;
use crate::cfb::{Cfb, CfbError};
use crate::draft::{Attachment, Draft, MAX_INPUT_BYTES, NotInspected, Part, Reason, too_large};
use crate::error::{InputError, InputErrorKind};
use crate::files::MAX_NESTING;

const PR_SUBJECT: u16 = 0x0037;
const PR_BODY: u16 = 0x1000;
const PR_HTML: u16 = 0x1013;
const PR_RTF_COMPRESSED: u16 = 0x1009;
const PR_SENDER_NAME: u16 = 0x0C1A;
const PR_SENDER_EMAIL_ADDRESS: u16 = 0x0C1F;
const PR_SENDER_SMTP_ADDRESS: u16 = 0x5D01;
const PR_SENT_REPRESENTING_NAME: u16 = 0x0042;
const PR_SENT_REPRESENTING_EMAIL_ADDRESS: u16 = 0x0065;
const PR_SENT_REPRESENTING_SMTP_ADDRESS: u16 = 0x5D02;
const PR_RECIPIENT_TYPE: u16 = 0x0C15;
const PR_DISPLAY_NAME: u16 = 0x3001;
const PR_EMAIL_ADDRESS: u16 = 0x3003;
const PR_SMTP_ADDRESS: u16 = 0x39FE;
const PR_ATTACH_DATA: u16 = 0x3701;
const PR_ATTACH_FILENAME: u16 = 0x3704;
const PR_ATTACH_METHOD: u16 = 0x3705;
const PR_ATTACH_LONG_FILENAME: u16 = 0x3707;
const PR_ATTACH_MIME_TAG: u16 = 0x370E;
const PR_MESSAGE_CODEPAGE: u16 = 0x3FFD;
const PR_TRANSPORT_MESSAGE_HEADERS: u16 = 0x007D;
const PR_INTERNET_CPID: u16 = 0x3FDE;

const PT_LONG: u16 = 0x0003;
const PT_STRING8: u16 = 0x001E;
const PT_UNICODE: u16 = 0x001F;
const PT_BINARY: u16 = 0x0102;
const PT_OBJECT: u16 = 0x000D;

const ATTACH_BY_VALUE: u32 = 1;
const ATTACH_EMBEDDED_MSG: u32 = 5;
const ATTACH_OLE: u32 = 6;

const PROPERTIES: &str = "__properties_version1.0";
const RECIPIENT_PREFIX: &str = "__recip_version1.0_#";
const ATTACHMENT_PREFIX: &str = "__attach_version1.0_#";

/// Whether the bytes start like a compound file: an Outlook `.msg` (or an old
/// `.doc`/`.xls`, which [`Draft::from_msg`] refuses with a reason).
///
/// ```
/// assert!(sendguard_core::looks_like_msg(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1..."));
/// assert!(!sendguard_core::looks_like_msg(b"From: a@b.example"));
/// ```
pub fn looks_like_msg(bytes: &[u8]) -> bool {
    bytes.starts_with(&crate::cfb::MAGIC)
}

impl Draft {
    /// Reads a draft from an Outlook `.msg` file (a compound file, MS-OXMSG).
    ///
    /// Recipients come from the recipient table (To, Cc, Bcc by `PR_RECIPIENT_TYPE`;
    /// the SMTP address where Outlook stored one, else the e-mail address), the sender
    /// from the sender properties, the body from the plain text (else the HTML's
    /// text). Attachments keep every name they carry (long, short, display) and their
    /// content; an attached Outlook item becomes a forwarded message the attachment
    /// rules open. A damaged file is an error that says what and at which byte.
    ///
    /// ```
    /// use sendguard_core::Draft;
    ///
    /// let error = Draft::from_msg(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1").unwrap_err();
    /// assert!(error.message().contains("Outlook .msg"));
    /// ```
    pub fn from_msg(bytes: &[u8]) -> Result<Draft, InputError> {
        if bytes.len() > MAX_INPUT_BYTES {
            return Err(too_large(bytes.len()));
        }
        if bytes.is_empty() {
            return Err(InputError::new(
                InputErrorKind::Empty,
                "the file is empty: expected an Outlook .msg",
            ));
        }
        let cfb = Cfb::open(bytes).map_err(unreadable)?;
        let message = read_message(&cfb, cfb.root(), 32, 0).map_err(unreadable)?;
        if cfb.child(cfb.root(), PROPERTIES).is_none() {
            return Err(InputError::new(
                InputErrorKind::Syntax,
                "a compound file but not an Outlook message: it has no `__properties_version1.0` stream (an old Word or Excel file?)",
            ));
        }
        let draft = message.into_draft();
        draft.within_limits()?;
        Ok(draft)
    }
}

fn unreadable(error: CfbError) -> InputError {
    let kind = match error.kind {
        crate::cfb::CfbErrorKind::TooLarge => InputErrorKind::TooLarge,
        _ => InputErrorKind::Syntax,
    };
    InputError::new(kind, format!("not a readable Outlook .msg: {error}"))
}

/// One message of the file: the top one, or an attached one.
#[derive(Debug, Default)]
struct Message {
    from: Option<Address>,
    to: Vec<Address>,
    cc: Vec<Address>,
    bcc: Vec<Address>,
    subject: String,
    body: String,
    attachments: Vec<Attachment>,
    not_inspected: Vec<NotInspected>,
}

impl Message {
    fn into_draft(self) -> Draft {
        Draft {
            from: self.from,
            to: self.to,
            cc: self.cc,
            bcc: self.bcc,
            subject: self.subject,
            body: self.body,
            attachments: self.attachments,
            not_inspected: self.not_inspected,
            known_domains: Vec::new(),
            // A saved Outlook message says nothing this reader uses about encryption.
            protection: None,
        }
    }
}

/// The properties of one object (message, recipient, attachment): its storage and
/// the fixed-size records of its property stream.
struct Object<'c, 'a> {
    cfb: &'c Cfb<'a>,
    storage: usize,
    /// (id, type, the 8 value bytes)
    fixed: Vec<(u16, u16, [u8; 8])>,
    code_page: Option<u32>,
}

impl<'c, 'a> Object<'c, 'a> {
    /// `header`: the bytes before the records (32 top message, 24 attached message,
    /// 8 recipient and attachment).
    fn new(cfb: &'c Cfb<'a>, storage: usize, header: usize) -> Result<Self, CfbError> {
        let fixed = match cfb.child(storage, PROPERTIES) {
            Some(index) => cfb
                .stream(index)?
                .get(header..)
                .unwrap_or_default()
                .chunks_exact(16)
                .map(|record| {
                    let kind = u16::from_le_bytes([record[0], record[1]]);
                    let id = u16::from_le_bytes([record[2], record[3]]);
                    let mut value = [0u8; 8];
                    value.copy_from_slice(&record[8..16]);
                    (id, kind, value)
                })
                .collect(),
            None => Vec::new(),
        };
        let mut object = Object {
            cfb,
            storage,
            fixed,
            code_page: None,
        };
        object.code_page = object
            .long(PR_INTERNET_CPID)
            .or_else(|| object.long(PR_MESSAGE_CODEPAGE));
        Ok(object)
    }

    fn long(&self, id: u16) -> Option<u32> {
        self.fixed
            .iter()
            .find(|(i, kind, _)| *i == id && *kind == PT_LONG)
            .map(|(_, _, value)| u32::from_le_bytes([value[0], value[1], value[2], value[3]]))
    }

    fn stream(&self, id: u16, kind: u16) -> Result<Option<Vec<u8>>, CfbError> {
        match self
            .cfb
            .child(self.storage, &format!("__substg1.0_{id:04X}{kind:04X}"))
        {
            Some(index) if !self.cfb.entry(index).is_storage() => self.cfb.stream(index).map(Some),
            _ => Ok(None),
        }
    }

    /// A string property: UTF-16LE, or 8-bit in the object's code page.
    fn string(&self, id: u16) -> Result<Option<String>, CfbError> {
        if let Some(bytes) = self.stream(id, PT_UNICODE)? {
            let units: Vec<u16> = bytes
                .chunks_exact(2)
                .map(|pair| u16::from_le_bytes([pair[0], pair[1]]))
                .collect();
            let text = String::from_utf16_lossy(&units);
            return Ok(Some(text.trim_end_matches('\0').to_string()));
        }
        Ok(self
            .stream(id, PT_STRING8)?
            .map(|bytes| eight_bit(&bytes, self.code_page)))
    }

    /// A string property that is not empty after trimming.
    fn text(&self, id: u16) -> Result<Option<String>, CfbError> {
        Ok(self
            .string(id)?
            .map(|text| text.trim().to_string())
            .filter(|text| !text.is_empty()))
    }

    /// The storages below this object whose names start with `prefix`, in order.
    fn substorages(&self, prefix: &str) -> Vec<usize> {
        self.cfb
            .children(self.storage)
            .iter()
            .copied()
            .filter(|&i| {
                let entry = self.cfb.entry(i);
                entry.is_storage()
                    && entry
                        .name
                        .get(..prefix.len())
                        .is_some_and(|start| start.eq_ignore_ascii_case(prefix))
            })
            .collect()
    }
}

/// 8-bit text in a Windows code page.
fn eight_bit(bytes: &[u8], code_page: Option<u32>) -> String {
    let bytes = bytes.split(|&b| b == 0).next().unwrap_or_default();
    let label = match code_page {
        Some(65001) | None => "utf-8".to_string(),
        Some(20127) => "us-ascii".to_string(),
        Some(932) => "shift_jis".to_string(),
        Some(936) => "gbk".to_string(),
        Some(949) => "euc-kr".to_string(),
        Some(950) => "big5".to_string(),
        Some(20866) => "koi8-r".to_string(),
        Some(page @ 28591..=28606) => format!("iso-8859-{}", page - 28590),
        Some(page) => format!("windows-{page}"),
    };
    crate::mime::charset::decode(&label, bytes)
}

fn read_message(
    cfb: &Cfb<'_>,
    storage: usize,
    header: usize,
    depth: usize,
) -> Result<Message, CfbError> {
    let object = Object::new(cfb, storage, header)?;
    let mut message = Message {
        subject: object.text(PR_SUBJECT)?.unwrap_or_default(),
        ..Message::default()
    };
    message.from = sender(&object)?;
    message.body = match object.string(PR_BODY)? {
        Some(body) => body,
        None => match html(&object)? {
            Some(html) => crate::personal_data::html_to_text(&html),
            None => {
                if object.stream(PR_RTF_COMPRESSED, PT_BINARY)?.is_some() {
                    // Only compressed RTF: the text is there but not read here.
                    message.not_inspected.push(NotInspected {
                        part: Part::Body,
                        name: None,
                        reason: Reason::Unsupported,
                    });
                }
                String::new()
            }
        },
    };
    for recipient in object.substorages(RECIPIENT_PREFIX) {
        let recipient = Object::new(cfb, recipient, 8)?;
        let name = recipient.text(PR_DISPLAY_NAME)?;
        let smtp = recipient.text(PR_SMTP_ADDRESS)?;
        let email = recipient.text(PR_EMAIL_ADDRESS)?;
        // The SMTP address; else the e-mail address (an Exchange X.500 name stays what
        // it is, an entry that is not an address, and is reported); else the name.
        let Some(address) = smtp.or(email).or_else(|| name.clone()) else {
            continue;
        };
        let address = Address {
            name: name.filter(|name| !name.eq_ignore_ascii_case(&address)),
            address,
            group: None,
        };
        match recipient.long(PR_RECIPIENT_TYPE).map(|t| t & 0xFFFF) {
            Some(2) => message.cc.push(address),
            Some(3) => message.bcc.push(address),
            // To, and any type Outlook does not define: the reading that exposes more.
            _ => message.to.push(address),
        }
    }
    if let Some(headers) = object.string(PR_TRANSPORT_MESSAGE_HEADERS)? {
        resolve_from_headers(&mut message, &headers);
    }
    for (index, attachment) in object
        .substorages(ATTACHMENT_PREFIX)
        .into_iter()
        .enumerate()
    {
        read_attachment(cfb, attachment, index, depth, &mut message)?;
    }
    Ok(message)
}

/// A received message keeps its internet headers. Where the recipient table names
/// people only by their Exchange (X.500) name, the headers' addresses of that field
/// stand in for them: `/O=CORP/…/CN=JBLOGGS` and `joe@example.org` are one person, and
/// only the address can be judged. A sender known only by its Exchange name is read
/// from `From:` the same way.
fn resolve_from_headers(message: &mut Message, headers: &str) {
    let mut text = headers.trim_end().to_string();
    text.push_str("\r\n\r\n");
    let reading = crate::mime::read(text.as_bytes());
    for (table, header) in [
        (&mut message.to, reading.to),
        (&mut message.cc, reading.cc),
        (&mut message.bcc, reading.bcc),
    ] {
        let unresolved = |a: &Address| !a.address.contains('@');
        if header.is_empty() || !table.iter().any(unresolved) {
            continue;
        }
        table.retain(|a| !unresolved(a));
        for address in header {
            if !table.iter().any(|a| a.key() == address.key()) {
                table.push(address);
            }
        }
    }
    if message.from.is_none() {
        message.from = reading.from.into_iter().next();
    }
}

fn html(object: &Object<'_, '_>) -> Result<Option<String>, CfbError> {
    if let Some(text) = object.string(PR_HTML)? {
        return Ok(Some(text));
    }
    Ok(object
        .stream(PR_HTML, PT_BINARY)?
        .map(|bytes| eight_bit(&bytes, object.code_page)))
}

fn sender(object: &Object<'_, '_>) -> Result<Option<Address>, CfbError> {
    for (smtp, email, name) in [
        (
            PR_SENDER_SMTP_ADDRESS,
            PR_SENDER_EMAIL_ADDRESS,
            PR_SENDER_NAME,
        ),
        (
            PR_SENT_REPRESENTING_SMTP_ADDRESS,
            PR_SENT_REPRESENTING_EMAIL_ADDRESS,
            PR_SENT_REPRESENTING_NAME,
        ),
    ] {
        let address = match object.text(smtp)? {
            Some(address) => Some(address),
            None => object.text(email)?.filter(|a| a.contains('@')),
        };
        if let Some(address) = address {
            let name = object
                .text(name)?
                .filter(|n| !n.eq_ignore_ascii_case(&address));
            return Ok(Some(Address {
                name,
                address,
                group: None,
            }));
        }
    }
    Ok(None)
}

fn read_attachment(
    cfb: &Cfb<'_>,
    storage: usize,
    index: usize,
    depth: usize,
    message: &mut Message,
) -> Result<(), CfbError> {
    let object = Object::new(cfb, storage, 8)?;
    let mut names: Vec<String> = Vec::new();
    for id in [PR_ATTACH_LONG_FILENAME, PR_ATTACH_FILENAME, PR_DISPLAY_NAME] {
        if let Some(name) = object.text(id)? {
            // The display name is often just a label ("Picture"): a name only when it
            // has an ending, or when nothing else names the file.
            let label_only = id == PR_DISPLAY_NAME && !name.contains('.') && !names.is_empty();
            if !label_only && !names.contains(&name) {
                names.push(name);
            }
        }
    }
    let method = object.long(PR_ATTACH_METHOD).unwrap_or(ATTACH_BY_VALUE);
    let media_type = object.text(PR_ATTACH_MIME_TAG)?;
    let embedded = cfb
        .child(
            storage,
            &format!("__substg1.0_{PR_ATTACH_DATA:04X}{PT_OBJECT:04X}"),
        )
        .filter(|&i| cfb.entry(i).is_storage());
    let mut attachment = Attachment {
        name: String::new(),
        other_names: Vec::new(),
        media_type,
        size: 0,
        content: None,
    };
    let mut gap = None;
    match (method, embedded) {
        (ATTACH_EMBEDDED_MSG, Some(inner)) | (ATTACH_BY_VALUE, Some(inner))
            if cfb.child(inner, PROPERTIES).is_some() =>
        {
            if depth + 1 >= MAX_NESTING {
                gap = Some(Reason::TooDeep);
            } else {
                let mut inner = read_message(cfb, inner, 24, depth + 1)?;
                // What the attached message could not show is this draft's gap too.
                message.not_inspected.append(&mut inner.not_inspected);
                if names.is_empty() && !inner.subject.is_empty() {
                    names.push(inner.subject.clone());
                }
                let eml = as_eml(&inner);
                attachment.size = eml.len() as u64;
                attachment.content = Some(eml);
                attachment.media_type = Some("message/rfc822".into());
            }
        }
        (_, Some(_)) if method == ATTACH_OLE || method == ATTACH_EMBEDDED_MSG => {
            // An embedded OLE object (a document pasted into the mail).
            gap = Some(Reason::Unsupported);
        }
        _ => match object.stream(PR_ATTACH_DATA, PT_BINARY)? {
            Some(data) => {
                attachment.size = data.len() as u64;
                attachment.content = Some(data);
                // A signed or encrypted Outlook message keeps the whole MIME message,
                // its real attachments included, in one attachment: open it as one.
                let mime_entity = attachment.media_type.as_deref().is_some_and(|t| {
                    t.eq_ignore_ascii_case("multipart/signed")
                        || t.eq_ignore_ascii_case("multipart/mixed")
                });
                if mime_entity {
                    attachment.media_type = Some("message/rfc822".into());
                }
            }
            // By reference, a web link, or data that is missing.
            None => gap = Some(Reason::Unsupported),
        },
    }
    let mut names = names.into_iter();
    attachment.name = names
        .next()
        .unwrap_or_else(|| format!("attachment-{}", index + 1));
    attachment.other_names = names.collect();
    if let Some(reason) = gap {
        message.not_inspected.push(NotInspected {
            part: Part::Attachment,
            name: Some(attachment.name.clone()),
            reason,
        });
    }
    message.attachments.push(attachment);
    Ok(())
}

/// An attached message written as a MIME message, which the attachment rules open
/// like a forwarded `.eml`: its recipients, body and files, each name kept.
fn as_eml(message: &Message) -> Vec<u8> {
    const BOUNDARY: &str = "=_sendguard.msg_=";
    let mut out = String::new();
    let mailbox = |address: &Address| {
        let address_text = one_line(&address.address);
        match &address.name {
            Some(name) => format!("{} <{address_text}>", encoded(name)),
            None => format!("<{address_text}>"),
        }
    };
    if let Some(from) = &message.from {
        out += &format!("From: {}\r\n", mailbox(from));
    }
    for (field, list) in [
        ("To", &message.to),
        ("Cc", &message.cc),
        ("Bcc", &message.bcc),
    ] {
        if !list.is_empty() {
            let joined: Vec<String> = list.iter().map(mailbox).collect();
            out += &format!("{field}: {}\r\n", joined.join(",\r\n "));
        }
    }
    out += &format!("Subject: {}\r\n", encoded(&message.subject));
    out += &format!(
        "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"{BOUNDARY}\"\r\n\r\n"
    );
    out += &format!(
        "--{BOUNDARY}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
    );
    out += &wrapped(message.body.as_bytes());
    for attachment in &message.attachments {
        let media_type = attachment
            .media_type
            .as_deref()
            .map(one_line)
            .unwrap_or_else(|| "application/octet-stream".into());
        out += &format!("--{BOUNDARY}\r\nContent-Type: {media_type}");
        if let Some(other) = attachment.other_names.first() {
            out += &format!("; name*=UTF-8''{}", percent(other));
        }
        out += &format!(
            "\r\nContent-Disposition: attachment; filename*=UTF-8''{}\r\nContent-Transfer-Encoding: base64\r\n\r\n",
            percent(&attachment.name)
        );
        out += &wrapped(attachment.content.as_deref().unwrap_or_default());
    }
    out += &format!("--{BOUNDARY}--\r\n");
    out.into_bytes()
}

fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// RFC 2047 encoded word (UTF-8, base64) for a display name or subject.
fn encoded(text: &str) -> String {
    if text.is_empty() {
        return String::new();
    }
    format!("=?UTF-8?B?{}?=", STANDARD.encode(text.as_bytes()))
}

/// RFC 2231 percent-encoding of a file name.
fn percent(name: &str) -> String {
    name.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn wrapped(bytes: &[u8]) -> String {
    let encoded = STANDARD.encode(bytes);
    let mut out = String::with_capacity(encoded.len() + encoded.len() / 38 + 2);
    for line in encoded.as_bytes().chunks(76) {
        out.push_str(std::str::from_utf8(line).unwrap_or_default());
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::cfb::tests::{Node, write};

    fn utf16(text: &str) -> Vec<u8> {
        text.encode_utf16()
            .chain([0])
            .flat_map(u16::to_le_bytes)
            .collect()
    }

    fn string(id: u16, text: &str) -> Node {
        Node::Stream(format!("__substg1.0_{id:04X}001F"), utf16(text))
    }

    fn properties(header: usize, longs: &[(u16, u32)]) -> Node {
        let mut out = vec![0u8; header];
        for &(id, value) in longs {
            out.extend_from_slice(&PT_LONG.to_le_bytes());
            out.extend_from_slice(&id.to_le_bytes());
            out.extend_from_slice(&6u32.to_le_bytes());
            out.extend_from_slice(&value.to_le_bytes());
            out.extend_from_slice(&[0; 4]);
        }
        Node::Stream(PROPERTIES.into(), out)
    }

    fn recipient(n: usize, kind: u32, name: &str, smtp: &str) -> Node {
        Node::Storage(
            format!("{RECIPIENT_PREFIX}{n:08X}"),
            vec![
                properties(8, &[(PR_RECIPIENT_TYPE, kind)]),
                string(PR_DISPLAY_NAME, name),
                string(PR_SMTP_ADDRESS, smtp),
                string(PR_EMAIL_ADDRESS, "/O=EXCHANGE/CN=RECIPIENTS/CN=X"),
            ],
        )
    }

    fn file_attachment(n: usize, long: &str, short: &str, data: &[u8]) -> Node {
        Node::Storage(
            format!("{ATTACHMENT_PREFIX}{n:08X}"),
            vec![
                properties(8, &[(PR_ATTACH_METHOD, ATTACH_BY_VALUE)]),
                string(PR_ATTACH_LONG_FILENAME, long),
                string(PR_ATTACH_FILENAME, short),
                Node::Stream("__substg1.0_37010102".into(), data.to_vec()),
            ],
        )
    }

    /// An Outlook-like `.msg`: sender, subject, body, the given recipients and
    /// attachments (test helper for other modules too).
    pub(crate) fn sample(recipients: Vec<Node>, attachments: Vec<Node>) -> Vec<u8> {
        let mut nodes = vec![
            properties(32, &[(PR_INTERNET_CPID, 65001)]),
            string(PR_SUBJECT, "Quarterly figures"),
            string(PR_BODY, "Hello,\r\nsee attached.\r\n"),
            string(PR_SENDER_SMTP_ADDRESS, "anna@corp.example"),
            string(PR_SENDER_NAME, "Anna Becker"),
        ];
        nodes.extend(recipients);
        nodes.extend(attachments);
        write(&nodes)
    }

    #[test]
    fn recipients_attachments_and_the_rest() {
        let file = sample(
            vec![
                recipient(0, 1, "Jonas", "jonas@partner.example"),
                recipient(1, 2, "Doe, Jane", "jane@gmail.com"),
                recipient(2, 3, "hidden@x.example", "hidden@x.example"),
                recipient(3, 0x1000_0002, "P1 Cc", "p1@y.example"),
            ],
            vec![file_attachment(
                0,
                "Rechnung März.pdf.exe",
                "RECHNU~1.EXE",
                b"MZ\x90\0",
            )],
        );
        let draft = Draft::from_msg(&file).unwrap();
        assert_eq!(draft.subject, "Quarterly figures");
        assert_eq!(draft.body, "Hello,\r\nsee attached.\r\n");
        let from = draft.from.unwrap();
        assert_eq!(
            (from.address.as_str(), from.name.as_deref()),
            ("anna@corp.example", Some("Anna Becker"))
        );
        let keys = |list: &[Address]| list.iter().map(Address::key).collect::<Vec<_>>();
        assert_eq!(keys(&draft.to), ["jonas@partner.example"]);
        assert_eq!(keys(&draft.cc), ["jane@gmail.com", "p1@y.example"]);
        assert_eq!(draft.cc[0].name.as_deref(), Some("Doe, Jane"));
        assert_eq!(keys(&draft.bcc), ["hidden@x.example"]);
        assert_eq!(draft.bcc[0].name, None);
        assert_eq!(draft.attachments.len(), 1);
        let attachment = &draft.attachments[0];
        assert_eq!(attachment.name, "Rechnung März.pdf.exe");
        assert_eq!(attachment.other_names, ["RECHNU~1.EXE"]);
        assert_eq!(attachment.content.as_deref(), Some(&b"MZ\x90\0"[..]));
        assert_eq!(attachment.size, 4);
        assert!(draft.not_inspected.is_empty());
    }

    #[test]
    fn an_exchange_only_recipient_is_kept_not_dropped() {
        let exchange = Node::Storage(
            format!("{RECIPIENT_PREFIX}00000000"),
            vec![
                properties(8, &[(PR_RECIPIENT_TYPE, 1)]),
                string(PR_DISPLAY_NAME, "Team"),
                string(PR_EMAIL_ADDRESS, "/O=CORP/CN=RECIPIENTS/CN=TEAM"),
            ],
        );
        let draft = Draft::from_msg(&sample(vec![exchange], vec![])).unwrap();
        assert_eq!(draft.to.len(), 1);
        assert_eq!(draft.to[0].address, "/O=CORP/CN=RECIPIENTS/CN=TEAM");
    }

    fn embedded(n: usize, inner: Vec<Node>) -> Node {
        Node::Storage(
            format!("{ATTACHMENT_PREFIX}{n:08X}"),
            vec![
                properties(8, &[(PR_ATTACH_METHOD, ATTACH_EMBEDDED_MSG)]),
                string(PR_DISPLAY_NAME, "Fwd: tools"),
                Node::Storage("__substg1.0_3701000D".into(), inner),
            ],
        )
    }

    #[test]
    fn an_attached_message_is_opened_like_a_forwarded_one() {
        let inner = vec![
            properties(24, &[]),
            string(PR_SUBJECT, "tools"),
            string(PR_BODY, "inner body"),
            recipient(0, 1, "Eve", "eve@other.example"),
            file_attachment(0, "setup.exe", "SETUP.EXE", b"MZ"),
        ];
        let draft = Draft::from_msg(&sample(vec![], vec![embedded(0, inner)])).unwrap();
        assert_eq!(draft.attachments.len(), 1);
        let attachment = &draft.attachments[0];
        assert_eq!(attachment.name, "Fwd: tools");
        assert_eq!(attachment.media_type.as_deref(), Some("message/rfc822"));
        let (files, gaps) = crate::list_files(&draft);
        assert!(gaps.is_empty(), "{gaps:?}");
        let places: Vec<&str> = files.iter().map(|f| f.place.as_str()).collect();
        assert!(places.contains(&"Fwd: tools › setup.exe"), "{places:?}");
        let inner = Draft::from_eml(attachment.content.as_deref().unwrap()).unwrap();
        assert_eq!(inner.to[0].key(), "eve@other.example");
        assert_eq!(inner.body.trim(), "inner body");
    }

    #[test]
    fn nesting_beyond_the_budget_is_reported() {
        let mut inner = vec![properties(24, &[]), string(PR_SUBJECT, "deepest")];
        for _ in 0..MAX_NESTING + 2 {
            inner = vec![properties(24, &[]), embedded(0, inner)];
        }
        let draft = Draft::from_msg(&sample(vec![], inner.split_off(1))).unwrap();
        let (_, gaps) = crate::list_files(&draft);
        let deep = draft
            .not_inspected
            .iter()
            .any(|n| n.reason == Reason::TooDeep)
            || gaps
                .iter()
                .any(|g| g.contains("too-deep") || g.contains("deep"));
        assert!(deep, "{:?} {gaps:?}", draft.not_inspected);
    }

    #[test]
    fn a_reference_attachment_is_not_inspected() {
        let link = Node::Storage(
            format!("{ATTACHMENT_PREFIX}00000000"),
            vec![
                properties(8, &[(PR_ATTACH_METHOD, 7)]),
                string(PR_ATTACH_LONG_FILENAME, "Budget.xlsx"),
            ],
        );
        let draft = Draft::from_msg(&sample(vec![], vec![link])).unwrap();
        assert_eq!(draft.attachments[0].name, "Budget.xlsx");
        assert_eq!(draft.not_inspected[0].reason, Reason::Unsupported);
    }

    #[test]
    fn eight_bit_strings_use_the_code_page() {
        let file = write(&[
            properties(32, &[(PR_MESSAGE_CODEPAGE, 1252)]),
            Node::Stream("__substg1.0_0037001E".into(), b"Gr\xfc\xdfe\0".to_vec()),
        ]);
        assert_eq!(Draft::from_msg(&file).unwrap().subject, "Grüße");
    }

    #[test]
    fn not_a_message() {
        let error = Draft::from_msg(&write(&[Node::Stream("WordDocument".into(), vec![1; 10])]))
            .unwrap_err();
        assert_eq!(error.kind(), InputErrorKind::Syntax);
        assert!(error.message().contains("not an Outlook message"));
        assert_eq!(
            Draft::from_msg(b"").unwrap_err().kind(),
            InputErrorKind::Empty
        );
        let error = Draft::from_msg(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest").unwrap_err();
        assert!(error.message().contains("at byte"), "{}", error.message());
    }

    #[test]
    fn damaged_messages_never_panic() {
        let file = sample(
            vec![recipient(0, 1, "Jonas", "jonas@partner.example")],
            vec![file_attachment(0, "a.pdf", "A.PDF", &vec![3u8; 6000])],
        );
        for len in (0..file.len()).step_by(61) {
            let _ = Draft::from_msg(&file[..len]);
        }
        for at in (0..file.len()).step_by(7) {
            let mut bad = file.clone();
            bad[at] ^= 0x5A;
            let _ = Draft::from_msg(&bad);
        }
    }
}

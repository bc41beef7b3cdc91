//! The papers for the hour after a mistake, rendered from an [`Incident`] in one
//! language: the register entry in Markdown, the draft notification to the authority,
//! the draft information to the data subjects and the follow-up mail (as `.eml` and as
//! a `mailto:` link). Texts come from `incident-messages.json`; nothing is sent.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Serialize;

use super::{Incident, Risk};
use crate::address::Address;
use crate::messages::Lang;

/// Every paper, in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Documents {
    /// Why the assessment is what it is, one sentence per reason.
    pub reasons: Vec<String>,
    /// The breach-register entry (Art. 33(5)) for people.
    pub register_markdown: String,
    /// A pre-filled draft of the notification to the supervisory authority.
    pub authority: String,
    /// A draft information to the data subjects (Art. 34).
    pub data_subjects: String,
    /// The follow-up mail as a message file (`X-Unsent: 1`: Outlook opens it as a
    /// draft): every recipient in Bcc, the sender in To.
    pub recall_eml: String,
    /// The same mail as a `mailto:` link.
    pub recall_mailto: String,
    /// Recipient entries that are not usable addresses and were left out of Bcc.
    pub recall_left_out: usize,
}

type Catalogue = BTreeMap<String, BTreeMap<String, String>>;

fn catalogue() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| {
        serde_json::from_str(include_str!("../../incident-messages.json")).unwrap_or_default()
    })
}

/// Renders catalogue texts in one language.
struct Writer {
    lang: Lang,
}

impl Writer {
    /// The text for `key` with `{name}` placeholders filled; a missing key shows as
    /// itself, never as a panic.
    fn t(&self, key: &str, args: &[(&str, &str)]) -> String {
        let template = catalogue()
            .get(self.lang.code())
            .and_then(|texts| texts.get(key))
            .map_or(key, String::as_str);
        let mut out = template.to_string();
        for (name, value) in args {
            out = out.replace(&format!("{{{name}}}"), value);
        }
        out
    }

    fn number(&self, count: usize) -> String {
        let digits = count.to_string();
        let separator = match self.lang {
            Lang::En => ',',
            Lang::De => '.',
        };
        let mut out = String::new();
        for (index, digit) in digits.chars().enumerate() {
            if index > 0 && (digits.len() - index) % 3 == 0 {
                out.push(separator);
            }
            out.push(digit);
        }
        out
    }

    fn place(&self, place: &str) -> String {
        match place {
            "subject" => self.t("place.subject", &[]),
            "body" => self.t("place.body", &[]),
            file => format!("“{}”", visible(file)),
        }
    }

    fn places(&self, places: &[String]) -> String {
        places
            .iter()
            .map(|place| self.place(place))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn when(&self, at: Option<&str>, state: &str) -> String {
        at.and_then(|iso| iso.split_once('T')).map_or_else(
            || self.t(&format!("date.{state}"), &[]),
            |(day, time)| format!("{day} {} UTC", time.get(..5).unwrap_or(time)),
        )
    }
}

/// Control and bidi characters shown as `<U+202E>`: a crafted attachment name must not
/// reorder or hide the text around it.
fn visible(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let hidden = c.is_control()
            || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}');
        if hidden {
            out.push_str(&format!("<U+{:04X}>", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

impl Incident {
    /// Every paper in `lang`.
    pub fn documents(&self, lang: Lang) -> Documents {
        let w = Writer { lang };
        let (recall_eml, recall_mailto, recall_left_out) = self.recall(&w);
        Documents {
            reasons: self.reason_texts(&w),
            register_markdown: self.register_markdown(&w),
            authority: self.authority(&w),
            data_subjects: self.data_subjects(&w),
            recall_eml,
            recall_mailto,
            recall_left_out,
        }
    }

    fn who_saw_whom(&self, w: &Writer) -> String {
        let r = &self.recipients;
        if r.disclosed_to == 0 {
            w.t("register.nobody-saw", &[])
        } else {
            w.t(
                "register.somebody-saw",
                &[
                    ("disclosed", &w.number(r.disclosed_addresses)),
                    ("private", &w.number(r.disclosed_private_mailboxes)),
                    ("seen", &w.number(r.disclosed_to)),
                ],
            )
        }
    }

    /// Personal data as phrases: `3 IBANs in the mail text`, `health data in “a.pdf”`.
    fn data_phrases(&self, w: &Writer) -> Vec<String> {
        let data = &self.personal_data;
        let mut phrases: Vec<String> = data
            .special_categories
            .iter()
            .map(|c| {
                w.t(
                    "register.category-in",
                    &[
                        ("what", &w.t(&format!("category.{}", c.category), &[])),
                        ("places", &w.places(&c.places)),
                    ],
                )
            })
            .collect();
        phrases.extend(data.identifiers.iter().map(|i| {
            w.t(
                "register.count-in",
                &[
                    ("count", &w.number(i.count)),
                    ("what", &w.t(&format!("kind.{}", i.kind), &[])),
                    ("places", &w.places(&i.places)),
                ],
            )
        }));
        phrases.extend(data.people_lists.iter().map(|l| {
            w.t(
                "register.list-in",
                &[
                    ("people", &w.number(l.people)),
                    ("place", &w.place(&l.place)),
                ],
            )
        }));
        phrases
    }

    fn reason_texts(&self, w: &Writer) -> Vec<String> {
        let r = &self.recipients;
        let data = &self.personal_data;
        let people = data
            .people_lists
            .iter()
            .map(|l| l.people)
            .max()
            .unwrap_or(0);
        let categories = data
            .special_categories
            .iter()
            .map(|c| w.t(&format!("category.{}", c.category), &[]))
            .collect::<Vec<_>>()
            .join(", ");
        let ibans = w.number(
            data.identifiers
                .iter()
                .filter(|i| i.kind == "iban")
                .map(|i| i.count)
                .sum(),
        );
        let identifiers = data
            .identifiers
            .iter()
            .filter(|i| i.kind != "iban")
            .map(|i| {
                format!(
                    "{}: {}",
                    w.t(&format!("kind.{}", i.kind), &[]),
                    w.number(i.count)
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        let list_places = data
            .people_lists
            .iter()
            .map(|l| w.place(&l.place))
            .collect::<Vec<_>>()
            .join(", ");
        let parts = self
            .not_inspected
            .iter()
            .map(|n| {
                n.name
                    .as_deref()
                    .map_or_else(|| w.place("body"), |name| w.place(name))
            })
            .collect::<Vec<_>>()
            .join(", ");
        self.assessment
            .reasons
            .iter()
            .map(|id| {
                w.t(
                    &format!("reason.{id}"),
                    &[
                        ("categories", &categories),
                        ("identifiers", &identifiers),
                        ("ibans", &ibans),
                        ("people", &w.number(people)),
                        ("places", &list_places),
                        ("disclosed", &w.number(r.disclosed_addresses)),
                        ("private", &w.number(r.disclosed_private_mailboxes)),
                        ("seen", &w.number(r.disclosed_to)),
                        ("parts", &parts),
                        ("external", &w.number(r.external)),
                    ],
                )
            })
            .collect()
    }

    fn register_markdown(&self, w: &Writer) -> String {
        let r = &self.recipients;
        let mut out = String::new();
        let mut line = |text: &str| {
            out.push_str(text);
            out.push('\n');
        };
        line(&format!("# {}", w.t("register.title", &[])));
        line("");
        line(&w.t("register.intro", &[("version", self.checker_version)]));
        line("");
        line("| | |");
        line("|---|---|");
        let unknown = w.t("unknown", &[]);
        let rows = [
            (
                "register.message-id",
                self.message_id.as_deref().map_or_else(
                    || unknown.clone(),
                    |id| format!("`{}`", visible(id).replace('`', "'")),
                ),
            ),
            (
                "register.sent",
                w.when(self.sent_at.as_deref(), self.date_header),
            ),
            ("register.noticed", w.when(Some(&self.noticed_at), "ok")),
            (
                "register.deadline",
                format!(
                    "**{}** ({})",
                    w.when(Some(&self.notify_authority_by), "ok"),
                    w.t("register.deadline.note", &[])
                ),
            ),
            (
                "register.organization",
                self.sender_organization
                    .clone()
                    .unwrap_or_else(|| unknown.clone()),
            ),
        ];
        for (key, value) in rows {
            line(&format!(
                "| {} | {} |",
                w.t(key, &[]),
                value.replace('|', "\\|")
            ));
        }
        line("");
        line(&format!("## {}", w.t("register.disclosed", &[])));
        line("");
        line(&format!(
            "- {}",
            w.t(
                "register.recipients",
                &[
                    ("total", &w.number(r.total)),
                    ("visible", &w.number(r.visible)),
                    ("bcc", &w.number(r.bcc_only)),
                    ("internal", &w.number(r.internal)),
                    ("external", &w.number(r.external)),
                    ("organizations", &w.number(r.external_organizations)),
                    ("private", &w.number(r.private_mailboxes)),
                ],
            )
        ));
        line(&format!(
            "- {}",
            w.t("register.who-saw-whom", &[("text", &self.who_saw_whom(w))])
        ));
        let phrases = self.data_phrases(w);
        let data = if phrases.is_empty() {
            w.t("register.no-personal-data", &[])
        } else {
            format!("{}.", phrases.join("; "))
        };
        line(&format!(
            "- {}",
            w.t("register.personal-data", &[("text", &data)])
        ));
        let attachments = if self.attachments.is_empty() {
            w.t("none", &[])
        } else {
            self.attachments
                .iter()
                .map(|a| {
                    format!(
                        "“{}” ({}, {} B)",
                        visible(&a.name),
                        a.media_type.as_deref().map_or("?", |t| t),
                        w.number(usize::try_from(a.size).unwrap_or(usize::MAX))
                    )
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        line(&format!(
            "- {}",
            w.t("register.attachments", &[("text", &attachments)])
        ));
        if !self.not_inspected.is_empty() {
            let parts = self
                .not_inspected
                .iter()
                .map(|n| {
                    let place = n
                        .name
                        .as_deref()
                        .map_or_else(|| w.place("body"), |name| w.place(name));
                    format!("{place} ({})", n.reason.id())
                })
                .collect::<Vec<_>>()
                .join(", ");
            line(&format!(
                "- {}",
                w.t("register.not-inspected", &[("text", &parts)])
            ));
        }
        line("");
        line(&format!("## {}", w.t("register.assessment", &[])));
        line("");
        let a = &self.assessment;
        line(&format!(
            "- {}: **{}**",
            w.t("register.risk", &[]),
            w.t(&format!("risk.{}", a.risk.id()), &[])
        ));
        line(&format!(
            "- {}: **{}**",
            w.t("register.authority", &[]),
            w.t(a.notify_authority, &[])
        ));
        line(&format!(
            "- {}: **{}**",
            w.t("register.subjects", &[]),
            w.t(a.inform_data_subjects, &[])
        ));
        line("");
        line(&w.t("register.reasons", &[]));
        line("");
        for reason in self.reason_texts(w) {
            line(&format!("- {reason}"));
        }
        line("");
        line(&w.t("register.check", &[]));
        line("");
        for key in [
            "register.check.context",
            "register.check.unrecognized",
            "register.check.deleted",
        ] {
            line(&format!("- {}", w.t(key, &[])));
        }
        line("");
        line(&format!("## {}", w.t("register.decision", &[])));
        line("");
        for key in [
            "register.decision.by",
            "register.decision.authority",
            "register.decision.subjects",
            "register.decision.recall",
            "register.decision.measures",
        ] {
            line(&format!("- {}", w.t(key, &[])));
        }
        out
    }

    /// At least how many people are concerned, and as what.
    fn data_subjects_count(&self, w: &Writer) -> String {
        let addresses =
            self.recipients.disclosed_addresses * usize::from(self.recipients.disclosed_to > 0);
        let listed = self
            .personal_data
            .people_lists
            .iter()
            .map(|l| l.people)
            .max()
            .unwrap_or(0);
        if addresses == 0 && listed == 0 {
            return w.t("authority.subjects.unknown", &[]);
        }
        let (count, what) = if addresses >= listed {
            (addresses, "authority.subjects.recipients")
        } else {
            (listed, "authority.subjects.content")
        };
        w.t(
            "authority.subjects",
            &[("count", &w.number(count)), ("what", &w.t(what, &[]))],
        )
    }

    fn authority(&self, w: &Writer) -> String {
        let sent = w.when(self.sent_at.as_deref(), self.date_header);
        let noticed = w.when(Some(&self.noticed_at), "ok");
        let phrases = self.data_phrases(w);
        let more = if phrases.is_empty() {
            String::new()
        } else {
            format!("; {}", phrases.join("; "))
        };
        let consequences = if self.assessment.risk == Risk::Low {
            vec![w.t("authority.consequences.low", &[])]
        } else {
            self.reason_texts(w)
        };
        let mut out = vec![
            format!("# {}", w.t("authority.title", &[])),
            String::new(),
            w.t("authority.controller", &[]),
            w.t("authority.dpo", &[]),
            String::new(),
            format!("## {}", w.t("authority.nature", &[])),
            String::new(),
            w.t(
                "authority.nature.text",
                &[
                    ("sent", &sent),
                    ("total", &w.number(self.recipients.total)),
                    ("who", &capitalize(&self.who_saw_whom(w))),
                    ("noticed", &noticed),
                ],
            ),
            String::new(),
            format!("- {}", self.data_subjects_count(w)),
            format!("- {}", w.t("authority.data", &[("more", &more)])),
            String::new(),
            format!("## {}", w.t("authority.consequences", &[])),
            String::new(),
        ];
        out.extend(consequences.into_iter().map(|c| format!("- {c}")));
        out.extend([
            String::new(),
            format!("## {}", w.t("authority.measures", &[])),
            String::new(),
            w.t("authority.measures.text", &[]),
            String::new(),
            w.t(
                "authority.late",
                &[("deadline", &w.when(Some(&self.notify_authority_by), "ok"))],
            ),
            String::new(),
        ]);
        out.join("\n")
    }

    fn data_subjects(&self, w: &Writer) -> String {
        let sent = w.when(self.sent_at.as_deref(), self.date_header);
        let phrases = self.data_phrases(w);
        let mut what = Vec::new();
        if self.recipients.disclosed_to > 0 {
            what.push(w.t("subjects.what.addresses", &[]));
        }
        if !phrases.is_empty() {
            what.push(w.t("subjects.what.content", &[("data", &phrases.join("; "))]));
        }
        let meaning = if self.assessment.risk == Risk::Low {
            w.t("subjects.meaning.default", &[])
        } else {
            // What concerns the reader; how far the mail went is for the register.
            self.reason_texts(w)
                .into_iter()
                .zip(&self.assessment.reasons)
                .filter(|(_, id)| !matches!(**id, "external-recipients" | "internal-only"))
                .map(|(text, _)| text)
                .collect::<Vec<_>>()
                .join(" ")
        };
        [
            w.t("subjects.subject", &[]),
            String::new(),
            w.t("subjects.greeting", &[]),
            String::new(),
            w.t(
                "subjects.what",
                &[("sent", &sent), ("what", &what.join(" "))],
            )
            .trim_end()
            .to_string(),
            String::new(),
            w.t("subjects.meaning", &[("text", &meaning)]),
            String::new(),
            w.t("subjects.done", &[]),
            String::new(),
            w.t("subjects.advice", &[]),
            String::new(),
            w.t("subjects.contact", &[]),
            String::new(),
            w.t("subjects.sorry", &[]),
            String::new(),
            w.t("subjects.signature", &[]),
            String::new(),
        ]
        .join("\n")
    }

    /// The follow-up mail: `.eml` text, `mailto:` link, and how many entries were not
    /// usable addresses.
    fn recall(&self, w: &Writer) -> (String, String, usize) {
        let usable = |address: &str| {
            Address::new(address).domain().is_some()
                && !address
                    .chars()
                    .any(|c| c.is_control() || c.is_whitespace() || "<>,;\"()[]\\".contains(c))
        };
        let (bcc, left_out): (Vec<&String>, Vec<&String>) =
            self.recipient_addresses.iter().partition(|a| usable(a));
        let sender = self.sender.as_deref().filter(|s| usable(s));
        let date = self
            .sent_at
            .as_deref()
            .and_then(|at| at.split_once('T'))
            .map_or_else(|| w.t("unknown", &[]), |(day, _)| day.to_string());
        let subject = w.t("recall.subject", &[("date", &date)]);
        let original_subject: String = visible(self.subject.trim()).chars().take(200).collect();
        let subject_phrase = if original_subject.is_empty() {
            String::new()
        } else {
            w.t("recall.what.subject", &[("subject", &original_subject)])
        };
        let mut body = vec![
            w.t("recall.greeting", &[]),
            String::new(),
            w.t(
                "recall.what",
                &[
                    ("sent", &w.when(self.sent_at.as_deref(), self.date_header)),
                    ("subject", &subject_phrase),
                ],
            ),
            String::new(),
            w.t("recall.ask", &[]),
            String::new(),
            w.t("recall.bcc", &[]),
            String::new(),
            w.t("recall.thanks", &[]),
        ];
        if !left_out.is_empty() {
            body.extend([
                String::new(),
                w.t("recall.left-out", &[("count", &w.number(left_out.len()))]),
            ]);
        }
        let body = body.join("\r\n");
        let mut eml = String::new();
        if let Some(sender) = sender {
            eml.push_str(&format!("From: {sender}\r\nTo: {sender}\r\n"));
        }
        if !bcc.is_empty() {
            eml.push_str("Bcc: ");
            for (index, address) in bcc.iter().enumerate() {
                if index > 0 {
                    eml.push_str(",\r\n ");
                }
                eml.push_str(address);
            }
            eml.push_str("\r\n");
        }
        eml.push_str(&format!("Subject: {}\r\n", encode_header(&subject)));
        if let Some(id) = self.message_id.as_deref().filter(|id| {
            id.starts_with('<')
                && id.ends_with('>')
                && id.is_ascii()
                && !id.contains(char::is_whitespace)
        }) {
            eml.push_str(&format!("In-Reply-To: {id}\r\nReferences: {id}\r\n"));
        }
        eml.push_str(
            "X-Unsent: 1\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\
             Content-Transfer-Encoding: 8bit\r\n\r\n",
        );
        eml.push_str(&body);
        eml.push_str("\r\n");
        let mailto = format!(
            "mailto:{}?bcc={}&subject={}&body={}",
            sender.map(percent_encode).unwrap_or_default(),
            bcc.iter()
                .map(|a| percent_encode(a))
                .collect::<Vec<_>>()
                .join(","),
            percent_encode(&subject),
            percent_encode(&body)
        );
        (eml, mailto, left_out.len())
    }
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// A header value as RFC 2047 encoded words when it is not plain ASCII.
fn encode_header(text: &str) -> String {
    use base64::Engine as _;
    if text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return text.to_string();
    }
    let mut words = Vec::new();
    let mut chunk = String::new();
    for c in text.chars() {
        if chunk.len() + c.len_utf8() > 45 {
            words.push(std::mem::take(&mut chunk));
        }
        chunk.push(c);
    }
    words.push(chunk);
    words
        .iter()
        .map(|word| {
            format!(
                "=?UTF-8?B?{}?=",
                base64::engine::general_purpose::STANDARD.encode(word)
            )
        })
        .collect::<Vec<_>>()
        .join("\r\n ")
}

/// RFC 6068 percent-encoding of one value: everything but unreserved characters and
/// `@` (commas too: a literal comma separates the addresses of a list).
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~@".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::tests::incident;
    use super::*;

    #[test]
    fn every_language_has_the_same_keys_and_placeholders() {
        let placeholders = |text: &str| {
            let mut found: Vec<String> = text
                .split('{')
                .skip(1)
                .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_string()))
                .collect();
            found.sort();
            found
        };
        let all = catalogue();
        assert_eq!(all.len(), Lang::ALL.len());
        let english = &all["en"];
        assert!(english.len() > 50);
        for lang in Lang::ALL {
            let texts = &all[lang.code()];
            assert_eq!(
                texts.keys().collect::<Vec<_>>(),
                english.keys().collect::<Vec<_>>()
            );
            for (key, text) in texts {
                assert_eq!(placeholders(text), placeholders(&english[key]), "{key}");
            }
        }
    }

    #[test]
    fn the_follow_up_mail_has_everyone_in_bcc_and_nobody_visible() {
        let found = incident(
            "To: a@gmx.de, \"Doe, Jane\" <jane@partner.example>\r\nCc: b@web.de\r\n\
             Bcc: c@other.example\r\nMessage-ID: <1@corp.example>\r\nSubject: Einladung\r\n\
             Date: Mon, 30 Nov 2026 16:05:00 +0100",
            "Hallo",
        );
        for lang in Lang::ALL {
            let papers = found.documents(lang);
            let eml = &papers.recall_eml;
            let draft = crate::Draft::from_eml(eml.as_bytes()).unwrap();
            let mut bcc: Vec<String> = draft.bcc.iter().map(crate::Address::key).collect();
            bcc.sort();
            assert_eq!(
                bcc,
                [
                    "a@gmx.de",
                    "b@web.de",
                    "c@other.example",
                    "jane@partner.example"
                ]
            );
            assert_eq!(
                draft.to.iter().map(crate::Address::key).collect::<Vec<_>>(),
                ["anna@corp.example"]
            );
            assert!(draft.cc.is_empty());
            assert!(eml.contains("References: <1@corp.example>\r\n"));
            assert!(draft.subject.contains("2026-11-30"), "{}", draft.subject);
            assert!(draft.body.contains("Einladung"));
            assert_eq!(papers.recall_left_out, 0);
            assert!(papers.recall_mailto.starts_with("mailto:anna@corp.example?bcc=a@gmx.de,jane@partner.example,b@web.de,c@other.example&subject="));
            // Every paper is filled in: no catalogue key and no placeholder is left.
            for paper in [
                &papers.register_markdown,
                &papers.authority,
                &papers.data_subjects,
                eml,
            ] {
                assert!(
                    !paper.contains("register.") && !paper.contains("reason."),
                    "{paper}"
                );
                assert!(!paper.contains('{'), "{paper}");
            }
        }
    }

    #[test]
    fn names_cannot_hide_text() {
        assert_eq!(
            visible("a\u{202E}fdp.exe\r\n"),
            "a<U+202E>fdp.exe<U+000D><U+000A>"
        );
        assert_eq!(percent_encode("a b&c@d,ö"), "a%20b%26c@d%2C%C3%B6");
        assert_eq!(
            encode_header("Bitte löschen"),
            "=?UTF-8?B?Qml0dGUgbMO2c2NoZW4=?="
        );
        assert_eq!(encode_header("plain"), "plain");
    }
}

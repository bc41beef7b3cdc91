//! Fixes: rewriting a draft's recipient fields so the problem goes away, without ever
//! losing or inventing a recipient.

use std::collections::HashSet;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::address::Address;
use crate::draft::Draft;
use crate::policy::{BccTo, Policy};
use crate::recipients::{Analysis, Class};
use crate::vocabulary::Fix;

/// The result of [`apply`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applied {
    /// The draft after the fix.
    pub draft: Draft,
    /// A file for the user to save, for `export-recipients`.
    pub export: Option<Export>,
}

/// A file produced by a fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Export {
    /// Suggested file name.
    pub filename: String,
    /// Its media type.
    pub media_type: String,
    /// Its content.
    pub content: String,
}

/// A fix that cannot be applied to this draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixError {
    message: String,
}

impl fmt::Display for FixError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FixError {}

/// Applies a fix to a draft.
///
/// The set of addresses after the fix is the set before it, except for the addresses
/// `remove-recipient` names, the sender `move-to-bcc` may put into To, and the one
/// address `replace-recipient` swaps for another (one out, one in).
pub fn apply(draft: &Draft, fix: &Fix, policy: &Policy) -> Result<Applied, FixError> {
    match fix {
        Fix::MoveToBcc => Ok(Applied {
            draft: move_to_bcc(draft, policy),
            export: None,
        }),
        Fix::RemoveRecipient { addresses } => Ok(Applied {
            draft: remove_recipients(draft, addresses)?,
            export: None,
        }),
        Fix::ExportRecipients => Ok(Applied {
            draft: draft.clone(),
            export: Some(export_recipients(draft, policy)),
        }),
        Fix::ReplaceRecipient {
            address,
            replacement,
        } => Ok(Applied {
            draft: replace_recipient(draft, address, replacement)?,
            export: None,
        }),
        Fix::Encrypt => Ok(Applied {
            draft: encrypt(draft)?,
            export: None,
        }),
        Fix::ApplyLabel { label } => Ok(Applied {
            draft: apply_label(draft, label)?,
            export: None,
        }),
    }
}

/// The draft as it will be once the add-in has switched encryption on; recipients
/// and content stay as they are. Refused where the mail program cannot encrypt.
fn encrypt(draft: &Draft) -> Result<Draft, FixError> {
    let mut result = draft.clone();
    match result.protection.as_mut() {
        Some(protection) if protection.can_encrypt => {
            protection.encrypted = Some(true);
            Ok(result)
        }
        _ => Err(FixError {
            message: "this mail program gives add-ins no way to switch encryption on".into(),
        }),
    }
}

/// The draft as it will be once the add-in has applied `label`; recipients and
/// content stay as they are. Refused where the mail program cannot apply labels.
fn apply_label(draft: &Draft, label: &str) -> Result<Draft, FixError> {
    let label = label.trim();
    let mut result = draft.clone();
    match result.protection.as_mut() {
        Some(protection) if protection.can_label && !label.is_empty() => {
            // The policy names the label by id or name; the add-in resolves it in the
            // catalogue, and the next check reads the real label back.
            protection.label = Some(label.to_string());
            protection.label_name = Some(label.to_string());
            Ok(result)
        }
        _ => Err(FixError {
            message: "this mail program gives add-ins no way to apply a sensitivity label".into(),
        }),
    }
}

/// Puts `replacement` wherever `address` is (every field it is listed in, keeping its
/// display name and group), or only takes `address` out when `replacement` is already a
/// recipient. The replacement must be a usable address with the same
/// local part: the fix corrects a domain, it never writes to someone else.
fn replace_recipient(draft: &Draft, address: &str, replacement: &str) -> Result<Draft, FixError> {
    let error = |message: String| Err(FixError { message });
    let old = address.trim().to_lowercase();
    let new = Address::new(replacement.trim());
    let new_key = new.key();
    let Some(new_domain) = new.domain() else {
        return error(format!("{replacement} is not a usable address"));
    };
    if crate::domain::DomainName::parse(new_domain).is_none() {
        return error(format!("{replacement} has no valid domain"));
    }
    let local = |key: &str| key.rsplit_once('@').map(|(local, _)| local.to_string());
    if local(&old).is_none() || local(&old) != local(&new_key) {
        return error(format!(
            "{replacement} is not {address} with another domain; the fix only corrects the domain"
        ));
    }
    if old == new_key {
        return error(format!("{address} would be replaced by itself"));
    }
    if !draft.recipients().any(|(_, a)| a.key() == old) {
        return error(format!(
            "{address} is not a recipient of this draft (was it already replaced?)"
        ));
    }
    // Already a recipient (in any field): the look-alike just goes, nothing is doubled.
    let already = draft.recipients().any(|(_, a)| a.key() == new_key);
    let mut result = draft.clone();
    let mut placed: HashSet<crate::draft::Field> = HashSet::new();
    for (field, list) in [
        (crate::draft::Field::To, &mut result.to),
        (crate::draft::Field::Cc, &mut result.cc),
        (crate::draft::Field::Bcc, &mut result.bcc),
    ] {
        let mut replaced = Vec::with_capacity(list.len());
        for entry in list.drain(..) {
            if entry.key() != old {
                replaced.push(entry);
            } else if !already && placed.insert(field) {
                // The first occurrence in a field becomes the replacement; further
                // copies of the old address in that field are duplicates and go.
                replaced.push(Address {
                    address: new.address.clone(),
                    ..entry
                });
            }
        }
        *list = replaced;
    }
    Ok(result)
}

fn move_to_bcc(draft: &Draft, policy: &Policy) -> Draft {
    let analysis = Analysis::new(draft, policy);
    let sender = draft.from.as_ref().map(Address::key);
    let stays_visible = |address: &Address| {
        let key = address.key();
        sender.as_deref() == Some(key.as_str())
            || (policy.move_to_bcc.keep_internal_visible
                && analysis.class_of(&key) != Class::External)
    };
    let mut result = draft.clone();
    let mut in_bcc: HashSet<String> = draft.bcc.iter().map(Address::key).collect();
    result.to.clear();
    result.cc.clear();
    for (target, source) in [(&mut result.to, &draft.to), (&mut result.cc, &draft.cc)] {
        for address in source {
            if stays_visible(address) {
                target.push(address.clone());
            } else if in_bcc.insert(address.key()) {
                let mut moved = address.clone();
                // A group name means nothing in Bcc, where nobody sees the list.
                moved.group = None;
                result.bcc.push(moved);
            }
        }
    }
    if result.to.is_empty() && policy.move_to_bcc.to == BccTo::Sender {
        if let Some(from) = &draft.from {
            let key = from.key();
            let listed = result.cc.iter().chain(&result.bcc).any(|a| a.key() == key);
            if !listed && from.domain().is_some() {
                result.to.push(Address {
                    name: from.name.clone(),
                    address: from.address.clone(),
                    group: None,
                });
            }
        }
    }
    result
}

fn remove_recipients(draft: &Draft, addresses: &[String]) -> Result<Draft, FixError> {
    let remove: HashSet<String> = addresses.iter().map(|a| a.trim().to_lowercase()).collect();
    let present: HashSet<String> = draft.recipients().map(|(_, a)| a.key()).collect();
    if let Some(missing) = addresses
        .iter()
        .find(|a| !present.contains(&a.trim().to_lowercase()))
    {
        return Err(FixError {
            message: format!(
                "{missing} is not a recipient of this draft (was it already removed?)"
            ),
        });
    }
    let mut result = draft.clone();
    for field in [&mut result.to, &mut result.cc, &mut result.bcc] {
        field.retain(|address| !remove.contains(&address.key()));
    }
    Ok(result)
}

/// The visible recipients (To, Cc; the sender left out) as CSV with a header row,
/// UTF-8, one distinct address per row, in draft order.
fn export_recipients(draft: &Draft, policy: &Policy) -> Export {
    let sender = draft.from.as_ref().map(Address::key);
    let mut seen = HashSet::new();
    let mut content = String::from("email,name\r\n");
    for address in draft.to.iter().chain(&draft.cc) {
        let key = address.key();
        if sender.as_deref() == Some(key.as_str()) || !seen.insert(key) {
            continue;
        }
        content.push_str(&csv_field(address.address.trim()));
        content.push(',');
        content.push_str(&csv_field(address.name.as_deref().unwrap_or("")));
        content.push_str("\r\n");
    }
    let tool = policy
        .newsletter_tool
        .as_ref()
        .map(|tool| {
            tool.name
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_lowercase()
        })
        .filter(|name| !name.is_empty());
    Export {
        filename: match tool {
            Some(tool) => format!("recipients-for-{tool}.csv"),
            None => "recipients.csv".to_string(),
        },
        media_type: "text/csv".to_string(),
        content,
    }
}

/// Characters that make a spreadsheet read a cell as a formula when they come first.
const FORMULA_STARTS: &[char] = &['=', '+', '-', '@', '\t', '\r'];

/// RFC 4180 quoting, plus a guard against spreadsheet formula injection: a display
/// name like `=HYPERLINK(…)` must stay text when someone opens the file in Excel.
///
/// Spreadsheets skip leading blanks before they look for `=`, so ` =1+1` and
/// `\t@x` are guarded too. Fields holding `;` are quoted as well as those with `,`:
/// Excel in German and most European locales splits CSV on `;`, and an unquoted
/// `x;=1+1` would start a new cell that is a formula.
fn csv_field(value: &str) -> String {
    let after_blanks =
        value.trim_start_matches(|c: char| c.is_whitespace() && c != '\t' && c != '\r');
    let guarded = if value.starts_with(FORMULA_STARTS) || after_blanks.starts_with(FORMULA_STARTS) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if guarded.contains([',', ';', '"', '\n', '\r', '\t']) || guarded.starts_with('\'') {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(json: &str) -> Draft {
        Draft::from_json(json).unwrap()
    }

    #[test]
    fn move_to_bcc_keeps_colleagues_and_puts_sender_in_to_when_empty() {
        let before = draft(
            r#"{"from":{"address":"me@corp.example"},
                "to":[{"address":"a@x.example"},{"address":"Boss@corp.example"}],
                "cc":[{"address":"b@y.example","group":"Partners"}],
                "bcc":[{"address":"a@x.example"}]}"#,
        );
        let after = apply(&before, &Fix::MoveToBcc, &Policy::default())
            .unwrap()
            .draft;
        let keys = |list: &[Address]| list.iter().map(Address::key).collect::<Vec<_>>();
        assert_eq!(keys(&after.to), ["boss@corp.example"]);
        assert!(after.cc.is_empty());
        assert_eq!(keys(&after.bcc), ["a@x.example", "b@y.example"]);
        assert_eq!(after.bcc[1].group, None);

        let no_colleague =
            draft(r#"{"from":{"address":"me@corp.example"},"to":[{"address":"a@x.example"}]}"#);
        let after = apply(&no_colleague, &Fix::MoveToBcc, &Policy::default())
            .unwrap()
            .draft;
        assert_eq!(keys(&after.to), ["me@corp.example"]);
    }

    #[test]
    fn remove_names_exactly_what_goes_and_refuses_strangers() {
        let before = draft(r#"{"to":[{"address":"A@x.de"}],"bcc":[{"address":"b@y.de"}]}"#);
        let fix = Fix::RemoveRecipient {
            addresses: vec!["a@X.de".into()],
        };
        let after = apply(&before, &fix, &Policy::default()).unwrap().draft;
        assert!(after.to.is_empty());
        assert_eq!(after.bcc.len(), 1);
        let stranger = Fix::RemoveRecipient {
            addresses: vec!["zz@x.de".into()],
        };
        assert!(apply(&before, &stranger, &Policy::default()).is_err());
    }

    #[test]
    fn export_is_csv_with_quoting_and_formula_guard() {
        let before = draft(
            r#"{"from":{"address":"me@c.de"},
                "to":[{"address":"me@c.de"},{"name":"Doe, Jane","address":"j@x.de"}],
                "cc":[{"name":"=cmd|' /C calc'!A0","address":"e@y.de"},{"address":"J@x.de"}]}"#,
        );
        let export = apply(&before, &Fix::ExportRecipients, &Policy::default())
            .unwrap()
            .export
            .unwrap();
        assert_eq!(
            export.content,
            "email,name\r\nj@x.de,\"Doe, Jane\"\r\ne@y.de,\"'=cmd|' /C calc'!A0\"\r\n"
        );
        assert_eq!(export.filename, "recipients.csv");
    }

    #[test]
    fn csv_guards_semicolons_and_formulas_after_blanks() {
        assert_eq!(csv_field("x;=1+1"), "\"x;=1+1\"");
        assert_eq!(csv_field(" =1+1"), "\"' =1+1\"");
        assert_eq!(csv_field("\t@x"), "\"'\t@x\"");
        assert_eq!(csv_field("\u{a0}+1"), "\"'\u{a0}+1\"");
        assert_eq!(csv_field("  -2"), "\"'  -2\"");
        assert_eq!(csv_field("Jane Doe"), "Jane Doe");
        assert_eq!(csv_field("a=b"), "a=b");
        assert_eq!(csv_field(""), "");
    }

    #[test]
    fn replace_swaps_one_address_and_keeps_its_place() {
        let before = draft(
            r#"{"to":[{"name":"Max","address":"Max@Gmai1.com"},{"address":"b@y.de"}],
                "bcc":[{"address":"max@gmai1.com"}]}"#,
        );
        let fix = Fix::ReplaceRecipient {
            address: "max@gmai1.com".into(),
            replacement: "max@gmail.com".into(),
        };
        let after = apply(&before, &fix, &Policy::default()).unwrap().draft;
        assert_eq!(after.to[0].address, "max@gmail.com");
        assert_eq!(after.to[0].name.as_deref(), Some("Max"));
        assert_eq!(after.to[1].address, "b@y.de");
        assert_eq!(after.bcc[0].address, "max@gmail.com");
        // Already there (in any field): the look-alike just goes, nothing is doubled.
        let both = draft(r#"{"to":[{"address":"max@gmai1.com"},{"address":"max@gmail.com"}]}"#);
        let after = apply(&both, &fix, &Policy::default()).unwrap().draft;
        assert_eq!(after.to.len(), 1);
        assert_eq!(after.to[0].address, "max@gmail.com");
        let apart =
            draft(r#"{"to":[{"address":"max@gmail.com"}],"cc":[{"address":"max@gmai1.com"}]}"#);
        let after = apply(&apart, &fix, &Policy::default()).unwrap().draft;
        assert_eq!((after.to.len(), after.cc.len()), (1, 0));
    }

    #[test]
    fn replace_refuses_strangers_and_other_people() {
        let before = draft(r#"{"to":[{"address":"max@gmai1.com"}]}"#);
        for (address, replacement) in [
            ("zz@gmai1.com", "zz@gmail.com"),
            ("max@gmai1.com", "moritz@gmail.com"),
            ("max@gmai1.com", "max@"),
            ("max@gmai1.com", "max@gmai1.com"),
            ("max@gmai1.com", "max@-bad-.com"),
        ] {
            let fix = Fix::ReplaceRecipient {
                address: address.into(),
                replacement: replacement.into(),
            };
            assert!(
                apply(&before, &fix, &Policy::default()).is_err(),
                "{replacement}"
            );
        }
    }

    #[test]
    fn encrypt_and_label_change_only_the_protection() {
        let before = draft(
            r#"{"to":[{"address":"j@gmail.com"}],"protection":{"encrypted":false,"can_encrypt":true}}"#,
        );
        let after = apply(&before, &Fix::Encrypt, &Policy::default())
            .unwrap()
            .draft;
        assert_eq!(after.protection.as_ref().unwrap().encrypted, Some(true));
        assert_eq!(after.to, before.to);
        let label = Fix::ApplyLabel {
            label: "Vertraulich".into(),
        };
        assert!(apply(&before, &label, &Policy::default()).is_err());
        let outlook = draft(r#"{"to":[{"address":"a@b.de"}],"protection":{"can_label":true}}"#);
        let after = apply(&outlook, &label, &Policy::default()).unwrap().draft;
        assert!(after.protection.unwrap().has_label("vertraulich"));
        assert!(apply(&outlook, &Fix::Encrypt, &Policy::default()).is_err());
        assert!(apply(&draft("{}"), &Fix::Encrypt, &Policy::default()).is_err());
        assert_eq!(
            serde_json::to_string(&label).unwrap(),
            r#"{"kind":"apply-label","label":"Vertraulich"}"#
        );
    }

    #[test]
    fn fix_json_shape() {
        let fix: Fix =
            serde_json::from_str(r#"{"kind":"remove-recipient","addresses":["a@b.de"]}"#).unwrap();
        assert_eq!(
            fix,
            Fix::RemoveRecipient {
                addresses: vec!["a@b.de".into()]
            }
        );
        assert_eq!(
            serde_json::to_string(&Fix::MoveToBcc).unwrap(),
            r#"{"kind":"move-to-bcc"}"#
        );
        assert!(serde_json::from_str::<Fix>(r#"{"kind":"move-to-everyone"}"#).is_err());
    }
}

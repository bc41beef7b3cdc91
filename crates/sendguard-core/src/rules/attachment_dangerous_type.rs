//! `attachment-dangerous-type`: a program or script attached, by its ending, its
//! declared media type or its first bytes.

use crate::files::File;
use crate::lists::{DANGEROUS_MEDIA_TYPES, EXECUTABLE_MAGIC};
use crate::messages::{Arg, text};
use crate::policy::Policy;
use crate::rules::Context;
use crate::rules::file_names::{
    attachment_finding, effective_name, extensions, is_dangerous, printable,
};
use crate::vocabulary::{Finding, RuleId, Severity};

pub(super) const TITLE: &str = "rule.attachment-dangerous-type.title";
pub(super) const WHY: &str = "rule.attachment-dangerous-type.why";

/// Looks at every file a recipient can open ([`crate::files`]: attachments and what is
/// inside forwarded messages and archives) under every name it carries; the finding
/// names the file's place and the name that gave it away.
pub(super) fn check(context: &Context<'_>, severity: Severity) -> Vec<Finding> {
    let policy = context.policy;
    context
        .files
        .files
        .iter()
        .filter_map(|file| {
            let by_name = file.names.iter().find_map(|shown| {
                let name = effective_name(shown);
                let ending = extensions(&name).into_iter().next();
                ending
                    .filter(|e| is_dangerous(e, policy))
                    .map(|extension| (shown, extension))
            });
            let message = if let Some((shown, extension)) = by_name {
                text(
                    "rule.attachment-dangerous-type.message",
                    &[
                        ("name", Arg::Str(printable(shown))),
                        ("extension", Arg::Str(extension)),
                    ],
                )
            } else if executable_content(file, policy) {
                text(
                    "rule.attachment-dangerous-type.message.content",
                    &[("name", Arg::Str(printable(&file.names[0])))],
                )
            } else {
                return None;
            };
            Some(attachment_finding(
                RuleId::AttachmentDangerousType,
                severity,
                &file.place,
                message,
            ))
        })
        .collect()
}

/// A program under a harmless name: declared as one by its media type, or starting with
/// an executable's magic bytes. Scripts with `#!` only count when the name does not
/// say text (a `.txt` starting with `#!` is a script someone wants to show). A policy's
/// allowed ending exempts the file only when every name it carries has one.
fn executable_content(file: &File<'_>, policy: &Policy) -> bool {
    let declared = file.media_type.as_deref().is_some_and(|media_type| {
        let essence = media_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_lowercase();
        DANGEROUS_MEDIA_TYPES
            .binary_search(&essence.as_str())
            .is_ok()
    });
    let endings: Vec<String> = file
        .names
        .iter()
        .map(|name| {
            extensions(&effective_name(name))
                .into_iter()
                .next()
                .unwrap_or_default()
        })
        .collect();
    if endings
        .iter()
        .all(|ending| policy.attachments.allowed_extensions.contains(ending))
    {
        return false;
    }
    let text_named = endings.iter().all(|e| matches!(e.as_str(), "txt" | "md"));
    let sniffed = file.content.as_deref().is_some_and(|bytes| {
        EXECUTABLE_MAGIC
            .iter()
            .any(|(magic, kind)| bytes.starts_with(magic) && !(*kind == "sh" && text_named))
    });
    declared || sniffed
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{attachments, findings};
    use crate::vocabulary::RuleId;

    fn flagged(attachment: &str, policy: &str) -> usize {
        findings(
            RuleId::AttachmentDangerousType,
            &attachments(&[attachment]),
            policy,
        )
        .len()
    }

    #[test]
    fn programs_by_ending_type_or_content() {
        assert_eq!(flagged(r#"{"name":"setup.EXE"}"#, "{}"), 1);
        assert_eq!(
            flagged(
                r#"{"name":"x.bin","media_type":"application/x-msdownload"}"#,
                "{}"
            ),
            1
        );
        // "MZ" in base64: a Windows program under a document's name.
        assert_eq!(
            flagged(r#"{"name":"scan.pdf","content_base64":"TVqQAA=="}"#, "{}"),
            1
        );
    }

    #[test]
    fn documents_and_allowed_endings_pass() {
        assert_eq!(flagged(r#"{"name":"report.pdf"}"#, "{}"), 0);
        assert_eq!(
            flagged(
                r#"{"name":"setup.exe"}"#,
                r#"{"attachments":{"allowed_extensions":["exe"]}}"#
            ),
            0
        );
        // "#!" in a text file is a script someone wants to show.
        assert_eq!(
            flagged(r#"{"name":"notes.txt","content_base64":"IyEvYmluL3No"}"#, "{}"),
            0
        );
    }
}

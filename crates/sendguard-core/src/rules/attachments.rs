//! Attachment rules: programs, disguised names, size.

use crate::draft::Attachment;
use crate::lists::{
    BIDI_CONTROLS, DANGEROUS_MEDIA_TYPES, DOCUMENT_EXTENSIONS, EXECUTABLE_MAGIC, is_dangerous_type,
};
use crate::messages::{Arg, Text, text};
use crate::policy::{Policy, Severity};
use crate::report::Finding;
use crate::rules::{Context, RuleId};
use crate::windows_name::{as_windows_runs, has_invisible};

/// How many spaces in a row count as padding that pushes the real ending out of view.
const PADDING_RUN: usize = 5;

fn finding(rule: RuleId, severity: Severity, name: &str, message: Text) -> Finding {
    let mut found = Finding::new(rule, severity, message);
    found.attachment = Some(name.to_string());
    found
}

/// The name as the recipient's system will run it: `a.pdf\u{202E}` tricks, zero-width
/// characters, NUL, `::$DATA` and trailing dots or spaces do not change what Windows
/// runs.
fn effective_name(name: &str) -> String {
    as_windows_runs(name)
}

/// The endings of a file name, last first, lower-cased: `a.tar.GZ` → `gz`, `tar`.
fn extensions(name: &str) -> Vec<String> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let mut parts: Vec<String> = base
        .split('.')
        .skip(1)
        .map(|part| part.trim().to_lowercase())
        .collect();
    parts.reverse();
    parts
}

fn is_dangerous(extension: &str, policy: &Policy) -> bool {
    let rules = &policy.attachments;
    if rules.allowed_extensions.iter().any(|e| e == extension) {
        return false;
    }
    is_dangerous_type(extension)
        || rules
            .extra_dangerous_extensions
            .iter()
            .any(|e| e == extension)
}

pub(super) fn dangerous_type(context: &Context<'_>, severity: Severity) -> Vec<Finding> {
    let policy = context.policy;
    context
        .draft
        .attachments
        .iter()
        .filter_map(|attachment| {
            let name = effective_name(&attachment.name);
            let ending = extensions(&name).into_iter().next();
            if let Some(extension) = ending.filter(|e| is_dangerous(e, policy)) {
                let message = text(
                    "rule.attachment-dangerous-type.message",
                    &[
                        ("name", Arg::Str(printable(&attachment.name))),
                        ("extension", Arg::Str(extension)),
                    ],
                );
                return Some(finding(
                    RuleId::AttachmentDangerousType,
                    severity,
                    &attachment.name,
                    message,
                ));
            }
            executable_content(attachment, policy).then(|| {
                let message = text(
                    "rule.attachment-dangerous-type.message.content",
                    &[("name", Arg::Str(printable(&attachment.name)))],
                );
                finding(
                    RuleId::AttachmentDangerousType,
                    severity,
                    &attachment.name,
                    message,
                )
            })
        })
        .collect()
}

/// A program under a harmless name: declared as one by its media type, or starting with
/// an executable's magic bytes. Scripts with `#!` only count when the name does not
/// say text (a `.txt` starting with `#!` is a script someone wants to show).
fn executable_content(attachment: &Attachment, policy: &Policy) -> bool {
    let declared = attachment.media_type.as_deref().is_some_and(|media_type| {
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
    let name = effective_name(&attachment.name);
    let ending = extensions(&name).into_iter().next().unwrap_or_default();
    if policy.attachments.allowed_extensions.contains(&ending) {
        return false;
    }
    let sniffed = attachment.content.as_deref().is_some_and(|bytes| {
        EXECUTABLE_MAGIC.iter().any(|(magic, kind)| {
            bytes.starts_with(magic) && !(*kind == "sh" && matches!(ending.as_str(), "txt" | "md"))
        })
    });
    declared || sniffed
}

pub(super) fn disguised_name(context: &Context<'_>, severity: Severity) -> Vec<Finding> {
    context
        .draft
        .attachments
        .iter()
        .filter_map(|attachment| {
            let reason = disguise(&attachment.name, context.policy)?;
            let message = text(
                "rule.attachment-disguised-name.message",
                &[
                    ("name", Arg::Str(printable(&attachment.name))),
                    ("reason", Arg::Text(reason)),
                ],
            );
            Some(finding(
                RuleId::AttachmentDisguisedName,
                severity,
                &attachment.name,
                message,
            ))
        })
        .collect()
}

/// Why a name is a disguise, if it is one.
fn disguise(name: &str, policy: &Policy) -> Option<Text> {
    if name.chars().any(|c| BIDI_CONTROLS.contains(&c)) {
        return Some(text("reason.bidi-control", &[]));
    }
    if has_invisible(name) {
        return Some(text("reason.invisible-character", &[]));
    }
    let longest_space_run = name
        .split(|c: char| !c.is_whitespace())
        .map(|run| run.chars().count())
        .max()
        .unwrap_or(0);
    if longest_space_run >= PADDING_RUN {
        return Some(text("reason.padding", &[]));
    }
    let effective = effective_name(name);
    let endings = extensions(&effective);
    if let [real, shown, ..] = endings.as_slice() {
        if is_dangerous(real, policy) && DOCUMENT_EXTENSIONS.binary_search(&shown.as_str()).is_ok()
        {
            return Some(text(
                "reason.double-extension",
                &[
                    ("real", Arg::Str(real.clone())),
                    ("shown", Arg::Str(shown.clone())),
                ],
            ));
        }
    }
    None
}

/// Makes invisible controls visible in messages, so the user sees the trick.
fn printable(name: &str) -> String {
    name.chars()
        .map(|c| {
            if BIDI_CONTROLS.contains(&c) || crate::windows_name::is_invisible(c) {
                format!("<U+{:04X}>", u32::from(c))
            } else {
                c.to_string()
            }
        })
        .collect()
}

pub(super) fn too_large(context: &Context<'_>, severity: Severity) -> Vec<Finding> {
    let attachments = &context.draft.attachments;
    let limit = u64::from(context.policy.attachments.max_total_mb) * 1_000_000;
    // Declared sizes come from the draft: a hostile one adds up past u64::MAX. The sum
    // saturates, so an overflow is reported as too large instead of wrapping to small.
    let total = attachments
        .iter()
        .fold(0u64, |sum, attachment| sum.saturating_add(attachment.size));
    if total <= limit {
        return Vec::new();
    }
    let Some(largest) = attachments.iter().max_by_key(|a| a.size) else {
        return Vec::new();
    };
    let message = if largest.size > limit {
        text(
            "rule.attachment-too-large.message",
            &[
                ("name", Arg::Str(printable(&largest.name))),
                ("size", Arg::Bytes(largest.size)),
                ("limit", Arg::Bytes(limit)),
            ],
        )
    } else {
        text(
            "rule.attachment-too-large.message.total",
            &[("size", Arg::Bytes(total)), ("limit", Arg::Bytes(limit))],
        )
    };
    vec![finding(
        RuleId::AttachmentTooLarge,
        severity,
        &largest.name,
        message,
    )]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endings_ignore_invisible_tricks() {
        assert_eq!(extensions(&effective_name("a.PDF.exe. . ")), ["exe", "pdf"]);
        assert_eq!(extensions("noext"), Vec::<String>::new());
        assert_eq!(extensions("dir\\x.tar.gz"), ["gz", "tar"]);
    }

    #[test]
    fn disguises() {
        let policy = Policy::default();
        assert!(disguise("invoice.pdf.exe", &policy).is_some());
        assert!(disguise("invoice\u{202E}fdp.exe", &policy).is_some());
        assert!(disguise("invoice.pdf          .exe", &policy).is_some());
        assert!(disguise("archive.tar.gz", &policy).is_none());
        assert!(disguise("setup.exe", &policy).is_none());
        assert!(disguise("Q3 report v2.1.pdf", &policy).is_none());
        assert!(disguise("invoice.pdf\0.exe", &policy).is_some());
        assert!(disguise("invoice.pdf\u{200B}", &policy).is_some());
    }

    #[test]
    fn printable_shows_controls() {
        assert_eq!(printable("a\u{202E}b"), "a<U+202E>b");
    }
}

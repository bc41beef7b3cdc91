//! Attachment rules: programs, disguised names, size.

use crate::files::File;
use crate::lists::{
    BIDI_CONTROLS, DANGEROUS_EXTENSIONS, DANGEROUS_MEDIA_TYPES, DOCUMENT_EXTENSIONS,
    EXECUTABLE_MAGIC,
};
use crate::messages::{Arg, Text, text};
use crate::policy::{Policy, Severity};
use crate::report::Finding;
use crate::rules::{Context, RuleId};

/// How many spaces in a row count as padding that pushes the real ending out of view.
const PADDING_RUN: usize = 5;

fn finding(rule: RuleId, severity: Severity, name: &str, message: Text) -> Finding {
    let mut found = Finding::new(rule, severity, message);
    found.attachment = Some(name.to_string());
    found
}

/// The name with invisible and padding characters removed, as the recipient's system
/// will interpret it: `a.pdf\u{202E}` tricks and trailing dots or spaces do not change
/// what Windows runs.
fn effective_name(name: &str) -> String {
    let visible: String = name
        .chars()
        .filter(|c| !BIDI_CONTROLS.contains(c))
        .collect();
    visible
        .trim_end_matches(|c: char| c == '.' || c.is_whitespace())
        .to_string()
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
    DANGEROUS_EXTENSIONS.binary_search(&extension).is_ok()
        || rules
            .extra_dangerous_extensions
            .iter()
            .any(|e| e == extension)
}

/// The attachment rules look at every file a recipient can open ([`crate::files`]):
/// attachments and what is inside forwarded messages and archives, under every name
/// each carries. A finding names the file's place and the name that gave it away.
pub(super) fn dangerous_type(context: &Context<'_>, severity: Severity) -> Vec<Finding> {
    let policy = context.policy;
    context
        .files
        .files
        .iter()
        .filter_map(|file| {
            for shown in &file.names {
                let name = effective_name(shown);
                let ending = extensions(&name).into_iter().next();
                if let Some(extension) = ending.filter(|e| is_dangerous(e, policy)) {
                    let message = text(
                        "rule.attachment-dangerous-type.message",
                        &[
                            ("name", Arg::Str(printable(shown))),
                            ("extension", Arg::Str(extension)),
                        ],
                    );
                    return Some(finding(
                        RuleId::AttachmentDangerousType,
                        severity,
                        &file.place,
                        message,
                    ));
                }
            }
            executable_content(file, policy).then(|| {
                let message = text(
                    "rule.attachment-dangerous-type.message.content",
                    &[("name", Arg::Str(printable(&file.names[0])))],
                );
                finding(
                    RuleId::AttachmentDangerousType,
                    severity,
                    &file.place,
                    message,
                )
            })
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

pub(super) fn disguised_name(context: &Context<'_>, severity: Severity) -> Vec<Finding> {
    context
        .files
        .files
        .iter()
        .filter_map(|file| {
            let (shown, reason) = file
                .names
                .iter()
                .find_map(|name| disguise(name, context.policy).map(|reason| (name, reason)))?;
            let message = text(
                "rule.attachment-disguised-name.message",
                &[
                    ("name", Arg::Str(printable(shown))),
                    ("reason", Arg::Text(reason)),
                ],
            );
            Some(finding(
                RuleId::AttachmentDisguisedName,
                severity,
                &file.place,
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
            if BIDI_CONTROLS.contains(&c) {
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
    let total: u64 = attachments.iter().map(|a| a.size).sum();
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
    }

    #[test]
    fn printable_shows_controls() {
        assert_eq!(printable("a\u{202E}b"), "a<U+202E>b");
    }
}

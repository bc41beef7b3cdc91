//! `attachment-disguised-name`: a file name that hides its real type behind an
//! invisible direction character, other invisible characters (zero-width, NUL,
//! controls), a run of spaces or a harmless-looking second ending.

use crate::lists::{BIDI_CONTROLS, DOCUMENT_EXTENSIONS};
use crate::messages::{Arg, Text, text};
use crate::policy::Policy;
use crate::rules::Context;
use crate::rules::file_names::{
    attachment_finding, effective_name, extensions, is_dangerous, printable,
};
use crate::vocabulary::{Finding, RuleId, Severity};
use crate::windows_name::has_invisible;

pub(super) const TITLE: &str = "rule.attachment-disguised-name.title";
pub(super) const WHY: &str = "rule.attachment-disguised-name.why";

/// How many spaces in a row count as padding that pushes the real ending out of view.
const PADDING_RUN: usize = 5;

/// Every file a recipient can open ([`crate::files`]), under every name it carries.
pub(super) fn check(context: &Context<'_>, severity: Severity) -> Vec<Finding> {
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
            Some(attachment_finding(
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn the_finding_shows_the_hidden_character() {
        use crate::rules::test_support::{attachments, findings};
        let found = findings(
            RuleId::AttachmentDisguisedName,
            &attachments(&["{\"name\":\"invoice\u{202E}fdp.exe\"}"]),
            "{}",
        );
        assert_eq!(found.len(), 1);
        assert!(found[0].message.get(crate::messages::Lang::En).contains("<U+202E>"), "{:?}", found[0].message);
        assert!(
            findings(
                RuleId::AttachmentDisguisedName,
                &attachments(&[r#"{"name":"invoice.pdf"}"#]),
                "{}"
            )
            .is_empty()
        );
    }
}

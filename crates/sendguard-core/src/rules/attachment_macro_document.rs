//! `attachment-macro-document`: an Office document that carries macros (`.docm`,
//! `.xlsm`, `.pptm`, add-ins and templates; the list is
//! `data/attachment-types-macro.txt`).
//!
//! Macro documents are everyday files in many offices, so the default is to warn, not
//! to block: the sender confirms, the recipient's macro settings decide. A policy turns
//! the rule off or makes it block with `"severity": {"attachment-macro-document": …}`;
//! `attachments.allowed_extensions` exempts single endings, and
//! `attachments.extra_dangerous_extensions` moves one to `attachment-dangerous-type`.

use crate::lists::is_macro_type;
use crate::messages::{Arg, text};
use crate::rules::Context;
use crate::rules::file_names::{
    attachment_finding, effective_name, extensions, is_dangerous, printable,
};
use crate::vocabulary::{Finding, RuleId, Severity};

pub(super) const TITLE: &str = "rule.attachment-macro-document.title";
pub(super) const WHY: &str = "rule.attachment-macro-document.why";

pub(super) fn check(context: &Context<'_>, severity: Severity) -> Vec<Finding> {
    let policy = context.policy;
    context
        .draft
        .attachments
        .iter()
        .filter_map(|attachment| {
            let name = effective_name(&attachment.name);
            let extension = extensions(&name).into_iter().next()?;
            let allowed = policy.attachments.allowed_extensions.contains(&extension);
            // Already blocked as a program: one finding per file is enough.
            if allowed || !is_macro_type(&extension) || is_dangerous(&extension, policy) {
                return None;
            }
            let message = text(
                "rule.attachment-macro-document.message",
                &[
                    ("name", Arg::Str(printable(&attachment.name))),
                    ("extension", Arg::Str(extension)),
                ],
            );
            Some(attachment_finding(
                RuleId::AttachmentMacroDocument,
                severity,
                &attachment.name,
                message,
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{attachments, findings};
    use crate::vocabulary::{RuleId, Severity};

    fn run(names: &[&str], policy: &str) -> Vec<crate::vocabulary::Finding> {
        let parts: Vec<String> = names
            .iter()
            .map(|name| format!("{{\"name\":{},\"size\":1}}", serde_json::json!(name)))
            .collect();
        let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
        findings(RuleId::AttachmentMacroDocument, &attachments(&parts), policy)
    }

    #[test]
    fn macro_documents_warn_plain_ones_pass() {
        let found = run(&["Budget.XLSM", "letter.docm ", "deck.pptm", "addin.xlam"], "{}");
        assert_eq!(found.len(), 4);
        assert!(found.iter().all(|f| f.severity == Severity::Warn));
        assert_eq!(found[0].attachment.as_deref(), Some("Budget.XLSM"));
        assert!(found[0].message.get(crate::messages::Lang::En).contains(".xlsm"), "{:?}", found[0].message);
        assert!(found[0].message.get(crate::messages::Lang::De).contains(".xlsm"), "{:?}", found[0].message);
        assert!(run(&["budget.xlsx", "letter.docx", "deck.pptx", "notes.txt"], "{}").is_empty());
    }

    #[test]
    fn policy_switches() {
        let block = run(
            &["budget.xlsm"],
            r#"{"severity":{"attachment-macro-document":"block"}}"#,
        );
        assert_eq!(block[0].severity, Severity::Block);
        let allowed = r#"{"attachments":{"allowed_extensions":["xlsm"]}}"#;
        assert!(run(&["budget.xlsm"], allowed).is_empty());
        let dangerous = r#"{"attachments":{"extra_dangerous_extensions":["xlsm"]}}"#;
        assert!(run(&["budget.xlsm"], dangerous).is_empty());
    }
}

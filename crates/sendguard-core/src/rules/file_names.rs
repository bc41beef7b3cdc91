//! How the attachment rules read a file name: as the recipient's system will
//! interpret it, ending by ending.

use crate::lists::{BIDI_CONTROLS, is_dangerous_type};
use crate::messages::Text;
use crate::policy::Policy;
use crate::vocabulary::{Finding, RuleId, Severity};
use crate::windows_name::{as_windows_runs, is_invisible};

/// A finding about the attachment called `name`.
pub(super) fn attachment_finding(
    rule: RuleId,
    severity: Severity,
    name: &str,
    message: Text,
) -> Finding {
    let mut found = Finding::new(rule, severity, message);
    found.attachment = Some(name.to_string());
    found
}

/// The name as the recipient's system will run it: `a.pdf\u{202E}` tricks, zero-width
/// characters, NUL, `::$DATA` and trailing dots or spaces do not change what Windows
/// runs.
pub(super) fn effective_name(name: &str) -> String {
    as_windows_runs(name)
}

/// The endings of a file name, last first, lower-cased: `a.tar.GZ` → `gz`, `tar`.
pub(super) fn extensions(name: &str) -> Vec<String> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let mut parts: Vec<String> = base
        .split('.')
        .skip(1)
        .map(|part| part.trim().to_lowercase())
        .collect();
    parts.reverse();
    parts
}

/// An ending that runs code: on the shipped list or the policy's extra list, and not
/// on the policy's allowed list.
pub(super) fn is_dangerous(extension: &str, policy: &Policy) -> bool {
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

/// Makes invisible controls visible in messages, so the user sees the trick.
pub(super) fn printable(name: &str) -> String {
    name.chars()
        .map(|c| {
            if BIDI_CONTROLS.contains(&c) || is_invisible(c) {
                format!("<U+{:04X}>", u32::from(c))
            } else {
                c.to_string()
            }
        })
        .collect()
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
    fn printable_shows_controls() {
        assert_eq!(printable("a\u{202E}b"), "a<U+202E>b");
    }

    #[test]
    fn policy_lists_override_the_shipped_one() {
        let policy = Policy::from_json(
            r#"{"attachments":{"allowed_extensions":["exe"],"extra_dangerous_extensions":["xlsm"]}}"#,
        )
        .unwrap();
        assert!(!is_dangerous("exe", &policy));
        assert!(is_dangerous("xlsm", &policy));
        assert!(is_dangerous("exe", &Policy::default()));
        assert!(!is_dangerous("pdf", &Policy::default()));
    }
}

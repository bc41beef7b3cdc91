//! The text report, for a person in a terminal. Colour comes from anstyle and is
//! stripped by anstream when stdout is not a terminal or `NO_COLOR` is set.

use std::borrow::Cow;
use std::fmt::Write as _;

use anstyle::{AnsiColor, Style};
use sendguard_core::{Lang, Report, Severity, Verdict};

/// Recipients listed per finding before "and N more".
const RECIPIENTS_SHOWN: usize = 5;

fn style(color: AnsiColor) -> Style {
    Style::new().fg_color(Some(color.into())).bold()
}

fn verdict_style(verdict: Verdict) -> Style {
    match verdict {
        Verdict::Pass => style(AnsiColor::Green),
        Verdict::Warn => style(AnsiColor::Yellow),
        Verdict::Block => style(AnsiColor::Red),
    }
}

fn severity_label(severity: Severity) -> (Style, &'static str) {
    match severity {
        Severity::Block => (style(AnsiColor::Red), "block"),
        Severity::Warn => (style(AnsiColor::Yellow), "warn "),
        Severity::Info | Severity::Off => (style(AnsiColor::Blue), "info "),
    }
}

/// Whether a character would act on the terminal instead of being shown: C0 and C1
/// controls (ESC starts a sequence that can move the cursor, erase lines or set the
/// window title; CR returns to the line start and overprints), DEL, the bidirectional
/// overrides and isolates that reorder what follows, and the Unicode line separators.
fn acts_on_terminal(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// Text from a draft (names, addresses, file names inside messages) made inert for a
/// terminal: each control character is shown as `<U+001B>`, so a crafted attachment
/// name cannot erase the BLOCK lines and print a fake PASS.
pub(crate) fn terminal_safe(text: &str) -> Cow<'_, str> {
    if !text.chars().any(acts_on_terminal) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if acts_on_terminal(c) {
            let _ = write!(out, "<U+{:04X}>", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Renders one report as text.
pub(crate) fn render_text(file: &str, report: &Report, lang: Lang) -> String {
    let mut out = String::new();
    let verdict = verdict_style(report.verdict);
    let dim = Style::new().dimmed();
    let _ = writeln!(
        out,
        "{}: {verdict}{}{verdict:#} {}",
        terminal_safe(file),
        report.verdict.id().to_uppercase(),
        terminal_safe(report.headline.get(lang))
    );
    if let Some(delay) = &report.delay {
        let _ = writeln!(out, "  {}", terminal_safe(delay.message.get(lang)));
    }
    for finding in &report.findings {
        let (severity, label) = severity_label(finding.severity);
        let _ = writeln!(
            out,
            "  {severity}{label}{severity:#} {} {dim}[{}]{dim:#}",
            terminal_safe(finding.title.get(lang)),
            finding.rule
        );
        let _ = writeln!(out, "        {}", terminal_safe(finding.message.get(lang)));
        if !finding.recipients.is_empty() && finding.recipients.len() <= 50 {
            let shown: Vec<&str> = finding
                .recipients
                .iter()
                .take(RECIPIENTS_SHOWN)
                .map(String::as_str)
                .collect();
            let more = finding.recipients.len().saturating_sub(RECIPIENTS_SHOWN);
            let tail = match (more, lang) {
                (0, _) => String::new(),
                (n, Lang::En) => format!(" and {n} more"),
                (n, Lang::De) => format!(" und {n} weitere"),
            };
            let _ = writeln!(
                out,
                "        {dim}{}{tail}{dim:#}",
                terminal_safe(&shown.join(", "))
            );
        }
        let why = match lang {
            Lang::En => "Why",
            Lang::De => "Warum",
        };
        let _ = writeln!(
            out,
            "        {dim}{why}: {}{dim:#}",
            terminal_safe(finding.why.get(lang))
        );
        if !finding.fixes.is_empty() {
            let fixes: Vec<&str> = finding.fixes.iter().map(|f| f.label.get(lang)).collect();
            let label = match lang {
                Lang::En => "Fix",
                Lang::De => "Lösung",
            };
            let _ = writeln!(
                out,
                "        {label}: {}",
                terminal_safe(&fixes.join(" · "))
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_shown_not_obeyed() {
        assert_eq!(terminal_safe("a.pdf"), "a.pdf");
        assert_eq!(
            terminal_safe("x\u{1b}[2K\r\u{7}\u{9b}\u{202e}y"),
            "x<U+001B>[2K<U+000D><U+0007><U+009B><U+202E>y"
        );
        assert_eq!(terminal_safe("Müller\tHans"), "Müller<U+0009>Hans");
    }
}

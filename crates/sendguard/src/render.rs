//! The text report, for a person in a terminal. Colour comes from anstyle and is
//! stripped by anstream when stdout is not a terminal or `NO_COLOR` is set.

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

/// Renders one report as text.
pub(crate) fn render_text(file: &str, report: &Report, lang: Lang) -> String {
    let mut out = String::new();
    let verdict = verdict_style(report.verdict);
    let dim = Style::new().dimmed();
    let _ = writeln!(
        out,
        "{file}: {verdict}{}{verdict:#} {}",
        report.verdict.id().to_uppercase(),
        report.headline.get(lang)
    );
    for finding in &report.findings {
        let (severity, label) = severity_label(finding.severity);
        let _ = writeln!(
            out,
            "  {severity}{label}{severity:#} {} {dim}[{}]{dim:#}",
            finding.title.get(lang),
            finding.rule
        );
        let _ = writeln!(out, "        {}", finding.message.get(lang));
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
            let _ = writeln!(out, "        {dim}{}{tail}{dim:#}", shown.join(", "));
        }
        let why = match lang {
            Lang::En => "Why",
            Lang::De => "Warum",
        };
        let _ = writeln!(out, "        {dim}{why}: {}{dim:#}", finding.why.get(lang));
        if !finding.fixes.is_empty() {
            let fixes: Vec<&str> = finding.fixes.iter().map(|f| f.label.get(lang)).collect();
            let label = match lang {
                Lang::En => "Fix",
                Lang::De => "Lösung",
            };
            let _ = writeln!(out, "        {label}: {}", fixes.join(" · "));
        }
    }
    out
}

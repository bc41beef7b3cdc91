//! How fast the personal-data scan reads text: a plain-text body, a CSV attachment and
//! an HTML attachment of a few MB each, and a 25 MB draft of attachments, timed through
//! `check` with only the personal-data rules on (so the figure is the scan's, not the
//! recipient analysis's). Prints MB/s; `cargo bench -p sendguard-core --bench
//! personal_data` runs it, `cargo test --benches` once, quickly.

// A bench is a terminal program: printing is its interface.
#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::cast_precision_loss)]

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::{Duration, Instant};

use sendguard_core::{Address, Attachment, Draft, Policy, check};

/// Business prose with numbers, addresses and an identifier every few lines: what
/// the scanner meets in practice (most bytes are words, some are candidates).
fn prose(bytes: usize) -> String {
    let lines = [
        "Sehr geehrte Damen und Herren, anbei das Angebot 2026-04711 über 1.250,00 EUR netto.\n",
        "Lieferung in KW 14, Projektnummer 558812, Zeichnung 1234-5678 Rev. B, Termin 12.03.2027.\n",
        "Bei Rückfragen erreichen Sie uns unter Tel. +49 40 5550123 oder info@nordlicht.example.\n",
        "Die Zahlung erfolgt auf IBAN DE89 3704 0044 0532 0130 00 innerhalb von 14 Tagen.\n",
        "The quick brown fox jumps over the lazy dog; order 4000123412341234 shipped today.\n",
    ];
    let mut text = String::with_capacity(bytes + 128);
    let mut index = 0;
    while text.len() < bytes {
        text.push_str(lines[index % lines.len()]);
        index += 1;
    }
    text
}

fn csv(bytes: usize) -> String {
    let mut text = String::from("Vorname;Nachname;E-Mail;Telefon;IBAN\n");
    let mut i = 0;
    while text.len() < bytes {
        let _ = writeln!(
            text,
            "Vorname{i};Nachname{i};person{i}@mail.example;+49 30 {:07};DE89370400440532013000",
            i % 10_000_000
        );
        i += 1;
    }
    text
}

fn html(bytes: usize) -> String {
    let mut text = String::from("<html><body><table>");
    while text.len() < bytes {
        text.push_str("<tr><td>Angebot&nbsp;2026</td><td>1.250,00&nbsp;&euro;</td><td><a href=\"https://x.example/\">Link</a></td></tr>\n");
    }
    text.push_str("</table></body></html>");
    text
}

fn attachment(name: &str, content: String) -> Attachment {
    let bytes = content.into_bytes();
    Attachment {
        name: name.to_string(),
        size: bytes.len() as u64,
        content: Some(bytes),
        ..Attachment::default()
    }
}

fn draft(body: String, attachments: Vec<Attachment>) -> Draft {
    Draft {
        from: Some(Address::new("me@corp.example")),
        to: vec![Address::new("partner@partner.example")],
        body,
        attachments,
        ..Draft::default()
    }
}

fn median(budget: Duration, mut f: impl FnMut()) -> Duration {
    f();
    let mut samples = Vec::new();
    let started = Instant::now();
    while samples.len() < 5 || (started.elapsed() < budget && samples.len() < 200) {
        let run = Instant::now();
        f();
        samples.push(run.elapsed());
    }
    samples.sort();
    samples[samples.len() / 2]
}

fn main() {
    let quick = !std::env::args().any(|arg| arg == "--bench");
    let (budget, mb) = if quick {
        (Duration::from_millis(1), 1)
    } else {
        (Duration::from_secs(3), 8)
    };
    let mut rules = String::new();
    for rule in sendguard_core::RuleId::ALL {
        let on = rule.id().starts_with("personal-data");
        let _ = write!(
            rules,
            "{}\"{}\":\"{}\"",
            if rules.is_empty() { "" } else { "," },
            rule.id(),
            if on { "block" } else { "off" }
        );
    }
    let policy = Policy::from_json(&format!("{{\"severity\":{{{rules}}}}}")).unwrap();
    let size = mb * 1024 * 1024;
    let cases = [
        ("plain-text body", draft(prose(size), Vec::new())),
        (
            "CSV attachment",
            draft(String::new(), vec![attachment("kunden.csv", csv(size))]),
        ),
        (
            "HTML attachment",
            draft(String::new(), vec![attachment("seite.html", html(size))]),
        ),
        (
            "25 MB draft (body + 6 files)",
            draft(
                prose(1024 * 1024),
                (0..6)
                    .map(|i| attachment(&format!("teil-{i}.txt"), prose(4 * 1024 * 1024)))
                    .collect(),
            ),
        ),
    ];
    let mut table = String::from("| input | MB | median ms | MB/s |\n|---|---:|---:|---:|\n");
    for (name, draft) in &cases {
        let bytes = draft.body.len()
            + draft
                .attachments
                .iter()
                .map(|a| a.content.as_ref().map_or(0, Vec::len))
                .sum::<usize>();
        let report = check(draft, &policy);
        black_box(&report);
        let took = median(budget, || {
            black_box(check(black_box(draft), &policy));
        });
        let megabytes = bytes as f64 / 1_000_000.0;
        let _ = writeln!(
            table,
            "| {name} | {megabytes:.1} | {:.1} | {:.0} |",
            took.as_secs_f64() * 1000.0,
            megabytes / took.as_secs_f64()
        );
    }
    print!("{table}");
}

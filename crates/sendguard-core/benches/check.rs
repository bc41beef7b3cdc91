//! How long `check` takes for 10, 100, 1,000 and 10,000 recipients.
//!
//! A plain bench (`harness = false`, no framework): it times many runs of each size,
//! prints a Markdown table (median, min, max) and writes it to `target/bench/check.md`
//! for the notes. `cargo xtask bench` runs it.
//!
//! The drafts are a partner mailing gone wrong: everyone in Cc, a tenth of them on
//! freemail, a few colleagues, spread over one organization per four addresses, so every
//! rule does its full work. Reading the `.eml` is timed separately, as the CLI does both.

// A bench is a terminal program: printing is its interface, and a failure to build
// its input should stop it loudly.
#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use sendguard_core::{Address, Draft, Policy, check};

const SIZES: [usize; 4] = [10, 100, 1_000, 10_000];
const FREEMAIL: [&str; 4] = ["gmail.com", "web.de", "gmx.net", "outlook.com"];

fn draft(recipients: usize) -> Draft {
    let cc = (0..recipients)
        .map(|i| {
            let domain = match i % 10 {
                0 => FREEMAIL[i % 4].to_string(),
                1 => "kiel.nordlicht.example".to_string(),
                _ => format!("partner{}.example.co.uk", i / 4),
            };
            Address {
                name: Some(format!("Partner {i}")),
                address: format!("kontakt.{i}@{domain}"),
                group: None,
            }
        })
        .collect();
    Draft {
        from: Some(Address::new("katrin.vogt@nordlicht.example")),
        to: vec![Address::new("partner@nordlicht.example")],
        cc,
        subject: "Partner-Newsletter".into(),
        ..Draft::default()
    }
}

fn eml(draft: &Draft) -> Vec<u8> {
    let mut text = String::from(
        "From: katrin.vogt@nordlicht.example\r\nTo: partner@nordlicht.example\r\nCc: ",
    );
    for (i, address) in draft.cc.iter().enumerate() {
        if i > 0 {
            text.push_str(",\r\n ");
        }
        let _ = write!(
            text,
            "\"{}\" <{}>",
            address.name.as_deref().unwrap_or(""),
            address.address
        );
    }
    text.push_str("\r\nSubject: Partner-Newsletter\r\n\r\nHallo\r\n");
    text.into_bytes()
}

struct Timing {
    runs: usize,
    median: Duration,
    min: Duration,
    max: Duration,
}

/// Runs `f` at least 15 times and for at least `budget`, after one warm-up run.
fn time(budget: Duration, mut f: impl FnMut()) -> Timing {
    f();
    let mut samples = Vec::new();
    let started = Instant::now();
    while samples.len() < 15 || (started.elapsed() < budget && samples.len() < 10_000) {
        let run = Instant::now();
        f();
        samples.push(run.elapsed());
    }
    samples.sort();
    Timing {
        runs: samples.len(),
        median: samples[samples.len() / 2],
        min: samples[0],
        max: samples[samples.len() - 1],
    }
}

fn ms(duration: Duration) -> String {
    format!("{:.3}", duration.as_secs_f64() * 1000.0)
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` runs this once, quickly.
    let quick = !std::env::args().any(|arg| arg == "--bench");
    let budget = if quick {
        Duration::from_millis(1)
    } else {
        Duration::from_secs(2)
    };
    let policy = Policy::default();
    let mut table = String::from(
        "| recipients | check median ms | min ms | max ms | runs | read .eml + check median ms |\n\
         |---:|---:|---:|---:|---:|---:|\n",
    );
    for size in SIZES {
        let draft = draft(size);
        let report = check(&draft, &policy);
        assert_eq!(
            report.summary.recipients,
            size + 1,
            "the bench draft changed"
        );
        let checked = time(budget, || {
            black_box(check(black_box(&draft), &policy));
        });
        let bytes = eml(&draft);
        let read_and_checked = time(budget, || {
            let draft = Draft::from_eml(black_box(&bytes)).unwrap();
            black_box(check(&draft, &policy));
        });
        let _ = writeln!(
            table,
            "| {size} | {} | {} | {} | {} | {} |",
            ms(checked.median),
            ms(checked.min),
            ms(checked.max),
            checked.runs,
            ms(read_and_checked.median)
        );
    }
    print!("{table}");
    if !quick {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/bench");
        let written = std::fs::create_dir_all(&dir)
            .and_then(|()| std::fs::write(dir.join("check.md"), &table));
        match written {
            Ok(()) => println!("written to target/bench/check.md"),
            Err(error) => println!("could not write target/bench/check.md: {error}"),
        }
    }
}

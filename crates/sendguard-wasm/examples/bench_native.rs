//! The native side of `cargo xtask bench`: the same work the wasm modules do per
//! check (JSON draft in, JSON report out), timed in plain Rust. Reads JSON drafts
//! from the files given, prints one JSON line per file with the median time.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::time::{Duration, Instant};

use sendguard_wasm::Session;

fn main() {
    let session = match Session::new("{}") {
        Ok(session) => session,
        Err(error) => {
            eprintln!("bench_native: {error}");
            std::process::exit(1);
        }
    };
    // Warm the lazily parsed lists, as a long-lived checker would have them.
    let _ = session.check_json("{}");
    for file in std::env::args().skip(1) {
        let draft = match std::fs::read_to_string(&file) {
            Ok(draft) => draft,
            Err(error) => {
                eprintln!("bench_native: {file}: {error}");
                std::process::exit(1);
            }
        };
        let mut times = Vec::new();
        let budget = Instant::now();
        while times.len() < 5 || (budget.elapsed() < Duration::from_secs(1) && times.len() < 2000) {
            let started = Instant::now();
            let report = session.check_json(&draft);
            times.push(started.elapsed().as_secs_f64() * 1000.0);
            std::hint::black_box(report).ok();
        }
        times.sort_by(f64::total_cmp);
        let median = times[times.len() / 2];
        println!(
            "{{\"file\":{file:?},\"median_ms\":{median},\"runs\":{}}}",
            times.len()
        );
    }
}

//! `cargo xtask test`: every check CI runs, as a table of steps. Each step runs even if
//! an earlier one failed (so one run shows every problem); the exit status is failure
//! if any step failed.

use std::time::Instant;

use crate::run;

/// One step of the test run.
struct Step {
    name: &'static str,
    run: fn() -> Result<(), String>,
}

const STEPS: &[Step] = &[
    Step {
        name: "data",
        run: data,
    },
    Step {
        name: "fmt",
        run: fmt,
    },
    Step {
        name: "clippy",
        run: clippy,
    },
    Step {
        name: "rustdoc",
        run: rustdoc,
    },
    Step {
        name: "cargo test",
        run: cargo_test,
    },
    Step {
        name: "fuzz smoke",
        run: fuzz_smoke,
    },
];

pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let only: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut results = Vec::new();
    for step in STEPS {
        if !only.is_empty() && !only.contains(&step.name) {
            continue;
        }
        eprintln!("\n==> {}", step.name);
        let started = Instant::now();
        let outcome = (step.run)();
        if let Err(error) = &outcome {
            eprintln!("!!! {}: {error}", step.name);
        }
        results.push((step.name, outcome.is_ok(), started.elapsed()));
    }
    println!("\nxtask test summary:");
    for (name, ok, elapsed) in &results {
        let mark = if *ok { "ok  " } else { "FAIL" };
        println!("  {mark} {name:<24} {:>7.1}s", elapsed.as_secs_f64());
    }
    let failed = results.iter().filter(|(_, ok, _)| !ok).count();
    println!("steps: {} passed, {failed} failed", results.len() - failed);
    if failed == 0 {
        Ok(())
    } else {
        Err(format!("{failed} step(s) failed"))
    }
}

/// The vendored domain lists match their recorded checksums and counts (offline).
fn data() -> Result<(), String> {
    run::command("python3", &["scripts/refresh-data.py", "--check"])
}

fn fmt() -> Result<(), String> {
    run::cargo(&["fmt", "--all", "--check"])
}

fn clippy() -> Result<(), String> {
    run::cargo(&[
        "clippy",
        "--workspace",
        "--all-targets",
        "--locked",
        "--",
        "-D",
        "warnings",
    ])
}

fn rustdoc() -> Result<(), String> {
    run::run_in(
        &run::root(),
        &run::cargo_program(),
        &["doc", "--workspace", "--no-deps", "--locked"],
        &[("RUSTDOCFLAGS", "-D warnings")],
    )
}

fn cargo_test() -> Result<(), String> {
    run::cargo(&["test", "--workspace", "--locked"])
}

fn fuzz_smoke() -> Result<(), String> {
    fuzz(10)
}

/// Builds the fuzz targets with coverage instrumentation on the stable compiler
/// (the flags cargo-fuzz would pass, minus the sanitizer) and runs each for a while.
pub(crate) fn fuzz(_seconds: u64) -> Result<(), String> {
    Err("not yet: fuzz targets arrive with the fuzz/ workspace".into())
}

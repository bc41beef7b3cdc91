//! `cargo xtask …`: the one entry point that builds and tests everything, installing
//! what a fresh machine lacks. CI runs `cargo xtask test` and nothing narrower.

// xtask is a terminal program: printing is its interface.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod bench;
mod dist;
mod outlook;
mod run;
mod site;
mod test;
mod thunderbird;
mod tools;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  test     run everything CI runs: fmt, clippy, docs, all tests, fuzz smoke run
  serve    build everything and serve the add-ins, playground and default policy
  dist     build the checker package and add-ins into dist/
  bench    benchmark the checker (writes target/bench/)
  fuzz     run each fuzz target for a while: cargo xtask fuzz [SECONDS]
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("test") => test::run(&args[1..]),
        Some("fuzz") => {
            let seconds = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(60);
            test::fuzz(seconds)
        }
        Some("serve") => serve(&args[1..]),
        Some("dist") => dist(),
        Some("bench") => bench(),
        Some("-h" | "--help" | "help") => {
            print!("{USAGE}");
            Ok(())
        }
        _ => {
            eprint!("{USAGE}");
            return ExitCode::from(64);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Builds everything, then runs `sendguard serve` from the checkout on the embedded
/// default policy. Extra arguments go to `sendguard serve` (`--listen 0.0.0.0:8443`,
/// `--policy FILE`, `--behind-proxy`, …).
fn serve(extra: &[String]) -> Result<(), String> {
    dist()?;
    run::cargo(&["build", "--locked", "-p", "sendguard"])?;
    let root = run::root();
    let binary = root.join("target/debug/sendguard");
    let root_arg = root.to_string_lossy().into_owned();
    let mut args = vec!["serve", "--root", root_arg.as_str()];
    args.extend(extra.iter().map(String::as_str));
    run::command(&binary.to_string_lossy(), &args)
}

/// Everything IT deploys: the checker package, the Outlook add-in, the Thunderbird .xpi
/// and the site.
pub(crate) fn dist() -> Result<(), String> {
    dist::run()?;
    outlook::build()?;
    thunderbird::build()?;
    site::build()
}

fn bench() -> Result<(), String> {
    bench::run()
}

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
        name: "personal data",
        run: personal_data,
    },
    Step {
        name: "mime oracle",
        run: mime_oracle,
    },
    Step {
        name: "msg oracle",
        run: msg_oracle,
    },
    Step {
        name: "fuzz smoke",
        run: fuzz_smoke,
    },
    Step {
        name: "dist",
        run: crate::dist,
    },
    Step {
        name: "checker package",
        run: crate::dist::test,
    },
    Step {
        name: "report view (chromium)",
        run: crate::dist::test_report_view,
    },
    Step {
        name: "www (chromium)",
        run: www,
    },
    Step {
        name: "outlook",
        run: crate::outlook::test,
    },
    Step {
        name: "thunderbird unit",
        run: crate::thunderbird::test_unit,
    },
    Step {
        name: "thunderbird e2e",
        run: crate::thunderbird::test_e2e,
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
    // The CLI's resource tests measure peak memory with GNU time.
    crate::tools::ensure_apt("time", &["time"])?;
    run::cargo(&["test", "--workspace", "--locked"])?;
    // lookalike-recipient's recall and false-positive figures, printed (the README
    // quotes them); the test asserts the thresholds itself.
    run::cargo(&[
        "test",
        "--locked",
        "-p",
        "sendguard-core",
        "--test",
        "lookalike_recall",
        "--",
        "--nocapture",
    ])
}

/// Precision and recall of each personal-data detector over the labelled corpus
/// (`crates/sendguard-core/tests/personal-data`), printed as a table; the test fails
/// below 95 % in either.
fn personal_data() -> Result<(), String> {
    run::cargo(&[
        "test",
        "--locked",
        "-p",
        "sendguard-core",
        "--lib",
        "personal_data::evaluation",
        "--",
        "--nocapture",
    ])
}

/// The differential test of the `.eml` reader: recipients and attachment names of a
/// vendored corpus of real-world messages (tests/mime-oracle/corpus, sources in its
/// SOURCES.md) against Python's `email` package, the outside oracle. Disagreements
/// must be listed, with the reason, in tests/mime-oracle/disagreements.txt.
fn mime_oracle() -> Result<(), String> {
    let reader = build_read_eml()?;
    let root = run::root();
    run::run_in(
        &root,
        "python3",
        &["tests/mime-oracle/compare.py", &reader],
        &[],
    )
}

/// Builds the example both oracles drive (it reads `.eml` and `.msg`, legacy charsets on)
/// and gives its path.
fn build_read_eml() -> Result<String, String> {
    run::cargo(&[
        "build",
        "--locked",
        "-p",
        "sendguard-core",
        "--features",
        "legacy-charsets",
        "--example",
        "read_eml",
    ])?;
    let binary = run::root().join("target/debug/examples/read_eml");
    Ok(binary.to_string_lossy().into_owned())
}

/// Outlook `.msg` files read by sendguard against the PyPI package `extract_msg` and
/// against their `.eml` twins (`tests/msg-oracle/compare.py`). The package goes into a
/// directory under `target/` on first use, pinned to one version.
fn msg_oracle() -> Result<(), String> {
    const EXTRACT_MSG: &str = "extract-msg==0.57.0";
    let reader = build_read_eml()?;
    let root = run::root();
    // `pip install --target` needs no venv module (Debian ships it apart, as python3-venv,
    // which a fresh machine lacks); the package directory is put on PYTHONPATH.
    let packages = root.join("target/msg-oracle-packages");
    let packages = packages.to_string_lossy();
    let pythonpath = [("PYTHONPATH", &*packages)];
    let installed = std::process::Command::new("python3")
        .args([
            "-c",
            "import extract_msg; assert extract_msg.__version__ == '0.57.0'",
        ])
        .env("PYTHONPATH", &*packages)
        .output()
        .is_ok_and(|out| out.status.success());
    if !installed {
        run::run_in(
            &root,
            "python3",
            &[
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "--upgrade",
                "--target",
                &packages,
                EXTRACT_MSG,
            ],
            &[],
        )?;
    }
    run::run_in(
        &root,
        "python3",
        &["tests/msg-oracle/compare.py", &reader],
        &pythonpath,
    )
}

/// The site (landing page, playground, policy editor, docs) in Debian's Chromium, served
/// by the real `sendguard serve` with the checker package from `dist/checker/`.
fn www() -> Result<(), String> {
    crate::dist::run()?;
    crate::site::build()?;
    crate::tools::ensure_apt("chromium", &["chromium"])?;
    crate::tools::ensure_npm()?;
    run::cargo(&["build", "--locked", "-p", "sendguard"])?;
    let root = run::root();
    let sendguard = root.join("target/debug/sendguard");
    run::run_in(
        &root,
        "node",
        &["--test", "tests/browser/www.test.mjs"],
        &[("SENDGUARD_BIN", &sendguard.to_string_lossy())],
    )
}

fn fuzz_smoke() -> Result<(), String> {
    fuzz(10)
}

/// Builds the fuzz targets with coverage instrumentation on the stable compiler
/// (the flags cargo-fuzz would pass, minus the sanitizer) and runs each for a while.
///
/// Each target starts from a seed corpus (the golden `.eml` files and policies, plus
/// `fuzz/seeds/<target>/`) copied into `fuzz/corpus/<target>/`, where libFuzzer keeps
/// what it finds between runs. A crash, a panic or a hang (10 s for one input) fails
/// the step; libFuzzer saves the input in `fuzz/artifacts/<target>/`, and
/// `fuzz/target/<triple>/release/<target> <that file>` replays it.
pub(crate) fn fuzz(seconds: u64) -> Result<(), String> {
    use std::path::Path;
    use std::process::Command;

    /// (target, seed directory, file-name suffix, largest seed in bytes).
    const SEEDS: &[(&str, &str, &str, u64)] = &[
        ("eml", "tests/corpus", ".eml", 64 * 1024),
        ("address_list", "fuzz/seeds/address_list", "", 64 * 1024),
        ("policy", "tests/corpus", ".policy.json", 64 * 1024),
        ("policy", "fuzz/seeds/policy", "", 64 * 1024),
        ("draft_json", "fuzz/seeds/draft_json", "", 64 * 1024),
        (
            "eml",
            "tests/mime-oracle/corpus/mail-parser",
            ".eml",
            64 * 1024,
        ),
        (
            "attachment_files",
            "fuzz/seeds/attachment_files",
            "",
            64 * 1024,
        ),
        ("address_header", "fuzz/seeds/address_header", "", 64 * 1024),
        (
            "msg",
            "tests/msg-oracle/corpus/email-outlook-message",
            ".msg",
            64 * 1024,
        ),
        (
            "msg",
            "tests/msg-oracle/corpus/msgreader",
            ".msg",
            64 * 1024,
        ),
    ];
    const TARGETS: [&str; 7] = [
        "eml",
        "msg",
        "address_list",
        "policy",
        "draft_json",
        "attachment_files",
        "address_header",
    ];
    // What cargo-fuzz passes, minus `-Zsanitizer=address` (nightly only). Rust code
    // is memory-safe without it; the coverage feedback is what makes fuzzing work.
    const FLAGS: &[&str] = &[
        "-Cpasses=sancov-module",
        "-Cllvm-args=-sanitizer-coverage-level=4",
        "-Cllvm-args=-sanitizer-coverage-inline-8bit-counters",
        "-Cllvm-args=-sanitizer-coverage-pc-table",
        "-Cllvm-args=-sanitizer-coverage-trace-compares",
        "--cfg",
        "fuzzing",
    ];

    let root = run::root();
    let fuzz_dir = root.join("fuzz");
    // The host triple, passed as --target so the flags reach the targets but not build
    // scripts (which would not link without libFuzzer's symbols).
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_string());
    let version = Command::new(&rustc)
        .arg("-vV")
        .output()
        .map_err(|error| format!("cannot run `{rustc} -vV`: {error}"))?;
    let host = String::from_utf8_lossy(&version.stdout)
        .lines()
        .find_map(|line| line.strip_prefix("host: ").map(str::to_string))
        .ok_or("`rustc -vV` did not name the host triple")?;

    let started = Instant::now();
    let target_dir = fuzz_dir.join("target");
    let target_dir_text = target_dir.to_string_lossy().into_owned();
    run::run_in(
        &fuzz_dir,
        &run::cargo_program(),
        &["build", "--release", "--locked", "--target", &host],
        &[
            // Takes precedence over RUSTFLAGS, so nothing from outside mixes in.
            ("CARGO_ENCODED_RUSTFLAGS", &FLAGS.join("\u{1f}")),
            ("CARGO_TARGET_DIR", &target_dir_text),
        ],
    )?;
    eprintln!("fuzz targets built in {:.1?}", started.elapsed());

    let copy_seeds = |target: &str, corpus: &Path| -> Result<usize, String> {
        let mut copied = 0;
        for (_, dir, suffix, max) in SEEDS.iter().filter(|(t, ..)| *t == target) {
            let entries = std::fs::read_dir(root.join(dir))
                .map_err(|error| format!("cannot read seeds in {dir}: {error}"))?;
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                let size = entry.metadata().map_or(u64::MAX, |m| m.len());
                if !name.ends_with(suffix) || size > *max || !entry.path().is_file() {
                    continue;
                }
                let destination = corpus.join(format!("seed-{name}"));
                if !destination.exists() {
                    std::fs::copy(entry.path(), &destination)
                        .map_err(|error| format!("cannot copy seed {name}: {error}"))?;
                }
                copied += 1;
            }
        }
        Ok(copied)
    };

    let mut failed = Vec::new();
    for target in TARGETS {
        let corpus = fuzz_dir.join("corpus").join(target);
        let artifacts = fuzz_dir.join("artifacts").join(target);
        for dir in [&corpus, &artifacts] {
            std::fs::create_dir_all(dir)
                .map_err(|error| format!("cannot create {}: {error}", dir.display()))?;
        }
        let seeds = copy_seeds(target, &corpus)?;
        let binary = target_dir.join(&host).join("release").join(target);
        let corpus_text = corpus.to_string_lossy().into_owned();
        let max_time = format!("-max_total_time={seconds}");
        // libFuzzer takes the prefix literally: the trailing slash makes it a folder.
        let artifact_prefix = format!("-artifact_prefix={}/", artifacts.to_string_lossy());
        eprintln!("fuzzing {target} for {seconds} s ({seeds} seeds)");
        let run_started = Instant::now();
        let outcome = run::run_in(
            &root,
            &binary.to_string_lossy(),
            &[
                &corpus_text,
                &max_time,
                "-timeout=10",
                "-rss_limit_mb=2048",
                "-print_final_stats=1",
                &artifact_prefix,
            ],
            &[],
        );
        eprintln!("{target}: {:.1?}", run_started.elapsed());
        if let Err(error) = outcome {
            failed.push(format!(
                "{target}: {error}; the input is in {}",
                artifacts.display()
            ));
        }
    }
    eprintln!("fuzz build and run: {:.1?}", started.elapsed());
    if failed.is_empty() {
        Ok(())
    } else {
        Err(failed.join("\n"))
    }
}

//! The hostile-input catalogue, command-line classes of issue 10: unbounded input,
//! huge drafts, terminal control sequences in names, a reader that goes away. Each case
//! runs the real binary and asserts the error, the exit status and, for the resource
//! cases, the peak memory (measured by GNU time, which `cargo xtask test` installs).

// Test helpers may unwrap: a panic is the failure report.
#![allow(clippy::unwrap_used, clippy::print_stderr)]

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

const MIB: u64 = 1024 * 1024;

/// What one run of the binary cost.
struct Measured {
    output: Output,
    peak_rss: u64,
    seconds: f64,
}

/// Runs `sendguard args…` under `/usr/bin/time`, which reports the child's peak
/// resident set (kilobytes) and wall time into a file of its own.
fn measured(name: &str, args: &[&str], stdin: Stdio) -> Measured {
    let time = Path::new("/usr/bin/time");
    assert!(
        time.exists(),
        "GNU time is missing: `cargo xtask test` installs it (apt package `time`)"
    );
    let report = scratch(name).join("time.txt");
    let output = Command::new(time)
        .arg("-f")
        .arg("%M %e")
        .arg("-o")
        .arg(&report)
        .arg(env!("CARGO_BIN_EXE_sendguard"))
        .args(args)
        .env("NO_COLOR", "1")
        .env("LANG", "C")
        .stdin(stdin)
        .output()
        .unwrap();
    let figures = std::fs::read_to_string(&report).unwrap();
    let last = figures.lines().last().unwrap_or_default();
    let mut parts = last.split_whitespace();
    let kib: u64 = parts.next().unwrap().parse().unwrap();
    let seconds: f64 = parts.next().unwrap().parse().unwrap();
    let measured = Measured {
        output,
        peak_rss: kib * 1024,
        seconds,
    };
    eprintln!(
        "{name}: peak RSS {} MiB, {seconds:.2} s, exit {:?}",
        measured.peak_rss / MIB,
        measured.output.status.code()
    );
    measured
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sendguard-hostile-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The input cap, as the CLI enforces it.
const CAP: u64 = sendguard_core::MAX_INPUT_BYTES as u64;

// ---------------------------------------------------------------- unbounded input

#[test]
fn dev_zero_ends_with_a_clear_error_and_bounded_memory() {
    let run = measured("dev-zero", &["check", "/dev/zero"], Stdio::null());
    assert_eq!(run.output.status.code(), Some(65));
    let err = stderr(&run.output);
    assert!(err.contains("/dev/zero: the file is larger than"), "{err}");
    assert!(err.contains("nothing was checked"), "{err}");
    assert!(run.peak_rss < 2 * CAP, "peak {} MiB", run.peak_rss / MIB);
}

#[test]
fn endless_stdin_ends_with_a_clear_error_and_bounded_memory() {
    let zero = std::fs::File::open("/dev/zero").unwrap();
    let run = measured("stdin-zero", &["check", "-"], Stdio::from(zero));
    assert_eq!(run.output.status.code(), Some(65));
    let err = stderr(&run.output);
    assert!(err.contains("stdin is larger than"), "{err}");
    assert!(run.peak_rss < 2 * CAP, "peak {} MiB", run.peak_rss / MIB);
}

// ---------------------------------------------------------------- huge drafts

#[test]
fn three_million_attachments_end_fast_in_little_memory() {
    let dir = scratch("many-attachments");
    let path = dir.join("draft.json");
    let mut json = String::from("{\"from\":{\"address\":\"a@acme.example\"},\"attachments\":[");
    for i in 0..3_000_000 {
        if i > 0 {
            json.push(',');
        }
        json.push_str("{\"name\":\"a.exe\",\"size\":9}");
    }
    json.push_str("]}");
    std::fs::write(&path, &json).unwrap();
    let size = json.len() as u64;
    let run = measured(
        "3M-attachments",
        &["check", path.to_str().unwrap()],
        Stdio::null(),
    );
    assert_eq!(run.output.status.code(), Some(65));
    let err = stderr(&run.output);
    assert!(err.contains("more than 1000 attachments"), "{err}");
    assert!(err.contains("line 1, column"), "{err}");
    assert!(run.seconds < 10.0, "{} s", run.seconds);
    assert!(
        run.peak_rss < 2 * size,
        "peak {} MiB for a {} MiB input",
        run.peak_rss / MIB,
        size / MIB
    );
}

/// The largest drafts that are checked: memory stays a small multiple of the input.
#[test]
fn big_drafts_are_checked_in_a_small_multiple_of_their_size() {
    let dir = scratch("big-drafts");
    // 60 MB of base64: one attachment of 45 MB that is a program.
    let mut content = String::from("TVqQ");
    content.push_str(&"AAAA".repeat(15_000_000));
    let json = format!(
        r#"{{"from":{{"address":"a@acme.example"}},"to":[{{"address":"b@acme.example"}}],"attachments":[{{"name":"tool.pdf","size":45000003,"content_base64":"{content}"}}]}}"#
    );
    let json_path = dir.join("big.json");
    std::fs::write(&json_path, &json).unwrap();
    let mut wrapped = String::new();
    for chunk in content.as_bytes().chunks(76) {
        wrapped.push_str(std::str::from_utf8(chunk).unwrap());
        wrapped.push_str("\r\n");
    }
    let eml = format!(
        "From: a@acme.example\r\nTo: b@acme.example\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nHi\r\n\
         --b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=tool.pdf\r\n\
         Content-Transfer-Encoding: base64\r\n\r\n{wrapped}--b--\r\n"
    );
    let eml_path = dir.join("big.eml");
    std::fs::write(&eml_path, &eml).unwrap();
    for (path, size) in [(&json_path, json.len()), (&eml_path, eml.len())] {
        let name = path.file_name().unwrap().to_str().unwrap();
        let run = measured(name, &["check", path.to_str().unwrap()], Stdio::null());
        assert_eq!(run.output.status.code(), Some(2), "{}", stderr(&run.output));
        assert!(stdout(&run.output).contains("attachment-dangerous-type"));
        let ratio = run.peak_rss as f64 / size as f64;
        assert!(
            ratio < 4.0,
            "{name}: peak {} MiB = {ratio:.1} x the input",
            run.peak_rss / MIB
        );
    }
}

// ---------------------------------------------------------------- output safety

#[test]
fn control_sequences_in_names_are_shown_not_obeyed() {
    let dir = scratch("escapes");
    // ESC [2K erases the line, ESC [1A moves up, CR overprints, BEL rings, CSI (C1)
    // and U+202E reorder: together they could hide the BLOCK lines and fake a PASS.
    let hostile = "x\u{1b}[2K\u{1b}[1A\r\u{7}\u{9b}2J\u{202e}PASS";
    let json = serde_json::json!({
        "from": {"address": "a@acme.example"},
        "to": [{"address": "b@acme.example", "name": hostile}],
        "cc": (0..30).map(|i| serde_json::json!({
            "address": format!("u{i}@org{i}.example"),
            "name": hostile,
        })).collect::<Vec<_>>(),
        "attachments": [{"name": format!("{hostile}.exe"), "size": 10}],
    });
    let path = dir.join(format!("{hostile}.json"));
    std::fs::write(&path, json.to_string()).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_sendguard"))
        .args(["check", path.to_str().unwrap()])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let text = stdout(&output);
    for control in ['\u{1b}', '\r', '\u{7}', '\u{9b}', '\u{202e}'] {
        assert!(
            !text.contains(control),
            "{control:?} reached the terminal: {text:?}"
        );
    }
    assert!(text.contains("<U+001B>[2K"), "{text}");
    assert!(text.contains("BLOCK"), "{text}");
}

#[test]
fn a_closed_stdout_is_a_normal_end() {
    let dir = scratch("epipe");
    let mut files = Vec::new();
    for i in 0..400 {
        let path = dir.join(format!("{i}.json"));
        std::fs::write(
            &path,
            r#"{"from":{"address":"a@acme.example"},"attachments":[{"name":"x.exe","size":1}]}"#,
        )
        .unwrap();
        files.push(path.to_string_lossy().into_owned());
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_sendguard"))
        .arg("check")
        .args(&files)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read a little, then hang up, as `sendguard check … | head -1` does; 400 reports
    // are far more than a pipe buffers, so the binary is still writing.
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 64];
    let _ = stdout.read(&mut first).unwrap();
    drop(stdout);
    let started = std::time::Instant::now();
    let output = child.wait_with_output().unwrap();
    assert!(started.elapsed() < Duration::from_secs(30));
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        !stderr(&output).contains("internal error"),
        "{}",
        stderr(&output)
    );
}

//! The CLI contract from ARCHITECTURE.md: output formats and exit statuses, run
//! against the real binary.

// Test helpers may unwrap: a panic is the failure report.
#![allow(clippy::unwrap_used)]

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn sendguard(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sendguard"))
        .args(args)
        .env("NO_COLOR", "1")
        .env("LANG", "C")
        .output()
        .unwrap()
}

/// A scratch directory per test, so tests can run in parallel.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sendguard-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, name: &str, content: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path.to_string_lossy().into_owned()
}

fn newsletter(recipients: usize) -> String {
    let cc: Vec<String> = (0..recipients)
        .map(|i| format!("Partner {i} <info@partner{i}.example>"))
        .collect();
    format!(
        "From: Anna <anna@acme.example>\r\nTo: anna@acme.example\r\nCc: {}\r\nSubject: News\r\n\r\nHi\r\n",
        cc.join(",\r\n ")
    )
}

const OK: &str = "From: anna@acme.example\r\nTo: bob@acme.example\r\nSubject: Hi\r\n\r\nHi\r\n";

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

#[test]
fn exit_status_is_the_worst_verdict() {
    let dir = scratch("verdicts");
    let pass = write(&dir, "pass.eml", OK);
    let warn = write(&dir, "warn.eml", &newsletter(6));
    let block = write(&dir, "block.eml", &newsletter(40));
    assert_eq!(sendguard(&["check", &pass]).status.code(), Some(0));
    assert_eq!(sendguard(&["check", &warn]).status.code(), Some(1));
    assert_eq!(sendguard(&["check", &block]).status.code(), Some(2));
    let all = sendguard(&["check", &pass, &block, &warn]);
    assert_eq!(all.status.code(), Some(2));
    assert!(stderr(&all).contains("checked 3 files: 1 block, 1 warn, 1 pass"));
}

#[test]
fn json_is_one_report_per_line_with_the_file_name() {
    let dir = scratch("json");
    let pass = write(&dir, "pass.eml", OK);
    let block = write(&dir, "block.eml", &newsletter(800));
    let output = sendguard(&["check", "--format", "json", &pass, &block]);
    let text = stdout(&output);
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["file"], pass.as_str());
    assert_eq!(lines[0]["verdict"], "pass");
    assert_eq!(lines[1]["verdict"], "block");
    assert_eq!(lines[1]["findings"][0]["rule"], "visible-recipients");
    assert_eq!(lines[1]["findings"][0]["severity"], "block");
    assert_eq!(lines[1]["summary"]["visible_parties"], 800);

    let single = sendguard(&["check", "--format", "json", &pass]);
    assert_eq!(stdout(&single).lines().count(), 1);
}

#[test]
fn text_output_is_readable_and_localized() {
    let dir = scratch("text");
    let block = write(&dir, "block.eml", &newsletter(30));
    let en = stdout(&sendguard(&["check", &block]));
    assert!(en.contains("BLOCK Sending stopped"), "{en}");
    assert!(
        en.contains("30 external addresses from 30 different parties"),
        "{en}"
    );
    assert!(en.contains("Fix: Move everyone to BCC"), "{en}");
    assert!(!en.contains('\u{1b}'), "colour despite NO_COLOR: {en:?}");
    let de = stdout(&sendguard(&["check", "--lang", "de", &block]));
    assert!(de.contains("Senden gestoppt"), "{de}");
    assert!(de.contains("Alle in BCC verschieben"), "{de}");
}

#[test]
fn unusable_input_is_65_with_a_message_and_others_still_checked() {
    let dir = scratch("unusable");
    let good = write(&dir, "good.eml", OK);
    let empty = write(&dir, "empty.eml", "");
    let bad_json = write(
        &dir,
        "bad.json",
        "{\n  \"to\": [{\"adress\": \"a@b.de\"}]\n}",
    );
    let output = sendguard(&["check", &good, &empty, &bad_json, "/nonexistent/x.eml"]);
    assert_eq!(output.status.code(), Some(65));
    let err = stderr(&output);
    assert!(err.contains("empty.eml: the message is empty"), "{err}");
    assert!(err.contains("bad.json: line 2"), "{err}");
    assert!(err.contains("adress"), "{err}");
    assert!(err.contains("x.eml: cannot read"), "{err}");
    assert!(stdout(&output).contains("good.eml: PASS"));

    let json = sendguard(&["check", "--format", "json", &good, &empty]);
    let lines: Vec<serde_json::Value> = stdout(&json)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "one line per file, errors included");
    assert!(lines[1]["error"].as_str().unwrap().contains("empty"));
}

#[test]
fn invalid_utf8_and_binary_garbage_never_panic() {
    let dir = scratch("garbage");
    let path = dir.join("garbage.eml");
    std::fs::write(
        &path,
        b"\xff\xfe\x00\x01From: \xc3\x28@x.de\r\n\r\n\x80\x81",
    )
    .unwrap();
    let output = sendguard(&["check", path.to_str().unwrap()]);
    let code = output.status.code().unwrap();
    assert!(
        [0, 1, 2, 65].contains(&code),
        "exit {code}: {}",
        stderr(&output)
    );
    assert!(!stderr(&output).contains("panicked"));
}

#[test]
fn usage_errors_are_64() {
    assert_eq!(sendguard(&["check"]).status.code(), Some(64));
    assert_eq!(sendguard(&["frobnicate"]).status.code(), Some(64));
    assert_eq!(
        sendguard(&["check", "--format", "xml", "a.eml"])
            .status
            .code(),
        Some(64)
    );
    assert_eq!(sendguard(&["--help"]).status.code(), Some(0));
}

#[test]
fn policy_typo_is_an_error_naming_key_and_line_in_check_and_policy_check() {
    let dir = scratch("policy");
    let policy = write(
        &dir,
        "policy.json",
        "{\n  \"visible_recipients\": {\n    \"warn_partys\": 2\n  }\n}\n",
    );
    let mail = write(&dir, "m.eml", OK);
    for args in [
        vec!["policy", "check", policy.as_str()],
        vec!["check", "--policy", policy.as_str(), mail.as_str()],
    ] {
        let output = sendguard(&args);
        assert_eq!(output.status.code(), Some(65), "{args:?}");
        let err = stderr(&output);
        assert!(err.contains("policy.json:3:"), "{err}");
        assert!(err.contains("visible_recipients.warn_partys"), "{err}");
        assert!(err.contains("did you mean `warn_parties`"), "{err}");
    }
    // English unless a language is asked for; then the core's German text, same place.
    for args in [
        vec!["policy", "check", "--lang", "de", policy.as_str()],
        vec![
            "check",
            "--lang",
            "de",
            "--policy",
            policy.as_str(),
            mail.as_str(),
        ],
    ] {
        let output = sendguard(&args);
        assert_eq!(output.status.code(), Some(65), "{args:?}");
        let err = stderr(&output);
        assert!(err.contains("policy.json:3:5: unbekannter Schlüssel `visible_recipients.warn_partys`; meinten Sie `warn_parties`?"), "{err}");
    }
}

#[test]
fn policy_from_file_changes_the_verdict() {
    let dir = scratch("policy-effect");
    let policy = write(
        &dir,
        "p.json",
        r#"{"visible_recipients": {"warn_parties": 2}}"#,
    );
    let mail = write(&dir, "three.eml", &newsletter(3));
    assert_eq!(sendguard(&["check", &mail]).status.code(), Some(0));
    assert_eq!(
        sendguard(&["check", "--policy", &policy, &mail])
            .status
            .code(),
        Some(1)
    );
}

/// Issue 15: the delay is the core's decision, so the CLI reports the same hold the
/// add-ins apply, in text and JSON; a pass keeps its exit status.
#[test]
fn delay_from_the_policy_is_reported_in_text_and_json() {
    let dir = scratch("delay");
    let policy = write(&dir, "p.json", r#"{"delay": {"seconds": 120}}"#);
    let external = write(&dir, "external.eml", &newsletter(1));
    let internal = write(&dir, "internal.eml", OK);
    let output = sendguard(&["check", "--policy", &policy, &external]);
    assert_eq!(output.status.code(), Some(0));
    assert!(
        stdout(&output).contains("so it waits 2 minutes before it leaves"),
        "{}",
        stdout(&output)
    );
    let output = sendguard(&[
        "check", "--policy", &policy, "--format", "json", &external, &internal,
    ]);
    let lines: Vec<serde_json::Value> = stdout(&output)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(lines[0]["delay"]["seconds"], 120);
    assert_eq!(lines[0]["delay"]["reason"], "external");
    assert!(lines[1].get("delay").is_none(), "internal mail is not held");
}

#[test]
fn policy_default_is_valid_and_schema_is_json() {
    let default = sendguard(&["policy", "default"]);
    assert_eq!(default.status.code(), Some(0));
    let dir = scratch("default");
    let path = write(&dir, "default.json", &stdout(&default));
    assert_eq!(
        sendguard(&["policy", "check", &path]).status.code(),
        Some(0)
    );
    let schema: serde_json::Value =
        serde_json::from_str(&stdout(&sendguard(&["policy", "schema"]))).unwrap();
    assert_eq!(schema["additionalProperties"], false);
}

#[test]
fn stdin_dash_reads_one_draft() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sendguard"))
        .args(["check", "--format", "json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(br#"{"from":{"address":"a@acme.example"},"to":[{"address":"x@gmail.com"}]}"#)
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("freemail-recipient"));
}

#[test]
fn serve_refuses_an_invalid_policy_at_start_naming_key_and_line() {
    let dir = scratch("serve-policy");
    let policy = write(
        &dir,
        "policy.json",
        "{\n  \"on_checker_eror\": \"fail-open\"\n}\n",
    );
    let output = sendguard(&[
        "serve",
        "--behind-proxy",
        "--listen",
        "127.0.0.1:0",
        "--policy",
        &policy,
    ]);
    assert_eq!(output.status.code(), Some(65));
    let err = stderr(&output);
    assert!(err.contains("line 2"), "{err}");
    assert!(err.contains("did you mean `on_checker_error`"), "{err}");
}

#[test]
fn serve_reports_a_busy_port_as_69() {
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = busy.local_addr().unwrap().to_string();
    let output = sendguard(&["serve", "--behind-proxy", "--listen", &address]);
    assert_eq!(output.status.code(), Some(69), "{}", stderr(&output));
}

#[test]
fn serve_refuses_a_bad_public_url_or_timeout_as_a_usage_error() {
    for args in [
        &["--public-url", "https://u@sendguard.corp.example"][..],
        &["--public-url", "sendguard.corp.example"],
        &["--header-timeout", "0"],
        &["--max-connections", "0"],
    ] {
        let output = sendguard(&[&["serve", "--behind-proxy"][..], args].concat());
        assert_eq!(
            output.status.code(),
            Some(64),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).contains(args[0]),
            "{args:?}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn manifest_fills_every_placeholder_for_the_url_and_send_mode() {
    let dir = scratch("manifest");
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let out = dir.to_string_lossy().into_owned();
    let output = sendguard(&[
        "manifest",
        "--url",
        "https://sendguard.corp.example/",
        "--send-mode",
        "block",
        "--out",
        &out,
        "--root",
        root,
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let xml = std::fs::read_to_string(dir.join("manifest.xml")).unwrap();
    let json = std::fs::read_to_string(dir.join("manifest.json")).unwrap();
    for text in [&xml, &json] {
        assert!(!text.contains("{{"), "placeholder left");
        assert!(text.contains("https://sendguard.corp.example/outlook/"));
        assert!(!text.contains("example//"), "double slash");
    }
    assert!(xml.contains(r#"SendMode="Block""#));
    assert!(json.contains(r#""sendMode": "block""#));
    let bad = sendguard(&["manifest", "--url", "sendguard.corp.example", "--out", &out]);
    assert_eq!(bad.status.code(), Some(64));
    assert!(stderr(&bad).contains("expected https://"));
}

#[test]
fn outlook_msg_is_read_by_its_first_bytes_and_checks_like_its_eml_twin() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/msg-oracle/corpus/email-outlook-message");
    let dir = scratch("msg");
    // Named neither .msg nor .eml: the magic bytes decide.
    let renamed = dir.join("saved-from-outlook.dat");
    std::fs::copy(corpus.join("plain_jpeg_attached.msg"), &renamed).unwrap();
    let twin = corpus.join("plain_jpeg_attached.eml");
    let report = |path: &Path| {
        let output = sendguard(&["check", "--format", "json", path.to_str().unwrap()]);
        assert!(output.status.code().unwrap() <= 2, "{}", stderr(&output));
        let mut json: serde_json::Value = serde_json::from_str(stdout(&output).trim()).unwrap();
        json.as_object_mut().unwrap().remove("file");
        json
    };
    let from_msg = report(&renamed);
    assert_eq!(from_msg, report(&twin));
    assert!(from_msg["verdict"].is_string());

    // A damaged .msg: exit 65, a message with the place, no panic.
    let mut bytes = std::fs::read(corpus.join("plain_unsent.msg")).unwrap();
    bytes.truncate(700);
    let broken = dir.join("broken.msg");
    std::fs::write(&broken, &bytes).unwrap();
    let output = sendguard(&["check", broken.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(65));
    let err = stderr(&output);
    assert!(
        err.contains("broken.msg: not a readable Outlook .msg"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

/// `sendguard incident` prints the register entry of the golden corpus file that
/// `tests/corpus/incident/` holds (the core's golden test reviews that one), writes
/// every paper with `--out`, and puts every recipient of the follow-up mail in Bcc.
#[test]
fn incident_prints_the_golden_register_entry_and_writes_the_papers() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus");
    let eml = corpus.join("009-freemail-recipient.eml");
    let output = sendguard(&[
        "incident",
        "--noticed",
        "2026-12-01T09:00Z",
        "--format",
        "json",
        eml.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let mut actual: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    actual["checker_version"] = serde_json::Value::from("(any)");
    let golden =
        std::fs::read_to_string(corpus.join("incident/009-freemail-recipient.json")).unwrap();
    let expected: serde_json::Value = serde_json::from_str(&golden).unwrap();
    assert_eq!(actual, expected);

    let dir = scratch("incident");
    let out = dir.join("papers");
    let source = write(&dir, "sent.eml", &newsletter(3));
    let output = sendguard(&[
        "incident",
        "--noticed",
        "2026-12-01T10:00+01:00",
        "--lang",
        "de",
        "--out",
        out.to_str().unwrap(),
        &source,
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("Meldung an die Aufsichtsbehörde bis | **2026-12-04 09:00 UTC**"),
        "{}",
        stdout(&output)
    );
    for name in [
        "register.json",
        "register.de.md",
        "authority.de.md",
        "data-subjects.de.txt",
        "recall.eml",
        "recall-mailto.txt",
    ] {
        assert!(out.join(name).is_file(), "{name} missing");
    }
    let recall = std::fs::read_to_string(out.join("recall.eml")).unwrap();
    assert!(
        recall.contains(
            "Bcc: info@partner0.example,\r\n info@partner1.example,\r\n info@partner2.example\r\n"
        ),
        "{recall}"
    );
    assert!(recall.contains("To: anna@acme.example\r\n"), "{recall}");
    assert!(!recall.contains("\r\nCc:"), "{recall}");
    // The follow-up mail is a mail the CLI itself reads: nobody is visible in it.
    let check = sendguard(&[
        "check",
        "--format",
        "json",
        out.join("recall.eml").to_str().unwrap(),
    ]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
}

#[test]
fn incident_errors_say_what_and_where() {
    let dir = scratch("incident-errors");
    let source = write(&dir, "sent.eml", OK);
    let bad_time = sendguard(&["incident", "--noticed", "2026-12-01 9:00", &source]);
    assert_eq!(bad_time.status.code(), Some(64));
    assert!(
        stderr(&bad_time).contains("character 12"),
        "{}",
        stderr(&bad_time)
    );
    let not_mail = write(&dir, "notes.eml", "just some text\nwithout headers\n");
    let unusable = sendguard(&["incident", &not_mail]);
    assert_eq!(unusable.status.code(), Some(65));
    assert!(
        stderr(&unusable).contains("notes.eml: not a mail message"),
        "{}",
        stderr(&unusable)
    );
    let missing = sendguard(&["incident", &dir.join("nope.eml").to_string_lossy()]);
    assert_eq!(missing.status.code(), Some(65));
    assert!(
        stderr(&missing).contains("nope.eml: cannot read"),
        "{}",
        stderr(&missing)
    );
    let blocked = write(&dir, "file-not-dir", "x");
    let cannot_write = sendguard(&["incident", "--out", &format!("{blocked}/sub"), &source]);
    assert_eq!(cannot_write.status.code(), Some(73));
    assert!(
        stderr(&cannot_write).contains("cannot create"),
        "{}",
        stderr(&cannot_write)
    );
}

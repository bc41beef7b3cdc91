//! The hostile-input catalogue, attachment and resource classes of issue 10 (the
//! recipient and MIME classes are in `hostile.rs`; the CLI's cases in
//! `crates/sendguard/tests/hostile.rs`). Every case names the rule that must fire and
//! its severity, or the error that must come back.

use std::time::{Duration, Instant};

use sendguard_core::{
    Draft, InputErrorKind, MAX_ATTACHMENTS, Policy, Report, Severity, Verdict, check,
};

fn with_attachment(name: &str) -> Report {
    let draft = Draft {
        attachments: vec![sendguard_core::Attachment {
            name: name.to_string(),
            size: 1000,
            ..Default::default()
        }],
        ..Default::default()
    };
    check(&draft, &Policy::default())
}

fn severity_of(report: &Report, rule: &str) -> Option<Severity> {
    report
        .findings
        .iter()
        .find(|f| f.rule.id() == rule)
        .map(|f| f.severity)
}

// ---------------------------------------------------------------- type list

/// The endings issue 10 found passing, their siblings, and the launchers: each blocks.
#[test]
fn dangerous_endings_block() {
    let endings = [
        // named in the issue
        "msu",
        "jnlp",
        "wsb",
        "settingcontent-ms",
        "appinstaller",
        "library-ms",
        "search-ms",
        "diagcab",
        "website",
        "desktop",
        "command",
        "appimage",
        // siblings of types that were blocked
        "msh1",
        "msh2",
        "ps2xml",
        "psc2",
        "mshxml",
        "msh1xml",
        "msh2xml",
        "psdm1",
        // Outlook's list
        "appcontent-ms",
        "cdxml",
        "der",
        "cer",
        "hpj",
        "htc",
        "its",
        "mcf",
        "mda",
        "mdb",
        "pssc",
        "pst",
        "py",
        "pyz",
        "pyzw",
        "printerexport",
        "udl",
        "vsmacros",
        "webpnp",
        "xbap",
        "xnk",
        "theme",
        "tmp",
        // Gmail's list
        "ex_",
        "mjs",
        "nsh",
        "vxd",
        "lib",
        "diagcfg",
        "diagpkg",
        // macOS and Linux launchers
        "app",
        "pkg",
        "mpkg",
        "scpt",
        "applescript",
        "workflow",
        "terminal",
        "tool",
        "fileloc",
        "webloc",
        "run",
        "sh",
        "bash",
        "deb",
        "rpm",
        "snap",
        "flatpakref",
        // Windows types neither vendor list has
        "psm1",
        "ocx",
        "ppkg",
        "themepack",
        "searchconnector-ms",
    ];
    let mut passed = Vec::new();
    for ending in endings {
        for name in [
            format!("update.{ending}"),
            format!("UPDATE.{}", ending.to_uppercase()),
        ] {
            let report = with_attachment(&name);
            if severity_of(&report, "attachment-dangerous-type") != Some(Severity::Block) {
                passed.push(name);
            }
        }
    }
    assert!(passed.is_empty(), "not blocked: {passed:?}");
}

#[test]
fn documents_still_pass() {
    for name in [
        "Q3 report.pdf",
        "budget.xlsx",
        "notes.txt",
        "photo.jpeg",
        "archive.zip",
    ] {
        let report = with_attachment(name);
        assert_eq!(
            report.verdict,
            Verdict::Pass,
            "{name}: {:?}",
            report.findings
        );
    }
}

// ---------------------------------------------------------------- names

/// Names that are read as Windows runs them: each ends in `.exe` for Windows.
#[test]
fn names_are_judged_as_windows_runs_them() {
    for name in [
        "setup.exe::$DATA",
        "setup.exe::$data",
        "setup.exe:zone:$DATA",
        "setup.exe\0.pdf",
        "setup.exe\u{200B}",
        "setup.ex\u{200C}e",
        "setup.exe\u{FEFF}",
        "setup.exe\u{2060}",
        "setup.exe\u{E0020}",
        "setup.exe.",
        "setup.exe . .",
        "setup.exe\u{3000}",
    ] {
        let report = with_attachment(name);
        assert_eq!(
            severity_of(&report, "attachment-dangerous-type"),
            Some(Severity::Block),
            "{name:?}: {:?}",
            report.findings
        );
    }
}

/// A harmless ending behind NUL or zero-width characters is a disguise in itself.
#[test]
fn invisible_characters_are_a_disguise() {
    for name in [
        "invoice.pdf\0.exe",
        "invoice\u{200B}.pdf",
        "invoice.pdf\u{1b}[8m.exe",
    ] {
        let report = with_attachment(name);
        assert_eq!(
            severity_of(&report, "attachment-disguised-name"),
            Some(Severity::Block),
            "{name:?}: {:?}",
            report.findings
        );
        let message = &report.findings[0].message;
        assert!(!format!("{message:?}").contains('\u{1b}'), "{message:?}");
    }
}

// ---------------------------------------------------------------- sizes

#[test]
fn sizes_that_overflow_the_sum_are_too_large_not_small() {
    let json = format!(
        r#"{{"attachments":[{{"name":"a.pdf","size":{max}}},{{"name":"b.pdf","size":{max}}},{{"name":"c.pdf","size":2}}]}}"#,
        max = u64::MAX
    );
    let report = check(&Draft::from_json(&json).unwrap(), &Policy::default());
    assert!(
        severity_of(&report, "attachment-too-large").is_some_and(|s| s >= Severity::Warn),
        "{:?}",
        report.findings
    );
}

// ---------------------------------------------------------------- resources

#[test]
fn three_million_attachments_end_fast_with_a_clear_error() {
    let count = 3_000_000;
    let mut json = String::with_capacity(count * 24 + 32);
    json.push_str("{\"attachments\":[");
    for i in 0..count {
        if i > 0 {
            json.push(',');
        }
        json.push_str("{\"name\":\"a.pdf\",\"size\":1}");
    }
    json.push_str("]}");
    let started = Instant::now();
    let error = Draft::from_json(&json).unwrap_err();
    let took = started.elapsed();
    assert_eq!(error.kind(), InputErrorKind::TooLarge);
    let text = error.to_string();
    assert!(
        text.contains(&format!("at most {MAX_ATTACHMENTS}")),
        "{text}"
    );
    assert!(text.contains("line 1, column"), "{text}");
    assert!(took < Duration::from_secs(2), "took {took:?}");
}

#[test]
fn an_eml_with_millions_of_parts_ends_fast_with_a_clear_error() {
    let mut eml = String::from(
        "From: a@b.example\r\nTo: c@d.example\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n",
    );
    eml.push_str(&"--b\r\n\r\n".repeat(3_000_000));
    eml.push_str("--b--\r\n");
    let started = Instant::now();
    let error = Draft::from_eml(eml.as_bytes()).unwrap_err();
    let took = started.elapsed();
    assert_eq!(error.kind(), InputErrorKind::TooLarge);
    assert!(error.to_string().contains("MIME part"), "{error}");
    assert!(took < Duration::from_secs(2), "took {took:?}");
}

#[test]
fn the_attachment_limit_itself_is_accepted() {
    let items = vec![r#"{"name":"a.pdf","size":1}"#; MAX_ATTACHMENTS].join(",");
    let draft = Draft::from_json(&format!(r#"{{"attachments":[{items}]}}"#)).unwrap();
    assert_eq!(draft.attachments.len(), MAX_ATTACHMENTS);
    let eml_parts = "--b\r\nContent-Disposition: attachment; filename=a.pdf\r\n\r\nx\r\n"
        .repeat(MAX_ATTACHMENTS);
    let eml = format!(
        "From: a@b.example\r\nTo: c@d.example\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n{eml_parts}--b--\r\n"
    );
    assert_eq!(
        Draft::from_eml(eml.as_bytes()).unwrap().attachments.len(),
        MAX_ATTACHMENTS
    );
}

// ---------------------------------------------------------------- macro documents

/// Macro-enabled Office formats warn by default (not block), also behind name tricks.
#[test]
fn macro_documents_warn() {
    for name in [
        "budget.xlsm",
        "letter.DOCM",
        "deck.pptm",
        "show.ppsm",
        "addin.xlam",
        "template.dotm",
        "template.xltm",
        "template.potm",
        "slide.sldm",
        "addin.ppam",
        "budget.xlsm::$DATA",
        "budget.xlsm\u{200B}",
    ] {
        let report = with_attachment(name);
        assert_eq!(
            severity_of(&report, "attachment-macro-document"),
            Some(Severity::Warn),
            "{name:?}: {:?}",
            report.findings
        );
        assert_eq!(
            severity_of(&report, "attachment-dangerous-type"),
            None,
            "{name:?}"
        );
    }
}

//! The hostile-input catalogue: one case per class of input that once turned a BLOCK
//! into a PASS (issue 10). Every case expects the rule that must fire, at warn or
//! block. Recipient and MIME classes first, then the type list, names, sizes,
//! resources and macro documents; the command line's cases (unbounded input, terminal
//! control sequences, a closed stdout) are in `crates/sendguard/tests/hostile.rs`.
//! Add a case for every new class.

// clippy.toml allows these in `#[test]` functions; the helpers here are test code too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use sendguard_core::{
    Draft, InputErrorKind, MAX_ATTACHMENTS, Policy, Report, Severity, Verdict, check,
};

fn eml_report(eml: &str) -> Report {
    let draft = Draft::from_eml(eml.as_bytes()).expect("the message reads");
    check(&draft, &Policy::default())
}

fn json_report(json: &str) -> Report {
    let draft = Draft::from_json(json).expect("the draft reads");
    check(&draft, &Policy::default())
}

/// The finding of `rule`, which must exist at warn or above.
fn fired<'a>(report: &'a Report, rule: &str) -> &'a sendguard_core::Finding {
    let found = report
        .findings
        .iter()
        .find(|f| f.rule.id() == rule)
        .unwrap_or_else(|| {
            let rules: Vec<&str> = report.findings.iter().map(|f| f.rule.id()).collect();
            panic!("{rule} did not fire; findings: {rules:?}")
        });
    assert!(
        found.severity >= Severity::Warn,
        "{rule} at {:?}",
        found.severity
    );
    found
}

fn addresses(count: usize, separator: &str, decorate: impl Fn(usize) -> String) -> String {
    (0..count).map(decorate).collect::<Vec<_>>().join(separator)
}

const FROM: &str = "From: Anna <anna@nordlicht.example>\r\n";

// ---------------------------------------------------------------- recipients

#[test]
fn repeated_to_fields_are_all_read() {
    let first = addresses(10, ", ", |i| format!("a{i}@org{i}.example"));
    let second = addresses(10, ", ", |i| format!("b{i}@firm{i}.example"));
    let report = eml_report(&format!("{FROM}To: {first}\r\nTo: {second}\r\n\r\nHi\r\n"));
    assert_eq!(report.summary.recipients, 20);
    assert_eq!(
        fired(&report, "visible-recipients").severity,
        Severity::Block
    );
}

#[test]
fn comments_inside_addresses() {
    let list = addresses(16, ", ", |i| format!("bob{i}(c)@(c)org{i}.example (Bob)"));
    let report = eml_report(&format!("{FROM}Cc: {list}\r\n\r\nHi\r\n"));
    let finding = fired(&report, "visible-recipients");
    assert!(
        finding
            .recipients
            .contains(&"bob0@org0.example".to_string())
    );
}

#[test]
fn unbalanced_angle_or_quote_does_not_swallow_the_list() {
    for opener in ["<", "\"Bob "] {
        let list = addresses(16, ", ", |i| format!("u{i}@org{i}.example"));
        let report = eml_report(&format!("{FROM}To: {opener}{list}\r\n\r\nHi\r\n"));
        assert_eq!(report.summary.recipients, 16, "{opener}");
        assert_eq!(
            fired(&report, "visible-recipients").severity,
            Severity::Block
        );
    }
}

#[test]
fn blank_separated_entries_are_separate_recipients() {
    let list = addresses(20, " ", |i| format!("u{i}@org{i}.example"));
    let report = eml_report(&format!("{FROM}To: {list}\r\n\r\nHi\r\n"));
    assert_eq!(
        fired(&report, "visible-recipients").severity,
        Severity::Block
    );
}

#[test]
fn resent_fields_are_recipients() {
    let list = addresses(16, ", ", |i| format!("u{i}@org{i}.example"));
    let report = eml_report(&format!(
        "{FROM}To: anna@nordlicht.example\r\nResent-To: {list}\r\n\r\nHi\r\n"
    ));
    fired(&report, "visible-recipients");
    let cc = eml_report(&format!("{FROM}Resent-Cc: {list}\r\n\r\nHi\r\n"));
    fired(&cc, "visible-recipients");
}

#[test]
fn encoded_word_hiding_an_address_is_invalid() {
    let hidden = STANDARD.encode("victim@gmail.com");
    let report = eml_report(&format!("{FROM}To: =?utf-8?B?{hidden}?=\r\n\r\nHi\r\n"));
    fired(&report, "invalid-recipient");
}

#[test]
fn quoted_local_part_is_kept_whole() {
    let report = eml_report(&format!("{FROM}To: \"john doe\"@gmail.com\r\n\r\nHi\r\n"));
    let finding = fired(&report, "freemail-recipient");
    assert_eq!(finding.recipients, ["\"john doe\"@gmail.com"]);
}

#[test]
fn unlisted_recipients_group_is_no_recipient() {
    let report = eml_report(&format!(
        "{FROM}To: unlisted-recipients:; (no To-header on input)\r\nBcc: x@gmail.com\r\n\r\nHi\r\n"
    ));
    assert_eq!(report.summary.recipients, 1);
    assert!(
        report
            .findings
            .iter()
            .all(|f| f.rule.id() != "invalid-recipient")
    );
    fired(&report, "freemail-recipient");
}

#[test]
fn json_entry_holding_many_addresses_is_invalid() {
    let many = addresses(40, " ", |i| format!("u{i}@org{i}.example"));
    let report = json_report(&format!(r#"{{"to": [{{"address": "{many}"}}]}}"#));
    fired(&report, "invalid-recipient");
    let commas = addresses(3, ", ", |i| format!("u{i}@org{i}.example"));
    let report = json_report(&format!(r#"{{"to": [{{"address": "{commas}"}}]}}"#));
    fired(&report, "invalid-recipient");
}

// ---------------------------------------------------------------- attachments

fn mixed(parts: &[&str]) -> String {
    let mut eml = format!(
        "{FROM}To: bob@partner.example\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/mixed; boundary=\"OUT\"\r\n\r\n--OUT\r\n\
         Content-Type: text/plain\r\n\r\nsee attached\r\n"
    );
    for part in parts {
        eml.push_str("--OUT\r\n");
        eml.push_str(part);
        eml.push_str("\r\n");
    }
    eml.push_str("--OUT--\r\n");
    eml
}

fn blocked(report: &Report) -> &sendguard_core::Finding {
    let finding = fired(report, "attachment-dangerous-type");
    assert_eq!(finding.severity, Severity::Block);
    finding
}

#[test]
fn parameter_folded_next_to_equals() {
    let report = eml_report(&mixed(&[
        "Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\r\n \"setup.exe\"\r\n\r\nx",
    ]));
    blocked(&report);
    let boundary = format!(
        "{FROM}To: b@p.example\r\nContent-Type: multipart/mixed; boundary\r\n =\"B\"\r\n\r\n--B\r\n\
         Content-Type: application/octet-stream; name=a.exe\r\n\r\nx\r\n--B--\r\n"
    );
    blocked(&eml_report(&boundary));
}

#[test]
fn unclosed_inner_multipart_does_not_swallow_later_parts() {
    let report = eml_report(&mixed(&[
        "Content-Type: multipart/alternative; boundary=IN\r\n\r\n--IN\r\nContent-Type: text/plain\r\n\r\nhi",
        "Content-Type: application/octet-stream; name=a.exe\r\n\r\nx",
    ]));
    blocked(&report);
}

#[test]
fn text_parts_with_a_file_name_are_files() {
    for part in [
        "Content-Type: text/plain\r\nContent-Disposition: inline; filename=run.bat\r\n\r\n@echo off",
        "Content-Type: text/plain; name=update.hta\r\n\r\n<html>",
    ] {
        blocked(&eml_report(&mixed(&[part])));
    }
}

#[test]
fn duplicate_headers_every_name_checked() {
    blocked(&eml_report(&mixed(&[
        "Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=a.pdf\r\n\
         Content-Disposition: attachment; filename=a.scr\r\n\r\nx",
    ])));
    blocked(&eml_report(&mixed(&[
        "Content-Type: application/pdf; name=a.js\r\nContent-Type: application/pdf; name=a.pdf\r\n\r\nx",
    ])));
}

#[test]
fn disagreeing_filename_parameters_every_name_checked() {
    for part in [
        "Content-Type: application/pdf; name=a.pdf\r\nContent-Disposition: attachment; filename=a.pdf; filename*=utf-8''a.exe\r\n\r\nx",
        "Content-Type: application/pdf; name=a.exe\r\nContent-Disposition: attachment; filename=a.pdf\r\n\r\nx",
        "Content-Type: application/pdf\r\nContent-Disposition: attachment; filename*=utf-8''a.pdf; filename=a.vbs\r\n\r\nx",
    ] {
        blocked(&eml_report(&mixed(&[part])));
    }
}

#[test]
fn base64_with_a_stray_character_is_decoded_as_receivers_do() {
    let report = eml_report(&mixed(&[
        "Content-Type: application/pdf; name=invoice.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nT!VqQAA==",
    ]));
    blocked(&report);
}

#[test]
fn uuencoded_files() {
    blocked(&eml_report(&mixed(&[
        "Content-Type: application/octet-stream; name=a.dat\r\nContent-Transfer-Encoding: x-uuencode\r\n\r\nbegin 644 a.exe\r\n\"35H`\r\n`\r\nend",
    ])));
    let inline = format!(
        "{FROM}To: b@p.example\r\n\r\nHere it is\r\nbegin 644 tool.com\r\n\"35H`\r\n`\r\nend\r\n"
    );
    blocked(&eml_report(&inline));
}

/// A zip with stored entries.
fn zip(entries: &[(&str, &[u8], bool)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    let le16 = |v: usize| u16::try_from(v).unwrap_or(u16::MAX).to_le_bytes();
    let le32 = |v: usize| u32::try_from(v).unwrap_or(u32::MAX).to_le_bytes();
    for (name, data, encrypted) in entries {
        let offset = out.len();
        let flags = le16(usize::from(*encrypted));
        out.extend_from_slice(b"PK\x03\x04\x14\x00");
        out.extend_from_slice(&flags);
        out.extend_from_slice(&[0; 10]);
        out.extend_from_slice(&le32(data.len()));
        out.extend_from_slice(&le32(data.len()));
        out.extend_from_slice(&le16(name.len()));
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        central.extend_from_slice(b"PK\x01\x02\x14\x00\x14\x00");
        central.extend_from_slice(&flags);
        central.extend_from_slice(&[0; 10]);
        central.extend_from_slice(&le32(data.len()));
        central.extend_from_slice(&le32(data.len()));
        central.extend_from_slice(&le16(name.len()));
        central.extend_from_slice(&[0; 12]);
        central.extend_from_slice(&le32(offset));
        central.extend_from_slice(name.as_bytes());
    }
    let central_offset = out.len();
    out.extend_from_slice(&central);
    out.extend_from_slice(b"PK\x05\x06\x00\x00\x00\x00");
    out.extend_from_slice(&le16(entries.len()));
    out.extend_from_slice(&le16(entries.len()));
    out.extend_from_slice(&le32(central.len()));
    out.extend_from_slice(&le32(central_offset));
    out.extend_from_slice(&[0, 0]);
    out
}

#[test]
fn program_inside_a_zip_and_a_nested_zip() {
    let archive = zip(&[
        ("docs/readme.txt", b"hi", false),
        ("docs/setup.exe", b"MZ", false),
    ]);
    let report = eml_report(&mixed(&[&format!(
        "Content-Type: application/zip; name=tools.zip\r\nContent-Transfer-Encoding: base64\r\n\r\n{}",
        STANDARD.encode(&archive)
    )]));
    let finding = blocked(&report);
    assert_eq!(
        finding.attachment.as_deref(),
        Some("tools.zip › docs/setup.exe")
    );
    let nested = zip(&[("inner.zip", &archive, false)]);
    let json = format!(
        r#"{{"attachments": [{{"name": "a.zip", "size": {}, "content_base64": "{}"}}]}}"#,
        nested.len(),
        STANDARD.encode(&nested)
    );
    blocked(&json_report(&json));
}

#[test]
fn program_inside_a_forwarded_message() {
    let inner = "From: x@y.example\r\nSubject: original\r\nContent-Type: multipart/mixed; boundary=IN\r\n\r\n--IN\r\n\
         Content-Type: application/octet-stream; name=payload.exe\r\n\r\nMZ\r\n--IN--\r\n";
    let report = eml_report(&mixed(&[&format!(
        "Content-Type: message/rfc822\r\nContent-Disposition: attachment; filename=fwd.eml\r\n\r\n{inner}"
    )]));
    assert_eq!(
        blocked(&report).attachment.as_deref(),
        Some("fwd.eml › payload.exe")
    );
    // Thunderbird's "forward as attachment": the message is a JSON draft's attachment.
    let json = format!(
        r#"{{"attachments": [{{"name": "original.eml", "media_type": "message/rfc822", "size": {}, "content_base64": "{}"}}]}}"#,
        inner.len(),
        STANDARD.encode(inner)
    );
    blocked(&json_report(&json));
}

#[test]
fn winmail_dat_names() {
    // attAttachRendData, then attAttachTitle "SETUP.EXE".
    let mut tnef = 0x223E_9F78u32.to_le_bytes().to_vec();
    tnef.extend_from_slice(&[1, 0]);
    for (id, data) in [
        (0x0006_9002u32, &[0u8; 14][..]),
        (0x0001_8010, b"SETUP.EXE\0"),
    ] {
        tnef.push(2);
        tnef.extend_from_slice(&id.to_le_bytes());
        tnef.extend_from_slice(&u32::try_from(data.len()).unwrap_or(0).to_le_bytes());
        tnef.extend_from_slice(data);
        tnef.extend_from_slice(&[0, 0]);
    }
    let report = eml_report(&mixed(&[&format!(
        "Content-Type: application/ms-tnef; name=winmail.dat\r\nContent-Transfer-Encoding: base64\r\n\r\n{}",
        STANDARD.encode(&tnef)
    )]));
    assert_eq!(
        blocked(&report).attachment.as_deref(),
        Some("winmail.dat › SETUP.EXE")
    );
}

#[test]
fn legacy_charset_names_keep_their_ending() {
    // "事件.exe" in Shift_JIS, as an encoded word and as RFC 2231.
    let sjis = STANDARD.encode(b"\x8e\x96\x8c\x8f.exe");
    for part in [
        format!("Content-Type: application/octet-stream; name=\"=?Shift_JIS?B?{sjis}?=\"\r\n\r\nx"),
        "Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename*=Shift_JIS''%8E%96%8C%8F.exe\r\n\r\nx".to_string(),
        "Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename*=ISO-2022-JP''%1B%24B%3Bv7o%1B%28B.exe\r\n\r\nx".to_string(),
    ] {
        blocked(&eml_report(&mixed(&[&part])));
    }
}

#[test]
fn encrypted_or_cut_short_archive_is_reported_not_skipped() {
    let archive = zip(&[("invoice.pdf", b"%PDF", true)]);
    let json = format!(
        r#"{{"attachments": [{{"name": "secret.zip", "size": {}, "content_base64": "{}"}}]}}"#,
        archive.len(),
        STANDARD.encode(&archive)
    );
    let report = json_report(&json);
    let finding = fired(&report, "content-not-inspected");
    assert_eq!(finding.attachment.as_deref(), Some("secret.zip"));
    // The Outlook add-in sends only the first bytes of a large file: the directory at
    // the end is missing, the names in the local headers are still read.
    let big = zip(&[("a.txt", b"hello", false), ("setup.exe", b"MZ", false)]);
    let json = format!(
        r#"{{"attachments": [{{"name": "big.zip", "size": 5000000, "content_base64": "{}"}}]}}"#,
        STANDARD.encode(&big[..45])
    );
    let report = json_report(&json);
    fired(&report, "content-not-inspected");
}

#[test]
fn zip_bomb_and_deep_nesting_stay_within_budget() {
    let mut nested = zip(&[("x.exe", b"MZ", false)]);
    for _ in 0..12 {
        nested = zip(&[("n.zip", &nested, false)]);
    }
    let json = format!(
        r#"{{"attachments": [{{"name": "n.zip", "size": {}, "content_base64": "{}"}}]}}"#,
        nested.len(),
        STANDARD.encode(&nested)
    );
    let report = json_report(&json);
    fired(&report, "content-not-inspected");
}

// ================================================================ attachments: types, names, sizes, resources

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

/// Every `not_inspected` entry becomes a finding: millions of them are refused before
/// one is built, like attachments.
#[test]
fn millions_of_not_inspected_entries_end_fast() {
    let entry = r#"{"part":"attachment","name":"a.pdf","reason":"timeout"}"#;
    let json = format!(
        r#"{{"not_inspected":[{}]}}"#,
        vec![entry; 1_000_000].join(",")
    );
    let started = Instant::now();
    let error = Draft::from_json(&json).unwrap_err();
    assert_eq!(error.kind(), InputErrorKind::TooLarge);
    assert!(error.to_string().contains("not_inspected"), "{error}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}

//! Bad input: every one gets a clear error (kind + a message that says what is wrong)
//! or a sound report, never a panic, and never a long wait.

// clippy.toml allows these in `#[test]` functions; the helpers here are test code too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

use std::time::{Duration, Instant};

use sendguard_core::{
    Draft, InputErrorKind, MAX_INPUT_BYTES, MAX_RECIPIENTS, Policy, PolicyErrorKind, Report,
    RuleId, Verdict, check,
};

fn report_for(eml: &[u8]) -> Report {
    let draft = Draft::from_eml(eml).unwrap_or_else(|e| panic!("expected a draft, got: {e}"));
    check(&draft, &Policy::default())
}

fn rules(report: &Report) -> Vec<&'static str> {
    report.findings.iter().map(|f| f.rule.id()).collect()
}

/// Debug builds are slow; these limits catch quadratic behaviour, not a few percent.
fn assert_quick(what: &str, started: Instant, limit: Duration) {
    let took = started.elapsed();
    eprintln!("{what}: {took:.2?}");
    assert!(took < limit, "{what} took {took:?} (limit {limit:?})");
}

// ---------------------------------------------------------------- empty

#[test]
fn empty_inputs_are_clear_errors() {
    for eml in [&b""[..], b"\r\n", b"   \n\t\n"] {
        let error = Draft::from_eml(eml).unwrap_err();
        assert_eq!(error.kind(), InputErrorKind::Empty, "{eml:?}");
        assert!(error.to_string().contains("empty"), "{error}");
    }
    assert_eq!(
        Draft::from_json("").unwrap_err().kind(),
        InputErrorKind::Empty
    );
    assert_eq!(
        Policy::from_json("\n").unwrap_err().kind(),
        PolicyErrorKind::Empty
    );
}

#[test]
fn text_that_is_not_a_message_is_a_clear_error() {
    let error = Draft::from_eml(b"Hallo zusammen,\nanbei die Liste.\n").unwrap_err();
    assert_eq!(error.kind(), InputErrorKind::Syntax);
    assert!(error.to_string().contains("not a mail message"), "{error}");
}

// ---------------------------------------------------------------- broken headers

#[test]
fn broken_address_headers_still_give_a_sound_report() {
    let eml = "From: Anna <anna@nordlicht.example\r\n\
        To: \"Krüger, Sabine <s.krueger@rhein-hydraulik.de>, <ops@elbe-logistik.de>,, @@@, <>\r\n\
        Cc: =?UTF-8?Q?kaputt <x@alpen-stahlbau.at>, =?UTF-8?B?!!!?= <y@>\r\n\
        Subject: =?UTF-8?B?!!!?=\r\n\
        no colon on this line\r\n\
        Date: yesterday\r\n\r\nbody\r\n";
    let report = report_for(eml.as_bytes());
    // Whatever the parser made of it, the recipients it found are all accounted for.
    assert_eq!(report.summary.recipients, report.summary.visible);
    assert!(report.summary.recipients >= 2, "{:?}", report.summary);
    // The unusable entries (`@@@`, `y@`, …) are named at warn, not passed over. The
    // unclosed quote in To does not swallow the addresses after it, so they count as
    // visible recipients too. (The external-recipients note is left out: the other
    // findings already name the recipients.)
    assert_eq!(rules(&report), ["visible-recipients", "invalid-recipient"]);
}

#[test]
fn header_without_value_and_garbage_lines() {
    for eml in [
        &b"To:\r\nCc:\r\nFrom:\r\n\r\n"[..],
        b"To: ,,,;;;\r\n\r\n",
        b"To: undisclosed-recipients:;\r\n\r\n",
        b"To: Team: ;\r\nCc: :;\r\n\r\n",
        b"To: <<<<>>>>@@@\r\n\r\n",
        b"Subject: only a subject\r\n\r\n",
        b"To: a@x.example\r\n continued\r\n\tand again\r\n\r\n",
        b"X-Header-Without-End: yes",
    ] {
        let report = report_for(eml);
        assert_ne!(
            report.verdict,
            Verdict::Block,
            "{eml:?}: {:?}",
            rules(&report)
        );
    }
}

#[test]
fn broken_mime_structure() {
    let cases: [&[u8]; 4] = [
        // Boundary never closed.
        b"To: a@x.example\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\n\
          Content-Disposition: attachment; filename=a.exe\r\n\r\nMZ",
        // No boundary parameter at all.
        b"To: a@x.example\r\nContent-Type: multipart/mixed\r\n\r\n--B\r\nx\r\n--B--\r\n",
        // Base64 that is not base64.
        b"To: a@x.example\r\nContent-Type: application/pdf\r\n\
          Content-Disposition: attachment; filename=a.pdf\r\n\
          Content-Transfer-Encoding: base64\r\n\r\n!!!!****\r\n",
        // RFC 2231 name with an unknown charset and broken percent escapes.
        b"To: a@x.example\r\nContent-Type: application/octet-stream\r\n\
          Content-Disposition: attachment; filename*=X-UNKNOWN''%ZZ%E2%80%AE%\r\n\r\nab\r\n",
    ];
    for eml in cases {
        let _ = report_for(eml);
    }
    // The unclosed part still counts as an attachment with a dangerous name.
    let report = report_for(cases[0]);
    assert!(
        rules(&report).contains(&"attachment-dangerous-type"),
        "{:?}",
        rules(&report)
    );
}

#[test]
fn deeply_nested_multipart_does_not_overflow_the_stack() {
    let depth = 2_000;
    let mut eml = String::from("From: a@nordlicht.example\r\nTo: b@x.example\r\n");
    for level in 0..depth {
        eml.push_str(&format!(
            "Content-Type: multipart/mixed; boundary=b{level}\r\n\r\n--b{level}\r\n"
        ));
    }
    eml.push_str("Content-Type: text/plain\r\n\r\nhi\r\n");
    let started = Instant::now();
    let _ = Draft::from_eml(eml.as_bytes()).map(|d| check(&d, &Policy::default()));
    assert_quick("2,000 nested multiparts", started, Duration::from_secs(10));
}

// ---------------------------------------------------------------- invalid UTF-8

#[test]
fn invalid_utf8_in_headers_names_and_body() {
    let eml = b"From: \xff\xfe Anna <anna@nordlicht.example>\r\n\
        To: \xc3\xc3 <a@rhein-hydraulik.de>, b\xff@elbe-logistik.de\r\n\
        Subject: Rechnung \xe4\xf6\xfc\r\n\
        Content-Type: multipart/mixed; boundary=B\r\n\r\n\
        --B\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\xff\xfe\xfd body\r\n\
        --B\r\nContent-Type: application/octet-stream\r\n\
        Content-Disposition: attachment; filename=\"Bericht\xff.pdf\xe2\x80\xae.exe\"\r\n\r\nMZ\r\n\
        --B--\r\n";
    let report = report_for(eml);
    assert_eq!(report.summary.recipients, 2, "{:?}", report.summary);
    assert!(
        rules(&report).contains(&"attachment-dangerous-type"),
        "{:?}",
        rules(&report)
    );
    // Every string in the report is valid UTF-8 and the report serializes.
    assert!(report.to_json().contains("\"verdict\""));
}

/// An unbalanced `(` (here the second byte of a broken UTF-8 sequence, 0x28) opens a
/// comment that swallows the rest of the header: the parser returns one entry without
/// a usable address, and both real recipients vanish from the analysis. That can
/// happen with any malformed header; the report must then say that a recipient entry
/// is unusable (at warn or above), not pass on an info finding alone.
#[test]
fn unusable_recipient_entries_are_reported() {
    let eml = b"From: Anna <anna@nordlicht.example>\r\n\
        To: \xc3\x28 <a@rhein-hydraulik.de>, b@elbe-logistik.de, \xff\xfe@\r\n\r\nHallo\r\n";
    let draft = Draft::from_eml(eml).unwrap();
    // The broken name does not cost the address behind it.
    assert!(draft.to.iter().any(|a| a.address == "a@rhein-hydraulik.de"));
    let unusable: Vec<String> = draft
        .recipients()
        .filter(|(_, a)| {
            a.domain()
                .and_then(sendguard_core::DomainName::parse)
                .is_none()
        })
        .map(|(_, a)| a.key())
        .collect();
    assert!(!unusable.is_empty(), "{:?}", draft.to);
    let report = check(&draft, &Policy::default());
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.severity >= sendguard_core::Severity::Warn
                && unusable.iter().all(|u| f.recipients.contains(u))),
        "nothing at warn or above names {unusable:?}: {:?}",
        rules(&report)
    );
}

#[test]
fn latin1_headers_without_encoding() {
    let report =
        report_for(b"From: J\xfcrgen <j@nordlicht.example>\r\nTo: M\xfcller <m@x.example>\r\n\r\n");
    assert_eq!(report.summary.recipients, 1);
}

// ---------------------------------------------------------------- size

/// A 50 MB message: one 37 MB attachment, base64-encoded. Either a sound report that
/// flags the size (the default limit is 20 MB) or a clear error; and quickly.
#[test]
fn fifty_megabyte_eml() {
    let head = "From: Jonas <jonas@nordlicht.example>\r\nTo: Sabine <s@rhein-hydraulik.de>\r\n\
        Subject: Scans\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n\
        --B\r\nContent-Type: text/plain\r\n\r\nanbei\r\n\
        --B\r\nContent-Type: application/pdf\r\n\
        Content-Disposition: attachment; filename=\"Scans 2025.pdf\"\r\n\
        Content-Transfer-Encoding: base64\r\n\r\n";
    let target = 50 * 1024 * 1024;
    let mut eml = Vec::with_capacity(target + 100);
    eml.extend_from_slice(head.as_bytes());
    // "JVBERi0x" is "%PDF-1"; the rest decodes to zero bytes. 76 characters a line.
    let line = format!("JVBERi0x{}\r\n", "A".repeat(68));
    while eml.len() + line.len() + 8 < target {
        eml.extend_from_slice(line.as_bytes());
    }
    eml.extend_from_slice(b"--B--\r\n");
    assert!(eml.len() > 49 * 1024 * 1024);

    let started = Instant::now();
    let draft = Draft::from_eml(&eml).unwrap();
    let report = check(&draft, &Policy::default());
    assert_quick("50 MB .eml", started, Duration::from_secs(30));

    assert_eq!(draft.attachments.len(), 1);
    assert!(
        draft.attachments[0].size > 35_000_000,
        "{}",
        draft.attachments[0].size
    );
    assert_eq!(report.verdict, Verdict::Warn);
    let finding = &report.findings[0];
    assert_eq!(finding.rule, RuleId::AttachmentTooLarge);
    assert_eq!(finding.attachment.as_deref(), Some("Scans 2025.pdf"));
}

#[test]
fn over_the_input_limit_is_refused_before_parsing() {
    let eml = vec![b'a'; MAX_INPUT_BYTES + 1];
    let started = Instant::now();
    let error = Draft::from_eml(&eml).unwrap_err();
    assert_quick("refusing 100 MiB + 1", started, Duration::from_secs(2));
    assert_eq!(error.kind(), InputErrorKind::TooLarge);
    assert!(error.to_string().contains("at most"), "{error}");
    let text = String::from_utf8(eml).unwrap();
    assert_eq!(
        Draft::from_json(&text).unwrap_err().kind(),
        InputErrorKind::TooLarge
    );
}

#[test]
fn a_five_megabyte_unfolded_to_line() {
    let mut eml = String::from("From: a@nordlicht.example\r\nTo: ");
    for i in 0..150_000 {
        if i > 0 {
            eml.push_str(", ");
        }
        eml.push_str(&format!("u{i}@org{}.example", i % 997));
    }
    eml.push_str("\r\n\r\n");
    let started = Instant::now();
    let draft = Draft::from_eml(eml.as_bytes());
    assert_quick(
        "150,000 recipients on one line",
        started,
        Duration::from_secs(30),
    );
    let error = draft.unwrap_err();
    assert_eq!(error.kind(), InputErrorKind::TooLarge);
    assert!(
        error.to_string().contains(&MAX_RECIPIENTS.to_string()),
        "{error}"
    );
}

// ---------------------------------------------------------------- JSON drafts

#[test]
fn json_draft_errors_name_the_place() {
    let cases = [
        ("{\"to\": [", InputErrorKind::Syntax, "line 1"),
        ("{\"too\": []}", InputErrorKind::Shape, "too"),
        (
            "{\n\"to\": [{\"adress\": \"a@x.de\"}]}",
            InputErrorKind::Shape,
            "to[0]",
        ),
        ("{\"to\": \"a@x.de\"}", InputErrorKind::Shape, "to"),
        (
            "{\"attachments\": [{\"name\": \"a\", \"size\": -1}]}",
            InputErrorKind::Shape,
            "size",
        ),
    ];
    for (json, kind, mentions) in cases {
        let error = Draft::from_json(json).unwrap_err();
        assert_eq!(error.kind(), kind, "{json}: {error}");
        assert!(error.to_string().contains(mentions), "{json}: {error}");
    }
}

/// Two drafts pasted into one file (or a front end that appends to a buffer): the
/// second one's recipients would go unchecked, so the text must be refused, as
/// `Policy::from_json` refuses text after the policy.
#[test]
fn json_draft_with_trailing_text_is_refused() {
    let json = r#"{"to": [{"address": "a@x.example"}]} {"to": [{"address": "b@y.example"}]}"#;
    let error = Draft::from_json(json).unwrap_err();
    assert_eq!(error.kind(), InputErrorKind::Syntax, "{error}");
}

/// serde's derived structs also accept a JSON array, field by field in declaration
/// order: `[]` is an empty draft and a front end that sends its recipient list instead
/// of a draft gets the first recipient read as `from` and a clean pass.
#[test]
fn json_array_is_not_a_draft() {
    for json in [
        "[]",
        r#"[{"address": "a@x.example"}, [{"address": "b@y.example"}]]"#,
    ] {
        let result = Draft::from_json(json);
        assert!(result.is_err(), "{json} was read as {result:?}");
    }
    assert!(Policy::from_json("[]").is_err(), "a policy array");
}

#[test]
fn deeply_nested_json_is_an_error_not_a_stack_overflow() {
    let json = format!("{{\"to\": {}{}}}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(Draft::from_json(&json).is_err());
    let json = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(Draft::from_json(&json).is_err());
    let policy = format!(
        "{{\"name\": {}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    assert!(Policy::from_json(&policy).is_err());
}

// ---------------------------------------------------------------- policies

#[test]
fn unknown_policy_key_names_key_and_line() {
    let text = "{\n  \"internal_domains\": [\"nordlicht.example\"],\n  \"visible_recipients\": {\n    \"block_partys\": 10\n  }\n}\n";
    let error = Policy::from_json(text).unwrap_err();
    assert_eq!(error.kind(), PolicyErrorKind::UnknownKey);
    assert_eq!(error.line(), 4);
    let message = error.to_string();
    assert!(
        message.contains("visible_recipients.block_partys"),
        "{message}"
    );
    assert!(message.contains("block_parties"), "{message}");
}

#[test]
fn bad_policies_are_errors_that_say_where() {
    let cases: [(&str, PolicyErrorKind, &str); 7] = [
        (
            "{\"severity\": {\"visible-recipient\": \"block\"}}",
            PolicyErrorKind::UnknownKey,
            "visible-recipients",
        ),
        (
            "{\"severity\": {\"freemail-recipient\": \"loud\"}}",
            PolicyErrorKind::WrongValue,
            "loud",
        ),
        (
            "{\"internal_domains\": \"nordlicht.example\"}",
            PolicyErrorKind::WrongValue,
            "internal_domains",
        ),
        (
            "{\"blocked_domains\": [\"not a domain\"]}",
            PolicyErrorKind::WrongValue,
            "blocked_domains[0]",
        ),
        (
            "{\"attachments\": {\"max_total_mb\": 0}}",
            PolicyErrorKind::Invalid,
            "max_total_mb",
        ),
        (
            "{\"attachments\": {\"max_total_mb\": -5}}",
            PolicyErrorKind::WrongValue,
            "max_total_mb",
        ),
        (
            "{\"on_checker_error\": \"fail-silently\"}",
            PolicyErrorKind::WrongValue,
            "fail-open",
        ),
    ];
    for (text, kind, mentions) in cases {
        let error = Policy::from_json(text).unwrap_err();
        assert_eq!(error.kind(), kind, "{text}: {error}");
        assert!(error.to_string().contains(mentions), "{text}: {error}");
        assert_eq!(error.line(), 1, "{text}: {error}");
    }
}

#[test]
fn invalid_utf8_policy_bytes_are_a_caller_error_not_a_panic() {
    // The core takes text; a front end that reads bytes must decode them first. This
    // is the decoding a front end does, and what it must report.
    let bytes: Vec<u8> = b"{\"name\": \"Nordlicht \xff\"}".to_vec();
    assert!(String::from_utf8(bytes.clone()).is_err());
    let lossy = String::from_utf8_lossy(&bytes);
    assert_eq!(
        Policy::from_json(&lossy).unwrap().name.as_deref(),
        Some("Nordlicht \u{fffd}")
    );
}

//! The operations both builds export, as plain Rust: strings and bytes in, JSON or a
//! [`Failure`] out.

use std::fmt;

use sendguard_core::{
    Draft, Fix, InputError, Policy, PolicyError, apply, check, parse_address_list,
};

/// A checker with its policy: what a front end creates once and calls on every Send.
///
/// ```
/// use sendguard_wasm::Session;
///
/// let session = Session::new("{}").unwrap();
/// let report = session.check_json(r#"{"to":[{"address":"a@gmail.com"}]}"#).unwrap();
/// assert!(report.starts_with(r#"{"verdict":"warn""#));
/// ```
#[derive(Debug, Clone)]
pub struct Session {
    policy: Policy,
}

/// Why an operation gave no result. It crosses to JavaScript as JSON
/// ([`Failure::to_json`]): `{kind, reason?, message, line?, column?, path?, messages?}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    kind: FailureKind,
    reason: Option<&'static str>,
    message: String,
    line: Option<usize>,
    column: Option<usize>,
    /// Policy errors only: where and in which words (boxed: errors stay small).
    policy: Option<Box<PolicyDetail>>,
}

/// What a policy error adds: the key path (`internal_domains[1]`, when one) and the
/// message in every language (`{"en":…,"de":…}`, as JSON), so a front end shows its
/// page's language.
#[derive(Debug, Clone, PartialEq, Eq)]
struct PolicyDetail {
    path: Option<String>,
    messages: Option<String>,
}

/// Which input a [`Failure`] is about.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// The policy cannot be used.
    Policy,
    /// The draft (JSON or `.eml`) cannot be read.
    Draft,
    /// The fix is not a fix, or does not fit the draft.
    Fix,
}

impl FailureKind {
    /// The stable id the JavaScript errors carry as `kind`: `policy`, `draft`, `fix`.
    pub fn id(self) -> &'static str {
        match self {
            FailureKind::Policy => "policy",
            FailureKind::Draft => "draft",
            FailureKind::Fix => "fix",
        }
    }
}

impl Failure {
    fn new(kind: FailureKind, message: impl fmt::Display) -> Failure {
        Failure {
            kind,
            reason: None,
            message: message.to_string(),
            line: None,
            column: None,
            policy: None,
        }
    }

    fn from_policy(error: &PolicyError) -> Failure {
        let known = error.line() > 0;
        // The core's own JSON form carries the message in every language.
        let messages = serde_json::from_str::<serde_json::Value>(&error.to_json())
            .ok()
            .and_then(|json| json.get("messages").map(ToString::to_string));
        Failure {
            reason: Some(error.kind().as_str()),
            line: known.then_some(error.line()),
            column: known.then_some(error.column()),
            policy: Some(Box::new(PolicyDetail {
                path: (!error.path().is_empty()).then(|| error.path().to_owned()),
                messages,
            })),
            ..Failure::new(FailureKind::Policy, error)
        }
    }

    fn from_input(error: &InputError) -> Failure {
        Failure {
            reason: Some(error.kind().as_str()),
            line: error.line(),
            column: error.column(),
            ..Failure::new(FailureKind::Draft, error)
        }
    }

    #[cfg_attr(not(feature = "abi"), allow(dead_code))]
    pub(crate) fn policy(message: impl fmt::Display) -> Failure {
        Failure::new(FailureKind::Policy, message)
    }

    /// Input that is not UTF-8 (of the input `kind` names).
    #[cfg_attr(not(feature = "abi"), allow(dead_code))]
    pub(crate) fn not_utf8(kind: FailureKind, message: impl fmt::Display) -> Failure {
        Failure {
            reason: Some("encoding"),
            ..Failure::new(kind, message)
        }
    }

    #[cfg_attr(not(feature = "abi"), allow(dead_code))]
    pub(crate) fn no_policy() -> Failure {
        Failure::policy("no policy: call sg_new first")
    }

    /// Which input is at fault.
    pub fn kind(&self) -> FailureKind {
        self.kind
    }

    /// The core's message, unchanged (with the position in front when there is one).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The finer kind, stable and kebab-case, when the core names one: `syntax`,
    /// `unknown-key`, `wrong-value`, `invalid`, `empty`, `shape`, `too-large`, `encoding`.
    pub fn reason(&self) -> Option<&'static str> {
        self.reason
    }

    /// 1-based line and column of the problem in the input, when known.
    pub fn position(&self) -> Option<(usize, usize)> {
        self.line.zip(self.column)
    }

    /// The failure as JavaScript receives it:
    /// `{"kind":…,"reason":…,"message":…,"line":…,"column":…}` (reason and position only
    /// when known).
    ///
    /// ```
    /// let failure = sendguard_wasm::Session::new("{\"x\": 1}").unwrap_err();
    /// assert!(failure.to_json().starts_with(r#"{"kind":"policy","reason":"unknown-key","message":"line 1, column"#));
    /// assert!(failure.to_json().contains(r#","line":1,"column":"#));
    /// // A policy error names its key and carries its message in every language.
    /// assert!(failure.to_json().contains(r#","path":"x","messages":{"#));
    /// assert!(failure.to_json().contains(r#""en":"unknown key `x`"#));
    /// assert!(failure.to_json().contains(r#""de":"unbekannter Schlüssel `x`"#));
    /// ```
    pub fn to_json(&self) -> String {
        let mut out = format!("{{\"kind\":\"{}\"", self.kind.id());
        if let Some(reason) = self.reason {
            out.push_str(&format!(",\"reason\":\"{reason}\""));
        }
        out.push_str(",\"message\":");
        // Serializing a string cannot fail.
        out.push_str(&serde_json::to_string(&self.message).unwrap_or_else(|_| "\"\"".into()));
        if let Some((line, column)) = self.position() {
            out.push_str(&format!(",\"line\":{line},\"column\":{column}"));
        }
        let detail = self.policy.as_deref();
        if let Some(path) = detail.and_then(|d| d.path.as_ref()) {
            out.push_str(",\"path\":");
            out.push_str(&serde_json::to_string(path).unwrap_or_else(|_| "\"\"".into()));
        }
        if let Some(messages) = detail.and_then(|d| d.messages.as_ref()) {
            out.push_str(",\"messages\":");
            out.push_str(messages);
        }
        out.push('}');
        out
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Failure {}

impl Session {
    /// A session with the policy in `policy_json` (`{}` is the default policy).
    pub fn new(policy_json: &str) -> Result<Session, Failure> {
        let policy = Policy::from_json(policy_json).map_err(|e| Failure::from_policy(&e))?;
        Ok(Session { policy })
    }

    /// Checks a JSON draft; the report as one line of JSON, byte for byte what the CLI
    /// prints for the same draft (minus the CLI's `file` key).
    pub fn check_json(&self, draft_json: &str) -> Result<String, Failure> {
        let draft = Draft::from_json(draft_json).map_err(|e| Failure::from_input(&e))?;
        Ok(check(&draft, &self.policy).to_json())
    }

    #[cfg(feature = "eml")]
    /// Checks a saved message (`.eml` bytes), like [`Session::check_json`].
    pub fn check_eml(&self, eml: &[u8]) -> Result<String, Failure> {
        let draft = Draft::from_eml(eml).map_err(|e| Failure::from_input(&e))?;
        Ok(check(&draft, &self.policy).to_json())
    }

    /// Applies a fix (a finding's `action` object, as JSON) to a JSON draft; returns
    /// `{"draft": …, "export": …}` as JSON.
    pub fn apply_json(&self, draft_json: &str, fix_json: &str) -> Result<String, Failure> {
        let draft = Draft::from_json(draft_json).map_err(|e| Failure::from_input(&e))?;
        let fix: Fix = serde_json::from_str(fix_json)
            .map_err(|e| Failure::new(FailureKind::Fix, format!("invalid fix: {e}")))?;
        let applied =
            apply(&draft, &fix, &self.policy).map_err(|e| Failure::new(FailureKind::Fix, e))?;
        serde_json::to_string(&applied).map_err(|e| Failure::new(FailureKind::Fix, e))
    }
}

/// The checker's version, as reports carry it in `checker_version`.
pub fn version() -> &'static str {
    sendguard_core::VERSION
}

/// Parses a pasted address list with the core's tolerant parser
/// ([`parse_address_list`]); returns
/// `{"addresses": [{name?, address}], "rejected": [{"position", "text"}]}` as JSON, where
/// `position` is the 1-based number of the piece in the list.
///
/// ```
/// let json = sendguard_wasm::parse_addresses_json("Doe <jane@x.example>; nobody");
/// assert_eq!(
///     json,
///     r#"{"addresses":[{"name":"Doe","address":"jane@x.example"}],"rejected":[{"position":2,"text":"nobody"}]}"#
/// );
/// ```
pub fn parse_addresses_json(text: &str) -> String {
    let (addresses, rejected) = parse_address_list(text);
    let mut out = String::from("{\"addresses\":");
    // Serializing plain structs and strings cannot fail.
    out.push_str(&serde_json::to_string(&addresses).unwrap_or_else(|_| "[]".into()));
    out.push_str(",\"rejected\":[");
    for (index, (position, piece)) in rejected.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        out.push_str(&format!("{{\"position\":{position},\"text\":"));
        out.push_str(&serde_json::to_string(piece).unwrap_or_else(|_| "\"\"".into()));
        out.push('}');
    }
    out.push_str("]}");
    out
}

/// Reads a saved message into the JSON draft the core checks, as `sendguard check`
/// would: an Outlook `.msg` (recognised by its first bytes, a compound file) or an
/// `.eml`.
#[cfg(feature = "eml")]
pub fn draft_json_from_eml(eml: &[u8]) -> Result<String, Failure> {
    let draft = if sendguard_core::looks_like_msg(eml) {
        Draft::from_msg(eml)
    } else {
        Draft::from_eml(eml)
    }
    .map_err(|e| Failure::from_input(&e))?;
    serde_json::to_string(&draft).map_err(|e| Failure::new(FailureKind::Draft, e))
}

/// After a mistake (the site's incident page): the assessment of a sent message and
/// its papers in one language, as `sendguard incident` makes them.
///
/// `options_json`: `{"noticed": "2026-12-01T09:00Z", "lang": "en"|"de"}`; `noticed` is
/// required (the core has no clock), `lang` defaults to English. Output:
/// `{"register": <the register entry>, "papers": {register_markdown, authority,
/// data_subjects, recall_eml, recall_mailto, recall_left_out}}`.
#[cfg(feature = "site")]
pub fn incident_json(eml: &[u8], options_json: &str) -> Result<String, Failure> {
    let bad =
        |message: String| Failure::new(FailureKind::Draft, format!("invalid options: {message}"));
    let options: serde_json::Value =
        serde_json::from_str(options_json).map_err(|e| bad(e.to_string()))?;
    let noticed = options
        .get("noticed")
        .and_then(serde_json::Value::as_str)
        .ok_or_else(|| bad("`noticed` (a time such as 2026-12-01T09:00Z) is missing".into()))?;
    let noticed =
        sendguard_core::parse_noticed(noticed).map_err(|e| bad(format!("`noticed`: {e}")))?;
    let lang = match options.get("lang").and_then(serde_json::Value::as_str) {
        None | Some("en") => sendguard_core::Lang::En,
        Some("de") => sendguard_core::Lang::De,
        Some(other) => return Err(bad(format!("`lang` is `{other}`; expected en or de"))),
    };
    let incident = sendguard_core::Incident::from_eml(eml, noticed, &Policy::default())
        .map_err(|e| Failure::from_input(&e))?;
    let papers = serde_json::to_string(&incident.documents(lang))
        .map_err(|e| Failure::new(FailureKind::Draft, e))?;
    Ok(format!(
        "{{\"register\":{},\"papers\":{papers}}}",
        incident.to_json()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_is_the_cores_json() {
        let session = Session::new("{}").unwrap();
        let draft = r#"{"from":{"address":"me@corp.example"},"cc":[{"address":"x@gmail.com"}]}"#;
        let expected = check(&Draft::from_json(draft).unwrap(), &Policy::default()).to_json();
        assert_eq!(session.check_json(draft).unwrap(), expected);
    }

    #[test]
    fn failures_name_the_input() {
        let policy = Session::new("{\"severty\": {}}").unwrap_err();
        assert_eq!(policy.kind(), FailureKind::Policy);
        assert!(policy.message().contains("severty"), "{policy}");
        let session = Session::new("{}").unwrap();
        assert_eq!(
            session.check_json("{\"to\": [").unwrap_err().kind(),
            FailureKind::Draft
        );
        #[cfg(feature = "eml")]
        assert_eq!(
            session.check_eml(b"   ").unwrap_err().kind(),
            FailureKind::Draft
        );
        let fix = session.apply_json("{}", r#"{"kind":"move-to-nowhere"}"#);
        assert_eq!(fix.unwrap_err().kind(), FailureKind::Fix);
        let missing = session.apply_json(
            "{}",
            r#"{"kind":"remove-recipient","addresses":["a@b.de"]}"#,
        );
        assert!(missing.unwrap_err().message().contains("a@b.de"));
    }

    #[cfg(feature = "eml")]
    #[test]
    fn msg_becomes_the_cores_draft() {
        let msg = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/msg-oracle/corpus/email-outlook-message/plain_jpeg_attached.msg"
        ))
        .unwrap();
        let json = draft_json_from_eml(&msg).unwrap();
        let expected = serde_json::to_string(&Draft::from_msg(&msg).unwrap()).unwrap();
        assert_eq!(json, expected);
        assert!(json.contains("test.jpg"));
        let failure = draft_json_from_eml(&msg[..600]).unwrap_err().to_json();
        assert!(failure.contains("Outlook .msg"), "{failure}");
    }

    #[cfg(feature = "eml")]
    #[test]
    fn eml_becomes_the_cores_draft() {
        let eml = b"From: Anna <anna@corp.example>\r\nCc: \"Doe, Jane\" <jane@gmail.com>\r\n\
                    Subject: Hi\r\n\r\nHello\r\n";
        let json = draft_json_from_eml(eml).unwrap();
        let expected = serde_json::to_string(&Draft::from_eml(eml).unwrap()).unwrap();
        assert_eq!(json, expected);
        assert!(json.contains(r#""name":"Doe, Jane""#), "{json}");
        assert_eq!(
            draft_json_from_eml(b"").unwrap_err().kind(),
            FailureKind::Draft
        );
    }

    #[cfg(feature = "site")]
    #[test]
    fn incident_is_the_cores_register_entry() {
        let eml = b"From: anna@corp.example\r\nCc: a@gmx.de, b@web.de\r\n\r\nHallo\r\n";
        let json = incident_json(eml, r#"{"noticed":"2026-12-01T09:00Z","lang":"de"}"#).unwrap();
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        let expected = sendguard_core::Incident::from_eml(
            eml,
            sendguard_core::parse_noticed("2026-12-01T09:00Z").unwrap(),
            &Policy::default(),
        )
        .unwrap()
        .to_json();
        let expected: serde_json::Value = serde_json::from_str(&expected).unwrap();
        assert_eq!(value["register"], expected);
        assert!(
            value["papers"]["recall_eml"]
                .as_str()
                .unwrap()
                .contains("Bcc: a@gmx.de")
        );
        let error = incident_json(eml, r#"{"lang":"de"}"#).unwrap_err();
        assert!(error.message().contains("noticed"), "{error}");
        let error =
            incident_json(eml, r#"{"noticed":"2026-12-01T09:00Z","lang":"fr"}"#).unwrap_err();
        assert!(error.message().contains("fr"), "{error}");
        assert!(incident_json(b"", r#"{"noticed":"2026-12-01T09:00Z"}"#).is_err());
    }

    #[test]
    fn address_lists_keep_names_and_report_what_is_not_an_address() {
        let json = parse_addresses_json("\"Doe, Jane\" <jane@x.example>; b@y.example\nnot one");
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["addresses"][0]["name"], "Doe, Jane");
        assert_eq!(value["addresses"][1]["address"], "b@y.example");
        assert!(value["addresses"][1].get("name").is_none());
        assert_eq!(value["rejected"][0]["position"], 3);
        assert_eq!(value["rejected"][0]["text"], "not one");
        assert_eq!(
            parse_addresses_json(""),
            r#"{"addresses":[],"rejected":[]}"#
        );
    }

    #[test]
    fn apply_returns_draft_and_export() {
        let session = Session::new("{}").unwrap();
        let applied = session
            .apply_json(
                r#"{"from":{"address":"me@corp.example"},"cc":[{"address":"x@gmail.com"}]}"#,
                r#"{"kind":"move-to-bcc"}"#,
            )
            .unwrap();
        let value: serde_json::Value = serde_json::from_str(&applied).unwrap();
        assert_eq!(value["draft"]["bcc"][0]["address"], "x@gmail.com");
        assert_eq!(value["draft"]["to"][0]["address"], "me@corp.example");
        assert!(value["export"].is_null());
    }
}

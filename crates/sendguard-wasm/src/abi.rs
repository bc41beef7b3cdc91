//! The checker's one ABI: bytes and JSON over linear memory, no imports.
//!
//! The same module runs as WebAssembly (browsers, extensions, Node, new Outlook) and,
//! converted by `wasm2js`, as plain JavaScript where `WebAssembly` is missing (classic
//! Outlook's JavaScript-only runtime, `node --jitless`); one loader (`js/engine.mjs`)
//! drives both. One instance holds one policy. The protocol, for JavaScript:
//!
//! 1. `sg_alloc(len)` → pointer; write UTF-8 (or `.eml` bytes) there.
//! 2. `sg_new(ptr, len)` (policy), `sg_check(ptr, len)`, `sg_check_eml(ptr, len)`,
//!    `sg_apply(draft_ptr, draft_len, fix_ptr, fix_len)`, `sg_parse_addresses(ptr, len)`,
//!    `sg_version()`, `sg_default_policy()`, `sg_last_panic()`, and in the site module
//!    `sg_draft_from_eml(ptr, len)` and `sg_incident(eml_ptr, eml_len, options_ptr,
//!    options_len)` → status: [`STATUS_OK`] (the output is the result),
//!    [`STATUS_FAILED`] (the output is the failure as JSON, `{kind, reason?, message,
//!    line?, column?}`, see [`crate::Failure::to_json`]) or [`STATUS_NONE`].
//! 3. `sg_output_ptr()` / `sg_output_len()`: the call's output, valid until the next call.
//! 4. `sg_free(ptr, len)` the input.
//!
//! A trap (a panic: the build aborts) leaves the instance unusable; the loader
//! instantiates a fresh one and asks the fresh one nothing about the old (the panic's
//! message is read from the broken instance with `sg_last_panic`, if it still answers).

// Raw pointers are what this ABI is: JavaScript hands us addresses in linear memory.
// `unsafe` is confined to turning those into slices and to the allocator calls, each
// with its contract stated; everything else goes through `Session`.
#![allow(unsafe_code)]

use std::alloc::{Layout, alloc, dealloc};
use std::sync::Mutex;

#[cfg(feature = "abi")]
use crate::session::Session;
use crate::session::{Failure, FailureKind};

/// The call succeeded; the output is its result.
pub const STATUS_OK: u32 = 0;
/// An input was rejected (or `sg_new` was never called); the output is the failure as
/// JSON.
pub const STATUS_FAILED: u32 = 1;
/// Nothing to report (`sg_last_panic` without a panic); the output is empty.
pub const STATUS_NONE: u32 = 2;

struct State {
    #[cfg(feature = "abi")]
    session: Option<Session>,
    output: Vec<u8>,
}

static STATE: Mutex<State> = Mutex::new(State {
    #[cfg(feature = "abi")]
    session: None,
    output: Vec::new(),
});

fn finish(result: Result<String, Failure>) -> u32 {
    let (status, text) = match result {
        Ok(json) => (STATUS_OK, json),
        Err(failure) => (STATUS_FAILED, failure.to_json()),
    };
    if let Ok(mut state) = STATE.lock() {
        state.output = text.into_bytes();
    }
    status
}

/// Asks the allocator for room for a call on `input_len` bytes in one piece, then
/// gives it back, so the call's many allocations find free memory instead of growing
/// it step by step. Under wasm2js every `memory.grow` copies the whole memory into a
/// new ArrayBuffer: growing a page at a time made 100,000 recipients take 25 s.
#[cfg_attr(not(feature = "abi"), allow(dead_code))]
fn reserve_for(input_len: usize) {
    // The parsed draft and the report take a few times the JSON's size.
    let room = input_len.saturating_mul(8).min(512 << 20);
    let reservation = Vec::<u8>::with_capacity(room);
    // Unused, the allocation could be optimized away; it must happen.
    std::hint::black_box(&reservation);
    drop(reservation);
}

#[cfg(feature = "abi")]
fn with_session(run: impl FnOnce(&Session) -> Result<String, Failure>) -> u32 {
    let session = STATE.lock().ok().and_then(|state| state.session.clone());
    finish(match session {
        Some(session) => run(&session),
        None => Err(Failure::no_policy()),
    })
}

/// Reads `len` bytes at `ptr` that JavaScript wrote after [`sg_alloc`].
///
/// # Safety
/// `ptr` must come from `sg_alloc(n)` with `n >= len`, or `len` must be 0.
unsafe fn input<'a>(ptr: *const u8, len: usize) -> &'a [u8] {
    if len == 0 {
        return &[];
    }
    // SAFETY: per the contract, `ptr..ptr+len` lies inside one live allocation.
    unsafe { std::slice::from_raw_parts(ptr, len) }
}

#[cfg_attr(not(feature = "abi"), allow(dead_code))]
fn input_str(bytes: &[u8], kind: FailureKind) -> Result<&str, Failure> {
    std::str::from_utf8(bytes).map_err(|error| {
        Failure::not_utf8(
            kind,
            format!(
                "not UTF-8 at byte {}: JSON must be UTF-8",
                error.valid_up_to()
            ),
        )
    })
}

fn layout(len: usize) -> Option<Layout> {
    Layout::from_size_align(len.max(1), 1).ok()
}

/// Allocates `len` bytes for JavaScript to write into; null if impossible.
#[unsafe(no_mangle)]
pub extern "C" fn sg_alloc(len: usize) -> *mut u8 {
    match layout(len) {
        // SAFETY: the layout has a non-zero size.
        Some(layout) => unsafe { alloc(layout) },
        None => std::ptr::null_mut(),
    }
}

/// Frees what [`sg_alloc`] returned, with the same `len`.
///
/// # Safety
/// `ptr` must come from `sg_alloc(len)` and not have been freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sg_free(ptr: *mut u8, len: usize) {
    if let (false, Some(layout)) = (ptr.is_null(), layout(len)) {
        // SAFETY: per the contract, `ptr` was allocated with this very layout.
        unsafe { dealloc(ptr, layout) }
    }
}

/// Reads the policy (UTF-8 JSON) for this instance's later checks.
///
/// # Safety
/// `ptr`/`len` must come from [`sg_alloc`] (or `len` be 0).
#[cfg(feature = "abi")]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sg_new(ptr: *const u8, len: usize) -> u32 {
    crate::record_panics();
    // SAFETY: forwarded contract.
    let bytes = unsafe { input(ptr, len) };
    let session = input_str(bytes, FailureKind::Policy).and_then(Session::new);
    match session {
        Ok(session) => {
            if let Ok(mut state) = STATE.lock() {
                state.session = Some(session);
            }
            finish(Ok(String::new()))
        }
        Err(failure) => finish(Err(failure)),
    }
}

/// Checks a JSON draft; output: the report.
///
/// # Safety
/// `ptr`/`len` must come from [`sg_alloc`] (or `len` be 0).
#[cfg(feature = "abi")]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sg_check(ptr: *const u8, len: usize) -> u32 {
    // SAFETY: forwarded contract.
    let bytes = unsafe { input(ptr, len) };
    reserve_for(len);
    with_session(|session| session.check_json(input_str(bytes, FailureKind::Draft)?))
}

/// Checks an `.eml` message; output: the report.
///
/// # Safety
/// `ptr`/`len` must come from [`sg_alloc`] (or `len` be 0).
#[cfg(all(feature = "abi", feature = "eml"))]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sg_check_eml(ptr: *const u8, len: usize) -> u32 {
    // SAFETY: forwarded contract.
    let bytes = unsafe { input(ptr, len) };
    with_session(|session| session.check_eml(bytes))
}

/// Applies a fix (JSON) to a draft (JSON); output: `{draft, export}`.
///
/// # Safety
/// Both pointer/length pairs must come from [`sg_alloc`] (or have length 0).
#[cfg(feature = "abi")]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sg_apply(
    draft_ptr: *const u8,
    draft_len: usize,
    fix_ptr: *const u8,
    fix_len: usize,
) -> u32 {
    // SAFETY: forwarded contract.
    let (draft, fix) = unsafe { (input(draft_ptr, draft_len), input(fix_ptr, fix_len)) };
    reserve_for(draft_len);
    with_session(|session| {
        let fix = input_str(fix, FailureKind::Fix)?;
        session.apply_json(input_str(draft, FailureKind::Draft)?, fix)
    })
}

/// Parses a pasted address list (UTF-8); output: `{addresses, rejected}`. Needs no
/// policy.
///
/// # Safety
/// `ptr`/`len` must come from [`sg_alloc`] (or `len` be 0).
#[cfg(feature = "abi")]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sg_parse_addresses(ptr: *const u8, len: usize) -> u32 {
    // SAFETY: forwarded contract.
    let bytes = unsafe { input(ptr, len) };
    reserve_for(len);
    finish(input_str(bytes, FailureKind::Draft).map(crate::parse_addresses_json))
}

/// Reads a saved message (`.eml` or Outlook `.msg` bytes) into the JSON draft the core
/// checks (the web playground's module); output: the draft.
///
/// # Safety
/// `ptr`/`len` must come from [`sg_alloc`] (or `len` be 0).
#[cfg(feature = "site")]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sg_draft_from_eml(ptr: *const u8, len: usize) -> u32 {
    crate::record_panics();
    // SAFETY: forwarded contract.
    let bytes = unsafe { input(ptr, len) };
    reserve_for(len);
    finish(crate::draft_json_from_eml(bytes))
}

/// After a mistake (the site module): assesses a sent message (`.eml` bytes) with
/// options as JSON (`{"noticed": "2026-12-01T09:00Z", "lang": "de"}`); output:
/// `{"register": …, "papers": …}`, see `sendguard_core::Incident`.
///
/// # Safety
/// Both pointer/length pairs must come from [`sg_alloc`] (or have length 0).
#[cfg(feature = "site")]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sg_incident(
    eml_ptr: *const u8,
    eml_len: usize,
    options_ptr: *const u8,
    options_len: usize,
) -> u32 {
    crate::record_panics();
    // SAFETY: forwarded contract.
    let (eml, options) = unsafe { (input(eml_ptr, eml_len), input(options_ptr, options_len)) };
    reserve_for(eml_len);
    finish(
        input_str(options, FailureKind::Draft)
            .and_then(|options| crate::incident_json(eml, options)),
    )
}

/// Output: the checker's version.
#[unsafe(no_mangle)]
pub extern "C" fn sg_version() -> u32 {
    finish(Ok(crate::version().to_string()))
}

/// Output: the default policy as JSON.
#[cfg(feature = "abi")]
#[unsafe(no_mangle)]
pub extern "C" fn sg_default_policy() -> u32 {
    finish(Ok(sendguard_core::default_policy_json().to_string()))
}

/// Output: the message of the panic that stopped the last call ([`STATUS_NONE`] if
/// there was none).
#[unsafe(no_mangle)]
pub extern "C" fn sg_last_panic() -> u32 {
    match crate::last_panic() {
        Some(message) => finish(Ok(message)),
        None => {
            finish(Ok(String::new()));
            STATUS_NONE
        }
    }
}

/// Panics on purpose (tests only).
#[doc(hidden)]
#[cfg(feature = "abi")]
#[unsafe(no_mangle)]
pub extern "C" fn sg_panic_for_tests() {
    crate::panic_for_tests();
}

/// Where the last call's output starts.
#[unsafe(no_mangle)]
pub extern "C" fn sg_output_ptr() -> *const u8 {
    STATE
        .lock()
        .map_or(std::ptr::null(), |state| state.output.as_ptr())
}

/// How long the last call's output is, in bytes.
#[unsafe(no_mangle)]
pub extern "C" fn sg_output_len() -> usize {
    STATE.lock().map_or(0, |state| state.output.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call_with(text: &str, call: unsafe extern "C" fn(*const u8, usize) -> u32) -> (u32, String) {
        let ptr = sg_alloc(text.len());
        // SAFETY: `ptr` has room for `text.len()` bytes.
        unsafe { std::ptr::copy_nonoverlapping(text.as_ptr(), ptr, text.len()) };
        // SAFETY: `ptr`/`len` come from sg_alloc.
        let status = unsafe { call(ptr, text.len()) };
        // SAFETY: same pointer and length as allocated.
        unsafe { sg_free(ptr, text.len()) };
        (status, output())
    }

    fn output() -> String {
        // SAFETY: the output buffer is live until the next call, and no call runs here.
        let bytes = unsafe { input(sg_output_ptr(), sg_output_len()) };
        String::from_utf8_lossy(bytes).into_owned()
    }

    // One test: the ABI keeps one policy per instance (a global), so parallel tests
    // would race on it.
    #[cfg(feature = "abi")]
    #[test]
    fn protocol() {
        let _serial = crate::GLOBAL_STATE.lock();
        let (status, failure) = call_with("{}", sg_check);
        assert_eq!(status, STATUS_FAILED, "no policy yet");
        assert!(
            failure.starts_with(r#"{"kind":"policy","message":"no policy"#),
            "{failure}"
        );
        let (status, failure) = call_with("{\"x\": 1}", sg_new);
        assert_eq!(status, STATUS_FAILED);
        assert!(
            failure.starts_with(
                r#"{"kind":"policy","reason":"unknown-key","message":"line 1, column "#
            ),
            "{failure}"
        );
        assert!(failure.contains("unknown key `x`"), "{failure}");
        assert!(
            failure.contains(r#""line":1,"column":"#) && failure.ends_with('}'),
            "{failure}"
        );
        assert_eq!(call_with("{}", sg_new).0, STATUS_OK);
        let (status, report) = call_with(r#"{"to":[{"address":"a@gmail.com"}]}"#, sg_check);
        assert_eq!(status, STATUS_OK);
        assert!(report.starts_with(r#"{"verdict":"warn""#), "{report}");
        let (status, failure) = call_with("{\n  \"to\": 3", sg_check);
        assert_eq!(status, STATUS_FAILED);
        assert!(
            failure.starts_with(r#"{"kind":"draft","reason":"#),
            "{failure}"
        );
        assert!(failure.contains(r#""line":2,"column""#), "{failure}");
        #[cfg(feature = "eml")]
        assert!(
            call_with("", sg_check_eml)
                .1
                .starts_with(r#"{"kind":"draft""#)
        );
        let (status, parsed) = call_with("Doe <jane@x.example>; nobody", sg_parse_addresses);
        assert_eq!(status, STATUS_OK);
        assert_eq!(
            parsed,
            crate::parse_addresses_json("Doe <jane@x.example>; nobody")
        );
        assert!(
            parsed.contains(r#""rejected":[{"position":2,"text":"nobody"}]"#),
            "{parsed}"
        );
        assert_eq!(sg_version(), STATUS_OK);
        assert_eq!(output(), crate::version());
        assert_eq!(sg_last_panic(), STATUS_NONE);
        let draft = r#"{"cc":[{"address":"a@gmail.com"}]}"#;
        let fix = r#"{"kind":"export-recipients"}"#;
        let (d, f) = (sg_alloc(draft.len()), sg_alloc(fix.len()));
        // SAFETY: each buffer has room for its text.
        unsafe {
            std::ptr::copy_nonoverlapping(draft.as_ptr(), d, draft.len());
            std::ptr::copy_nonoverlapping(fix.as_ptr(), f, fix.len());
        }
        // SAFETY: pointers and lengths from sg_alloc.
        let status = unsafe { sg_apply(d, draft.len(), f, fix.len()) };
        assert_eq!(status, STATUS_OK, "{}", output());
        assert!(output().contains("text/csv"));
        // SAFETY: as allocated.
        unsafe {
            sg_free(d, draft.len());
            sg_free(f, fix.len());
        }
        let (status, _) = call_with("\u{0}\u{0}", sg_check);
        assert_eq!(status, STATUS_FAILED);
        // SAFETY: invalid UTF-8 through a valid buffer.
        let invalid = [b'{', 0xff, b'}'];
        let ptr = sg_alloc(3);
        unsafe { std::ptr::copy_nonoverlapping(invalid.as_ptr(), ptr, 3) };
        // SAFETY: from sg_alloc.
        assert_eq!(unsafe { sg_check(ptr, 3) }, STATUS_FAILED);
        // SAFETY: as allocated.
        unsafe { sg_free(ptr, 3) };
        assert!(
            output().starts_with(
                r#"{"kind":"draft","reason":"encoding","message":"not UTF-8 at byte 1"#
            ),
            "{}",
            output()
        );
    }
}

//! The plain byte/JSON ABI for runtimes without `WebAssembly`.
//!
//! `wasm2js` turns this build into JavaScript; it cannot take wasm-bindgen's output, so
//! this module speaks in pointers and lengths over linear memory, and imports nothing.
//! One instance holds one policy. The protocol, for JavaScript:
//!
//! 1. `sg_alloc(len)` → pointer; write UTF-8 (or `.eml` bytes) there.
//! 2. `sg_new(ptr, len)` (policy), `sg_check(ptr, len)`, `sg_check_eml(ptr, len)`,
//!    `sg_apply(draft_ptr, draft_len, fix_ptr, fix_len)`, `sg_parse_addresses(ptr, len)`,
//!    `sg_version()`,
//!    `sg_default_policy()`, `sg_last_panic()` → status: [`STATUS_OK`], else the
//!    failure's kind ([`STATUS_POLICY`], [`STATUS_DRAFT`], [`STATUS_FIX`],
//!    [`STATUS_NONE`]).
//! 3. `sg_output_ptr()` / `sg_output_len()`: the call's result (JSON) or error message,
//!    valid until the next call.
//! 4. `sg_free(ptr, len)` the input.
//!
//! A trap (a panic: the build aborts) leaves the instance unusable; the loader
//! instantiates a fresh one.

// Raw pointers are what this ABI is: JavaScript hands us addresses in linear memory.
// `unsafe` is confined to turning those into slices and to the allocator calls, each
// with its contract stated; everything else goes through `Session`.
#![allow(unsafe_code)]

use std::alloc::{Layout, alloc, dealloc};
use std::sync::Mutex;

use crate::session::{Failure, FailureKind, Session};

/// The call succeeded; the output is JSON.
pub const STATUS_OK: u32 = 0;
/// The policy was rejected (or `sg_new` was never called); the output is the message.
pub const STATUS_POLICY: u32 = 1;
/// The draft was rejected; the output is the message.
pub const STATUS_DRAFT: u32 = 2;
/// The fix was rejected; the output is the message.
pub const STATUS_FIX: u32 = 3;
/// Nothing to report (`sg_last_panic` without a panic); the output is empty.
pub const STATUS_NONE: u32 = 4;

struct State {
    session: Option<Session>,
    output: Vec<u8>,
}

static STATE: Mutex<State> = Mutex::new(State {
    session: None,
    output: Vec::new(),
});

fn finish(result: Result<String, Failure>) -> u32 {
    let (status, text) = match result {
        Ok(json) => (STATUS_OK, json),
        Err(failure) => {
            let status = match failure.kind() {
                FailureKind::Policy => STATUS_POLICY,
                FailureKind::Draft => STATUS_DRAFT,
                _ => STATUS_FIX,
            };
            (status, failure.message().to_string())
        }
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
fn reserve_for(input_len: usize) {
    // The parsed draft and the report take a few times the JSON's size.
    let room = input_len.saturating_mul(8).min(512 << 20);
    let reservation = Vec::<u8>::with_capacity(room);
    // Unused, the allocation could be optimized away; it must happen.
    std::hint::black_box(&reservation);
    drop(reservation);
}

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

fn input_str(bytes: &[u8]) -> Result<&str, Failure> {
    std::str::from_utf8(bytes).map_err(|error| {
        Failure::draft(format!(
            "not UTF-8 at byte {}: JSON must be UTF-8",
            error.valid_up_to()
        ))
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
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sg_new(ptr: *const u8, len: usize) -> u32 {
    crate::record_panics();
    // SAFETY: forwarded contract.
    let bytes = unsafe { input(ptr, len) };
    let session = std::str::from_utf8(bytes)
        .map_err(|_| Failure::policy("the policy is not UTF-8"))
        .and_then(Session::new);
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
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sg_check(ptr: *const u8, len: usize) -> u32 {
    // SAFETY: forwarded contract.
    let bytes = unsafe { input(ptr, len) };
    reserve_for(len);
    with_session(|session| session.check_json(input_str(bytes)?))
}

/// Checks an `.eml` message; output: the report.
///
/// # Safety
/// `ptr`/`len` must come from [`sg_alloc`] (or `len` be 0).
#[cfg(feature = "eml")]
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
        let fix = std::str::from_utf8(fix).map_err(|_| Failure::fix("the fix is not UTF-8"))?;
        session.apply_json(input_str(draft)?, fix)
    })
}

/// Parses a pasted address list (UTF-8); output: `{addresses, rejected}`. Needs no
/// policy.
///
/// # Safety
/// `ptr`/`len` must come from [`sg_alloc`] (or `len` be 0).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sg_parse_addresses(ptr: *const u8, len: usize) -> u32 {
    // SAFETY: forwarded contract.
    let bytes = unsafe { input(ptr, len) };
    reserve_for(len);
    finish(input_str(bytes).map(crate::parse_addresses_json))
}

/// Output: the checker's version.
#[unsafe(no_mangle)]
pub extern "C" fn sg_version() -> u32 {
    finish(Ok(crate::version().to_string()))
}

/// Output: the default policy as JSON.
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
    #[test]
    fn protocol() {
        let _serial = crate::GLOBAL_STATE.lock();
        assert_eq!(call_with("{}", sg_check).0, STATUS_POLICY, "no policy yet");
        let (status, message) = call_with("{\"x\": 1}", sg_new);
        assert_eq!(status, STATUS_POLICY);
        assert!(message.contains('x'), "{message}");
        assert_eq!(call_with("{}", sg_new).0, STATUS_OK);
        let (status, report) = call_with(r#"{"to":[{"address":"a@gmail.com"}]}"#, sg_check);
        assert_eq!(status, STATUS_OK);
        assert!(report.starts_with(r#"{"verdict":"warn""#), "{report}");
        assert_eq!(call_with("{", sg_check).0, STATUS_DRAFT);
        #[cfg(feature = "eml")]
        assert_eq!(call_with("", sg_check_eml).0, STATUS_DRAFT);
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
        assert_eq!(status, STATUS_DRAFT);
        // SAFETY: invalid UTF-8 through a valid buffer.
        let invalid = [b'{', 0xff, b'}'];
        let ptr = sg_alloc(3);
        unsafe { std::ptr::copy_nonoverlapping(invalid.as_ptr(), ptr, 3) };
        // SAFETY: from sg_alloc.
        assert_eq!(unsafe { sg_check(ptr, 3) }, STATUS_DRAFT);
        // SAFETY: as allocated.
        unsafe { sg_free(ptr, 3) };
        assert!(output().contains("UTF-8"));
    }
}

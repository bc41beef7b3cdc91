//! The wasm-bindgen binding. Only types cross the boundary that wasm-bindgen handles
//! without `js-sys`: strings, byte slices, and errors as `JsError` (a JS `Error` whose
//! message is the core's). The JS loader (`js/`) parses the JSON and adds the error's
//! `kind`.

use wasm_bindgen::prelude::*;

use crate::session::{Failure, Session};

fn to_js(failure: Failure) -> JsError {
    // The kind travels as a prefix the loader strips: `policy: line 2, column 3: …`.
    JsError::new(&format!("{}: {}", failure.kind().id(), failure.message()))
}

/// A checker with its policy (JSON text; `{}` for the default policy).
#[wasm_bindgen]
pub struct Checker {
    session: Session,
}

#[wasm_bindgen]
impl Checker {
    /// Reads the policy; throws on a policy the core rejects.
    #[wasm_bindgen(constructor)]
    pub fn new(policy_json: &str) -> Result<Checker, JsError> {
        crate::record_panics();
        let session = Session::new(policy_json).map_err(to_js)?;
        Ok(Checker { session })
    }

    /// Checks a JSON draft; returns the report as JSON.
    pub fn check(&self, draft_json: &str) -> Result<String, JsError> {
        self.session.check_json(draft_json).map_err(to_js)
    }

    /// Checks an `.eml` message; returns the report as JSON.
    #[cfg(feature = "eml")]
    #[wasm_bindgen(js_name = checkEml)]
    pub fn check_eml(&self, eml: &[u8]) -> Result<String, JsError> {
        self.session.check_eml(eml).map_err(to_js)
    }

    /// Applies a fix (JSON) to a draft (JSON); returns `{draft, export}` as JSON.
    pub fn apply(&self, draft_json: &str, fix_json: &str) -> Result<String, JsError> {
        self.session.apply_json(draft_json, fix_json).map_err(to_js)
    }
}

/// The checker's version.
#[wasm_bindgen]
pub fn version() -> String {
    crate::version().to_string()
}

/// Parses a pasted address list; returns `{addresses, rejected}` as JSON.
#[wasm_bindgen(js_name = parseAddresses)]
pub fn parse_addresses(text: &str) -> String {
    crate::parse_addresses_json(text)
}

/// The default policy as JSON, every field with its default.
#[wasm_bindgen(js_name = defaultPolicy)]
pub fn default_policy() -> String {
    sendguard_core::default_policy_json().to_string()
}

/// The message of the panic that stopped the last call, if one did.
#[wasm_bindgen(js_name = lastPanic)]
pub fn last_panic() -> Option<String> {
    crate::last_panic()
}

/// Panics on purpose (tests only: a panic must reach JS as an error).
#[doc(hidden)]
#[wasm_bindgen(js_name = panicForTests)]
pub fn panic_for_tests() {
    crate::panic_for_tests();
}

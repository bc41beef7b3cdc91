//! The site-only wasm-bindgen module (feature `site`): what the web playground needs
//! besides the checker package, `.eml` parsing with the legacy charset tables
//! (Shift_JIS, GBK, …), so it is a module of its own and the add-ins never load it. The JS wrapper
//! (`js/site.mjs`) parses the JSON and adds the error's `kind`, as for the checker.

use wasm_bindgen::prelude::*;

/// Reads a saved message (`.eml` bytes) into a draft; returns the draft as JSON.
/// Errors carry the kind as a prefix (`draft: …`), as the checker's do.
#[wasm_bindgen(js_name = parseEml)]
pub fn parse_eml(eml: &[u8]) -> Result<String, JsError> {
    crate::record_panics();
    crate::draft_json_from_eml(eml)
        .map_err(|failure| JsError::new(&format!("{}: {}", failure.kind().id(), failure.message())))
}

/// The message of the panic that stopped the last call, if one did. (With `bindgen` on
/// too, as in host builds, that module exports it already.)
#[cfg(not(feature = "bindgen"))]
#[wasm_bindgen(js_name = lastPanic)]
pub fn last_panic() -> Option<String> {
    crate::last_panic()
}

//! The sendguard checker for mail clients: [`sendguard_core`] behind JSON in, JSON out.
//!
//! One ABI ([`abi`]: bytes and JSON over linear memory, no imports) and two WebAssembly
//! builds of it (see `cargo xtask dist`):
//!
//! - with the `abi` feature, the checker: the add-ins and the site run it as
//!   WebAssembly, and `wasm2js` turns the very same module into plain JavaScript for
//!   runtimes without `WebAssembly` (classic Outlook's JavaScript-only runtime);
//! - with the `site` feature, the web playground's `.eml` reader
//!   (`sg_draft_from_eml`), which carries the legacy charset tables and so stays out of
//!   the add-ins' module.
//!
//! Both are thin: every operation is a [`Session`] method, and the host tests exercise
//! the logic without a JavaScript engine. Failures cross as JSON
//! ([`Failure::to_json`]).

mod panic_message;
mod session;

#[cfg(any(feature = "abi", feature = "site"))]
pub mod abi;

pub use panic_message::{last_panic, panic_for_tests, record_panics};
#[cfg(feature = "eml")]
pub use session::draft_json_from_eml;
#[cfg(feature = "site")]
pub use session::incident_json;
pub use session::{Failure, FailureKind, Session, parse_addresses_json, version};

/// Tests that touch the process-wide state (the ABI's policy, the last panic) take this
/// lock, so the test harness's threads do not race on it.
#[cfg(test)]
pub(crate) static GLOBAL_STATE: std::sync::Mutex<()> = std::sync::Mutex::new(());

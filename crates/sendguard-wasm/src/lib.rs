//! The sendguard checker for mail clients: [`sendguard_core`] behind JSON in, JSON out.
//!
//! Two WebAssembly builds come from this crate (see `cargo xtask dist`):
//!
//! - with the `bindgen` feature, a [`wasm-bindgen`](https://docs.rs/wasm-bindgen) module
//!   with a `Checker` class, for browsers, extensions and Node;
//! - with the `abi` feature, a module with a plain byte/JSON ABI (`sg_alloc`, `sg_check`,
//!   …) and no imports, which `wasm2js` turns into plain JavaScript for Outlook's
//!   JavaScript-only runtime, where `WebAssembly` may not exist.
//!
//! A third, with the `site` feature, is for the web playground only: `parseEml` (`.eml`
//! to a JSON draft), which carries the legacy charset tables and so stays out of the
//! add-ins' modules.
//!
//! Both are thin: every operation is a [`Session`] method, so the two builds cannot
//! drift apart, and the host tests exercise the logic without a JavaScript engine.

mod panic_message;
mod session;

#[cfg(feature = "abi")]
pub mod abi;
#[cfg(feature = "bindgen")]
pub mod bindgen;
#[cfg(feature = "site")]
pub mod site;

pub use panic_message::{last_panic, panic_for_tests, record_panics};
#[cfg(feature = "eml")]
pub use session::draft_json_from_eml;
pub use session::{Failure, FailureKind, Session, parse_addresses_json, version};

/// Tests that touch the process-wide state (the ABI's policy, the last panic) take this
/// lock, so the test harness's threads do not race on it.
#[cfg(test)]
pub(crate) static GLOBAL_STATE: std::sync::Mutex<()> = std::sync::Mutex::new(());

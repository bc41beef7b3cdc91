//! `cargo xtask bench`: the checker's sizes and speeds side by side on this machine
//! (native Rust, wasm in Node, the wasm2js fallback with and without JIT, and a
//! plain-JS peer), as Markdown tables (issue 12's rows with goal and met / not met
//! first) and `target/bench/checker.json`. The measuring is in `tests/bench/bench.mjs`.

use crate::run;

pub(crate) fn run() -> Result<(), String> {
    // Everything: the .xpi's size is one of the rows.
    crate::dist()?;
    run::cargo(&[
        "build",
        "--locked",
        "--release",
        "-p",
        "sendguard-wasm",
        "--example",
        "bench_native",
    ])?;
    let root = run::root();
    let native = root.join("target/release/examples/bench_native");
    run::command(
        "node",
        &["tests/bench/bench.mjs", native.to_string_lossy().as_ref()],
    )
}

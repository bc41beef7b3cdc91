//! `cargo xtask bench`: the checker's sizes and speeds side by side on this machine
//! (native Rust, wasm in Node, the wasm2js fallback with and without JIT, and a
//! plain-JS peer), as a Markdown table and `target/bench/checker.json`. The
//! measuring is in `tests/bench/bench.mjs`.

use crate::{dist, run};

pub(crate) fn run() -> Result<(), String> {
    dist::run()?;
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

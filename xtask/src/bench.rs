//! `cargo xtask bench`: the checker's size and speed, side by side (see
//! `tests/node/bench.mjs`).

pub(crate) fn run() -> Result<(), String> {
    Err("not yet: the checker benchmark is being written".into())
}

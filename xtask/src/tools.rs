//! Installing what a fresh machine lacks. Each `ensure_*` is idempotent and quick when
//! the tool is already there; none of them skips: a missing tool that cannot be
//! installed is an error.

use crate::run;

/// The wasm32 target for the checker package.
#[allow(dead_code)] // used by the dist step (issue 3)
pub(crate) fn ensure_wasm_target() -> Result<(), String> {
    let output = std::process::Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map_err(|error| format!("cannot run rustup: {error}"))?;
    if String::from_utf8_lossy(&output.stdout).contains("wasm32-unknown-unknown") {
        return Ok(());
    }
    run::command("rustup", &["target", "add", "wasm32-unknown-unknown"])
}

/// Debian packages, installed with apt-get when a probe program is missing.
#[allow(dead_code)] // used by browser and Thunderbird steps
pub(crate) fn ensure_apt(probe: &str, packages: &[&str]) -> Result<(), String> {
    if run::on_path(probe) {
        return Ok(());
    }
    run::command("apt-get", &["update", "-qq"])?;
    let mut args = vec!["install", "-y", "-qq", "--no-install-recommends"];
    args.extend_from_slice(packages);
    run::run_in(
        &run::root(),
        "apt-get",
        &args,
        &[("DEBIAN_FRONTEND", "noninteractive")],
    )
}

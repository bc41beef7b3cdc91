//! Installing what a fresh machine lacks. Each `ensure_*` is idempotent and quick when
//! the tool is already there; none of them skips: a missing tool that cannot be
//! installed is an error.

use crate::run;

/// The wasm32 target for the checker package.
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
pub(crate) fn ensure_apt(probe: &str, packages: &[&str]) -> Result<(), String> {
    if run::on_path(probe) {
        return Ok(());
    }
    // Another apt or dpkg (a second build on the machine, unattended upgrades) may hold
    // the lock: wait for it instead of failing the whole test run.
    const LOCK_WAIT: &[&str] = &["-o", "DPkg::Lock::Timeout=600"];
    let mut update = LOCK_WAIT.to_vec();
    update.extend(["update", "-qq"]);
    run::command("apt-get", &update)?;
    let mut args = LOCK_WAIT.to_vec();
    args.extend(["install", "-y", "-qq", "--no-install-recommends"]);
    args.extend_from_slice(packages);
    run::run_in(
        &run::root(),
        "apt-get",
        &args,
        &[("DEBIAN_FRONTEND", "noninteractive")],
    )
}

/// The root npm project's packages (esbuild, binaryen, playwright-core, …), installed
/// from package-lock.json when node_modules is missing or older than the lock file.
pub(crate) fn ensure_npm() -> Result<(), String> {
    let root = run::root();
    let modified = |path: &std::path::Path| std::fs::metadata(path).and_then(|m| m.modified()).ok();
    let lock = modified(&root.join("package-lock.json"));
    let installed = modified(&root.join("node_modules/.package-lock.json"));
    if let (Some(lock), Some(installed)) = (lock, installed)
        && installed >= lock
    {
        return Ok(());
    }
    ensure_apt("npm", &["nodejs", "npm"])?;
    run::command("npm", &["ci", "--no-audit", "--no-fund"])
}

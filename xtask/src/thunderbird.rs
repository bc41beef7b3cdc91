//! The Thunderbird add-on: packing the `.xpi` and running its tests (unit tests of the
//! built add-on with the real checker package against a fake `messenger.*`, then the
//! end-to-end run in a real headless Thunderbird).

use crate::run;

/// Packs `dist/addin-thunderbird/` and `dist/sendguard-thunderbird.xpi` from
/// `addin-thunderbird/` and the checker package (byte-identical on every run).
pub(crate) fn build() -> Result<(), String> {
    run::command(
        "python3",
        &[
            "addin-thunderbird/pack.py",
            "--checker",
            "dist/checker",
            "--out-dir",
            "dist/addin-thunderbird",
            "--xpi",
            "dist/sendguard-thunderbird.xpi",
        ],
    )
}

/// Background and dialog logic of the built add-on (`dist/addin-thunderbird`, with the
/// real checker package) against the fake `messenger.*` API, fault matrix included; the
/// dialog page itself in Chromium (axe-core, reviewed screenshots, light and dark).
pub(crate) fn test_unit() -> Result<(), String> {
    build()?;
    crate::tools::ensure_apt("chromium", &["chromium"])?;
    crate::tools::ensure_npm()?;
    run::command("node", &["--test", "tests/thunderbird-unit/"])
}

/// Real Thunderbird (installed from apt when missing), a local SMTP sink, the built
/// `.xpi`: what is delivered is what the assertions read.
pub(crate) fn test_e2e() -> Result<(), String> {
    run::command(
        "bash",
        &[
            "tests/thunderbird/run.sh",
            "--addon",
            "dist/sendguard-thunderbird.xpi",
        ],
    )
}

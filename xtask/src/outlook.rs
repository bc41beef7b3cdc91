//! The Outlook add-in: `dist/addin-outlook/` from `addin-outlook/` and the checker package,
//! its manifests for a host URL and SendMode, and its tests.
//!
//! ```text
//! dist/addin-outlook/
//!   launchevent.js   the Send handler for classic Outlook's JavaScript-only runtime: the
//!                    checker's single-file bundle with the wasm2js fallback (compiled only
//!                    when WebAssembly is missing) followed by the handler, one ES2016
//!                    script without `import`
//!   launchevent-web.js  the same handler with the wasm-only bundle, for the browser
//!                    runtime (web, new Outlook, Mac), which always has WebAssembly
//!   commands.html    the browser runtime page that loads launchevent-web.js
//!   taskpane.html    the task pane, with taskpane.js (ES module) and taskpane.css
//!   checker/         a copy of dist/checker, so the folder works on any static host
//!   assets/          icons
//! ```

use std::fs;
use std::path::{Path, PathBuf};

use crate::run;

/// The one-file checker the classic handler bundle starts with (defines
/// `globalThis.SendguardChecker`; wasm and the fallback).
const CHECKER_IIFE: &str = "sendguard-checker.iife.js";
/// The same for the browser runtime: the wasm module only.
const CHECKER_WASM_IIFE: &str = "sendguard-checker-wasm.iife.js";
/// What the task pane imports from the checker package at run time.
const CHECKER_FILES_NEEDED: &[&str] = &[
    CHECKER_IIFE,
    CHECKER_WASM_IIFE,
    "sendguard-checker.mjs",
    "report-view.mjs",
];
/// What the task pane loads from `checker/` at run time; the rest of the package (the
/// site's .eml module, type declarations, the schema) stays out of the add-in.
const CHECKER_FILES_SHIPPED: &[&str] = &[
    "sendguard-checker.mjs",
    "report-view.mjs",
    "report-view.css",
];
/// Copied from `addin-outlook/` as they are.
const STATIC_FILES: &[&str] = &["commands.html", "taskpane.css"];
/// Where `taskpane.html` gets the checker package's style sheets.
const CHECKER_CSS_MARK: &str = "<!-- checker-css -->";

/// Builds `dist/addin-outlook/` (needs `dist/checker/` from the checker package build, or
/// another build of it named by `SENDGUARD_CHECKER_DIR`).
pub(crate) fn build() -> Result<(), String> {
    let root = run::root();
    let checker = std::env::var_os("SENDGUARD_CHECKER_DIR")
        .map_or_else(|| root.join("dist").join("checker"), PathBuf::from);
    for file in CHECKER_FILES_NEEDED {
        if !checker.join(file).is_file() {
            return Err(format!(
                "{} is missing: build the checker package first (`cargo xtask dist`)",
                checker.join(file).display()
            ));
        }
    }
    crate::tools::ensure_npm()?;
    let source = root.join("addin-outlook");
    let out = root.join("dist").join("addin-outlook");
    if out.exists() {
        fs::remove_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    }
    fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;

    // The handler: ES2016, one IIFE, then the checker's bundle in front of it.
    let handler = root
        .join("target")
        .join("outlook")
        .join("launchevent.handler.js");
    esbuild(&[
        "addin-outlook/src/launchevent.js",
        "--bundle",
        "--format=iife",
        "--target=es2016",
        "--charset=utf8",
        "--legal-comments=none",
        &format!("--outfile={}", handler.display()),
    ])?;
    let handler = read(&handler)?;
    for (iife, file) in [
        (CHECKER_IIFE, "launchevent.js"),
        (CHECKER_WASM_IIFE, "launchevent-web.js"),
    ] {
        let mut bundle = read(&checker.join(iife))?;
        bundle.push_str("\n;\n");
        bundle.push_str(&handler);
        write(&out.join(file), bundle.as_bytes())?;
    }

    // The task pane: an ES module for the WebView; the checker package stays a separate file.
    esbuild(&[
        "addin-outlook/src/taskpane.js",
        "--bundle",
        "--format=esm",
        "--target=es2020",
        "--charset=utf8",
        "--external:./checker/*",
        &format!("--outfile={}", out.join("taskpane.js").display()),
    ])?;

    copy_files(&checker, CHECKER_FILES_SHIPPED, &out.join("checker"))?;
    copy_dir(&source.join("assets"), &out.join("assets"))?;
    copy_files(&source, STATIC_FILES, &out)?;
    let css_links: Vec<String> = CHECKER_FILES_SHIPPED
        .iter()
        .filter(|name| name.ends_with(".css"))
        .map(|name| format!("<link rel=\"stylesheet\" href=\"checker/{name}\">"))
        .collect();
    let pane =
        read(&source.join("taskpane.html"))?.replace(CHECKER_CSS_MARK, &css_links.join("\n  "));
    write(&out.join("taskpane.html"), pane.as_bytes())?;
    eprintln!("built {}", out.display());
    Ok(())
}

/// `cargo xtask test outlook`: builds the add-in and runs its Node and Chromium tests.
pub(crate) fn test() -> Result<(), String> {
    build()?;
    crate::tools::ensure_apt("chromium", &["chromium"])?;
    run::command(
        "node",
        &["--test", "--test-concurrency=1", "tests/outlook/"],
    )
}

fn esbuild(args: &[&str]) -> Result<(), String> {
    let esbuild = run::root()
        .join("node_modules")
        .join(".bin")
        .join("esbuild");
    run::run_in(&run::root(), &esbuild.to_string_lossy(), args, &[])
}

fn read(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}

/// Copies the named files of `from` into `to`.
fn copy_files(from: &Path, names: &[&str], to: &Path) -> Result<(), String> {
    fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    for name in names {
        fs::copy(from.join(name), to.join(name))
            .map_err(|e| format!("{}: {e}", from.join(name).display()))?;
    }
    Ok(())
}

fn sorted_names(dir: &Path) -> Result<Vec<String>, String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(Result::ok)
        .filter_map(|entry| entry.file_name().into_string().ok())
        .collect();
    names.sort();
    Ok(names)
}

/// Copies the regular files of `from` (one level deep, as the checker package and the
/// icons are laid out) into `to`.
fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    for name in sorted_names(from)? {
        let path = from.join(&name);
        if path.is_file() {
            fs::copy(&path, to.join(&name)).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    Ok(())
}

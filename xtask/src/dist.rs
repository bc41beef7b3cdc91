//! `cargo xtask dist`: the checker package in `dist/checker/`.
//!
//! 1. `sendguard-wasm` twice for wasm32 (`wasm-release` profile): with `abi` (the checker
//!    over its one byte/JSON ABI) and with `site` (`.eml` parsing for the web playground
//!    only);
//! 2. `wasm-opt -Oz` on both; `wasm2js` on the optimized checker module, so the fallback
//!    is the very module the WebAssembly hosts run (binaryen from npm: Debian's is years
//!    behind the wasm features rustc emits);
//! 3. `crates/sendguard-wasm/js/build.mjs` (esbuild) bundles the loader with the module
//!    into the wasm-only ES module and IIFE (WebAssembly hosts), the Node build and the
//!    classic-Outlook IIFE (wasm and the fallback, which is parsed only when it runs),
//!    the report view, and the site module; the policy's JSON Schema is copied next to
//!    them (the policy editor builds its form from it);
//! 4. the wasm module's gzip size is checked against [`WASM_GZIP_BUDGET`] (the site
//!    module is not an add-in's and has no budget; its size is printed).
//!
//! Every step after cargo is keyed on a hash of its inputs and skipped when they did
//! not change, so a second `dist` takes seconds and gives the same bytes.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{run, tools};

/// The most the checker's wasm module may weigh, gzip -9, data included (432 KB).
///
/// Raised from 350 KB on purpose: with the lookalike and personal-data rules merged the
/// module measures 389,734 bytes (341,805 before them, after this session's table
/// change); the budget keeps ~10 KB over that so further growth must be measured and
/// argued, not slip in. Raised again from 400 KB: text extraction from Office,
/// OpenDocument and PDF attachments (`extract/`), dates of birth and ICD-10 codes
/// measured 417,225 bytes (+25.3 KB over 391,968; float parsing, 11 KB of it, was
/// already taken out). Issue 12's goal stays 200 KB (see the crate README); loading
/// extraction as a second module only for drafts with documents is the way back.
/// Raised once more from 420 KB: `unprotected-sensitive-data` (rule, `encrypt` and
/// `apply-label` fixes, the `protection` policy section and its messages) measured
/// 427,868 bytes on main after the merge (+7.7 KB by itself). The speed/size branch
/// `perf` (−6.8 KB: serde_path_to_error gone) did not land in time.
pub(crate) const WASM_GZIP_BUDGET: u64 = 432_000;

/// wasm features rustc's wasm32-unknown-unknown target emits; binaryen must accept
/// them, and wasm2js lowers them to plain JavaScript.
const WASM_FEATURES: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-sign-ext",
    "--enable-nontrapping-float-to-int",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// Where the intermediate files live (under the shared target directory).
pub(crate) fn work_dir() -> PathBuf {
    run::root().join("target/checker")
}

/// The package directory.
pub(crate) fn out_dir() -> PathBuf {
    run::root().join("dist/checker")
}

pub(crate) fn run() -> Result<(), String> {
    tools::ensure_wasm_target()?;
    tools::ensure_npm()?;
    let root = run::root();
    let work = work_dir();
    let generated = work.join("gen");
    std::fs::create_dir_all(&generated).map_err(|e| format!("cannot create {work:?}: {e}"))?;

    let abi_raw = work.join("abi-raw.wasm");
    let site_raw = work.join("site-raw.wasm");
    build_wasm("abi", &abi_raw)?;
    build_wasm("site", &site_raw)?;

    let bin = root.join("node_modules/.bin");
    let wasm_opt = bin.join("wasm-opt");
    let wasm2js = bin.join("wasm2js");
    let module = generated.join("sendguard_checker.wasm");
    let site_module = generated.join("sendguard_checker_site.wasm");
    cached("wasm-opt", &[&abi_raw], &[&module], || {
        optimize(&wasm_opt, &abi_raw, &module)
    })?;
    cached("wasm-opt (site)", &[&site_raw], &[&site_module], || {
        optimize(&wasm_opt, &site_raw, &site_module)
    })?;

    let fallback = generated.join("fallback.js");
    cached("wasm2js", &[&module], &[&fallback], || {
        let mut args: Vec<&std::ffi::OsStr> = vec!["-Oz".as_ref()];
        args.extend(WASM_FEATURES.iter().map(std::ffi::OsStr::new));
        args.extend([module.as_os_str(), "-o".as_ref(), fallback.as_os_str()]);
        run_tool(&wasm2js, &args)
    })?;

    let js = root.join("crates/sendguard-wasm/js");
    let out = out_dir();
    let mut inputs: Vec<PathBuf> = vec![module.clone(), fallback, site_module.clone()];
    inputs.extend(files_in(&js)?);
    inputs.push(root.join("package-lock.json"));
    let outputs: Vec<PathBuf> = [
        "sendguard-checker.mjs",
        "sendguard-checker.cjs",
        "sendguard-checker.iife.js",
        "sendguard-checker-wasm.iife.js",
        "sendguard-checker-fallback.mjs",
        "sendguard-checker.d.ts",
        "report-view.mjs",
        "report-view.d.ts",
        "report-view.css",
        "host.mjs",
        "messages.json",
        "sendguard-checker-site.mjs",
        "sendguard-checker-site.d.ts",
    ]
    .iter()
    .map(|name| out.join(name))
    .collect();
    let input_refs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
    let output_refs: Vec<&Path> = outputs.iter().map(PathBuf::as_path).collect();
    cached("esbuild bundles", &input_refs, &output_refs, || {
        run_tool(
            Path::new("node"),
            &[
                js.join("build.mjs").as_os_str(),
                generated.as_os_str(),
                out.as_os_str(),
            ],
        )
    })?;

    // The policy editor (www/policy.html) builds its form from the schema.
    copy_if_changed(
        &root.join("crates/sendguard-core/policy.schema.json"),
        &out.join("policy.schema.json"),
    )?;

    let sizes = Sizes::measure(&module, &out)?;
    sizes.write(&work.join("sizes.json"))?;
    eprintln!(
        "dist/checker: wasm {} bytes ({} gzip, budget {}), fallback bundle {} bytes ({} gzip)",
        sizes.wasm_raw, sizes.wasm_gzip, WASM_GZIP_BUDGET, sizes.iife_raw, sizes.iife_gzip
    );
    let site_bundle = out.join("sendguard-checker-site.mjs");
    eprintln!(
        "dist/checker: site module (.eml, playground only) wasm {} bytes ({} gzip), \
         sendguard-checker-site.mjs {} bytes ({} gzip)",
        file_size(&site_module)?,
        gzip_size(&site_module)?,
        file_size(&site_bundle)?,
        gzip_size(&site_bundle)?
    );
    check_budget(sizes.wasm_gzip)
}

/// Fails when the module is over budget, with the numbers.
pub(crate) fn check_budget(wasm_gzip: u64) -> Result<(), String> {
    if wasm_gzip > WASM_GZIP_BUDGET {
        return Err(format!(
            "the checker's wasm is {wasm_gzip} bytes gzipped, over the budget of \
             {WASM_GZIP_BUDGET} bytes: see `cargo xtask bench` for what it is made of"
        ));
    }
    Ok(())
}

/// Builds `sendguard-wasm` with one feature and copies the module to `to` (the
/// builds share one output path).
fn build_wasm(feature: &str, to: &Path) -> Result<(), String> {
    run::cargo(&[
        "build",
        "--locked",
        "-p",
        "sendguard-wasm",
        "--target",
        "wasm32-unknown-unknown",
        "--profile",
        "wasm-release",
        "--no-default-features",
        "--features",
        feature,
    ])?;
    let built = run::root().join("target/wasm32-unknown-unknown/wasm-release/sendguard_wasm.wasm");
    copy_if_changed(&built, to)
}

fn optimize(wasm_opt: &Path, from: &Path, to: &Path) -> Result<(), String> {
    let mut args: Vec<&std::ffi::OsStr> = vec!["-Oz".as_ref(), "--strip-producers".as_ref()];
    args.extend(WASM_FEATURES.iter().map(std::ffi::OsStr::new));
    args.extend([from.as_os_str(), "-o".as_ref(), to.as_os_str()]);
    run_tool(wasm_opt, &args)
}

fn run_tool(program: &Path, args: &[&std::ffi::OsStr]) -> Result<(), String> {
    let shown: Vec<String> = args
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    eprintln!("$ {} {}", program.display(), shown.join(" "));
    let status = Command::new(program)
        .args(args)
        .current_dir(run::root())
        .status()
        .map_err(|e| format!("cannot start {}: {e}", program.display()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{} failed ({status})", program.display()))
    }
}

/// Runs `step` unless every output exists and was made from inputs with the same
/// content (a hash stored next to the first output).
fn cached(
    name: &str,
    inputs: &[&Path],
    outputs: &[&Path],
    step: impl FnOnce() -> Result<(), String>,
) -> Result<(), String> {
    let mut hasher = std::hash::DefaultHasher::new();
    name.hash(&mut hasher);
    for input in inputs {
        input.hash(&mut hasher);
        std::fs::read(input)
            .map_err(|e| format!("cannot read {}: {e}", input.display()))?
            .hash(&mut hasher);
    }
    let key = format!("{:016x}\n", hasher.finish());
    let Some(first) = outputs.first() else {
        return step();
    };
    let stamp = first.with_extension("inputs-hash");
    let stamp = work_dir().join(format!(
        "{}.inputs-hash",
        stamp
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
    ));
    let fresh = outputs.iter().all(|output| output.is_file())
        && std::fs::read_to_string(&stamp).is_ok_and(|old| old == key);
    if fresh {
        eprintln!("{name}: up to date");
        return Ok(());
    }
    step()?;
    std::fs::write(&stamp, key).map_err(|e| format!("cannot write {}: {e}", stamp.display()))
}

fn files_in(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot list {}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    Ok(files)
}

/// Copies unless `to` already has the same bytes, so its timestamp means "changed".
fn copy_if_changed(from: &Path, to: &Path) -> Result<(), String> {
    let new = std::fs::read(from).map_err(|e| format!("cannot read {}: {e}", from.display()))?;
    if std::fs::read(to).is_ok_and(|old| old == new) {
        return Ok(());
    }
    std::fs::write(to, new).map_err(|e| format!("cannot write {}: {e}", to.display()))
}

/// Sizes of what `dist` produced, in bytes.
pub(crate) struct Sizes {
    pub(crate) wasm_raw: u64,
    pub(crate) wasm_gzip: u64,
    pub(crate) fallback_raw: u64,
    pub(crate) fallback_gzip: u64,
    pub(crate) iife_raw: u64,
    pub(crate) iife_gzip: u64,
}

impl Sizes {
    fn measure(module: &Path, out: &Path) -> Result<Sizes, String> {
        let fallback = work_dir().join("gen/fallback.min.js");
        minify(&work_dir().join("gen/fallback.js"), &fallback)?;
        let iife = out.join("sendguard-checker.iife.js");
        Ok(Sizes {
            wasm_raw: file_size(module)?,
            wasm_gzip: gzip_size(module)?,
            fallback_raw: file_size(&fallback)?,
            fallback_gzip: gzip_size(&fallback)?,
            iife_raw: file_size(&iife)?,
            iife_gzip: gzip_size(&iife)?,
        })
    }

    fn write(&self, path: &Path) -> Result<(), String> {
        let json = format!(
            "{{\"wasm_raw\":{},\"wasm_gzip\":{},\"fallback_raw\":{},\"fallback_gzip\":{},\
             \"iife_raw\":{},\"iife_gzip\":{},\"wasm_gzip_budget\":{}}}\n",
            self.wasm_raw,
            self.wasm_gzip,
            self.fallback_raw,
            self.fallback_gzip,
            self.iife_raw,
            self.iife_gzip,
            WASM_GZIP_BUDGET
        );
        std::fs::write(path, json).map_err(|e| format!("cannot write {}: {e}", path.display()))
    }
}

/// The wasm2js module alone, minified as the bundles carry it (for its size).
fn minify(from: &Path, to: &Path) -> Result<(), String> {
    cached("minify fallback", &[from], &[to], || {
        let esbuild = run::root().join("node_modules/.bin/esbuild");
        let outfile = format!("--outfile={}", to.display());
        run_tool(
            &esbuild,
            &[
                from.as_os_str(),
                "--minify".as_ref(),
                "--legal-comments=none".as_ref(),
                "--log-level=warning".as_ref(),
                outfile.as_ref(),
            ],
        )
    })
}

fn file_size(path: &Path) -> Result<u64, String> {
    std::fs::metadata(path)
        .map(|m| m.len())
        .map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// gzip -9 size, as a web server would send it.
fn gzip_size(path: &Path) -> Result<u64, String> {
    let output = Command::new("gzip")
        .args(["-9", "-n", "-c"])
        .arg(path)
        .output()
        .map_err(|e| format!("cannot run gzip: {e}"))?;
    if !output.status.success() {
        return Err(format!("gzip failed on {}", path.display()));
    }
    Ok(output.stdout.len() as u64)
}

/// `cargo xtask test` step: builds the package (budget included) and runs the Node
/// tests: the corpus through wasm and the jitless fallback, the API, the IIFE.
pub(crate) fn test() -> Result<(), String> {
    run()?;
    run::cargo(&[
        "build",
        "--locked",
        "-p",
        "sendguard",
        "-p",
        "sendguard-wasm",
        "--examples",
    ])?;
    run::command("node", &["--test", "--test-concurrency=1", "tests/node/"])
}

/// `cargo xtask test` step: the shared report view in Debian's Chromium.
pub(crate) fn test_report_view() -> Result<(), String> {
    run()?;
    tools::ensure_apt("chromium", &["chromium"])?;
    run::command("node", &["--test", "tests/browser/report-view.test.mjs"])
}

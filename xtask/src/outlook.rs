//! The Outlook add-in: `dist/addin-outlook/` from `addin-outlook/` and the checker package,
//! its manifests for a host URL and SendMode, and its tests.
//!
//! ```text
//! dist/addin-outlook/
//!   launchevent.js   the Send handler for every Outlook: the checker's single-file bundle
//!                    followed by the handler, one ES2016 script without `import`
//!   commands.html    the browser runtime page that loads it (web, new Outlook, Mac)
//!   taskpane.html    the task pane, with taskpane.js (ES module) and taskpane.css
//!   checker/         a copy of dist/checker, so the folder works on any static host
//!   assets/          icons
//! ```

use std::fs;
use std::path::{Path, PathBuf};

use crate::run;

/// The one-file checker the handler bundle starts with (defines `globalThis.SendguardChecker`).
const CHECKER_IIFE: &str = "sendguard-checker.iife.js";
/// What the task pane imports from the checker package at run time.
const CHECKER_FILES_NEEDED: &[&str] = &[CHECKER_IIFE, "sendguard-checker.mjs", "report-view.mjs"];
/// Copied from `addin-outlook/` as they are.
const STATIC_FILES: &[&str] = &["commands.html", "taskpane.css"];
/// Where `taskpane.html` gets the checker package's style sheets.
const CHECKER_CSS_MARK: &str = "<!-- checker-css -->";

/// The placeholders of `addin-outlook/manifest.template.{xml,json}`.
pub(crate) const BASE_URL_PLACEHOLDER: &str = "{{BASE_URL}}";
pub(crate) const SEND_MODE_PLACEHOLDER: &str = "{{SEND_MODE}}";

/// What Outlook does when the add-in stops a mail or cannot run (the manifest's SendMode).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SendMode {
    /// The add-in decides; if it cannot load, the mail may still be sent.
    SoftBlock,
    /// Nothing is sent while the add-in cannot run.
    Block,
}

impl SendMode {
    pub(crate) fn parse(text: &str) -> Option<SendMode> {
        match text {
            "soft-block" => Some(SendMode::SoftBlock),
            "block" => Some(SendMode::Block),
            _ => None,
        }
    }

    fn spelled_for(self, kind: ManifestKind) -> &'static str {
        match (self, kind) {
            (SendMode::SoftBlock, ManifestKind::Xml) => "SoftBlock",
            (SendMode::Block, ManifestKind::Xml) => "Block",
            (SendMode::SoftBlock, ManifestKind::Json) => "softBlock",
            (SendMode::Block, ManifestKind::Json) => "block",
        }
    }
}

/// The add-in only manifest (XML) or the unified manifest (JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ManifestKind {
    Xml,
    Json,
}

impl ManifestKind {
    const ALL: [ManifestKind; 2] = [ManifestKind::Xml, ManifestKind::Json];

    fn extension(self) -> &'static str {
        match self {
            ManifestKind::Xml => "xml",
            ManifestKind::Json => "json",
        }
    }
}

/// Fills a manifest template. `base_url` must already be checked by [`check_base_url`], so
/// it needs no escaping in either format.
pub(crate) fn render(template: &str, base_url: &str, mode: SendMode, kind: ManifestKind) -> String {
    template
        .replace(BASE_URL_PLACEHOLDER, base_url.trim_end_matches('/'))
        .replace(SEND_MODE_PLACEHOLDER, mode.spelled_for(kind))
}

/// `http(s)://host[:port][/path]` with nothing that would need escaping in XML or JSON.
pub(crate) fn check_base_url(url: &str) -> Result<(), String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| format!("--url {url}: must start with https:// (or http:// for a test)"))?;
    let plain = rest
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-._~:/[]".contains(&b));
    if rest.is_empty() || rest.starts_with('/') || !plain || rest.contains("//") {
        return Err(format!(
            "--url {url}: expected https://host[:port][/path] without query or special characters"
        ));
    }
    Ok(())
}

/// `cargo xtask outlook-manifest --url URL [--send-mode soft-block|block] [--out DIR]`:
/// writes `manifest.xml` and `manifest.json` for that host (default folder
/// `target/outlook-manifest/`).
pub(crate) fn manifest_command(args: &[String]) -> Result<(), String> {
    let mut url = None;
    let mut mode = SendMode::SoftBlock;
    let mut out = run::root().join("target").join("outlook-manifest");
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        let value = rest.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--url" => url = Some(value.clone()),
            "--send-mode" => {
                mode = SendMode::parse(value)
                    .ok_or_else(|| format!("--send-mode {value}: soft-block or block"))?;
            }
            "--out" => out = PathBuf::from(value),
            other => return Err(format!("unknown option {other}")),
        }
    }
    let url = url.ok_or("--url is required (where the add-in is hosted)")?;
    check_base_url(&url)?;
    fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    for kind in ManifestKind::ALL {
        let name = format!("manifest.template.{}", kind.extension());
        let template_path = run::root().join("addin-outlook").join(&name);
        let template = read(&template_path)?;
        let target = out.join(format!("manifest.{}", kind.extension()));
        write(&target, render(&template, &url, mode, kind).as_bytes())?;
        println!("{}", target.display());
    }
    Ok(())
}

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
    let mut bundle = read(&checker.join(CHECKER_IIFE))?;
    bundle.push_str("\n;\n");
    bundle.push_str(&read(&handler)?);
    write(&out.join("launchevent.js"), bundle.as_bytes())?;

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

    copy_dir(&checker, &out.join("checker"))?;
    copy_dir(&source.join("assets"), &out.join("assets"))?;
    for file in STATIC_FILES {
        fs::copy(source.join(file), out.join(file))
            .map_err(|e| format!("{}: {e}", source.join(file).display()))?;
    }
    let css_links: Vec<String> = sorted_names(&checker)?
        .into_iter()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_each_placeholder_in_the_spelling_of_the_format() {
        let xml = render(
            r#"<A u="{{BASE_URL}}/outlook/x.js" m="{{SEND_MODE}}"/>"#,
            "https://sendguard.corp.example/",
            SendMode::Block,
            ManifestKind::Xml,
        );
        assert_eq!(
            xml,
            r#"<A u="https://sendguard.corp.example/outlook/x.js" m="Block"/>"#
        );
        let json = render(
            r#"{"u":"{{BASE_URL}}/x","m":"{{SEND_MODE}}"}"#,
            "https://h:8443/p",
            SendMode::SoftBlock,
            ManifestKind::Json,
        );
        assert_eq!(json, r#"{"u":"https://h:8443/p/x","m":"softBlock"}"#);
    }

    #[test]
    fn base_urls() {
        for good in [
            "https://a.example",
            "https://a.example:8443/sendguard",
            "http://127.0.0.1:9",
        ] {
            assert!(check_base_url(good).is_ok(), "{good}");
        }
        for bad in [
            "a.example",
            "ftp://a",
            "https://",
            "https://a\"b",
            "https://a/?q=1",
            "https://a/<x>",
        ] {
            assert!(check_base_url(bad).is_err(), "{bad}");
        }
    }
}

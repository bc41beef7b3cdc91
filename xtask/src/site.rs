//! The web site: every page under `www/` is the content of its `<main>` with a short
//! front matter; one layout, `www/_layout.html`, gives all of them the same head,
//! navigation and footer. [`build`] renders the pages into `dist/www/` and copies the
//! site's other files (styles, scripts, catalogues) beside them, so the server hosts
//! `dist/www/` and a change to the navigation is one edit.
//!
//! A page's content may name facts the build knows, so that the rollout pages can be
//! copied as they are: `{{thunderbird-addon-id}}` (the id in
//! `addin-thunderbird/manifest.json`). A `{{` left in a rendered page is an error. The
//! reviewed screenshots (`tests/screenshots/*.png`) are copied to `/screenshots/`.
//!
//! A page starts with an HTML comment of `key: value` lines:
//!
//! ```text
//! <!--
//! title-key: www.playground.title
//! title: Playground · sendguard
//! description: …            (optional)
//! section: playground       (home, playground, policy, incident or docs: marks the nav link)
//! head: <script type="module" src="/playground.mjs"></script>   (repeatable)
//! -->
//! <h1 …>…</h1>
//! ```

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::run;

/// The file every page is rendered into.
const LAYOUT: &str = "_layout.html";

/// The navigation links the layout can mark as the current page.
const SECTIONS: &[&str] = &["home", "playground", "policy", "incident", "docs"];

/// One page's front matter and content.
#[derive(Debug, Default, PartialEq)]
struct Page {
    title_key: String,
    title: String,
    description: Option<String>,
    section: String,
    head: Vec<String>,
    main: String,
}

/// Renders `www/` into `dist/www/`.
pub(crate) fn build() -> Result<(), String> {
    let root = run::root();
    let source = root.join("www");
    let out = root.join("dist/www");
    let layout_path = source.join(LAYOUT);
    let layout = std::fs::read_to_string(&layout_path)
        .map_err(|e| format!("cannot read {}: {e}", layout_path.display()))?;
    if out.exists() {
        std::fs::remove_dir_all(&out).map_err(|e| format!("cannot clear {out:?}: {e}"))?;
    }
    let addon_id = thunderbird_addon_id(&root)?;
    let mut pages = 0;
    for file in files_under(&source)? {
        let relative = file
            .strip_prefix(&source)
            .map_err(|e| format!("{file:?}: {e}"))?;
        if relative == Path::new(LAYOUT) {
            continue;
        }
        let target = out.join(relative);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {parent:?}: {e}"))?;
        }
        if file.extension().is_some_and(|ext| ext == "html") {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
            let page = prepare(&text, &addon_id)
                .map_err(|e| format!("www/{}: {e}", relative.display()))?;
            let html = render(&layout, &page).map_err(|e| format!("www/{LAYOUT}: {e}"))?;
            std::fs::write(&target, html).map_err(|e| format!("cannot write {target:?}: {e}"))?;
            pages += 1;
        } else if relative == Path::new("messages.json") {
            let catalogue = site_catalogue(&file, &root.join(CORE_CATALOGUE))?;
            std::fs::write(&target, catalogue)
                .map_err(|e| format!("cannot write {target:?}: {e}"))?;
        } else {
            std::fs::copy(&file, &target).map_err(|e| format!("cannot copy {file:?}: {e}"))?;
        }
    }
    let shots = out.join("screenshots");
    std::fs::create_dir_all(&shots).map_err(|e| format!("cannot create {shots:?}: {e}"))?;
    for file in files_under(&root.join("tests/screenshots"))? {
        if file.extension().is_some_and(|ext| ext == "png") {
            let name = file.file_name().ok_or("a screenshot without a name")?;
            std::fs::copy(&file, shots.join(name))
                .map_err(|e| format!("cannot copy {file:?}: {e}"))?;
        }
    }
    eprintln!("site: {pages} pages rendered into dist/www/");
    Ok(())
}

/// The core's catalogue, which names the rules.
const CORE_CATALOGUE: &str = "crates/sendguard-core/messages.json";

/// The site's catalogue plus each rule's title and reason (`rule.<id>.title`,
/// `rule.<id>.why`) from the core's, so the policy editor names the rules as the reports
/// do, in every language, without a second copy of those texts.
fn site_catalogue(site: &Path, core: &Path) -> Result<String, String> {
    let read = |path: &Path| -> Result<serde_json::Value, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
    };
    let (mut catalogue, core_catalogue) = (read(site)?, read(core)?);
    let languages = catalogue
        .as_object_mut()
        .ok_or_else(|| format!("{}: not an object of languages", site.display()))?;
    for (lang, messages) in languages.iter_mut() {
        let from_core = core_catalogue
            .get(lang)
            .and_then(serde_json::Value::as_object);
        let (Some(messages), Some(from_core)) = (messages.as_object_mut(), from_core) else {
            return Err(format!("no `{lang}` messages in {}", core.display()));
        };
        for (key, text) in from_core {
            let rest = key.strip_prefix("rule.").unwrap_or_default();
            let id = rest.strip_suffix(".title").or(rest.strip_suffix(".why"));
            if id.is_some_and(|id| !id.is_empty() && !id.contains('.')) {
                messages.insert(key.clone(), text.clone());
            }
        }
    }
    serde_json::to_string_pretty(&catalogue).map_err(|e| e.to_string())
}

/// The Thunderbird add-on's id (`browser_specific_settings.gecko.id`), which IT's
/// `policies.json` must name.
/// One page's source read and its build-time places filled (the Thunderbird add-on's id);
/// a place left over is an error, so no page ships a `{{…}}` placeholder.
fn prepare(text: &str, addon_id: &str) -> Result<Page, String> {
    let mut page = parse(text)?;
    page.main = page.main.replace("{{thunderbird-addon-id}}", addon_id);
    if let Some(at) = page.main.find("{{") {
        let near: String = page.main[at..].chars().take(40).collect();
        return Err(format!("unknown place `{near}`"));
    }
    Ok(page)
}

fn thunderbird_addon_id(root: &Path) -> Result<String, String> {
    let path = root.join("addin-thunderbird/manifest.json");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let gecko = text
        .find("\"gecko\"")
        .ok_or_else(|| format!("{}: no `gecko` section", path.display()))?;
    let id = text[gecko..]
        .find("\"id\"")
        .map(|at| &text[gecko + at + 4..])
        .and_then(|rest| rest.split('"').nth(1))
        .filter(|id| !id.is_empty() && id.contains('@'))
        .ok_or_else(|| format!("{}: no `gecko.id`", path.display()))?;
    Ok(id.to_string())
}

fn files_under(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| format!("cannot list {dir:?}: {e}"))?;
        for entry in entries {
            let path = entry
                .map_err(|e| format!("cannot list {dir:?}: {e}"))?
                .path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Splits a page into its front matter and its content; every error names the line.
fn parse(text: &str) -> Result<Page, String> {
    let rest = text
        .strip_prefix("<!--\n")
        .ok_or("line 1: a page starts with `<!--` and its front matter")?;
    let end = rest
        .find("\n-->\n")
        .ok_or("the front matter has no closing `-->` line")?;
    let mut page = Page {
        main: rest[end + "\n-->\n".len()..].trim_end().to_string(),
        ..Page::default()
    };
    for (index, line) in rest[..end].lines().enumerate() {
        let number = index + 2;
        let (key, value) = line
            .split_once(": ")
            .ok_or_else(|| format!("line {number}: expected `key: value`, found `{line}`"))?;
        let value = value.trim().to_string();
        match key {
            "title-key" => page.title_key = value,
            "title" => page.title = value,
            "description" => page.description = Some(value),
            "section" if SECTIONS.contains(&value.as_str()) => page.section = value,
            "section" => {
                return Err(format!(
                    "line {number}: unknown section `{value}` (one of {})",
                    SECTIONS.join(", ")
                ));
            }
            "head" => page.head.push(value),
            _ => {
                return Err(format!(
                    "line {number}: unknown key `{key}` (title-key, title, description, section, head)"
                ));
            }
        }
    }
    for (name, value) in [
        ("title-key", &page.title_key),
        ("title", &page.title),
        ("section", &page.section),
    ] {
        if value.is_empty() {
            return Err(format!("the front matter lacks `{name}`"));
        }
    }
    Ok(page)
}

/// Fills the layout's `{{…}}` places; a place the renderer does not know is an error,
/// so a typo in the layout cannot ship as literal braces.
fn render(layout: &str, page: &Page) -> Result<String, String> {
    let mut out = String::with_capacity(layout.len() + page.main.len());
    let mut rest = layout;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after
            .find("}}")
            .ok_or_else(|| format!("`{{{{` without `}}}}` near `{}`", &rest[start..]))?;
        let place = &after[..end];
        match place {
            "title-key" => out.push_str(&page.title_key),
            "title" => out.push_str(&page.title),
            "description" => {
                if let Some(text) = &page.description {
                    let _ = writeln!(out, "  <meta name=\"description\" content=\"{text}\">");
                }
            }
            "head" => {
                for line in &page.head {
                    let _ = writeln!(out, "  {line}");
                }
            }
            "main" => out.push_str(&page.main),
            _ => match place.strip_prefix("current:") {
                Some(section) if SECTIONS.contains(&section) => {
                    if section == page.section {
                        out.push_str(" aria-current=\"page\"");
                    }
                }
                _ => return Err(format!("unknown place `{{{{{place}}}}}`")),
            },
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "<!--\ntitle-key: www.x.title\ntitle: X · sendguard\nsection: policy\nhead: <script src=\"/x.mjs\"></script>\n-->\n<h1>X</h1>\n";

    #[test]
    fn renders_front_matter_and_marks_the_section() {
        let page = parse(PAGE).unwrap();
        let html = render(
            "<html data-title-key=\"{{title-key}}\"><title>{{title}}</title>\n{{description}}{{head}}<a{{current:policy}}></a><a{{current:docs}}></a><main>{{main}}</main>",
            &page,
        )
        .unwrap();
        assert_eq!(
            html,
            "<html data-title-key=\"www.x.title\"><title>X · sendguard</title>\n  <script src=\"/x.mjs\"></script>\n<a aria-current=\"page\"></a><a></a><main><h1>X</h1></main>"
        );
    }

    #[test]
    fn errors_name_the_line() {
        let bad = PAGE.replace("section: policy", "sektion: policy");
        assert!(
            parse(&bad)
                .unwrap_err()
                .starts_with("line 4: unknown key `sektion`")
        );
        let bad = PAGE.replace("section: policy", "section: blog");
        assert!(parse(&bad).unwrap_err().contains("unknown section `blog`"));
        assert!(parse("<h1>no front matter</h1>").is_err());
        let page = parse(PAGE).unwrap();
        assert!(render("{{mian}}", &page).unwrap_err().contains("mian"));
        assert!(render("{{title", &page).is_err());
    }

    #[test]
    fn every_page_of_the_site_renders() {
        let www = run::root().join("www");
        let layout = std::fs::read_to_string(www.join(LAYOUT)).unwrap();
        let addon_id = thunderbird_addon_id(&run::root()).unwrap();
        let mut count = 0;
        for file in files_under(&www).unwrap() {
            if file.extension().is_some_and(|e| e == "html") && !file.ends_with(LAYOUT) {
                let page = prepare(&std::fs::read_to_string(&file).unwrap(), &addon_id)
                    .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
                let html = render(&layout, &page).unwrap();
                assert!(!html.contains("{{"), "{}", file.display());
                assert_eq!(
                    html.matches("aria-current=\"page\"").count(),
                    usize::from(page.section != "home")
                );
                count += 1;
            }
        }
        assert!(count >= 6, "only {count} pages");
    }
}

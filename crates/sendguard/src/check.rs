//! `sendguard check`.

use std::io::{IsTerminal as _, Read as _, Write as _};
use std::path::Path;

use indicatif::{ProgressBar, ProgressStyle};
use sendguard_core::{Draft, Lang, Policy, Report, Verdict, check};

use crate::render::{render_text, terminal_safe};
use crate::{CheckArgs, EXIT_DATA, EXIT_INTERNAL, Format};

/// Progress bars appear from this many files on (and only on a terminal).
const PROGRESS_FROM: usize = 10;

/// What happened to one file.
enum Outcome {
    Checked(Box<Report>),
    Unusable(String),
    Crashed(String),
}

pub(crate) fn run(args: &CheckArgs) -> u8 {
    let policy = match &args.policy {
        // Policy errors stay in English (what IT searches for) unless asked otherwise.
        Some(file) => match crate::policy::load(file, args.lang.map_or(Lang::En, Lang::from)) {
            Ok(policy) => policy,
            Err(message) => {
                eprintln!("sendguard: {message}");
                return EXIT_DATA;
            }
        },
        None => Policy::default(),
    };
    let lang = args.lang.map_or_else(lang_from_env, Lang::from);
    let progress = progress_bar(args.files.len());
    let mut stdout = anstream::stdout().lock();
    let mut counts = [0usize; 3];
    let mut unusable = 0;
    let mut crashed = 0;
    for file in &args.files {
        let name = file.display().to_string();
        progress.set_message(name.clone());
        let outcome = check_file(file, &policy);
        progress.inc(1);
        match &outcome {
            Outcome::Checked(report) => counts[usize::from(report.verdict.exit_code())] += 1,
            Outcome::Unusable(_) => unusable += 1,
            Outcome::Crashed(_) => crashed += 1,
        }
        let written = match (&outcome, args.format) {
            (Outcome::Checked(report), Format::Json) => {
                writeln!(stdout, "{}", with_file(&name, &report.to_json()))
            }
            (Outcome::Checked(report), Format::Text) => {
                progress.suspend(|| write!(stdout, "{}", render_text(&name, report, lang)))
            }
            (Outcome::Unusable(message) | Outcome::Crashed(message), Format::Json) => {
                let error = serde_json::json!({ "file": name, "error": message });
                writeln!(stdout, "{error}")
            }
            (Outcome::Unusable(message) | Outcome::Crashed(message), Format::Text) => {
                progress.suspend(|| {
                    eprintln!(
                        "sendguard: {}: {}",
                        terminal_safe(&name),
                        terminal_safe(message)
                    );
                });
                Ok(())
            }
        };
        if let Err(error) = written {
            progress.finish_and_clear();
            if error.kind() == std::io::ErrorKind::BrokenPipe {
                // The reader has gone (`sendguard check … | head`): it has seen what it
                // wanted. That is a normal end, not a crash; the status is the worst
                // verdict of the files checked so far, this one included.
                return status(&counts, unusable, crashed);
            }
            eprintln!("sendguard: cannot write the report: {error}");
            return EXIT_INTERNAL;
        }
    }
    progress.finish_and_clear();
    if args.files.len() > 1 {
        let summary = format!(
            "checked {} files: {} block, {} warn, {} pass, {} unusable",
            args.files.len(),
            counts[2],
            counts[1],
            counts[0],
            unusable + crashed
        );
        eprintln!("{summary}");
    }
    status(&counts, unusable, crashed)
}

/// The exit status: a crash beats unusable input beats the worst verdict.
fn status(counts: &[usize; 3], unusable: usize, crashed: usize) -> u8 {
    if crashed > 0 {
        EXIT_INTERNAL
    } else if unusable > 0 {
        EXIT_DATA
    } else if counts[2] > 0 {
        Verdict::Block.exit_code()
    } else if counts[1] > 0 {
        Verdict::Warn.exit_code()
    } else {
        Verdict::Pass.exit_code()
    }
}

fn progress_bar(files: usize) -> ProgressBar {
    if files < PROGRESS_FROM || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(files as u64);
    if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} {wide_msg}") {
        bar.set_style(style);
    }
    bar
}

/// Reads and checks one file. A panic in the checker is a bug; it is reported for
/// this file and the others are still checked.
fn check_file(file: &Path, policy: &Policy) -> Outcome {
    let bytes = match read(file) {
        Ok(bytes) => bytes,
        Err(message) => return Outcome::Unusable(message),
    };
    let result = std::panic::catch_unwind(|| {
        let draft = parse_draft(file, &bytes)?;
        Ok::<Report, String>(check(&draft, policy))
    });
    match result {
        Ok(Ok(report)) => Outcome::Checked(Box::new(report)),
        Ok(Err(message)) => Outcome::Unusable(message),
        Err(_) => Outcome::Crashed(
            "internal error in the checker (a bug: please report it with this file)".into(),
        ),
    }
}

pub(crate) fn read(file: &Path) -> Result<Vec<u8>, String> {
    if file == Path::new("-") {
        return read_capped(std::io::stdin().lock(), "stdin");
    }
    let opened = std::fs::File::open(file).map_err(|error| format!("cannot read: {error}"))?;
    read_capped(opened, "the file")
}

/// Reads at most [`sendguard_core::MAX_INPUT_BYTES`] bytes and refuses anything longer
/// before parsing. The size is not asked of the file system first: `/dev/zero`, a pipe
/// or a file that grows reports no size, and reading it whole would never end.
fn read_capped(source: impl std::io::Read, what: &str) -> Result<Vec<u8>, String> {
    let limit = sendguard_core::MAX_INPUT_BYTES as u64;
    let mut bytes = Vec::new();
    source
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|error| format!("cannot read {what}: {error}"))?;
    if bytes.len() as u64 > limit {
        return Err(format!(
            "{what} is larger than {limit} bytes ({} MiB), the most sendguard reads; nothing was checked",
            limit / (1024 * 1024)
        ));
    }
    Ok(bytes)
}

/// Outlook `.msg` files are recognised by their first bytes (a compound file), whatever
/// their name; `.json` files and anything that starts with `{` are JSON drafts; the
/// rest is mail (`.eml`).
fn parse_draft(file: &Path, bytes: &[u8]) -> Result<Draft, String> {
    let named_msg = file
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("msg"));
    if sendguard_core::looks_like_msg(bytes) || (named_msg && !bytes.is_empty()) {
        return Draft::from_msg(bytes).map_err(|error| error.to_string());
    }
    let is_json = file
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("json"))
        || bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    if is_json {
        let text = std::str::from_utf8(bytes).map_err(|error| {
            format!(
                "not UTF-8 at byte {}: a JSON draft must be UTF-8",
                error.valid_up_to()
            )
        })?;
        Draft::from_json(text).map_err(|error| error.to_string())
    } else {
        Draft::from_eml(bytes).map_err(|error| error.to_string())
    }
}

/// Puts `"file"` first in a report's JSON object, so a line says which file it is for.
fn with_file(name: &str, report_json: &str) -> String {
    let name = serde_json::Value::String(name.to_string());
    match report_json.strip_prefix('{') {
        Some(rest) => format!("{{\"file\":{name},{rest}"),
        None => report_json.to_string(),
    }
}

pub(crate) fn lang_from_env() -> Lang {
    let lang = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .find(|value| !value.is_empty())
        .unwrap_or_default();
    if lang.starts_with("de") {
        Lang::De
    } else {
        Lang::En
    }
}

//! `sendguard incident`: after a mistake, what a sent message disclosed and the papers
//! the next 72 hours need. Nothing is sent; files are written only with `--out`.

use std::path::{Path, PathBuf};

use sendguard_core::{Incident, Lang, Policy, parse_noticed};

use crate::check::{lang_from_env, read};
use crate::render::terminal_safe;
use crate::{EXIT_DATA, EXIT_USAGE, Format, LangArg};

/// Exit status when an output file cannot be written (sysexits EX_CANTCREAT).
const EXIT_CANT_CREATE: u8 = 73;

#[derive(clap::Args)]
pub(crate) struct IncidentArgs {
    /// When the company noticed the mistake (the 72-hour clock of Art. 33 GDPR starts
    /// here): `2026-12-01T09:00`, optionally with `Z` or `+01:00`; without a zone, UTC.
    /// Default: now.
    #[arg(long, value_name = "TIME")]
    noticed: Option<String>,
    /// The policy (internal domains, extra private-mail domains, own identifiers);
    /// without it, the built-in default.
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    /// Output on stdout: text (the register entry in Markdown) or json (the register
    /// entry as one JSON object).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Language of the papers (default: from LANG, else English).
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
    /// Write every paper into this directory: register.json, register.LANG.md,
    /// authority.LANG.md, data-subjects.LANG.txt, recall.eml (every recipient in Bcc)
    /// and recall-mailto.txt.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// The message as sent (.eml); `-` reads it from stdin.
    #[arg(value_name = "FILE")]
    file: PathBuf,
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| {
            i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX)
        })
}

pub(crate) fn run(args: &IncidentArgs) -> u8 {
    let noticed = match args.noticed.as_deref().map(parse_noticed) {
        None => now(),
        Some(Ok(at)) => at,
        Some(Err(message)) => {
            eprintln!("sendguard: --noticed: {}", terminal_safe(&message));
            return EXIT_USAGE;
        }
    };
    let lang = args.lang.map_or_else(lang_from_env, Lang::from);
    let policy = match &args.policy {
        Some(file) => match crate::policy::load(file, lang) {
            Ok(policy) => policy,
            Err(message) => {
                eprintln!("sendguard: {}", terminal_safe(&message));
                return EXIT_DATA;
            }
        },
        None => Policy::default(),
    };
    let name = args.file.display().to_string();
    let incident = match read(&args.file).and_then(|bytes| {
        Incident::from_eml(&bytes, noticed, &policy).map_err(|error| error.to_string())
    }) {
        Ok(incident) => incident,
        Err(message) => {
            eprintln!(
                "sendguard: {}: {}",
                terminal_safe(&name),
                terminal_safe(&message)
            );
            return EXIT_DATA;
        }
    };
    let papers = incident.documents(lang);
    if let Some(dir) = &args.out {
        if let Err(message) = write_papers(dir, &incident, &papers, lang) {
            eprintln!("sendguard: {}", terminal_safe(&message));
            return EXIT_CANT_CREATE;
        }
    }
    match args.format {
        Format::Json => println!("{}", incident.to_json()),
        Format::Text => print!("{}", terminal_safe_multiline(&papers.register_markdown)),
    }
    if papers.recall_left_out > 0 {
        eprintln!(
            "sendguard: {} recipient entries are not usable addresses and are not in the follow-up mail's Bcc",
            papers.recall_left_out
        );
    }
    0
}

/// Each line made terminal-safe, the line breaks kept.
fn terminal_safe_multiline(text: &str) -> String {
    text.lines()
        .map(|line| format!("{}\n", terminal_safe(line)))
        .collect()
}

fn write_papers(
    dir: &Path,
    incident: &Incident,
    papers: &sendguard_core::Documents,
    lang: Lang,
) -> Result<(), String> {
    std::fs::create_dir_all(dir)
        .map_err(|error| format!("cannot create {}: {error}", dir.display()))?;
    let code = lang.code();
    let files = [
        (
            "register.json".to_string(),
            incident.to_json_pretty() + "\n",
        ),
        (
            format!("register.{code}.md"),
            papers.register_markdown.clone(),
        ),
        (format!("authority.{code}.md"), papers.authority.clone()),
        (
            format!("data-subjects.{code}.txt"),
            papers.data_subjects.clone(),
        ),
        ("recall.eml".to_string(), papers.recall_eml.clone()),
        (
            "recall-mailto.txt".to_string(),
            papers.recall_mailto.clone() + "\n",
        ),
    ];
    for (name, content) in files {
        let path = dir.join(&name);
        std::fs::write(&path, content)
            .map_err(|error| format!("cannot write {}: {error}", path.display()))?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}

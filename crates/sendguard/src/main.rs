//! `sendguard`: check drafts against a policy, validate policies, and (with the server)
//! host the add-ins.
//!
//! Exit status: 0 pass, 1 warn, 2 block (worst over all files), 64 usage error,
//! 65 unusable input (a draft or policy that cannot be read), 69 the server cannot
//! bind its address, 70 internal error.

// A command-line program: printing is its interface.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod check;
mod incident;
mod manifest;
mod policy;
mod render;
mod serve;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// Exit status for a command line that cannot be understood (sysexits EX_USAGE).
const EXIT_USAGE: u8 = 64;
/// Exit status for input that cannot be used (sysexits EX_DATAERR).
const EXIT_DATA: u8 = 65;
/// Exit status for a bug in sendguard itself (sysexits EX_SOFTWARE).
const EXIT_INTERNAL: u8 = 70;

/// Stops personal-data leaks at Send: checks drafts for visible recipient lists,
/// private and throwaway addresses, and dangerous attachments.
#[derive(Parser)]
#[command(name = "sendguard", version, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check drafts (.eml, Outlook .msg or JSON) and report what would be stopped at Send.
    ///
    /// Exit status: 0 pass, 1 warn, 2 block (the worst over all files),
    /// 65 if a file cannot be read.
    Check(CheckArgs),
    /// After a mistake: what a sent message (.eml) disclosed, a first assessment along
    /// the EDPB's mispostal examples, the breach-register entry, draft notifications
    /// and a follow-up mail with every recipient in Bcc. Nothing is sent.
    ///
    /// Exit status: 0 done, 64 bad option, 65 unusable message or policy,
    /// 73 an output file cannot be written.
    Incident(incident::IncidentArgs),
    /// Validate, print or describe policies.
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// Host the add-ins, the web pages, the policy and the Outlook manifests.
    Serve(serve::ServeArgs),
    /// Write the Outlook manifests (XML and unified JSON) for the URL the add-in is
    /// hosted at.
    Manifest(manifest::ManifestArgs),
}

#[derive(clap::Args)]
struct CheckArgs {
    /// The policy to apply (JSON); without it, the built-in default.
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    /// Output: text for people, json for programs (one report per line).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Language of the text output (default: from LANG, else English).
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
    /// Drafts to check: .eml or Outlook .msg messages, or JSON drafts; `-` reads one
    /// from stdin.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
}

#[derive(Subcommand)]
enum PolicyCommand {
    /// Check that a policy file is valid; errors name the key and line.
    Check {
        /// The policy file.
        file: PathBuf,
        /// Language of the error message (default: English).
        #[arg(long, value_enum)]
        lang: Option<LangArg>,
    },
    /// Print the default policy, every field written out.
    Default,
    /// Print the JSON Schema of the policy (for editors and the policy editor).
    Schema,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    En,
    De,
}

impl From<LangArg> for sendguard_core::Lang {
    fn from(lang: LangArg) -> Self {
        match lang {
            LangArg::En => sendguard_core::Lang::En,
            LangArg::De => sendguard_core::Lang::De,
        }
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let code = if error.use_stderr() { EXIT_USAGE } else { 0 };
            // clap's own printing handles colour and help layout.
            let _ = error.print();
            return ExitCode::from(code);
        }
    };
    let code = match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Incident(args) => incident::run(&args),
        Command::Policy(command) => policy::run(&command),
        Command::Serve(args) => serve::run(&args),
        Command::Manifest(args) => manifest::run(&args),
    };
    ExitCode::from(code)
}

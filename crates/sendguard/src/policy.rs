//! `sendguard policy …`.

use sendguard_core::{Lang, Policy, default_policy_json};

use crate::{EXIT_DATA, PolicyCommand};

/// The policy's JSON Schema, published for editors and the web policy editor.
pub(crate) const SCHEMA: &str = include_str!("../../sendguard-core/policy.schema.json");

pub(crate) fn run(command: &PolicyCommand) -> u8 {
    match command {
        PolicyCommand::Default => {
            print!("{}", default_policy_json());
            0
        }
        PolicyCommand::Schema => {
            print!("{SCHEMA}");
            0
        }
        PolicyCommand::Check { file, lang } => {
            match load(file, lang.map_or(Lang::En, Lang::from)) {
                Ok(policy) => {
                    let name = policy.name.as_deref().unwrap_or("unnamed policy");
                    println!("{}: ok ({name})", file.display());
                    0
                }
                Err(message) => {
                    eprintln!("sendguard: {message}");
                    EXIT_DATA
                }
            }
        }
    }
}

/// Reads and validates a policy file; the error says which file, line and key, as
/// `file:line:column: message` (the form editors jump to), in `lang`.
pub(crate) fn load(file: &std::path::Path, lang: Lang) -> Result<Policy, String> {
    let text = std::fs::read_to_string(file)
        .map_err(|error| format!("{}: cannot read the policy: {error}", file.display()))?;
    Policy::from_json(&text).map_err(|error| {
        format!(
            "{}:{}:{}: {}",
            file.display(),
            error.line(),
            error.column(),
            error.message_in(lang)
        )
    })
}

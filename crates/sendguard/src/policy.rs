//! `sendguard policy …`.

use sendguard_core::{Policy, default_policy_json};

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
        PolicyCommand::Check { file } => match load(file) {
            Ok(policy) => {
                let name = policy.name.as_deref().unwrap_or("unnamed policy");
                println!("{}: ok ({name})", file.display());
                0
            }
            Err(message) => {
                eprintln!("sendguard: {message}");
                EXIT_DATA
            }
        },
    }
}

/// Reads and validates a policy file; the error says which file, line and key.
pub(crate) fn load(file: &std::path::Path) -> Result<Policy, String> {
    let text = std::fs::read_to_string(file)
        .map_err(|error| format!("{}: cannot read the policy: {error}", file.display()))?;
    Policy::from_json(&text).map_err(|error| {
        format!(
            "{}:{}:{}: {}",
            file.display(),
            error.line(),
            error.column(),
            error.message()
        )
    })
}

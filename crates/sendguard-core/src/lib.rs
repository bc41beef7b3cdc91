//! The sendguard checker: decides, at the moment a user clicks Send, whether a draft
//! leaks personal data, and offers fixes that never lose a recipient.
//!
//! The core is pure: no files, no network, no clock. Every front end (the CLI, the
//! WebAssembly package inside Outlook and Thunderbird, the server's playground) feeds it
//! a [`Draft`] and a [`Policy`] and gets back the same [`Report`].
//!
//! ```
//! use sendguard_core::{check, Draft, Policy, Verdict};
//!
//! let draft = Draft::from_json(r#"{
//!     "from": {"address": "anna@example.com"},
//!     "cc": [
//!         {"address": "a@one.example"}, {"address": "b@two.example"},
//!         {"address": "c@three.example"}, {"address": "d@four.example"},
//!         {"address": "e@five.example"}
//!     ]
//! }"#).unwrap();
//! let report = check(&draft, &Policy::default());
//! assert_eq!(report.verdict, Verdict::Warn);
//! assert_eq!(report.findings[0].rule.id(), "visible-recipients");
//! ```

#[macro_use]
mod registry;

mod address;
mod cfb;
mod domain;
mod draft;
mod eml;
mod error;
mod expecting;
mod extract;
mod files;
mod fix;
#[cfg(test)]
mod front_coding;
mod incident;
mod json;
mod limits;
mod lists;
mod little_endian;
mod lookalike;
#[cfg(test)]
mod message_prefixes;
mod messages;
mod mime;
mod msg;
mod personal_data;
mod policy;
mod recipients;
mod report;
mod rules;
mod similarity;
mod table;
mod tnef;
mod vocabulary;
mod windows_name;
mod zip;

pub use address::{Address, parse_address_list};
pub use domain::{DomainName, organization_of};
pub use draft::{
    Attachment, Draft, Field, MAX_ATTACHMENTS, MAX_INPUT_BYTES, MAX_KNOWN_DOMAINS,
    MAX_NOT_INSPECTED, MAX_RECIPIENTS, NotInspected, Part, Protection, Reason,
};
pub use error::{InputError, InputErrorKind};
pub use files::{ListedFile, list_files};
pub use fix::{Applied, Export, FixError, apply};
pub use incident::{
    Assessment, AttachmentFacts, CategoryPlaces, DisclosedData, Documents, IdentifierCount,
    Incident, PeopleList, Recipients, Risk, parse_noticed,
};
pub use messages::{Lang, Text};
pub use msg::looks_like_msg;
pub use policy::{
    DelayPolicy, DelayWhen, DomainSet, FailMode, MAX_DELAY_SECONDS, OwnIdentifier, PersonalData,
    Policy, PolicyError, PolicyErrorKind, ProtectionPolicy, RecipientSeverities, Severities,
    default_policy_json,
};
pub use report::{Delay, Override, Report};
pub use rules::check;
pub use vocabulary::{Finding, Fix, FixOffer, RuleId, Severity, Summary, Verdict};

/// The version of the checker, reported by every front end so that IT can tell which
/// checker produced a report.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

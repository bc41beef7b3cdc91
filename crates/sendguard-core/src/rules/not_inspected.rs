//! What `content-not-inspected` and `list-not-expanded` share: the draft's list of
//! parts the front end (or the `.eml` reader) could not read, and why.

use crate::draft::{NotInspected, Part, Reason};
use crate::messages::{Arg, text};
use crate::rules::Context;

/// A reason's short explanation, for a message's `{reason}`.
pub(super) fn reason_text(reason: Reason) -> Arg {
    let key = match reason {
        Reason::TooLarge => "reason.not-inspected.too-large",
        Reason::Timeout => "reason.not-inspected.timeout",
        Reason::Unreadable => "reason.not-inspected.unreadable",
        Reason::Encrypted => "reason.not-inspected.encrypted",
        Reason::TooDeep => "reason.not-inspected.too-deep",
        Reason::TooMany => "reason.not-inspected.too-many",
        Reason::Error => "reason.not-inspected.error",
        Reason::Unsupported => "reason.not-inspected.unsupported",
    };
    Arg::Text(text(key, &[]))
}

/// The entries about parts `wanted` accepts, in draft order.
pub(super) fn entries<'a>(
    context: &'a Context<'_>,
    wanted: impl Fn(Part) -> bool + 'a,
) -> impl Iterator<Item = &'a NotInspected> + 'a {
    context
        .not_inspected
        .iter()
        .filter(move |entry| wanted(entry.part))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_has_a_text_in_both_languages() {
        for reason in Reason::ALL {
            let Arg::Text(text) = reason_text(reason) else {
                panic!("{reason:?} has no translated text");
            };
            assert!(
                !text.get(crate::messages::Lang::En).starts_with("reason."),
                "{reason:?}: {}",
                text.get(crate::messages::Lang::En)
            );
            assert!(
                !text.get(crate::messages::Lang::De).starts_with("reason."),
                "{reason:?}: {}",
                text.get(crate::messages::Lang::De)
            );
        }
    }
}

//! What this crate's own `Deserialize` impls expected when they refused a value, typed,
//! so the policy reader can word the problem from the catalogue in every language.
//!
//! serde passes an expectation to the deserializer's error only as `&dyn Expected`,
//! that is as text, so each variant writes a phrase of its own and
//! [`Expecting::from_phrase`] turns it back into the variant. Only phrases written here
//! are recognised: another library's wording is never parsed.

use std::fmt;

/// What a refused value should have been.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Expecting {
    /// A domain name (`DomainName`).
    Domain,
    /// A whole number, 1 or more (the policy's thresholds that cannot be 0).
    AtLeastOne,
    /// One of the organization's own identifiers, check digits included
    /// (`OwnIdentifier`).
    OwnIdentifier,
}

impl Expecting {
    const ALL: [Expecting; 3] = [
        Expecting::Domain,
        Expecting::AtLeastOne,
        Expecting::OwnIdentifier,
    ];

    /// The catalogue entry that says it.
    pub(crate) fn message_key(self) -> &'static str {
        match self {
            Expecting::Domain => "policy.want.domain",
            Expecting::AtLeastOne => "policy.want.at-least-one",
            Expecting::OwnIdentifier => "policy.want.own-identifier",
        }
    }

    /// The English phrase serde carries (and shows when another deserializer, such as
    /// serde_json's, words the error).
    fn phrase(self) -> &'static str {
        match self {
            Expecting::Domain => "a domain name",
            Expecting::AtLeastOne => "a whole number, 1 or more",
            Expecting::OwnIdentifier => {
                "an IBAN, card, tax, pension, health insurance or document number \
                 with valid check digits"
            }
        }
    }

    /// The variant whose phrase `text` is, if any.
    pub(crate) fn from_phrase(text: &str) -> Option<Expecting> {
        Expecting::ALL
            .into_iter()
            .find(|want| want.phrase() == text)
    }
}

impl serde::de::Expected for Expecting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.phrase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_comes_back_from_its_phrase() {
        for want in Expecting::ALL {
            let phrase = (&want as &dyn serde::de::Expected).to_string();
            assert_eq!(Expecting::from_phrase(&phrase), Some(want));
        }
        assert_eq!(Expecting::from_phrase("a nonzero u32"), None);
    }

    #[test]
    fn every_variant_is_in_the_catalogue_in_every_language() {
        use crate::messages::{Lang, text};
        for want in Expecting::ALL {
            let words = text(want.message_key(), &[]);
            assert_ne!(words.get(Lang::En), want.message_key(), "{want:?}");
            assert_ne!(words.get(Lang::En), words.get(Lang::De), "{want:?}");
        }
    }
}

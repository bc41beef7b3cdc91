//! `personal-data-special-category`: the text or a file shows special categories of
//! personal data about a person (Art. 9 GDPR: health, religion, trade-union
//! membership, sexual orientation, ethnic origin, biometric and genetic data,
//! political opinions): a sick note, a diagnosis, a church-tax or union field. One
//! finding per category, with its places. The terms and their context rules are in
//! `personal_data/special.rs`.

use crate::messages::{Arg, text};
use crate::personal_data::Location;
use crate::rules::Context;
use crate::rules::personal_data::{
    category_key, places, severity_for_recipients, single_attachment,
};
use crate::vocabulary::{Finding, RuleId, Severity};

pub(super) const TITLE: &str = "rule.personal-data-special-category.title";
pub(super) const WHY: &str = "rule.personal-data-special-category.why";

/// A category's name, as a message argument.
fn category_name(category: &str) -> Arg {
    Arg::Text(text(category_key(category), &[]))
}

pub(super) fn check(context: &Context<'_>, ceiling: Severity) -> Vec<Finding> {
    let Some(scan) = &context.personal_data else {
        return Vec::new();
    };
    let severity = severity_for_recipients(context, ceiling);
    if severity == Severity::Off {
        return Vec::new();
    }
    let mut categories: Vec<&str> = Vec::new();
    for hit in &scan.special {
        if !categories.contains(&hit.category) {
            categories.push(hit.category);
        }
    }
    categories
        .into_iter()
        .map(|category| {
            let mut at: Vec<(Location, Vec<usize>)> = Vec::new();
            for hit in scan.special.iter().filter(|hit| hit.category == category) {
                at.push((hit.location.clone(), vec![hit.line]));
            }
            let message = text(
                "rule.personal-data-special-category.message",
                &[("category", category_name(category)), ("places", places(&at))],
            );
            let mut finding = Finding::new(RuleId::PersonalDataSpecialCategory, severity, message);
            finding.attachment = single_attachment(at.iter().map(|(location, _)| location));
            finding
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::messages::Lang;
    use crate::rules::test_support::findings;
    use crate::vocabulary::{RuleId, Severity};

    fn draft(to: &str, body: &str) -> String {
        format!(
            r#"{{"from":{{"address":"personal@corp.example"}},"to":[{{"address":"{to}"}}],"body":{}}}"#,
            serde_json::to_string(body).unwrap()
        )
    }

    #[test]
    fn a_sick_note_to_a_private_mailbox_blocks() {
        let body = "Hallo Herr Weber,\ndie Arbeitsunfähigkeitsbescheinigung liegt vor.";
        let found = findings(RuleId::PersonalDataSpecialCategory, &draft("j@gmail.com", body), "{}");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Block);
        assert!(found[0].message.get(Lang::En).starts_with("Health data"), "{:?}", found[0].message);
        assert!(found[0].message.get(Lang::De).contains("Zeile 2"));
        let internal = findings(RuleId::PersonalDataSpecialCategory, &draft("hr@corp.example", body), "{}");
        assert_eq!(internal[0].severity, Severity::Info);
    }

    #[test]
    fn a_newsletter_topic_is_not_special_category_data() {
        let body = "Sehr geehrte Frau Jensen,\nunser Webinar zur Krankschreibung per Telefon.\n\
                    Newsletter abbestellen: https://news.example/";
        assert!(findings(RuleId::PersonalDataSpecialCategory, &draft("j@gmail.com", body), "{}").is_empty());
    }
}

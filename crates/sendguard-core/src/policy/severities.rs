//! The policy's `severity` map: each rule's severity, read with the rule ids and
//! severity names to suggest from, written out for every rule.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::policy::parse::{UNKNOWN_KEY, suggest};
use crate::vocabulary::{RuleId, Severity};

/// Rule severities; rules not named keep their default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Severities(BTreeMap<RuleId, Severity>);

impl Severities {
    /// The severity of `rule`: as set, else the rule's default.
    pub fn get(&self, rule: RuleId) -> Severity {
        self.0
            .get(&rule)
            .copied()
            .unwrap_or_else(|| rule.default_severity())
    }

    /// Sets the severity of `rule`.
    pub fn set(&mut self, rule: RuleId, severity: Severity) {
        self.0.insert(rule, severity);
    }
}

impl Serialize for Severities {
    /// Every rule, in registry order, with its effective severity: the written-out
    /// policy says what each rule does.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        let mut map = serializer.serialize_map(Some(RuleId::ALL.len()))?;
        for rule in RuleId::ALL {
            map.serialize_entry(rule.id(), &self.get(rule))?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Severities {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SeverityMap;

        impl<'de> Visitor<'de> for SeverityMap {
            type Value = Severities;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of rule ids and severities")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Severities, A::Error> {
                let mut severities = BTreeMap::new();
                // Keys are read as text so that an unknown one is reported as a key
                // (with the rule ids to choose from), not as an enum variant.
                while let Some(key) = map.next_key::<String>()? {
                    let rule = RuleId::from_id(&key).ok_or_else(|| {
                        let ids = RuleId::ALL.map(RuleId::id);
                        let mut message = format!("{UNKNOWN_KEY} `severity.{key}`");
                        match suggest(&key, &ids) {
                            Some(best) => message.push_str(&format!("; did you mean `{best}`?")),
                            None => {
                                message.push_str(&format!("; expected one of: {}", ids.join(", ")));
                            }
                        }
                        serde::de::Error::custom(message)
                    })?;
                    let value: String = map.next_value()?;
                    let severity = Severity::from_id(&value).ok_or_else(|| {
                        let mut message =
                            format!("`severity.{}`: unknown severity `{value}`", rule.id());
                        match suggest(&value, &Severity::ALL.map(Severity::id)) {
                            Some(best) => message.push_str(&format!("; did you mean `{best}`?")),
                            None => message.push_str("; expected off, info, warn or block"),
                        }
                        serde::de::Error::custom(message)
                    })?;
                    if severities.insert(rule, severity).is_some() {
                        return Err(serde::de::Error::custom(format!(
                            "duplicate rule `{}`",
                            rule.id()
                        )));
                    }
                }
                Ok(Severities(severities))
            }
        }

        deserializer.deserialize_map(SeverityMap)
    }
}

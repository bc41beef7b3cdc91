//! The policy's `severity` map: each rule's severity, read with the rule ids and
//! severity names to suggest from, written out for every rule.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::LazyLock;

use serde::de::{DeserializeSeed, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

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
                while let Some(rule) = map.next_key_seed(RuleKey)? {
                    let severity: Severity = map.next_value()?;
                    if severities.insert(rule, severity).is_some() {
                        return Err(serde::de::Error::duplicate_field(rule.id()));
                    }
                }
                Ok(Severities(severities))
            }
        }

        deserializer.deserialize_map(SeverityMap)
    }
}

/// A rule id as a key of the map: an unknown one is an unknown *key* (with the rule ids
/// to suggest from), raised while the key is read so that it is placed at the key.
struct RuleKey;

impl<'de> DeserializeSeed<'de> for RuleKey {
    type Value = RuleId;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<RuleId, D::Error> {
        let key = String::deserialize(deserializer)?;
        RuleId::from_id(&key).ok_or_else(|| serde::de::Error::unknown_field(&key, &RULE_IDS[..]))
    }
}

/// Every rule id, for suggestions (serde wants a `'static` list).
static RULE_IDS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| RuleId::ALL.iter().map(|rule| rule.id()).collect());

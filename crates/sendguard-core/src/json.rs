//! Small helpers for reading JSON strictly: serde's derived structs also accept arrays
//! (fields by position), which would let `[…]` pass as a draft or policy without a
//! single key being checked.

use serde_json::Value;

/// Where something went wrong: a dotted path and a 1-based line and column.
pub(crate) struct Place {
    pub(crate) path: String,
    pub(crate) line: usize,
    pub(crate) column: usize,
}

/// Checks that `text` is an object whose arrays stand only under `list_keys`, holding
/// no arrays themselves. Call it after a typed parse succeeded; it only catches what
/// the typed parse let through.
pub(crate) fn objects_not_arrays(text: &str, list_keys: &[&str]) -> Result<(), Place> {
    let Ok(value) = serde_json::from_str::<Value>(text) else {
        return Ok(());
    };
    if !value.is_object() {
        return Err(Place {
            path: String::new(),
            line: 1,
            column: 1,
        });
    }
    let mut path = Vec::new();
    walk(&value, list_keys, &mut path).map_err(|path| {
        let (line, column) = locate(text, &path.iter().map(String::as_str).collect::<Vec<_>>());
        Place {
            path: path.join("."),
            line,
            column,
        }
    })
}

fn walk(value: &Value, list_keys: &[&str], path: &mut Vec<String>) -> Result<(), Vec<String>> {
    let Value::Object(map) = value else {
        return Ok(());
    };
    for (key, child) in map {
        path.push(key.clone());
        match child {
            Value::Array(items) if list_keys.contains(&key.as_str()) => {
                for item in items {
                    if item.is_array() {
                        return Err(path.clone());
                    }
                    walk(item, list_keys, path)?;
                }
            }
            Value::Array(_) => return Err(path.clone()),
            Value::Object(_) => walk(child, list_keys, path)?,
            _ => {}
        }
        path.pop();
    }
    Ok(())
}

/// Finds the line and column of a nested key for errors found after parsing: the first
/// `"a"` key, then the first `"b"` after it. A heuristic, exact for every input that
/// does not repeat key names inside string values.
pub(crate) fn locate(text: &str, path: &[&str]) -> (usize, usize) {
    let mut offset = 0;
    for key in path {
        let needle = format!("\"{key}\"");
        match text[offset..].find(&needle) {
            Some(found) => offset += found,
            None => break,
        }
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrays_only_where_lists_belong() {
        assert!(objects_not_arrays(r#"{"to": [{"a": 1}]}"#, &["to"]).is_ok());
        assert!(objects_not_arrays("[]", &["to"]).is_err());
        let place = objects_not_arrays("{\n \"x\": {\n  \"y\": [1]\n }\n}", &["to"]).unwrap_err();
        assert_eq!(
            (place.path.as_str(), place.line, place.column),
            ("x.y", 3, 3)
        );
        assert!(objects_not_arrays(r#"{"to": [[1]]}"#, &["to"]).is_err());
    }
}

//! Reading platform JSON leniently: ids that are numbers or strings, `""`
//! and `[]` for empty objects, `"0000-00-00"` for no date, booleans written
//! as `"0"`/`"1"`. A field that cannot be read becomes `None`, never a
//! failed sync.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde_json::Value;

/// An id or code as text: `12` and `"12"` both read as "12"; 0 and "" as none.
pub fn id(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::Number(n) if n.as_i64() == Some(0) => None,
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) if s.trim().is_empty() || s == "0" => None,
        Value::String(s) => Some(s.trim().to_owned()),
        _ => None,
    }
}

/// Text, with "" read as none.
pub fn text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) if s.trim().is_empty() => None,
        Value::String(s) => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

pub fn boolean(value: Option<&Value>, default: bool) -> bool {
    match value {
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_i64() != Some(0),
        Some(Value::String(s)) => {
            matches!(s.trim().to_ascii_lowercase().as_str(), "1" | "true" | "yes")
        }
        _ => default,
    }
}

/// `YYYY-MM-DD`; `0000-00-00` and "" read as none.
pub fn date(value: Option<&Value>) -> Option<NaiveDate> {
    let text = value?.as_str()?.trim();
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// An ISO 8601 instant with its offset; "" reads as none.
pub fn instant(value: Option<&Value>) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(value?.as_str()?.trim()).ok()
}

pub fn integer(value: Option<&Value>) -> Option<i64> {
    match value? {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f.round() as i64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The records under `pointer`: an object keyed by id (QuickBooks Time's
/// shape), an array, or `[]`/`""`/absent for none.
pub fn records(body: &Value, pointer: &str) -> Vec<Value> {
    match body.pointer(pointer) {
        Some(Value::Object(map)) => map.values().cloned().collect(),
        Some(Value::Array(items)) => items.clone(),
        _ => Vec::new(),
    }
}

/// Like [`records`], but takes them out of `body` instead of copying. At the
/// root (`""`), an OData envelope (`{"value": [...]}`) is read as its array.
pub fn take_records(body: &mut Value, pointer: &str) -> Vec<Value> {
    if pointer.is_empty()
        && let Some(Value::Array(items)) = body.get_mut("value").map(Value::take)
    {
        return items;
    }
    match body.pointer_mut(pointer).map(Value::take) {
        Some(Value::Object(map)) => map.into_iter().map(|(_, v)| v).collect(),
        Some(Value::Array(items)) => items,
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_empty_date_placeholder_reads_as_no_date() {
        assert_eq!(
            date(Some(&json!("0000-00-00"))),
            None,
            "QuickBooks Time writes 0000-00-00 for no date"
        );
        assert_eq!(
            date(Some(&json!("2026-03-06"))),
            NaiveDate::from_ymd_opt(2026, 3, 6),
            "a real date reads"
        );
    }

    #[test]
    fn results_read_from_an_id_keyed_object_an_array_or_an_empty_placeholder() {
        let keyed = json!({"results": {"users": {"7": {"id": 7}, "9": {"id": 9}}}});
        let empty_array = json!({"results": {"users": []}});
        let empty_string = json!({"results": {"users": ""}});
        assert_eq!(
            records(&keyed, "/results/users").len(),
            2,
            "id-keyed objects are the documented shape"
        );
        assert!(
            records(&empty_array, "/results/users").is_empty(),
            "[] means none"
        );
        assert!(
            records(&empty_string, "/results/users").is_empty(),
            "\"\" means none"
        );
    }

    #[test]
    fn a_list_at_the_root_reads_bare_or_in_an_odata_envelope() {
        let mut bare = json!([{"ContactID": 1}, {"ContactID": 2}]);
        let mut envelope = json!({"@odata.context": "x", "value": [{"ContactID": 1}]});
        assert_eq!(
            take_records(&mut bare, "").len(),
            2,
            "a bare array is the list"
        );
        assert_eq!(
            take_records(&mut envelope, "").len(),
            1,
            "an OData envelope's value is the list, not its keys"
        );
    }

    #[test]
    fn booleans_written_as_strings_are_understood() {
        assert!(!boolean(Some(&json!("0")), true), "\"0\" is false");
        assert!(boolean(Some(&json!(true)), false), "true is true");
    }
}

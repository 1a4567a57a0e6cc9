//! Lenient readers for stored staged data: each takes whatever JSON the
//! key holds and keeps what the field can use, as the importer always did
//! (a number where text belongs reads as none, never as a failure).

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use super::PlatformField;
use crate::records::pay_ids::PayCategory;

/// Text, or none for any other JSON.
pub(super) fn text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(text) => Some(text),
        _ => None,
    })
}

/// Text, or empty for any other JSON.
pub(super) fn text_or_empty<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(text(d)?.unwrap_or_default())
}

/// A field the platform sent: its text, or none.
pub(super) fn sent_text<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<PlatformField<Option<String>>, D::Error> {
    Ok(PlatformField::Sent(text(d)?))
}

/// An id at the source, stored as text or as a number; an empty one
/// refers to nothing.
pub(super) fn external_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(id) if !id.is_empty() => Some(id),
        Value::Number(id) => Some(id.to_string()),
        _ => None,
    })
}

/// An id at the source, or empty when there is none.
pub(super) fn external_id_or_empty<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(external_id(d)?.unwrap_or_default())
}

/// A field the platform sent: the id it names, or none.
pub(super) fn sent_external_id<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<PlatformField<Option<String>>, D::Error> {
    Ok(PlatformField::Sent(external_id(d)?))
}

/// A day written `YYYY-MM-DD`, or none.
pub(super) fn date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    Ok(text(d)?.and_then(|day| day.parse().ok()))
}

/// A whole number, or none.
pub(super) fn integer<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(Value::deserialize(d)?.as_i64())
}

/// A field the platform sent as a number; anything else reads as not sent.
pub(super) fn sent_decimal<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<PlatformField<f64>, D::Error> {
    Ok(match Value::deserialize(d)?.as_f64() {
        Some(number) => PlatformField::Sent(number),
        None => PlatformField::NotOnPlatform,
    })
}

/// True unless it is `false`.
pub(super) fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(Value::deserialize(d)?.as_bool().unwrap_or(true))
}

/// A pay category by its name; Other when unknown.
pub(super) fn category<'de, D: Deserializer<'de>>(d: D) -> Result<PayCategory, D::Error> {
    Ok(text(d)?
        .and_then(|name| serde_json::from_value(Value::String(name)).ok())
        .unwrap_or(PayCategory::Other))
}

/// A missing `active`: the record is active.
pub(super) fn yes() -> bool {
    true
}

/// A missing category: Other.
pub(super) fn other() -> PayCategory {
    PayCategory::Other
}

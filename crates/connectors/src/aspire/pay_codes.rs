//! An Aspire pay code as a staged pay item. Its category comes from the
//! fields Aspire documents for it (`PayCodeModel`): `OTPaycode` (an overtime
//! code), `PremiumPercent` (its premium over the base rate, 50 for time and
//! a half), `ExcludeFromOT` (its hours stay outside the overtime rules) and
//! `PayCodeType` (flat-rate or piece work is not paid by the hour). Leave
//! (PTO, sick, holiday) has no field, so the name says it. A pay code
//! without `OTPaycode` (older accounts send `null`) is classified by its
//! name alone, as it was before these fields were read, and the log says so.

use serde_json::Value;
use timebridge_core::middleware::{Incoming, PlatformField, StagedPayItem};
use timebridge_core::records::pay_ids::PayCategory;

use crate::lenient;

/// The pay category a pay code's name says, and its multiplier.
pub(crate) fn pay_category(name: &str) -> (&'static str, f64) {
    let words: Vec<String> = name
        .to_ascii_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    let has = |w: &str| words.iter().any(|x| x == w);
    if has("double") || has("dt") {
        ("double_time", 2.0)
    } else if has("overtime") || has("ot") {
        ("overtime", 1.5)
    } else if has("sick") {
        ("sick", 1.0)
    } else if has("holiday") {
        ("holiday", 1.0)
    } else if has("pto") || has("vacation") {
        ("pto", 1.0)
    } else {
        ("regular", 1.0)
    }
}

/// Where a pay code's category was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    /// `OTPaycode`, `ExcludeFromOT`, `PayCodeType` (and the name for leave).
    Fields,
    /// The name alone: `OTPaycode` is absent.
    Name,
}

/// Whether a `PayCodeType` is work paid by the hour. Its values are not
/// published; flat-rate, piece, unit and production work are not hourly.
fn hourly(pay_code_type: &str) -> bool {
    let kind = pay_code_type.to_ascii_lowercase();
    !["flat", "piece", "unit", "production"]
        .iter()
        .any(|w| kind.contains(w))
}

/// A pay code's category and multiplier, and where they were read from.
pub(crate) fn classify(raw: &Value, name: &str) -> (&'static str, f64, Source) {
    let premium = super::decimal(raw.get("PremiumPercent")).map(|p| 1.0 + p / 100.0);
    match raw.get("OTPaycode").and_then(Value::as_bool) {
        None => {
            let (category, multiplier) = pay_category(name);
            (category, multiplier, Source::Name)
        }
        Some(true) => {
            let named = pay_category(name);
            let multiplier = premium.unwrap_or(if named.0 == "double_time" { 2.0 } else { 1.5 });
            let category = if multiplier >= 2.0 {
                "double_time"
            } else {
                "overtime"
            };
            (category, multiplier, Source::Fields)
        }
        Some(false) => {
            let multiplier = premium.unwrap_or(1.0);
            let excluded = lenient::boolean(raw.get("ExcludeFromOT"), false);
            let not_hourly = lenient::text(raw.get("PayCodeType")).is_some_and(|t| !hourly(&t));
            let category = match pay_category(name).0 {
                leave @ ("sick" | "holiday" | "pto") => leave,
                _ if excluded || not_hourly => "other",
                _ => "regular",
            };
            (category, multiplier, Source::Fields)
        }
    }
}

/// A pay code as a staged pay item: its code is the payroll system's
/// (`PayCode`), else its name.
pub fn map_pay_code(raw: &Value) -> Option<Incoming> {
    let id = lenient::id(raw.get("PayCodeID"))?;
    let name = lenient::text(raw.get("PayCodeName")).unwrap_or_else(|| format!("Pay code {id}"));
    let code = lenient::text(raw.get("PayCode")).unwrap_or_else(|| name.clone());
    let (category, multiplier, source) = classify(raw, &name);
    if source == Source::Name {
        tracing::info!(
            pay_code = %id,
            category,
            "Aspire sent no OTPaycode for this pay code; its category is read from its name"
        );
    }
    let pay_item = StagedPayItem {
        code,
        name: name.clone(),
        // Every name `classify` gives is a category's.
        category: PayCategory::parse(category).unwrap_or(PayCategory::Other),
        multiplier: PlatformField::Sent(multiplier),
        active: lenient::boolean(raw.get("Active"), true),
    };
    Some(Incoming::new(id, name, pay_item, None))
}

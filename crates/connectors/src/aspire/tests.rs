use chrono::NaiveDate;
use serde_json::json;
use timebridge_core::records::time_entries::TimeSpan;

use super::pay_codes::{Source, classify};
use super::*;

fn time(extra: Value) -> Value {
    let mut raw = json!({
        "WorkTicketTimeID": 501,
        "ContactID": 12,
        "WorkTicketID": 900,
        "WorkTicketNumber": 4410,
        "WorkTicketTimeDate": "2026-06-12T00:00:00",
        "PayCodeID": 3,
        "Hours": 8.5,
    });
    if let (Some(raw), Some(extra)) = (raw.as_object_mut(), extra.as_object()) {
        raw.extend(extra.clone());
    }
    raw
}

fn tickets() -> HashMap<String, String> {
    HashMap::from([("900".to_owned(), "77".to_owned())])
}

fn span(record: &Incoming) -> TimeSpan {
    serde_json::from_value(record.data["span"].clone()).expect("a span")
}

fn mapped(raw: &Value) -> Incoming {
    map_time(raw, &tickets(), &HashMap::new())
        .expect("readable")
        .expect("a time entry")
}

fn june_12() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 12).expect("date")
}

#[test]
fn a_time_without_an_offset_is_placed_in_its_branch_time_zone() {
    let record = mapped(&time(json!({
        "StartTime": "2026-06-12T07:00:00",
        "EndTime": "2026-06-12T15:30:00",
        "BranchTimeZone": "America/Denver",
    })));
    let TimeSpan::Clock { start, end } = span(&record) else {
        panic!("clocked times stay clocked");
    };
    assert_eq!(
        start.to_rfc3339(),
        "2026-06-12T07:00:00-06:00",
        "7:00 in Denver in June is UTC-6 (daylight time)"
    );
    assert_eq!(
        end.map(|e| e.to_rfc3339()).as_deref(),
        Some("2026-06-12T15:30:00-06:00"),
        "the end is placed in the same zone"
    );
}

#[test]
fn a_windows_zone_name_places_the_time_like_its_iana_zone() {
    let record = mapped(&time(json!({
        "StartTime": "2026-06-12T07:00:00",
        "EndTime": "2026-06-12T15:30:00",
        "BranchTimeZone": "Mountain Standard Time",
    })));
    let TimeSpan::Clock { start, .. } = span(&record) else {
        panic!("a zone .NET names is still a known zone");
    };
    assert_eq!(
        start.to_rfc3339(),
        "2026-06-12T07:00:00-06:00",
        "\"Mountain Standard Time\" is America/Denver, on daylight time in June"
    );
}

#[test]
fn a_time_whose_zone_is_unknown_keeps_its_date_and_hours_instead_of_guessing_utc() {
    let record = mapped(&time(json!({
        "StartTime": "2026-06-12T07:00:00",
        "EndTime": "2026-06-12T15:30:00",
        "BranchTimeZone": "Somewhere Local Time",
    })));
    assert_eq!(
        span(&record),
        TimeSpan::Manual {
            date: june_12(),
            duration_seconds: 30_600,
        },
        "8.5 hours on the day worked, without an invented offset"
    );
}

#[test]
fn a_break_is_taken_off_the_paid_time() {
    let record = mapped(&time(json!({
        "StartTime": "2026-06-12T07:00:00",
        "EndTime": "2026-06-12T16:00:00",
        "BreakTime": 0.5,
        "HasBreakTime": true,
        "BranchTimeZone": "America/Denver",
    })));
    assert_eq!(
        span(&record),
        TimeSpan::Manual {
            date: june_12(),
            duration_seconds: 30_600,
        },
        "07:00–16:00 with a half-hour break pays 8.5 hours, not the 9 clocked: a clocked \
         span would pay the break, so the paid duration is staged on the day"
    );
    assert_eq!(
        record.data["notes"], "Work ticket 4410 · clocked 07:00–16:00, less a 0.50 h break",
        "the clocked span and the break stay visible to the reviewer"
    );
}

#[test]
fn a_time_without_a_break_stays_clocked() {
    let record = mapped(&time(json!({
        "StartTime": "2026-06-12T07:00:00",
        "EndTime": "2026-06-12T15:30:00",
        "BreakTime": 0,
        "HasBreakTime": false,
        "BranchTimeZone": "America/Denver",
    })));
    assert_eq!(
        span(&record).duration_seconds(),
        Some(30_600),
        "no break: the clocked span is the paid time"
    );
    assert!(
        matches!(span(&record), TimeSpan::Clock { .. }),
        "and it keeps its start and end"
    );
}

#[test]
fn a_break_longer_than_the_time_or_negative_is_not_staged() {
    for (taken, why) in [
        (json!(9.5), "a 9.5-hour break inside an 8.5-hour span"),
        (json!(-0.5), "a negative break"),
    ] {
        let raw = time(json!({
            "StartTime": "2026-06-12T07:00:00",
            "EndTime": "2026-06-12T15:30:00",
            "BreakTime": taken,
            "BranchTimeZone": "America/Denver",
        }));
        assert!(
            map_time(&raw, &tickets(), &HashMap::new()).is_err(),
            "{why} cannot be paid right, so the time is skipped and counted, not guessed"
        );
    }
}

#[test]
fn a_time_belongs_to_its_work_tickets_opportunity() {
    let record = mapped(&time(json!({})));
    assert_eq!(
        record.data["job_external_id"], "77",
        "work ticket 900 is on opportunity 77, the job"
    );
    assert_eq!(
        record.data["pay_item_external_id"], "3",
        "the pay code rides along"
    );
}

#[test]
fn a_time_still_clocked_in_waits_for_its_end() {
    let raw = time(json!({
        "StartTime": "2026-06-12T07:00:00-06:00",
        "EndTime": null,
    }));
    assert_eq!(
        map_time(&raw, &tickets(), &HashMap::new()).expect("readable"),
        None,
        "a running time is staged once it has ended"
    );
}

fn properties() -> HashMap<String, Value> {
    HashMap::from([(
        "300".to_owned(),
        json!({
            "PropertyID": 300,
            "PropertyName": "Maple Court",
            "PropertyAddressLine1": "100 Main St",
            "PropertyAddressLine2": "Building B",
            "PropertyAddressCity": "Denver",
            "PropertyAddressStateProvinceCode": "CO",
            "PropertyAddressZipCode": "80202",
        }),
    )])
}

#[test]
fn a_jobs_site_and_address_are_its_propertys() {
    let record = map_opportunity(
        &json!({
            "OpportunityID": 77,
            "OpportunityName": "Maple Court maintenance",
            "OpportunityStatus": "Won",
            "PropertyID": 300,
            "PropertyName": "Maple Ct (old name)",
            "BillingAddressLine1": "PO Box 77",
            "BillingAddressCity": "Boulder",
        }),
        &properties(),
    )
    .expect("a job");
    assert_eq!(
        record.data["address"], "100 Main St, Building B, Denver, CO 80202",
        "the address is where the work is, the property's; an opportunity holds only its billing address"
    );
    assert_eq!(
        record.data["property"], "Maple Court",
        "the property's own name, not the opportunity's copy of it"
    );
}

#[test]
fn a_job_whose_property_is_not_cached_has_no_address() {
    let record = map_opportunity(
        &json!({"OpportunityID": 78, "PropertyID": 999, "PropertyName": "Cedar Ridge HOA",
                "BillingAddressLine1": "PO Box 77"}),
        &properties(),
    )
    .expect("a job");
    assert_eq!(
        (&record.data["address"], &record.data["property"]),
        (&Value::Null, &json!("Cedar Ridge HOA")),
        "no property, no address (never the billing one); the name the opportunity carries stays"
    );
}

#[test]
fn a_lost_opportunity_is_an_inactive_job() {
    let record = map_opportunity(
        &json!({
            "OpportunityID": 77,
            "OpportunityNumber": 1042,
            "OpportunityName": "Maple Court maintenance",
            "OpportunityStatus": "Lost",
        }),
        &HashMap::new(),
    )
    .expect("a job");
    assert_eq!(record.data["active"], false, "lost work is not active");
    assert_eq!(
        record.data["job_number"], "1042",
        "the number is the job number"
    );
}

fn category(raw: Value) -> (&'static str, f64, Source) {
    let name = raw["PayCodeName"].as_str().unwrap_or_default().to_owned();
    classify(&raw, &name)
}

#[test]
fn pay_codes_are_classified_by_their_documented_fields() {
    assert_eq!(
        category(
            json!({"PayCodeName": "Premium Crew Pay", "OTPaycode": true, "PremiumPercent": 50})
        ),
        ("overtime", 1.5, Source::Fields),
        "OTPaycode makes an overtime code whatever its name; 50% over base is 1.5×"
    );
    assert_eq!(
        category(json!({"PayCodeName": "Sunday", "OTPaycode": true, "PremiumPercent": 100})),
        ("double_time", 2.0, Source::Fields),
        "an overtime code paid 100% over base is double time"
    );
    assert_eq!(
        category(
            json!({"PayCodeName": "OT Shop Hours", "OTPaycode": false, "ExcludeFromOT": false})
        ),
        ("regular", 1.0, Source::Fields),
        "a name saying OT does not make overtime when OTPaycode says it is not"
    );
    assert_eq!(
        category(json!({"PayCodeName": "Travel", "OTPaycode": false, "ExcludeFromOT": true})),
        ("other", 1.0, Source::Fields),
        "hours excluded from overtime are paid as entered, outside the overtime rules"
    );
    assert_eq!(
        category(
            json!({"PayCodeName": "Mulch install", "OTPaycode": false, "PayCodeType": "Flat Rate"})
        ),
        ("other", 1.0, Source::Fields),
        "flat-rate work is not hours to run overtime rules on"
    );
    assert_eq!(
        category(json!({"PayCodeName": "Vacation", "OTPaycode": false, "ExcludeFromOT": true})),
        ("pto", 1.0, Source::Fields),
        "leave has no field of its own: the name says vacation"
    );
}

#[test]
fn a_pay_code_without_otpaycode_falls_back_to_its_name() {
    assert_eq!(
        category(json!({"PayCodeName": "Double Time", "OTPaycode": null})),
        ("double_time", 2.0, Source::Name),
        "no OTPaycode: the name is all there is, and the source says so"
    );
    assert_eq!(
        pay_category("Dotted Route"),
        ("regular", 1.0),
        "a word merely containing \"dt\" or \"ot\" is not overtime"
    );
}

#[test]
fn a_pay_items_code_is_the_payroll_systems_code() {
    let record = map_pay_code(&json!({
        "PayCodeID": 2, "PayCodeName": "Hourly Overtime", "PayCode": "OT1",
        "OTPaycode": true, "PremiumPercent": 50, "Active": true,
    }))
    .expect("a pay item");
    assert_eq!(
        (
            &record.data["code"],
            &record.data["name"],
            &record.data["category"]
        ),
        (&json!("OT1"), &json!("Hourly Overtime"), &json!("overtime")),
        "PayCode is the code the payroll system knows; the name stays the name"
    );
}

#[test]
fn the_account_is_named_by_its_branches() {
    assert_eq!(
        Aspire.account_label(&json!([{"BranchName": "Denver"}, {"BranchName": "Boulder"}])),
        "Aspire · Denver and 1 more branches",
        "the first branch and how many more"
    );
}

#[test]
fn every_stream_orders_its_pages_by_its_record_key() {
    for stream in Aspire.streams() {
        assert!(
            stream
                .params
                .iter()
                .any(|(k, v)| *k == "$orderby" && *v == stream.record_key),
            "{} pages by number, which is stable only when ordered by its key",
            stream.name
        );
    }
}

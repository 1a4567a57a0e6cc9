use chrono::NaiveDate;
use serde_json::json;

use super::*;

/// Line `line_no` of publication 42: Ana Li, 3 November 2026, 8.5 hours
/// on Lakeside Builders:Deck, referred to by ListID.
pub(crate) fn sample_line(line_no: i64) -> TimeLine {
    TimeLine {
        marker: Marker {
            publication_id: 42,
            line_no,
        },
        date: NaiveDate::from_ymd_opt(2026, 11, 3).expect("a date"),
        employee: ListRef::by_id("80000001-1700000001", "Ana Li"),
        customer_job: Some(ListRef::by_id(
            "80000010-1700000010",
            "Lakeside Builders:Deck",
        )),
        service_item: Some(ListRef::by_id("80000020-1700000020", "Framing")),
        seconds: 8 * 3600 + 30 * 60,
        class: None,
        wage_item: Some(ListRef::by_id("80000030-1700000030", "Regular Pay")),
        notes: Some("North yard".to_owned()),
        billable: None,
        earlier: None,
    }
}

/// `line` as QuickBooks holds it once added as `txn_id`.
pub(crate) fn held(line: &TimeLine, txn_id: &str) -> TimeTracking {
    line.as_added(TxnRef {
        txn_id: txn_id.to_owned(),
        edit_sequence: "1700000100".to_owned(),
    })
}

#[test]
fn whole_minutes_are_written_without_seconds_and_other_seconds_with_them() {
    assert_eq!(
        duration(8 * 3600 + 30 * 60),
        "PT8H30M",
        "as Intuit's samples"
    );
    assert_eq!(
        duration(8 * 3600 + 30 * 60 + 15),
        "PT8H30M15S",
        "seconds that are not whole minutes are kept, not rounded"
    );
    assert_eq!(duration(45 * 60), "PT0H45M", "under an hour");
    assert_eq!(duration(-90 * 60), "-PT1H30M", "the schema's sign");
}

#[test]
fn durations_quickbooks_gives_are_read_in_seconds() {
    assert_eq!(parse_duration("PT8H30M0S"), Some(30600), "QuickBooks' form");
    assert_eq!(parse_duration("PT45M"), Some(2700), "minutes alone");
    assert_eq!(parse_duration("PT1H0M15S"), Some(3615));
    assert_eq!(
        parse_duration(&duration(12_345)),
        Some(12_345),
        "what Timebridge writes reads back unchanged"
    );
    assert_eq!(parse_duration("8:30"), None, "not a TIMEINTERVALTYPE");
    assert_eq!(parse_duration("PT"), None, "no part at all");
    assert_eq!(parse_duration("PT8H30"), None, "a number without its unit");
}

#[test]
fn the_marker_follows_the_admins_notes_and_is_read_back() {
    let marker = Marker {
        publication_id: 42,
        line_no: 7,
    };
    let notes = notes_with_marker(Some("North yard"), marker);
    assert_eq!(notes, "North yard [TB:42-7]", "the admin's words first");
    assert_eq!(Marker::find(&notes), Some(marker), "read back from Notes");
    assert_eq!(
        notes_with_marker(None, marker),
        "[TB:42-7]",
        "no notes: the marker alone"
    );
}

#[test]
fn an_old_marker_in_the_notes_is_replaced_not_kept_beside_the_new_one() {
    let notes = notes_with_marker(
        Some("Deck [TB:41-3] north"),
        Marker {
            publication_id: 42,
            line_no: 7,
        },
    );
    assert_eq!(notes, "Deck  north [TB:42-7]", "one marker, the line's own");
    assert_eq!(
        Marker::find("[TB:x-1] text"),
        None,
        "a marker must be numbers"
    );
}

#[test]
fn long_notes_are_cut_so_that_the_marker_fits_the_schemas_limit() {
    let marker = Marker {
        publication_id: i64::MAX,
        line_no: i64::MAX,
    };
    let notes = notes_with_marker(Some(&"é".repeat(5000)), marker);
    assert_eq!(
        notes.chars().count(),
        NOTES_MAX,
        "Notes is at most 4095 characters, counted as characters"
    );
    assert_eq!(Marker::find(&notes), Some(marker), "the marker survives");
}

#[test]
fn characters_xml_cannot_hold_are_dropped_from_notes() {
    assert_eq!(
        admin_notes("a\u{1}b\tc\nd"),
        "ab\tc\nd",
        "a control character would make the document unreadable to QuickBooks"
    );
}

#[test]
fn a_time_tracking_ret_is_read_with_its_marker() {
    let raw = json!({
        "TxnID": "1A2B-1700000200",
        "EditSequence": "1700000201",
        "TxnDate": "2026-11-03",
        "EntityRef": {"ListID": "80000001-1700000001", "FullName": "Ana Li"},
        "CustomerRef": {"FullName": "Lakeside Builders:Deck"},
        "Duration": "PT8H30M0S",
        "Notes": "North yard [TB:42-7]",
        "BillableStatus": "NotBillable"
    });
    let txn = TimeTracking::from_json(&raw).expect("it has a TxnID");
    assert_eq!(txn.seconds, Some(30600), "8.5 hours");
    assert_eq!(
        txn.marker(),
        Some(Marker {
            publication_id: 42,
            line_no: 7
        }),
        "the publication line it came from"
    );
    assert_eq!(
        txn.customer_job.as_ref().map(|c| c.list_id.is_none()),
        Some(true),
        "a reference by name alone is kept"
    );
    assert_eq!(txn.billable, Some(Billable::NotBillable));
    assert!(
        TimeTracking::from_json(&json!({"TxnDate": "2026-11-03"})).is_none(),
        "no TxnID, no transaction"
    );
}

#[test]
fn a_line_names_its_employee_day_job_and_hours() {
    assert_eq!(
        sample_line(1).describe(),
        "Ana Li, 2026-11-03, Lakeside Builders:Deck, 8.50 h"
    );
}

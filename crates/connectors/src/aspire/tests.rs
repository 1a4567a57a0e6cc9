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

#[test]
fn a_time_without_an_offset_is_placed_in_its_branch_time_zone() {
    let raw = time(json!({
        "StartTime": "2026-06-12T07:00:00",
        "EndTime": "2026-06-12T15:30:00",
        "BranchTimeZone": "America/Denver",
    }));
    let record = map_time(&raw, &tickets(), &HashMap::new())
        .expect("readable")
        .expect("a time entry");
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
fn a_time_whose_zone_is_unknown_keeps_its_date_and_hours_instead_of_guessing_utc() {
    let raw = time(json!({
        "StartTime": "2026-06-12T07:00:00",
        "EndTime": "2026-06-12T15:30:00",
        "BranchTimeZone": "Mountain Standard Time",
    }));
    let record = map_time(&raw, &tickets(), &HashMap::new())
        .expect("readable")
        .expect("a time entry");
    assert_eq!(
        span(&record),
        TimeSpan::Manual {
            date: NaiveDate::from_ymd_opt(2026, 6, 12).expect("date"),
            duration_seconds: 30_600,
        },
        "8.5 hours on the day worked, without an invented offset"
    );
}

#[test]
fn a_time_belongs_to_its_work_tickets_opportunity() {
    let record = map_time(&time(json!({})), &tickets(), &HashMap::new())
        .expect("readable")
        .expect("a time entry");
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

#[test]
fn a_lost_opportunity_is_an_inactive_job() {
    let record = map_opportunity(&json!({
        "OpportunityID": 77,
        "OpportunityNumber": 1042,
        "OpportunityName": "Maple Court maintenance",
        "OpportunityStatus": "Lost",
    }))
    .expect("a job");
    assert_eq!(record.data["active"], false, "lost work is not active");
    assert_eq!(
        record.data["job_number"], "1042",
        "the number is the job number"
    );
}

#[test]
fn pay_code_names_say_their_category() {
    assert_eq!(
        pay_category("Overtime"),
        ("overtime", 1.5),
        "overtime is 1.5×"
    );
    assert_eq!(
        pay_category("Double Time"),
        ("double_time", 2.0),
        "double is 2×"
    );
    assert_eq!(pay_category("Holiday Pay"), ("holiday", 1.0), "holiday");
    assert_eq!(
        pay_category("Dotted Route"),
        ("regular", 1.0),
        "a word merely containing \"dt\" or \"ot\" is not overtime"
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

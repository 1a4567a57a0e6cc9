use chrono::DateTime;
use serde_json::json;

use super::*;

fn day(text: &str) -> NaiveDate {
    text.parse().expect("a date")
}

fn clocked() -> TimeSpan {
    TimeSpan::Clock {
        start: DateTime::parse_from_rfc3339("2026-11-02T07:00:00-06:00").expect("an instant"),
        end: Some(DateTime::parse_from_rfc3339("2026-11-02T15:30:00-06:00").expect("an instant")),
    }
}

fn by_hand() -> TimeSpan {
    TimeSpan::Manual {
        date: day("2026-11-03"),
        duration_seconds: 28_800,
    }
}

/// A payload of `module` with every field filled, each platform field
/// sent; time entries once clocked and once entered by hand.
fn full(module: Module) -> Vec<StagedPayload> {
    let some = |text: &str| Some(text.to_owned());
    let entry = |span: TimeSpan| StagedTimeEntry {
        employee_external_id: "1".into(),
        job_external_id: some("11"),
        task_external_id: some("12"),
        pay_item_external_id: some("30"),
        span,
        notes: "east wall".into(),
    };
    match module {
        Module::Employees => vec![
            StagedEmployee {
                first_name: "Rosa".into(),
                last_name: "Diaz".into(),
                employee_number: some("E-7"),
                email: some("rosa@example.com"),
                phone: some("555-0100"),
                hire_date: Some(day("2024-03-01")),
                payroll_id: PlatformField::Sent(some("P-7")),
                active: true,
                wages: Vec::new(),
            }
            .into(),
        ],
        Module::Customers => vec![
            StagedCustomer {
                name: "Harbor Homes".into(),
                email: PlatformField::Sent(some("office@harbor.example")),
                phone: PlatformField::Sent(some("555-0300")),
                active: true,
            }
            .into(),
        ],
        Module::Jobs => vec![
            StagedJob {
                name: "Deck".into(),
                customer_external_id: some("c1"),
                job_number: some("J-100"),
                address: PlatformField::Sent(some("1 Harbor Way, Portland, OR")),
                property: PlatformField::Sent(some("Maple Court")),
                status: PlatformField::Sent(some("InProgress")),
                active: true,
            }
            .into(),
        ],
        Module::Tasks => vec![
            StagedTask {
                code: "02-200".into(),
                name: "Framing".into(),
                job_external_id: some("j1"),
                pay_item_external_id: PlatformField::Sent(some("p1")),
                active: true,
            }
            .into(),
        ],
        Module::TimeEntries => vec![entry(clocked()).into(), entry(by_hand()).into()],
        Module::Budgets => vec![
            StagedBudget {
                job_external_id: some("11"),
                task_external_id: some("12"),
                budget_seconds: Some(5_400),
                amount_cents: Some(120_000),
                notes: "Main St project".into(),
            }
            .into(),
        ],
        Module::PayItems => vec![
            StagedPayItem {
                code: "OT".into(),
                name: "Overtime".into(),
                category: PayCategory::Overtime,
                multiplier: PlatformField::Sent(1.5),
                active: true,
            }
            .into(),
        ],
    }
}

#[test]
fn every_payload_reads_back_as_it_was_staged() {
    for module in Module::ALL {
        for payload in full(module) {
            assert_eq!(
                StagedPayload::read(module, &payload.to_data()).expect("readable"),
                payload,
                "the importer reads back every field a connector staged ({module:?})"
            );
        }
    }
}

#[test]
fn a_field_the_platform_lacks_is_left_out_and_an_empty_one_is_null() {
    let mut customer = StagedCustomer {
        name: "Harbor Homes".into(),
        email: PlatformField::NotOnPlatform,
        phone: PlatformField::Sent(None),
        active: true,
    };
    assert_eq!(
        StagedPayload::from(customer.clone()).to_data(),
        json!({"name": "Harbor Homes", "phone": null, "active": true}),
        "absent and null checksum differently: a platform without e-mail stores no key"
    );
    customer.phone = PlatformField::NotOnPlatform;
    assert_eq!(
        StagedPayload::read(
            Module::Customers,
            &json!({"name": "Harbor Homes", "active": true})
        )
        .expect("readable"),
        customer.into(),
        "a missing key reads back as not on the platform"
    );
}

#[test]
fn a_multiplier_of_one_is_stored_as_a_float() {
    let pay_item = StagedPayload::from(StagedPayItem {
        code: "REG".into(),
        name: "Regular".into(),
        category: PayCategory::Regular,
        multiplier: PlatformField::Sent(1.0),
        active: true,
    });
    assert_eq!(
        pay_item.to_data().to_string(),
        r#"{"active":true,"category":"regular","code":"REG","multiplier":1.0,"name":"Regular"}"#,
        "1.0, not 1: the checksums stored by every sync so far hash the float"
    );
}

#[test]
fn stored_data_reads_leniently_as_the_importer_always_did() {
    let task = StagedPayload::read(
        Module::Tasks,
        &json!({"code": 7, "name": "Framing", "job_external_id": 11, "active": "no"}),
    )
    .expect("readable");
    assert_eq!(
        task,
        StagedTask {
            code: String::new(),
            name: "Framing".into(),
            job_external_id: Some("11".into()),
            pay_item_external_id: PlatformField::NotOnPlatform,
            active: true,
        }
        .into(),
        "a number where text belongs reads as none, a numeric id as its digits, a non-boolean active as active"
    );
}

#[test]
fn a_pay_item_of_unknown_category_reads_as_other_at_one_times() {
    let StagedPayload::PayItem(pay_item) =
        StagedPayload::read(Module::PayItems, &json!({"code": "X", "category": "bonus"}))
            .expect("readable")
    else {
        panic!("a pay item");
    };
    assert_eq!(
        (pay_item.category, pay_item.multiplier),
        (PayCategory::Other, PlatformField::NotOnPlatform),
        "an unknown category is Other; a missing multiplier is not sent (the importer takes 1.0)"
    );
}

#[test]
fn a_time_entry_without_a_readable_span_cannot_be_read() {
    assert!(
        StagedPayload::read(Module::TimeEntries, &json!({"employee_external_id": "1"})).is_err(),
        "without its span a time entry has no hours: the importer skips it"
    );
}

#[test]
fn inactive_means_active_false_and_time_is_always_active() {
    let inactive = |module| {
        !StagedPayload::read(module, &json!({"active": false, "span": by_hand()}))
            .expect("readable")
            .is_active()
    };
    assert_eq!(
        Module::ALL.map(inactive),
        [true, true, true, true, false, false, true],
        "employees, customers, jobs, tasks and pay items carry active; time entries and budgets have none"
    );
}

#[test]
fn each_payload_is_staged_in_its_module() {
    for module in Module::ALL {
        for payload in full(module) {
            assert_eq!(payload.module(), module, "the payload knows its module");
        }
    }
}

/// The paths `json_extract(…data, '$.a.b')` names in `sql`.
fn json_paths(sql: &str) -> Vec<String> {
    sql.split("'$.")
        .skip(1)
        .filter_map(|rest| rest.split_once('\''))
        .map(|(path, _)| path.to_owned())
        .collect()
}

/// Whether `path` names a field of one of `module`'s full payloads.
fn is_field(module: Module, path: &str) -> bool {
    full(module).iter().any(|payload| {
        let data = payload.to_data();
        path.split('.')
            .try_fold(&data, |value, key| value.get(key))
            .is_some()
    })
}

#[test]
fn every_key_the_staged_lists_sort_by_is_a_field_of_its_module() {
    for module in Module::ALL {
        for second in [false, true] {
            for path in json_paths(crate::middleware::staged::key_field(module, second)) {
                assert!(
                    is_field(module, &path),
                    "{module:?} sorts by `{path}`, which its payload no longer has: renaming a field breaks the list's sort"
                );
            }
        }
    }
}

#[test]
fn every_key_the_unimported_time_sql_reads_is_a_time_entry_field() {
    let paths = json_paths(include_str!("../staged_time.rs"));
    assert!(!paths.is_empty(), "the SQL names the span and the employee");
    for path in paths {
        assert!(
            is_field(Module::TimeEntries, &path),
            "the unimported-time SQL reads `{path}`, which a time entry no longer has"
        );
    }
}

#[test]
fn the_stored_text_is_the_json_values_text_written_directly() {
    let mut payloads: Vec<StagedPayload> = Module::ALL.into_iter().flat_map(full).collect();
    payloads.push(
        StagedEmployee {
            first_name: "José \"Pepe\"".into(),
            last_name: String::new(),
            employee_number: None,
            email: None,
            phone: None,
            hire_date: None,
            payroll_id: PlatformField::NotOnPlatform,
            active: false,
            wages: vec![StagedWage {
                from: day("2025-01-01"),
                amount: "23.50".into(),
                per: WagePeriod::Hour,
            }],
        }
        .into(),
    );
    payloads.push(
        StagedPayItem {
            code: "REG".into(),
            name: "Regular".into(),
            category: PayCategory::Regular,
            multiplier: PlatformField::NotOnPlatform,
            active: true,
        }
        .into(),
    );
    for payload in payloads {
        assert_eq!(
            super::super::canonical::text(&payload),
            Some(payload.to_data().to_string()),
            "written directly, byte for byte ({:?})",
            payload.module()
        );
    }
}

//! Payroll out: pay item mapping, problems, payroll files (against golden
//! files, and an IIF file read back) and the publication bookkeeping.
//!
//! The company: Marcus Bell (E100) works 10 hours on Monday 2 November
//! 2026 at Riverside Health:Clinic Expansion (job 26-014), task 03-300
//! Concrete: 8 regular and 2 daily overtime. Rosa Díaz (E101) works 4
//! hours on Tuesday at the Shop (26-001), and has 8 hours entered on
//! Wednesday under the company-wide task HOL Holiday, which names the HOL
//! pay ID.

use crate::common;

use std::path::PathBuf;

use chrono::{Duration, NaiveDate};
use timebridge_core::Store;
use timebridge_core::payroll::files::{self, FileSettings, NameOrder, SageColumn};
use timebridge_core::payroll::lines::{self, ProblemKind, Severity};
use timebridge_core::payroll::publish::{self, LineResult, PublicationKind};
use timebridge_core::payroll::settings::{
    self, OvernightRule, OvertimePolicy, PayFrequency, PayrollSettings, WeekStart,
};
use timebridge_core::payroll::targets::{
    self, FileFormat, MatchBasis, MatchKind, PayItemMap, Target, TargetItem,
};
use timebridge_core::payroll::{self, HoursReport};
use timebridge_core::records::customers::{self, CustomerDraft};
use timebridge_core::records::jobs::{self, JobDraft};
use timebridge_core::records::tasks::{self, TaskDraft};
use timebridge_core::records::time_entries::{self, TimeEntryDraft, TimeSpan};
use timebridge_core::records::{NewRecordSource, employees};

const H: i64 = 3600;

pub(crate) struct Company {
    pub(crate) t: common::TestStore,
    pub(crate) marcus: i64,
    pub(crate) rosa: i64,
    pub(crate) clinic: i64,
    pub(crate) concrete: i64,
    pub(crate) marcus_monday: i64,
    pub(crate) pay: std::collections::HashMap<String, i64>,
}

pub(crate) fn monday() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 2).expect("a date")
}

pub(crate) fn company() -> Company {
    let t = common::store();
    let s = &t.store;
    let (admin, now) = (common::admin(), common::now());
    let pay: std::collections::HashMap<String, i64> = s
        .read(|c| {
            let mut st = c.prepare("SELECT code, id FROM pay_ids")?;
            let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
        .expect("pay IDs");
    s.write(|tx| {
        settings::save(
            tx,
            &PayrollSettings {
                time_zone: "America/Chicago".into(),
                week_start: WeekStart::Monday,
                frequency: PayFrequency::Weekly,
                anchor: monday(),
                overtime: OvertimePolicy {
                    daily_after_seconds: Some(8 * H),
                    ..OvertimePolicy::default()
                },
                overnight: OvernightRule::SplitAtMidnight,
                leave_out_open_entries: true,
            },
            &admin,
            now,
        )
    })
    .expect("settings save");
    let marcus = common::employee(s, "Marcus", "Bell", Some("E100")).id;
    let rosa = common::employee(s, "Rosa", "Díaz", Some("E101")).id;
    let (clinic, shop, concrete, holiday) = s
        .write(|tx| {
            let manual = NewRecordSource::Manual;
            let customer = customers::create(
                tx,
                &CustomerDraft {
                    name: "Riverside Health".into(),
                    ..Default::default()
                },
                &manual,
                &admin,
                now,
            )?;
            let clinic = jobs::create(
                tx,
                &JobDraft {
                    customer_id: Some(customer.id),
                    name: "Clinic Expansion".into(),
                    job_number: Some("26-014".into()),
                    address: None,
                },
                &manual,
                &admin,
                now,
            )?;
            let shop = jobs::create(
                tx,
                &JobDraft {
                    name: "Shop".into(),
                    job_number: Some("26-001".into()),
                    ..Default::default()
                },
                &manual,
                &admin,
                now,
            )?;
            let concrete = tasks::create(
                tx,
                &TaskDraft {
                    job_id: Some(clinic.id),
                    code: "03-300".into(),
                    name: "Concrete".into(),
                    pay_id: None,
                },
                &manual,
                &admin,
                now,
            )?;
            let holiday = tasks::create(
                tx,
                &TaskDraft {
                    job_id: None,
                    code: "HOL".into(),
                    name: "Holiday".into(),
                    pay_id: Some(pay["HOL"]),
                },
                &manual,
                &admin,
                now,
            )?;
            Ok((clinic.id, shop.id, concrete.id, holiday.id))
        })
        .expect("jobs and tasks");
    let entry = |employee_id, job_id, task_id, span| {
        s.write(|tx| {
            time_entries::create(
                tx,
                &TimeEntryDraft {
                    employee_id,
                    job_id,
                    task_id,
                    pay_id: None,
                    span,
                    notes: String::new(),
                },
                &NewRecordSource::Manual,
                &admin,
                now,
            )
        })
        .expect("an entry")
        .id
    };
    let marcus_monday = entry(
        marcus,
        Some(clinic),
        Some(concrete),
        TimeSpan::Clock {
            start: common::central(7, 0),
            end: Some(common::central(17, 0)),
        },
    );
    entry(
        rosa,
        Some(shop),
        None,
        TimeSpan::Clock {
            start: common::central(8, 0) + Duration::days(1),
            end: Some(common::central(12, 0) + Duration::days(1)),
        },
    );
    entry(
        rosa,
        None,
        Some(holiday),
        TimeSpan::Manual {
            date: monday() + Duration::days(2),
            duration_seconds: 8 * H,
        },
    );
    Company {
        t,
        marcus,
        rosa,
        clinic,
        concrete,
        marcus_monday,
        pay,
    }
}

fn report(s: &Store) -> HoursReport {
    s.read(|c| payroll::hours_for_day(c, Some(monday()), common::now()))
        .expect("the hours compute")
}

pub(crate) fn map(s: &Store, target: Target, pay_id: i64, employee_id: Option<i64>, item: &str) {
    s.write(|tx| {
        targets::set_pay_item(
            tx,
            target,
            &PayItemMap {
                pay_id,
                employee_id,
                item: item.into(),
                item_external_id: None,
            },
            &common::admin(),
            common::now(),
        )
    })
    .expect("the mapping saves");
}

pub(crate) fn file_settings() -> FileSettings {
    let mut settings = FileSettings::default();
    settings.iif.company_name = "Bell Construction LLC".into();
    settings.iif.company_create_time = "1132784478".into();
    settings.iif.employee_names = NameOrder::LastFirst;
    settings.sage300_cre.time_entry_view = vec![
        SageColumn::Date,
        SageColumn::Employee,
        SageColumn::Job,
        SageColumn::Extra,
        SageColumn::CostCode,
        SageColumn::Fixed { value: "N".into() },
        SageColumn::PayId,
        SageColumn::Units,
        SageColumn::Rate,
        SageColumn::PeriodEnd,
    ];
    settings
}

pub(crate) fn save_file_settings(s: &Store, settings: &FileSettings) {
    s.write(|tx| files::save(tx, settings, &common::admin(), common::now()))
        .expect("file settings save");
}

pub(crate) fn export(s: &Store, format: FileFormat) -> timebridge_core::Result<files::PayrollFile> {
    s.read(|c| payroll::export(c, Some(monday()), format, common::now()))
}

/// Compares with `tests/golden/NAME`; `UPDATE_GOLDEN=1` rewrites it.
fn golden(name: &str, bytes: &[u8]) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, bytes).expect("the golden file is written");
    }
    let expected = std::fs::read(&path).expect("the golden file exists");
    assert!(
        expected == bytes,
        "{name} differs from its golden file:\n--- expected\n{}\n--- got\n{}",
        String::from_utf8_lossy(&expected),
        String::from_utf8_lossy(bytes)
    );
}

fn iif_company() -> Company {
    let c = company();
    let target = Target::File {
        format: FileFormat::Iif,
    };
    map(&c.t.store, target, c.pay["REG"], None, "Hourly Rate");
    map(&c.t.store, target, c.pay["OT"], None, "Overtime Rate");
    map(&c.t.store, target, c.pay["HOL"], None, "Holiday Hourly");
    save_file_settings(&c.t.store, &file_settings());
    c
}

#[test]
fn a_tasks_pay_id_pays_its_time_unless_the_entry_names_one() {
    let c = company();
    let report = report(&c.t.store);
    let rosa = report
        .employees
        .iter()
        .find(|e| e.employee_id == c.rosa)
        .expect("Rosa has hours");
    let holiday: i64 = rosa
        .hours
        .totals
        .iter()
        .filter(|t| t.pay_id == c.pay["HOL"])
        .map(|t| t.seconds)
        .sum();
    assert_eq!(
        holiday,
        8 * H,
        "the Holiday task names HOL, so its 8 hours are holiday pay"
    );
}

#[test]
fn the_csv_file_matches_its_golden_file() {
    let c = company();
    map(
        &c.t.store,
        Target::File {
            format: FileFormat::Csv,
        },
        c.pay["OT"],
        None,
        "Overtime 1.5x",
    );
    let file = export(&c.t.store, FileFormat::Csv).expect("the CSV is written");
    golden("payroll.csv", &file.bytes);
}

#[test]
fn the_iif_file_matches_its_golden_file() {
    let c = iif_company();
    let file = export(&c.t.store, FileFormat::Iif).expect("the IIF file is written");
    golden("payroll.iif", &file.bytes);
}

#[test]
fn the_sage_import_time_file_matches_its_golden_file() {
    let c = company();
    save_file_settings(&c.t.store, &file_settings());
    let file = export(&c.t.store, FileFormat::Sage300Cre).expect("the Sage file is written");
    golden("payroll-sage300cre.txt", &file.bytes);
}

#[test]
fn an_iif_file_reads_back_into_the_same_lines() {
    let c = iif_company();
    let file = export(&c.t.store, FileFormat::Iif).expect("the IIF file is written");
    let parsed = files::parse_iif(&file.bytes).expect("the file parses");
    let prepared =
        c.t.store
            .read(|conn| {
                lines::prepare(
                    conn,
                    &report(&c.t.store),
                    Target::File {
                        format: FileFormat::Iif,
                    },
                )
            })
            .expect("lines");
    assert_eq!(parsed.company_name, "Bell Construction LLC");
    assert_eq!(parsed.company_create_time, "1132784478");
    let expected: Vec<(NaiveDate, String, String, String, String, i64)> = prepared
        .lines
        .iter()
        .map(|l| {
            (
                l.date,
                l.customer_job().unwrap_or_default(),
                files::iif_employee_name(NameOrder::LastFirst, l),
                l.task.clone().unwrap_or_default(),
                l.item.clone().expect("mapped"),
                l.seconds / 60,
            )
        })
        .collect();
    let read: Vec<(NaiveDate, String, String, String, String, i64)> = parsed
        .activities
        .iter()
        .map(|a| {
            (
                a.date,
                a.job.clone(),
                a.employee.clone(),
                a.item.clone(),
                a.payroll_item.clone(),
                a.minutes,
            )
        })
        .collect();
    assert_eq!(
        read, expected,
        "every line comes back with its date, job, employee (with its accent), item and duration"
    );
}

#[test]
fn a_line_over_23_hours_59_is_split_across_iif_rows() {
    let c = iif_company();
    // Two holiday entries on one day, job and task make one 30-hour line.
    for hours in [20, 10] {
        c.t.store
            .write(|tx| {
                time_entries::create(
                    tx,
                    &TimeEntryDraft {
                        employee_id: c.marcus,
                        job_id: Some(c.clinic),
                        task_id: Some(c.concrete),
                        pay_id: Some(c.pay["HOL"]),
                        span: TimeSpan::Manual {
                            date: monday() + Duration::days(3),
                            duration_seconds: hours * H,
                        },
                        notes: String::new(),
                    },
                    &NewRecordSource::Manual,
                    &common::admin(),
                    common::now(),
                )
            })
            .expect("an entry");
    }
    let file = export(&c.t.store, FileFormat::Iif).expect("the IIF file is written");
    let parsed = files::parse_iif(&file.bytes).expect("the file parses");
    let thursday: Vec<i64> = parsed
        .activities
        .iter()
        .filter(|a| a.date == monday() + Duration::days(3))
        .map(|a| a.minutes)
        .collect();
    assert_eq!(
        thursday,
        vec![23 * 60 + 59, 6 * 60 + 1],
        "QuickBooks takes at most 23:59 a row, so 30 hours go on two rows"
    );
}

#[test]
fn an_iif_file_without_the_company_name_is_refused_before_writing() {
    let c = iif_company();
    let mut settings = file_settings();
    settings.iif.company_name = "  ".into();
    save_file_settings(&c.t.store, &settings);
    let error = export(&c.t.store, FileFormat::Iif).expect_err("no company name is refused");
    assert_eq!(
        common::problem_fields(&error),
        vec!["iif.company_name"],
        "the refusal names the missing company name"
    );
}

#[test]
fn a_sage_file_with_an_empty_time_entry_view_is_refused_before_writing() {
    let c = company();
    let mut settings = file_settings();
    settings.sage300_cre.time_entry_view.clear();
    save_file_settings(&c.t.store, &settings);
    let error = export(&c.t.store, FileFormat::Sage300Cre).expect_err("an empty view is refused");
    assert_eq!(
        common::problem_fields(&error),
        vec!["sage300_cre.time_entry_view"]
    );
}

#[test]
fn an_unmapped_pay_id_blocks_the_iif_file_and_names_the_pay_id() {
    let c = company();
    save_file_settings(&c.t.store, &file_settings());
    let target = Target::File {
        format: FileFormat::Iif,
    };
    map(&c.t.store, target, c.pay["REG"], None, "Hourly Rate");
    map(&c.t.store, target, c.pay["HOL"], None, "Holiday Hourly");
    let error = export(&c.t.store, FileFormat::Iif).expect_err("OT is not mapped");
    assert!(
        error.to_string().contains("OT (Overtime) is not mapped"),
        "the refusal names the unmapped pay ID: {error}"
    );
}

#[test]
fn an_employee_without_a_number_blocks_the_sage_file() {
    let c = company();
    save_file_settings(&c.t.store, &file_settings());
    c.t.store
        .write(|tx| {
            let mut draft = employees::get(tx, c.rosa)?.draft();
            draft.employee_number = None;
            employees::update(tx, c.rosa, &draft, &common::admin(), common::now())
        })
        .expect("Rosa loses her number");
    let prepared =
        c.t.store
            .read(|conn| {
                lines::prepare(
                    conn,
                    &report(&c.t.store),
                    Target::File {
                        format: FileFormat::Sage300Cre,
                    },
                )
            })
            .expect("lines");
    let blocking: Vec<(ProblemKind, Option<i64>)> = prepared
        .blocking()
        .map(|p| (p.kind, p.employee_id))
        .collect();
    assert_eq!(
        blocking,
        vec![(ProblemKind::EmployeeNumberMissing, Some(c.rosa))],
        "Sage 300 CRE files name employees by number"
    );
}

#[test]
fn a_per_employee_override_wins_over_the_company_mapping() {
    let c = iif_company();
    let target = Target::File {
        format: FileFormat::Iif,
    };
    map(
        &c.t.store,
        target,
        c.pay["REG"],
        Some(c.marcus),
        "Foreman Rate",
    );
    let prepared =
        c.t.store
            .read(|conn| lines::prepare(conn, &report(&c.t.store), target))
            .expect("lines");
    let items: Vec<(i64, Option<String>)> = prepared
        .lines
        .iter()
        .filter(|l| l.pay_id == c.pay["REG"])
        .map(|l| (l.employee_id, l.item.clone()))
        .collect();
    assert_eq!(
        items,
        vec![
            (c.marcus, Some("Foreman Rate".into())),
            (c.rosa, Some("Hourly Rate".into()))
        ]
    );
}

#[test]
fn a_typed_item_longer_than_quickbooks_takes_is_refused() {
    let c = company();
    let error =
        c.t.store
            .write(|tx| {
                targets::set_pay_item(
                    tx,
                    Target::File {
                        format: FileFormat::Iif,
                    },
                    &PayItemMap {
                        pay_id: c.pay["REG"],
                        employee_id: None,
                        item: "Hourly Rate for Journeyman Carpenters".into(),
                        item_external_id: None,
                    },
                    &common::admin(),
                    common::now(),
                )
            })
            .expect_err("37 characters are more than 31");
    assert_eq!(common::problem_fields(&error), vec!["item"]);
}

/// A second company's records, as a sync from integration `target` staged them.
fn stage(s: &Store, target: i64, module: &str, external_id: &str, data: serde_json::Value) {
    s.write(|tx| {
        tx.execute(
            "INSERT INTO staged_records (integration_id, module, external_id, data, checksum, status, label, changed_at)
             VALUES (?1, ?2, ?3, ?4, 'x', 'new', ?5, '2026-11-01T00:00:00.000Z')",
            rusqlite::params![target, module, external_id, data.to_string(), data["name"].as_str().unwrap_or_default()],
        )?;
        Ok(())
    })
    .expect("staged");
}

#[test]
fn matches_are_suggested_by_number_then_name_and_remembered_once_confirmed() {
    let c = company();
    let target = common::integration(&c.t.store, "Payroll company");
    stage(
        &c.t.store,
        target,
        "employees",
        "Q-1",
        serde_json::json!({"first_name": "Marc", "last_name": "Bell", "employee_number": "E100"}),
    );
    stage(
        &c.t.store,
        target,
        "employees",
        "Q-2",
        serde_json::json!({"first_name": "Rosa", "last_name": "Díaz", "employee_number": "9"}),
    );
    let matches =
        c.t.store
            .read(|conn| targets::matches(conn, target, MatchKind::Employee, &[c.marcus, c.rosa]))
            .expect("matches");
    let found: Vec<(i64, Option<String>, MatchBasis)> = matches
        .iter()
        .map(|m| (m.local_id, m.external_id.clone(), m.basis))
        .collect();
    assert_eq!(
        found,
        vec![
            (c.marcus, Some("Q-1".into()), MatchBasis::SameNumber),
            (c.rosa, Some("Q-2".into()), MatchBasis::SameName),
        ],
        "Marcus by his employee number (his name differs), Rosa by her exact name"
    );
    c.t.store
        .write(|tx| {
            targets::confirm_match(
                tx,
                target,
                MatchKind::Employee,
                c.rosa,
                Some("Q-2"),
                &common::admin(),
                common::now(),
            )
        })
        .expect("confirmed");
    let rosa =
        c.t.store
            .read(|conn| targets::matches(conn, target, MatchKind::Employee, &[c.rosa]))
            .expect("matches");
    assert_eq!(rosa[0].basis, MatchBasis::Confirmed);
}

/// The company with a Sandbox publish target whose payroll items are known
/// and everyone matched.
pub(crate) fn publishing_company() -> (Company, i64) {
    let c = company();
    let target = common::integration(&c.t.store, "Sandbox");
    c.t.store
        .write(|tx| {
            targets::save_items(
                tx,
                target,
                &[
                    item("901", "Hourly Rate"),
                    item("902", "Overtime Rate"),
                    item("903", "Holiday Hourly"),
                ],
            )
        })
        .expect("items");
    for (pay, name) in [
        ("REG", "Hourly Rate"),
        ("OT", "Overtime Rate"),
        ("HOL", "Holiday Hourly"),
    ] {
        map(
            &c.t.store,
            Target::Integration { id: target },
            c.pay[pay],
            None,
            name,
        );
    }
    for (id, external) in [(c.marcus, "U-1"), (c.rosa, "U-2")] {
        stage(
            &c.t.store,
            target,
            "employees",
            external,
            serde_json::json!({"first_name": "x", "last_name": external}),
        );
        c.t.store
            .write(|tx| {
                targets::confirm_match(
                    tx,
                    target,
                    MatchKind::Employee,
                    id,
                    Some(external),
                    &common::admin(),
                    common::now(),
                )
            })
            .expect("matched");
    }
    (c, target)
}

pub(crate) fn item(id: &str, name: &str) -> TargetItem {
    TargetItem {
        external_id: id.into(),
        name: name.into(),
        wage_type: None,
        active: true,
    }
}

pub(crate) fn begin(c: &Company, target: i64) -> Option<publish::Outgoing> {
    let s = &c.t.store;
    s.write(|tx| {
        let report = payroll::hours_for_day(tx, Some(monday()), common::now())?;
        let prepared = lines::prepare(tx, &report, Target::Integration { id: target })?;
        publish::begin(
            tx,
            &prepared,
            report.period,
            &common::admin(),
            common::now(),
        )
    })
    .expect("begin runs")
}

pub(crate) fn accept_all(c: &Company, outgoing: &publish::Outgoing) -> publish::Publication {
    let results: Vec<LineResult> = outgoing
        .lines
        .iter()
        .map(|l| LineResult {
            line_no: l.line_no,
            accepted: true,
            remote_id: Some(format!("R{}", l.line_no)),
            edit_sequence: None,
            message: None,
        })
        .collect();
    c.t.store
        .write(|tx| {
            publish::finish(
                tx,
                outgoing.publication_id,
                &results,
                None,
                &common::admin(),
                common::now(),
            )
        })
        .expect("finish records the answers")
}

#[test]
fn job_and_task_without_a_match_are_warnings_and_unmatched_employees_block() {
    let (c, target) = publishing_company();
    c.t.store
        .write(|tx| {
            targets::confirm_match(
                tx,
                target,
                MatchKind::Employee,
                c.rosa,
                None,
                &common::admin(),
                common::now(),
            )
        })
        .expect("forgotten");
    let prepared =
        c.t.store
            .read(|conn| {
                lines::prepare(
                    conn,
                    &report(&c.t.store),
                    Target::Integration { id: target },
                )
            })
            .expect("lines");
    let kinds: Vec<(Severity, ProblemKind)> = prepared
        .problems
        .iter()
        .map(|p| (p.severity, p.kind))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (Severity::Blocking, ProblemKind::EmployeeNotMatched),
            (Severity::Warning, ProblemKind::JobNotMatched),
            (Severity::Warning, ProblemKind::JobNotMatched),
            (Severity::Warning, ProblemKind::TaskNotMatched),
            (Severity::Warning, ProblemKind::TaskNotMatched),
        ],
        "Rosa has time but no record there (blocking); the two jobs and two tasks go without (warnings)"
    );
}

#[test]
fn the_first_publish_sends_every_line_and_the_same_lines_twice_send_nothing() {
    let (c, target) = publishing_company();
    let first = begin(&c, target).expect("the first publish has lines");
    assert_eq!(first.kind, PublicationKind::Original);
    let sent: i64 = first.lines.iter().map(|l| l.seconds).sum();
    assert_eq!(sent, 22 * H, "10 h + 4 h + 8 h holiday");
    let publication = accept_all(&c, &first);
    assert_eq!(publication.accepted_seconds, 22 * H);
    assert!(
        begin(&c, target).is_none(),
        "nothing changed, so publishing again sends nothing"
    );
    assert!(
        c.t.store
            .read(|conn| publish::is_locked(conn, publication.period))
            .expect("lock state"),
        "an accepted publication locks the period"
    );
}

#[test]
fn a_period_is_locked_for_the_time_entry_form_only_once_a_target_accepted_it() {
    let (c, target) = publishing_company();
    let lock = |day: NaiveDate| {
        c.t.store
            .read(|conn| payroll::period_lock(conn, day, common::now()))
            .expect("the lock reads")
    };
    let first = begin(&c, target).expect("lines");
    assert!(
        !lock(monday()).locked,
        "lines being sent lock nothing until the target accepts them"
    );
    accept_all(&c, &first);
    let after = lock(monday() + Duration::days(3));
    assert_eq!(
        (after.locked, after.published_to.clone()),
        (true, vec!["Sandbox".to_owned()]),
        "any day of the period is locked, naming where it went"
    );
    assert!(
        after.published_at.is_some(),
        "the form says when it was published"
    );
    assert!(
        !lock(after.period.end + Duration::days(1)).locked,
        "the next period is not locked"
    );
}

#[test]
fn a_correction_sends_only_the_difference() {
    let (c, target) = publishing_company();
    let first = begin(&c, target).expect("lines");
    accept_all(&c, &first);
    // Marcus actually left at 16:00: 9 h, so 1 h less overtime.
    c.t.store
        .write(|tx| {
            let mut draft = time_entries::get(tx, c.marcus_monday)?.draft();
            draft.span = TimeSpan::Clock {
                start: common::central(7, 0),
                end: Some(common::central(16, 0)),
            };
            time_entries::update(tx, c.marcus_monday, &draft, &common::admin(), common::now())
        })
        .expect("the entry is edited");
    let correction = begin(&c, target).expect("the edit is a change since publication");
    assert_eq!(correction.kind, PublicationKind::Correction);
    let lines: Vec<(String, i64)> = correction
        .lines
        .iter()
        .map(|l| (l.item.clone(), l.seconds))
        .collect();
    assert_eq!(
        lines,
        vec![("Overtime Rate".to_owned(), -H)],
        "only Marcus's overtime changed, by one hour less"
    );
}

#[test]
fn a_voided_entry_after_publication_is_taken_back() {
    let (c, target) = publishing_company();
    let first = begin(&c, target).expect("lines");
    accept_all(&c, &first);
    c.t.store
        .write(|tx| {
            time_entries::set_active(tx, c.marcus_monday, false, &common::admin(), common::now())
        })
        .expect("voided");
    let correction = begin(&c, target).expect("the void is a change");
    let total: i64 = correction.lines.iter().map(|l| l.seconds).sum();
    assert_eq!(
        total,
        -10 * H,
        "Marcus's 8 regular and 2 overtime hours are taken back"
    );
}

#[test]
fn a_publication_interrupted_mid_send_is_resent_with_the_same_request_ids() {
    let (c, target) = publishing_company();
    let first = begin(&c, target).expect("lines");
    // The app stops here, before any answer is recorded.
    let again = begin(&c, target).expect("the interrupted publication comes back");
    assert!(again.resumed, "it is the same publication, resumed");
    assert_eq!(again.publication_id, first.publication_id);
    let ids = |o: &publish::Outgoing| {
        o.lines
            .iter()
            .map(|l| l.request_id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        ids(&again),
        ids(&first),
        "the same request ids, so the target recognises lines it already took"
    );
}

#[test]
fn lines_a_failed_send_left_unanswered_go_again_under_the_same_request_ids() {
    let (c, target) = publishing_company();
    let first = begin(&c, target).expect("lines");
    c.t.store
        .write(|tx| {
            publish::finish(
                tx,
                first.publication_id,
                &[],
                Some("Could not reach Sandbox."),
                &common::admin(),
                common::now(),
            )
        })
        .expect("the failure is recorded");
    let retry = begin(&c, target).expect("nothing was accepted, so everything goes again");
    assert_ne!(retry.publication_id, first.publication_id);
    let ids = |o: &publish::Outgoing| {
        o.lines
            .iter()
            .map(|l| l.request_id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&retry), ids(&first));
}

//! `timebridge payroll settings show|set`: every setting the window has,
//! checked by the same core function with the same messages, logged, and
//! enough to export an IIF or Sage 300 CRE file without the window.

use crate::common;

use chrono::Utc;
use serde_json::{Value, json};
use timebridge_core::Error;
use timebridge_core::audit::Actor;
use timebridge_core::payroll::settings;

/// Every flag of `payroll settings set`, with a value other than its default.
const EVERY_SETTING: [(&str, &str); 17] = [
    ("--time-zone", "America/Chicago"),
    ("--week-start", "sunday"),
    ("--pay-frequency", "semi-monthly"),
    ("--period-start", "2026-11-01"),
    ("--weekly-overtime-after", "37.5"),
    ("--daily-overtime-after", "8"),
    ("--daily-double-time-after", "12"),
    ("--seventh-day", "yes"),
    ("--overnight", "start-day"),
    ("--leave-out-running", "no"),
    ("--csv-columns", "employee-number,date,hours"),
    ("--iif-company-name", "Acme Builders LLC"),
    ("--iif-company-create-time", "1234567890"),
    ("--iif-employee-names", "last-first"),
    ("--iif-class", "Field"),
    ("--iif-billable", "yes"),
    (
        "--sage-time-entry-view",
        "date,employee,job,cost-code,units,fixed=N",
    ),
];

fn set_everything(db: &common::Db) -> Value {
    let mut args = vec!["payroll", "settings", "set"];
    for (flag, value) in EVERY_SETTING {
        args.extend([flag, value]);
    }
    db.json(&args)
}

#[test]
fn every_payroll_setting_is_set_by_its_flag_and_shown_as_json() {
    let db = common::db();
    set_everything(&db);

    let shown = db.json(&["payroll", "settings", "show"]);

    assert_eq!(
        shown,
        json!({
            "payroll": {
                "time_zone": "America/Chicago", "week_start": "sunday",
                "frequency": "semi_monthly", "anchor": "2026-11-01",
                "overtime": {"weekly_after_seconds": 135000, "daily_after_seconds": 28800,
                             "daily_double_after_seconds": 43200, "seventh_day": true},
                "overnight": "start_day", "leave_out_open_entries": false,
            },
            "files": {
                "csv": {"columns": ["employee_number", "date", "hours"]},
                "iif": {"company_name": "Acme Builders LLC", "company_create_time": "1234567890",
                        "employee_names": "last_first", "class": "Field", "billable": true},
                "sage300_cre": {"time_entry_view": [
                    {"column": "date"}, {"column": "employee"}, {"column": "job"},
                    {"column": "cost_code"}, {"column": "units"}, {"column": "fixed", "value": "N"}]},
            },
        }),
        "each flag changed its setting, in the window's own shape"
    );
}

#[test]
fn every_payroll_setting_is_shown_in_the_table_beside_its_flag() {
    let db = common::db();
    set_everything(&db);

    let shown = db.ok(&["payroll", "settings", "show"]);

    for (flag, value) in EVERY_SETTING {
        let shown_value = if flag == "--period-start" || !value.contains('.') {
            value.to_owned()
        } else {
            value.trim_end_matches('0').to_owned()
        };
        assert!(
            shown
                .lines()
                .any(|l| l.contains(&shown_value) && l.trim_end().ends_with(flag)),
            "{flag} shows {shown_value} on its line: {shown}"
        );
    }
}

/// The message the window gets for `bad` payroll settings (its save
/// command calls `settings::save`).
fn windows_message(bad: impl FnOnce(&mut settings::PayrollSettings)) -> String {
    let db = common::db();
    let now = Utc::now();
    let store = db.store();
    let result = store.write(|tx| {
        let mut draft = settings::load(tx, now.date_naive())?;
        bad(&mut draft);
        settings::save(tx, &draft, &Actor::cli(), now)
    });
    match result {
        Err(Error::Validation(problems)) => problems[0].message.clone(),
        other => panic!("the window refuses these settings: {other:?}"),
    }
}

#[test]
fn a_time_zone_that_does_not_exist_is_refused_with_the_windows_message_and_nothing_is_saved() {
    let db = common::db();
    let before = db.json(&["payroll", "settings", "show"]);
    let expected = windows_message(|s| s.time_zone = "Mars/Olympus".into());

    let refused = db.fails(&[
        "payroll",
        "settings",
        "set",
        "--time-zone",
        "Mars/Olympus",
        "--iif-company-name",
        "Acme",
    ]);

    assert_eq!(
        refused.trim(),
        format!("error: {expected}"),
        "the same words as the window"
    );
    assert_eq!(
        db.json(&["payroll", "settings", "show"]),
        before,
        "and nothing is saved, not even the valid company name"
    );
}

#[test]
fn daily_overtime_beyond_a_day_is_refused_with_the_windows_message() {
    let db = common::db();
    let expected = windows_message(|s| s.overtime.daily_after_seconds = Some(30 * 3600));

    let refused = db.fails(&["payroll", "settings", "set", "--daily-overtime-after", "30"]);

    assert_eq!(
        refused.trim(),
        format!("error: {expected}"),
        "the same words as the window"
    );
}

#[test]
fn a_change_is_logged_as_made_by_the_command_line_with_what_changed() {
    let db = common::db();
    db.ok(&["payroll", "settings", "set", "--week-start", "sunday"]);

    let logged: Vec<(String, String, String)> = db
        .store()
        .read(|c| {
            let mut s = c.prepare(
                "SELECT actor, summary, details FROM audit_log WHERE action = 'payroll.settings_changed'",
            )?;
            let rows = s
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(rows)
        })
        .expect("read");

    assert_eq!(
        logged.len(),
        1,
        "one entry, as the window's save writes: {logged:?}"
    );
    let (actor, summary, details) = &logged[0];
    assert_eq!(
        (actor.as_str(), summary.as_str()),
        ("Command line", "Changed the payroll settings"),
        "by the command line"
    );
    assert!(
        details.contains("week_start") && details.contains("sunday"),
        "with the field that changed: {details}"
    );
}

/// Ana's 8 hours on 2026-10-05, exported as `format` after `settings`
/// (flags of `payroll settings set`): the file's bytes.
fn export(db: &common::Db, format: &str, settings: &[&str]) -> Vec<u8> {
    let ana = db.employee("Ana", "Ortiz", Some("E-1"));
    db.time(ana, "2026-10-05", 8, None);
    let mut set = vec!["payroll", "settings", "set"];
    set.extend_from_slice(settings);
    db.ok(&set);
    let out = db.path.with_file_name("payroll-file");
    db.ok(&[
        "payroll",
        "export",
        "--period",
        "2026-10-05",
        "--format",
        format,
        "--out",
        &out.display().to_string(),
    ]);
    std::fs::read(&out).expect("the file was written")
}

#[test]
fn an_iif_file_is_exported_with_the_company_set_from_the_command_line() {
    let db = common::db();
    db.ok(&["payroll", "map", "iif", "REG", "Hourly Rate"]);

    let file = export(
        &db,
        "iif",
        &[
            "--iif-company-name",
            "Acme Builders LLC",
            "--iif-company-create-time",
            "1234567890",
        ],
    );
    let file = String::from_utf8_lossy(&file);

    assert!(
        file.contains("Acme Builders LLC") && file.contains("1234567890"),
        "the timer file is for the company set on the command line: {file}"
    );
}

#[test]
fn a_sage_file_follows_the_time_entry_view_set_from_the_command_line() {
    let db = common::db();

    let file = export(
        &db,
        "sage300-cre",
        &["--sage-time-entry-view", "employee,date,units,fixed=N"],
    );

    assert_eq!(
        String::from_utf8_lossy(&file).lines().collect::<Vec<_>>(),
        ["E-1,10/5/2026,8,N"],
        "one row in the view's column order: employee, date, units, then the fixed N"
    );
}

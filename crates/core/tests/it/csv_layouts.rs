//! Saved CSV layouts: what a save refuses, and what list and get read back.

use timebridge_core::middleware::csv_layouts::{self, CsvColumn, CsvDuration, CsvField, CsvLayout};

use crate::common::{self, admin, now};

fn column(header: &str, field: Option<CsvField>) -> CsvColumn {
    CsvColumn {
        header: header.into(),
        field,
    }
}

/// A US export: employee, date, clock in and out, hours, job.
fn layout(name: &str) -> CsvLayout {
    CsvLayout {
        name: name.into(),
        columns: vec![
            column("Employee", Some(CsvField::Employee)),
            column("Date", Some(CsvField::Date)),
            column("Clock In", Some(CsvField::Start)),
            column("Clock Out", Some(CsvField::End)),
            column("Hours", Some(CsvField::Hours)),
            column("Job", Some(CsvField::Job)),
            column("Approved", None),
        ],
        has_header: true,
        delimiter: ",".into(),
        date_format: "%m/%d/%Y".into(),
        time_format: "%I:%M %p".into(),
        duration_format: CsvDuration::HoursMinutes,
        time_zone: Some("America/Chicago".into()),
    }
}

#[test]
fn a_saved_layout_reads_back_by_name_in_any_case() {
    let t = common::store();
    let saved = layout("Crew export");
    t.store
        .write(|tx| csv_layouts::save(tx, &saved, &admin(), now()))
        .expect("a good layout saves");
    let read = t
        .store
        .read(|c| csv_layouts::get(c, "crew EXPORT"))
        .expect("get reads");
    assert_eq!(read, Some(saved), "names are one layout in any case");
}

#[test]
fn saving_the_same_name_again_replaces_the_layout() {
    let t = common::store();
    let mut second = layout("crew export");
    second.date_format = "%Y-%m-%d".into();
    t.store
        .write(|tx| {
            csv_layouts::save(tx, &layout("Crew export"), &admin(), now())?;
            csv_layouts::save(tx, &second, &admin(), now())
        })
        .expect("both save");
    let all = t.store.read(csv_layouts::list).expect("list reads");
    assert_eq!(all, vec![second], "one layout per name, the last saved");
}

#[test]
fn layouts_list_by_name() {
    let t = common::store();
    t.store
        .write(|tx| {
            for name in ["weekly", "Anvil export", "crew"] {
                csv_layouts::save(tx, &layout(name), &admin(), now())?;
            }
            Ok(())
        })
        .expect("they save");
    let names: Vec<String> = t
        .store
        .read(csv_layouts::list)
        .expect("list reads")
        .into_iter()
        .map(|l| l.name)
        .collect();
    assert_eq!(
        names,
        ["Anvil export", "crew", "weekly"],
        "by name, any case"
    );
}

#[test]
fn a_bad_layout_reports_every_bad_field() {
    let t = common::store();
    let mut bad = layout(" ");
    bad.delimiter = "#".into();
    bad.date_format = "%Q".into();
    bad.time_format = "".into();
    bad.time_zone = Some("Mars/Olympus".into());
    bad.columns[5].field = Some(CsvField::Employee);
    let error = t
        .store
        .write(|tx| csv_layouts::save(tx, &bad, &admin(), now()))
        .expect_err("the layout is refused");
    assert_eq!(
        common::problem_fields(&error),
        [
            "name",
            "delimiter",
            "date_format",
            "time_format",
            "time_zone",
            "columns"
        ],
        "each bad field is named, so the form marks them all"
    );
    assert!(
        t.store.read(csv_layouts::list).expect("list").is_empty(),
        "nothing of a refused layout is saved"
    );
}

#[test]
fn a_layout_without_an_employee_date_or_hours_is_refused_on_columns() {
    let mut only_job = layout("jobs");
    for c in &mut only_job.columns {
        if c.field != Some(CsvField::Job) {
            c.field = None;
        }
    }
    let error = only_job.check().expect_err("nothing required is mapped");
    assert_eq!(
        common::problem_fields(&error),
        ["columns"],
        "the mapping is what is wrong"
    );
    assert_eq!(
        only_job.missing().len(),
        3,
        "the employee, the date and the hours are all missing: {:?}",
        only_job.missing()
    );
}

#[test]
fn start_and_end_without_a_date_or_hours_column_are_enough() {
    let mut stamps = layout("stamps");
    for c in &mut stamps.columns {
        if matches!(c.field, Some(CsvField::Date | CsvField::Hours)) {
            c.field = None;
        }
    }
    stamps.time_format = "%m/%d/%Y %I:%M %p".into();
    assert!(
        stamps.check().is_ok(),
        "a start with its date gives the date, start and end give the hours"
    );
}

#[test]
fn deleting_a_layout_removes_it_and_logs_it() {
    let t = common::store();
    t.store
        .write(|tx| {
            csv_layouts::save(tx, &layout("Crew export"), &admin(), now())?;
            csv_layouts::delete(tx, "crew export", &admin(), now())
        })
        .expect("it saves and deletes");
    assert_eq!(
        t.store
            .read(|c| csv_layouts::get(c, "Crew export"))
            .expect("get"),
        None,
        "the deleted layout is gone"
    );
    let logged: i64 = t
        .store
        .read(|c| {
            Ok(c.query_row(
                "SELECT count(*) FROM audit_log WHERE action LIKE 'csv_layout.%'",
                [],
                |r| r.get(0),
            )?)
        })
        .expect("the log reads");
    assert_eq!(logged, 2, "the save and the delete are both in the log");
}

#[test]
fn deleting_a_layout_never_saved_is_not_found() {
    let t = common::store();
    let error = t
        .store
        .write(|tx| csv_layouts::delete(tx, "ghost", &admin(), now()))
        .expect_err("nothing to delete");
    assert!(
        matches!(error, timebridge_core::Error::NotFound(_)),
        "a missing layout is not found, not a crash: {error:?}"
    );
}

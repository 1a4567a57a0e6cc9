//! Publishing a pay period to Sage 300 CRE: an Import Time file written
//! into the import folder per publication, its bytes as Sage reads them
//! (the emulator's Import Time), a correction writing only the difference,
//! the same again writing nothing, and a line Sage lacks refused whole.
//!
//! The company: Maria Garcia (Sage employee 101) works 8 hours on Monday 2
//! November 2026 and 6 on Tuesday at Harbor View Condos, extra 01 (job
//! 03-001), cost code 1-065 Masonry, category L; weekly payroll, no
//! overtime.

use chrono::{NaiveDate, Utc};
use timebridge_core::audit::Actor;
use timebridge_core::payroll::settings::{self, PayFrequency, PayrollSettings, WeekStart};
use timebridge_core::payroll::targets::{self, MatchKind};
use timebridge_core::records::jobs::{self, JobDraft};
use timebridge_core::records::tasks::{self, TaskDraft};
use timebridge_core::records::time_entries::{self, TimeEntryDraft, TimeSpan};
use timebridge_core::records::{NewRecordSource, employees};
use timebridge_emulators::sage300_cre::{ImportLine, import_time};
use timebridge_sync::PublishResult;

use crate::sage300_cre::{Sage, company};

const H: i64 = 3600;
const VIEW: [&str; 7] = [
    "Date",
    "Employee",
    "Job",
    "Extra",
    "Cost Code",
    "Pay ID",
    "Units",
];

pub(crate) fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).expect("a date")
}

pub(crate) struct Published {
    pub(crate) sage: Sage,
    job: i64,
    /// Monday's entry.
    monday: i64,
    maria: i64,
    task: i64,
}

/// The company above, synced from Sage and matched to its records.
pub(crate) async fn published_company() -> Published {
    let sage = Sage::new(company(), false);
    assert_eq!(
        sage.sync().await.outcome,
        timebridge_core::middleware::runs::RunOutcome::Succeeded,
        "Sage's lists are synced"
    );
    let (admin, now) = (Actor::system(), Utc::now());
    let manual = NewRecordSource::Manual;
    let (maria, job, task, monday) = sage
        .store
        .write(|tx| {
            settings::save(
                tx,
                &PayrollSettings {
                    time_zone: "UTC".into(),
                    week_start: WeekStart::Monday,
                    frequency: PayFrequency::Weekly,
                    anchor: day(2),
                    ..PayrollSettings::defaults(day(2))
                },
                &admin,
                now,
            )?;
            let maria = employees::create(
                tx,
                &employees::EmployeeDraft {
                    first_name: "Maria".into(),
                    last_name: "Garcia".into(),
                    employee_number: Some("101".into()),
                    ..Default::default()
                },
                &manual,
                &admin,
                now,
            )?
            .id;
            let job = jobs::create(
                tx,
                &JobDraft {
                    name: "Harbor View Condos, phase 1".into(),
                    job_number: Some("03-001".into()),
                    ..Default::default()
                },
                &manual,
                &admin,
                now,
            )?
            .id;
            let task = tasks::create(
                tx,
                &TaskDraft {
                    job_id: None,
                    code: "1-065".into(),
                    name: "Masonry".into(),
                    pay_id: None,
                },
                &manual,
                &admin,
                now,
            )?
            .id;
            let entry = |date: NaiveDate, hours: i64| {
                time_entries::create(
                    tx,
                    &TimeEntryDraft {
                        employee_id: maria,
                        job_id: Some(job),
                        task_id: Some(task),
                        pay_id: None,
                        span: TimeSpan::Manual {
                            date,
                            duration_seconds: hours * H,
                        },
                        notes: String::new(),
                    },
                    &manual,
                    &admin,
                    now,
                )
                .map(|e| e.id)
            };
            let monday = entry(day(2), 8)?;
            entry(day(3), 6)?;
            let id = sage.integration;
            targets::confirm_match(tx, id, MatchKind::Employee, maria, Some("101"), &admin, now)?;
            targets::confirm_match(tx, id, MatchKind::Job, job, Some("03-001~01"), &admin, now)?;
            targets::confirm_match(
                tx,
                id,
                MatchKind::Task,
                task,
                Some("03-001~01~1-065~L"),
                &admin,
                now,
            )?;
            Ok((maria, job, task, monday))
        })
        .expect("the company is set up");
    Published {
        sage,
        job,
        monday,
        maria,
        task,
    }
}

impl Published {
    pub(crate) async fn publish(&self) -> Result<PublishResult, timebridge_sync::SyncError> {
        self.sage
            .engine
            .payroll()
            .publish(self.sage.integration, Some(day(2)), &Actor::system())
            .await
    }

    /// The Import Time files in the import folder, by name.
    pub(crate) fn files(&self) -> Vec<(String, Vec<u8>)> {
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(self.sage.dir.path())
            .expect("the folder")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .map(|p| {
                (
                    p.file_name().expect("named").to_string_lossy().into_owned(),
                    std::fs::read(&p).expect("readable"),
                )
            })
            .collect();
        files.sort();
        files
    }

    pub(crate) fn set_monday(&self, hours: i64) {
        self.sage
            .store
            .write(|tx| {
                time_entries::update(
                    tx,
                    self.monday,
                    &TimeEntryDraft {
                        employee_id: self.maria,
                        job_id: Some(self.job),
                        task_id: Some(self.task),
                        pay_id: None,
                        span: TimeSpan::Manual {
                            date: day(2),
                            duration_seconds: hours * H,
                        },
                        notes: String::new(),
                    },
                    &Actor::system(),
                    Utc::now(),
                )
            })
            .expect("edited");
    }
}

/// The Time Entry View's settings: Timebridge's default view.
pub(crate) fn imported(p: &Published, bytes: &[u8]) -> Vec<ImportLine> {
    let (lines, rejected) = import_time(&p.sage.company, &VIEW, bytes);
    assert_eq!(rejected, vec![], "Sage imports every line Timebridge wrote");
    lines
}

// contract: SAGE-IMP-1, SAGE-IMP-2
#[tokio::test]
async fn publishing_writes_an_import_time_file_sage_imports_whole() {
    let p = published_company().await;
    let result = p.publish().await.expect("published");
    let files = p.files();
    assert_eq!(
        files,
        vec![(
            "payroll-2026-11-02-to-2026-11-08-publication-1.txt".to_owned(),
            b"11/2/2026,101,03-001,01,1-065,REG,8\r\n11/3/2026,101,03-001,01,1-065,REG,6\r\n"
                .to_vec()
        )],
        "one file, named for the period, the lines in the Time Entry View's order"
    );
    assert_eq!(
        imported(&p, &files[0].1).len(),
        2,
        "Sage's Import Time reads both lines"
    );
    assert!(
        result.message.contains("In Sage 300 CRE: Payroll → Tools → Import Time, choose payroll-2026-11-02-to-2026-11-08-publication-1.txt")
            && result.message.contains("Period End Date 11/8/2026"),
        "the admin is told the next step: {}",
        result.message
    );
    let accepted = result.publications[0].accepted_lines;
    assert_eq!(accepted, 2, "each written line is recorded as accepted");
}

#[tokio::test]
async fn a_correction_writes_only_the_difference_in_a_new_file() {
    let p = published_company().await;
    p.publish().await.expect("published");
    p.set_monday(6);
    p.publish().await.expect("corrected");
    let files = p.files();
    assert_eq!(
        (files.len(), files[1].0.as_str(), files[1].1.as_slice()),
        (
            2,
            "payroll-2026-11-02-to-2026-11-08-publication-2.txt",
            b"11/2/2026,101,03-001,01,1-065,REG,-2\r\n".as_slice()
        ),
        "the first file is kept; the correction holds the two hours removed, as negative units"
    );
}

#[tokio::test]
async fn publishing_the_same_hours_again_writes_nothing() {
    let p = published_company().await;
    p.publish().await.expect("published");
    let again = p.publish().await.expect("published again");
    assert_eq!(
        (again.nothing_to_send, p.files().len()),
        (true, 1),
        "nothing differs, so no second file: {}",
        again.message
    );
}

#[tokio::test]
async fn a_line_naming_a_job_sage_does_not_have_is_refused_and_nothing_written() {
    let mut p = published_company().await;
    // Job 03-001's extra 01 is gone from Sage, and synced so.
    p.sage.company.extras.retain(|e| e.extra != "01");
    p.sage.company.cost_codes.retain(|c| c.extra != "01");
    p.sage.company.categories.retain(|c| c.extra != "01");
    p.sage.save();
    p.sage.sync().await;
    let refused = p.publish().await.expect_err("refused");
    let history = p
        .sage
        .store
        .read(|c| {
            Ok(c.query_row("SELECT count(*) FROM publications", [], |r| {
                r.get::<_, i64>(0)
            })?)
        })
        .expect("readable");
    assert_eq!(
        (p.files().len(), history),
        (0, 0),
        "no file is written and no publication recorded"
    );
    let message = refused.to_string();
    assert!(
        message.contains("Line 1 (Maria Garcia, 2026-11-02")
            && message.contains("has no job (or extra) 03-001~01"),
        "each refused line is named with what Sage lacks: {message}"
    );
}

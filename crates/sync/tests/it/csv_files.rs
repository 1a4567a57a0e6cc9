//! CSV files through the engine: a folder of exports read with a saved
//! layout into a real database, synced again, edited, re-exported, broken,
//! and read with a changed layout.

use std::path::Path;
use std::sync::Arc;

use chrono::Utc;
use tempfile::TempDir;
use timebridge_connectors::secrets::{MemorySecrets, SecretStore};
use timebridge_core::Store;
use timebridge_core::audit::Actor;
use timebridge_core::middleware::csv_layouts::{self, CsvColumn, CsvDuration, CsvField, CsvLayout};
use timebridge_core::middleware::integrations::{self, IntegrationSettings};
use timebridge_core::middleware::runs::{RunOutcome, RunTrigger, SyncRun};
use timebridge_core::time::SystemClock;
use timebridge_sync::Engine;
use timebridge_testkit::TestStore;

use crate::common::{quick_options, snapshot};

const HEADER: &str = "Employee,Date,Clock In,Clock Out,Job,Notes\n";
const ANA: &str = "Ana Ortiz,11/02/2026,7:00 AM,3:30 PM,Maple Court,front lawn\n";
const BEN: &str = "Ben Nguyen,11/03/2026,10:00 PM,6:00 AM,Cedar Ridge,\n";
const CARL: &str = "Carl Diaz,11/04/2026,8:00 AM,12:00 PM,Maple Court,\n";

fn layout() -> CsvLayout {
    let column = |header: &str, field| CsvColumn {
        header: header.into(),
        field: Some(field),
    };
    CsvLayout {
        name: "Crew export".into(),
        columns: vec![
            column("Employee", CsvField::Employee),
            column("Date", CsvField::Date),
            column("Clock In", CsvField::Start),
            column("Clock Out", CsvField::End),
            column("Job", CsvField::Job),
            column("Notes", CsvField::Notes),
        ],
        has_header: true,
        delimiter: ",".into(),
        date_format: "%m/%d/%Y".into(),
        time_format: "%I:%M %p".into(),
        duration_format: CsvDuration::HoursMinutes,
        time_zone: Some("America/Chicago".into()),
    }
}

struct Csv {
    engine: Engine,
    store: Arc<Store>,
    integration: i64,
    folder: TempDir,
    _db: TempDir,
}

impl Csv {
    fn new() -> Csv {
        let TestStore { store, dir } = timebridge_testkit::store();
        let store = Arc::new(store);
        let folder = tempfile::tempdir().expect("a folder");
        let now = Utc::now();
        let mut settings = IntegrationSettings::defaults(now);
        settings.pull_from = "2026-11-01".parse().expect("a date");
        settings.folder = Some(folder.path().display().to_string());
        settings.csv_layout = Some("Crew export".into());
        let integration = store
            .write(|tx| {
                csv_layouts::save(tx, &layout(), &Actor::system(), now)?;
                integrations::create(tx, "csv_files", "Crew CSV", &settings, &Actor::system(), now)
            })
            .expect("connected")
            .id;
        let engine = Engine::new(
            store.clone(),
            Arc::new(MemorySecrets::default()) as Arc<dyn SecretStore>,
            Arc::new(SystemClock),
            quick_options(),
        );
        Csv {
            engine,
            store,
            integration,
            folder,
            _db: dir,
        }
    }

    fn export(&self, name: &str, rows: &[&str]) {
        write(self.folder.path(), name, &format!("{HEADER}{}", rows.concat()));
    }

    async fn sync(&self) -> SyncRun {
        self.engine
            .runs()
            .sync(self.integration, RunTrigger::Manual)
            .await
            .expect("a run is recorded")
    }

    fn time_entries(&self) -> Vec<(String, bool)> {
        snapshot(&self.store)
            .into_iter()
            .filter(|r| r.0 == "time_entries")
            .map(|r| (r.1, r.4))
            .collect()
    }
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).expect("the export is written");
}

fn times(run: &SyncRun) -> (u64, u64, u64, u64) {
    let c = &run.counts["time_entries"];
    (c.new, c.updated, c.unchanged, c.removed)
}

#[tokio::test]
async fn the_first_sync_stages_every_row_as_new_and_a_resync_writes_nothing() {
    let csv = Csv::new();
    csv.export("week.csv", &[ANA, BEN]);
    let first = csv.sync().await;
    assert_eq!(first.outcome, RunOutcome::Succeeded, "{:?}", first.error_message);
    assert_eq!(times(&first), (2, 0, 0, 0), "two rows, two new time entries");
    assert_eq!(first.counts["employees"].new, 2, "the rows name two employees");
    let before = snapshot(&csv.store);
    let again = csv.sync().await;
    assert_eq!(times(&again), (0, 0, 2, 0), "the same file again changes nothing");
    assert_eq!(snapshot(&csv.store), before, "nothing was written");
}

#[tokio::test]
async fn an_edited_row_is_updated() {
    let csv = Csv::new();
    csv.export("week.csv", &[ANA, BEN]);
    csv.sync().await;
    csv.export("week.csv", &[&ANA.replace("3:30 PM", "4:00 PM"), BEN]);
    let run = csv.sync().await;
    assert_eq!(times(&run), (0, 1, 1, 0), "a later clock-out updates the same entry");
}

#[tokio::test]
async fn a_reexport_in_another_order_is_the_same_records() {
    let csv = Csv::new();
    csv.export("week.csv", &[ANA, BEN]);
    csv.sync().await;
    csv.export("week.csv", &[BEN, ANA]);
    let run = csv.sync().await;
    assert_eq!(times(&run), (0, 0, 2, 0), "ids do not depend on row order");
}

#[tokio::test]
async fn a_reexport_of_the_same_days_lacking_a_row_removes_it_at_the_source() {
    let csv = Csv::new();
    csv.export("week.csv", &[ANA, BEN, CARL]);
    csv.sync().await;
    csv.export("week.csv", &[ANA, CARL]);
    let run = csv.sync().await;
    assert_eq!(times(&run), (0, 0, 2, 1), "Ben's row, within the days covered, is gone");
    let removed = csv.time_entries().iter().filter(|(_, r)| *r).count();
    assert_eq!(removed, 1, "one entry is marked removed at the source");
}

#[tokio::test]
async fn a_bad_row_leaves_its_file_out_and_keeps_what_it_staged_before() {
    let csv = Csv::new();
    csv.export("timesheet.csv", &[ANA, BEN]);
    write(
        csv.folder.path(),
        "z-later.csv",
        &format!("{HEADER}{CARL}"),
    );
    csv.sync().await;
    let before = csv.time_entries();
    csv.export("timesheet.csv", &[ANA, &BEN.replace("6:00 AM", "25:10")]);
    write(
        csv.folder.path(),
        "z-later.csv",
        &format!("{HEADER}{}", CARL.replace("12:00 PM", "1:00 PM")),
    );
    let run = csv.sync().await;
    let note = run.error_message.clone().unwrap_or_default();
    assert!(
        note.contains("timesheet.csv, line 3, column “Clock Out”: “25:10” is not a time"),
        "the run names the file, line and column: {note}"
    );
    assert_eq!(run.outcome, RunOutcome::Succeeded, "the other file still read");
    assert_eq!(times(&run), (0, 1, 0, 0), "only the other file's edit is written");
    assert_eq!(
        csv.time_entries(),
        before,
        "what the left-out file staged before is intact"
    );
}

#[tokio::test]
async fn a_changed_layout_rereads_the_files() {
    let csv = Csv::new();
    csv.export("week.csv", &[ANA, BEN]);
    csv.sync().await;
    let mut without_notes = layout();
    without_notes.columns[5].field = None;
    csv.store
        .write(|tx| csv_layouts::save(tx, &without_notes, &Actor::system(), Utc::now()))
        .expect("saved");
    let run = csv.sync().await;
    assert_eq!(times(&run), (0, 1, 1, 0), "Ana's notes are no longer read");
}

#[tokio::test]
async fn a_deleted_layout_fails_the_run_saying_what_to_do() {
    let csv = Csv::new();
    csv.export("week.csv", &[ANA]);
    csv.store
        .write(|tx| csv_layouts::delete(tx, "Crew export", &Actor::system(), Utc::now()))
        .expect("deleted");
    let run = csv.sync().await;
    assert_eq!(run.outcome, RunOutcome::Failed, "nothing can be read");
    assert!(
        run.error_message.as_deref().is_some_and(|m| m.contains(
            "The layout “Crew export” was deleted: open the integration's Settings and choose a layout"
        )),
        "{:?}",
        run.error_message
    );
}

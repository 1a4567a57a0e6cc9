//! Syncing Sage 300 CRE through the real ODBC path (unixODBC, the SQLite3
//! ODBC driver, the emulated company's tables) and from CSV exports: each
//! sync reads every list whole, a record missing is removed at the source,
//! and nothing is staged unless every list was read.

use std::sync::Arc;

use chrono::Utc;
use tempfile::TempDir;
use timebridge_connectors::secrets::{MemorySecrets, SecretStore};
use timebridge_core::Store;
use timebridge_core::audit::Actor;
use timebridge_core::middleware::integrations::{self, IntegrationSettings};
use timebridge_core::middleware::runs::{RunOutcome, RunTrigger, SyncRun};
use timebridge_core::time::SystemClock;
use timebridge_emulators::sage300_cre::{Company, CompanySpec, DataSource};
use timebridge_sync::Engine;
use timebridge_testkit::TestStore;

use crate::common::{Snapshot, count, quick_options, snapshot};

/// A Sage 300 CRE integration over an emulated company (its database,
/// data source and exports in `dir`, which is also its import folder).
pub struct Sage {
    pub engine: Engine,
    pub store: Arc<Store>,
    pub integration: i64,
    pub company: Company,
    source: DataSource,
    pub dir: TempDir,
    _db: TempDir,
}

impl Sage {
    /// A Sage 300 CRE integration reading `company` through ODBC (with
    /// `through_files`, from its CSV exports instead).
    pub fn new(company: Company, through_files: bool) -> Sage {
        let TestStore { store, dir: db } = timebridge_testkit::store();
        let store = Arc::new(store);
        let dir = tempfile::tempdir().expect("temp folder");
        let database = dir.path().join("sage.db");
        company.write_database(&database).expect("database");
        company.write_exports(dir.path()).expect("exports");
        let source = DataSource::create(dir.path(), "SageData", &database)
            .expect("the SQLite3 ODBC driver is installed (libsqliteodbc)");
        let now = Utc::now();
        let mut settings = IntegrationSettings::defaults(now);
        if through_files {
            settings.folder = Some(dir.path().display().to_string());
        } else {
            settings.dsn = Some(source.connection_string());
        }
        settings.import_folder = Some(dir.path().display().to_string());
        let integration = store
            .write(|tx| {
                integrations::create(tx, "sage300_cre", "Sage", &settings, &Actor::system(), now)
            })
            .expect("integration")
            .id;
        let secrets: Arc<dyn SecretStore> = Arc::new(MemorySecrets::default());
        let engine = Engine::new(
            store.clone(),
            secrets,
            Arc::new(SystemClock),
            quick_options(),
        );
        Sage {
            engine,
            store,
            integration,
            company,
            source,
            dir,
            _db: db,
        }
    }

    pub async fn sync(&self) -> SyncRun {
        self.engine
            .runs()
            .sync(self.integration, RunTrigger::Manual)
            .await
            .expect("a run is recorded")
    }

    /// Writes the company as it is now, as Sage would have it after edits.
    pub fn save(&self) {
        self.company
            .write_database(&self.source.database)
            .expect("database");
        self.company
            .write_exports(self.dir.path())
            .expect("exports");
    }

    fn staged(&self, module: &str, id: &str) -> Option<(String, bool, String)> {
        self.store
            .read(|conn| {
                Ok(conn
                    .query_row(
                        "SELECT status, removed_at_source, data FROM staged_records
                         WHERE module = ?1 AND external_id = ?2",
                        [module, id],
                        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                    )
                    .ok())
            })
            .expect("readable")
    }
}

pub fn company() -> Company {
    Company::generate(&CompanySpec::default())
}

#[tokio::test]
async fn the_first_sync_stages_every_list_through_odbc() {
    let sage = Sage::new(company(), false);
    let run = sage.sync().await;
    let counts = (
        count(&sage.store, "employees"),
        count(&sage.store, "jobs"),
        count(&sage.store, "tasks"),
        count(&sage.store, "pay_items"),
    );
    let c = &sage.company;
    assert_eq!(
        (run.outcome, counts),
        (
            RunOutcome::Succeeded,
            (
                c.employees.len() as i64,
                (c.jobs.len() + c.extras.len()) as i64,
                (c.cost_codes.len() + c.categories.len()) as i64,
                c.pay_ids.len() as i64
            )
        ),
        "every employee, job and extra, cost code and category, and pay ID is staged"
    );
}

// contract: SAGE-LIST-1
#[tokio::test]
async fn a_second_sync_removes_what_sage_no_longer_has_and_updates_what_changed() {
    let mut sage = Sage::new(company(), false);
    sage.sync().await;
    let gone = sage.company.employees.remove(0).number;
    sage.company.jobs[0].description = "Harbor View Condos, tower B".into();
    let renamed = sage.company.jobs[0].job.clone();
    sage.save();
    let run = sage.sync().await;
    let (employee, job) = (
        sage.staged("employees", &gone).expect("still staged"),
        sage.staged("jobs", &renamed).expect("staged"),
    );
    assert_eq!(
        (run.outcome, employee.1, job.1, job.0.as_str()),
        (RunOutcome::Succeeded, true, false, "new"),
        "the employee missing from the whole list is removed at the source; the edited job is staged again"
    );
    assert!(
        job.2.contains("tower B"),
        "the job's new description is staged: {}",
        job.2
    );
}

#[tokio::test]
async fn the_same_lists_sync_from_csv_exports() {
    let through_odbc = Sage::new(company(), false);
    through_odbc.sync().await;
    let through_files = Sage::new(company(), true);
    let run = through_files.sync().await;
    let ids = |s: &Snapshot| -> Vec<(String, String)> {
        s.iter().map(|r| (r.0.clone(), r.1.clone())).collect()
    };
    assert_eq!(
        (run.outcome, ids(&snapshot(&through_files.store))),
        (RunOutcome::Succeeded, ids(&snapshot(&through_odbc.store))),
        "the exports stage the very records the tables do"
    );
}

// contract: SAGE-LIST-2
#[tokio::test]
async fn a_table_with_a_wrong_column_stages_nothing_and_says_why() {
    let mut sage = Sage::new(company(), false);
    sage.sync().await;
    let before = snapshot(&sage.store);
    sage.company.employees.remove(0);
    sage.company.renamed_columns = vec![("MASTER_PRM_PAY", "Pay_ID", "PayCode")];
    sage.save();
    let run = sage.sync().await;
    assert_eq!(
        (run.outcome, snapshot(&sage.store) == before),
        (RunOutcome::Failed, true),
        "one list unreadable: nothing is staged, not even the lists read before it"
    );
    let message = run.error_message.unwrap_or_default();
    assert!(
        message.contains("MASTER_PRM_PAY") && message.contains("Pay_ID"),
        "the message names the table and the column: {message}"
    );
}

#[tokio::test]
async fn a_data_source_that_does_not_exist_fails_the_sync_in_words() {
    let sage = Sage::new(company(), false);
    sage.store
        .write(|tx| {
            let mut settings = integrations::get(tx, sage.integration)?.settings;
            settings.dsn = Some("NoSuchSageData".into());
            integrations::update_settings(
                tx,
                sage.integration,
                &settings,
                &Actor::system(),
                Utc::now(),
            )
        })
        .expect("saved");
    let run = sage.sync().await;
    assert_eq!(run.outcome, RunOutcome::Failed, "nothing to read");
    assert!(
        run.error_message
            .unwrap_or_default()
            .starts_with("There is no ODBC data source “NoSuchSageData”"),
        "the admin is told what to set up"
    );
}

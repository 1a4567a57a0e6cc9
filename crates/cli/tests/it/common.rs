//! Helpers for the command-line tests: run the real `timebridge` binary over
//! a database in a temporary folder, and fill that database through the
//! core (an integration, staged records, local records) without a network.

use std::path::Path;
use std::process::{Command, Output};

use chrono::{NaiveDate, Utc};
use serde_json::Value;
use timebridge_core::audit::Actor;
use timebridge_core::middleware::integrations::{self, IntegrationSettings};
use timebridge_core::middleware::{Incoming, Module, staged};
use timebridge_core::records::NewRecordSource;
use timebridge_core::records::time_entries::{self, TimeEntryDraft, TimeSpan};
use timebridge_emulators::quickbooks_time::{Company, CompanySpec, Emulator, EmulatorOptions};
use timebridge_testkit::TempDb;

/// `connect quickbooks-time` with an access token, at `base`.
pub fn connect_quickbooks_time<'a>(token: &'a str, base: &'a str) -> [&'a str; 6] {
    [
        "connect",
        "quickbooks-time",
        "--token",
        token,
        "--base-url",
        base,
    ]
}

/// The demo company served by the QuickBooks Time emulator, as documented.
pub async fn demo_quickbooks_time() -> Emulator {
    let now = Utc::now();
    Emulator::start(
        Company::generate(&CompanySpec::demo(now.date_naive()), now),
        EmulatorOptions::default(),
    )
    .await
    .expect("emulator")
}

/// A database file in its own temporary folder (kept while this lives),
/// run over by the `timebridge` binary: the kit's [`TempDb`] (its `path`,
/// its `store()`), with the command-line runs.
pub struct Db(TempDb);

pub fn db() -> Db {
    Db(TempDb::new())
}

impl std::ops::Deref for Db {
    type Target = TempDb;

    fn deref(&self) -> &TempDb {
        &self.0
    }
}

impl Db {
    /// Runs `timebridge --db PATH ARGS…`.
    pub fn run(&self, args: &[&str]) -> Output {
        timebridge(&self.path, args)
    }

    /// Runs a command that must succeed, and returns its standard output.
    pub fn ok(&self, args: &[&str]) -> String {
        let output = self.run(args);
        assert!(
            output.status.success(),
            "`timebridge {}` succeeds: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// Runs a command that must succeed with `--json`, and returns its JSON.
    pub fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        serde_json::from_str(&self.ok(&all)).expect("stdout is JSON")
    }

    /// Runs a command that must fail with exit code 1, and returns its
    /// standard error.
    pub fn fails(&self, args: &[&str]) -> String {
        let output = self.run(args);
        assert_eq!(
            output.status.code(),
            Some(1),
            "`timebridge {}` fails: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stdout)
        );
        String::from_utf8_lossy(&output.stderr).into_owned()
    }

    /// Records a connection of `platform` called `name` (no sign-in: it is
    /// never synced); its id.
    pub fn integration(&self, platform: &str, name: &str) -> i64 {
        let now = Utc::now();
        self.store()
            .write(|tx| {
                integrations::create(
                    tx,
                    platform,
                    name,
                    &IntegrationSettings::defaults(now),
                    &Actor::cli(),
                    now,
                )
            })
            .expect("integration saved")
            .id
    }

    /// Stages `records` of `module` as a sync would.
    pub fn stage(&self, integration: i64, module: Module, records: &[Incoming]) {
        self.store()
            .write(|tx| staged::apply_page(tx, integration, module, None, records, Utc::now()))
            .expect("staged");
    }

    /// An employee made by hand; their id.
    pub fn employee(&self, first: &str, last: &str, number: Option<&str>) -> i64 {
        timebridge_testkit::employee(
            &self.store(),
            first,
            last,
            number,
            &Actor::cli(),
            Utc::now(),
        )
        .id
    }

    /// `hours` entered by hand for `employee` on `date`, on `pay_id`.
    pub fn time(&self, employee: i64, date: &str, hours: i64, pay_id: Option<i64>) {
        self.store()
            .write(|tx| {
                time_entries::create(
                    tx,
                    &TimeEntryDraft {
                        employee_id: employee,
                        job_id: None,
                        task_id: None,
                        pay_id,
                        span: TimeSpan::Manual {
                            date: date.parse::<NaiveDate>().expect("date"),
                            duration_seconds: hours * 3600,
                        },
                        notes: String::new(),
                    },
                    &NewRecordSource::Manual,
                    &Actor::cli(),
                    Utc::now(),
                )
            })
            .expect("time entered");
    }
}

pub fn timebridge(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_timebridge"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("TIMEBRIDGE_DB")
        .output()
        .expect("the binary runs")
}

/// A staged record as a connector hands it over.
pub fn incoming(id: &str, label: &str, data: Value) -> Incoming {
    let record_date = data
        .pointer("/span/date")
        .and_then(Value::as_str)
        .and_then(|d| d.parse().ok());
    Incoming {
        external_id: id.into(),
        data,
        label: label.into(),
        record_date,
    }
}

/// A staged time entry of `employee` (external id) on `date`.
pub fn time_entry(
    id: &str,
    employee: &str,
    date: &str,
    hours: i64,
    pay_item: Option<&str>,
) -> Incoming {
    incoming(
        id,
        &format!("{employee} · {date}"),
        serde_json::json!({
            "employee_external_id": employee, "job_external_id": null, "task_external_id": null,
            "pay_item_external_id": pay_item, "notes": "",
            "span": {"kind": "manual", "date": date, "duration_seconds": hours * 3600},
        }),
    )
}

/// A staged employee.
pub fn staged_employee(id: &str, first: &str, last: &str) -> Incoming {
    incoming(
        id,
        &format!("{first} {last}"),
        serde_json::json!({"first_name": first, "last_name": last, "employee_number": null,
            "email": null, "phone": null, "hire_date": null, "active": true}),
    )
}

/// Records a QuickBooks Desktop connection called "Lakeside Builders LLC"
/// whose Web Connector signs in as "office" and is answered at
/// `http://localhost:PORT/qbwc`, with publishing off; its id. Its password
/// is not saved anywhere: the keyring tests put it there.
pub fn quickbooks_desktop(db: &Db, port: u16) -> i64 {
    let now = Utc::now();
    let mut settings = IntegrationSettings::defaults(now);
    settings.base_url = Some(format!("http://localhost:{port}/qbwc"));
    settings.web_connector = Some(integrations::WebConnectorSettings {
        username: "office".into(),
        owner_id: "{57F3B9B6-86F1-4FCC-B1FF-966DE1813D20}".into(),
        file_id: "{57F3B9B6-86F1-4FCC-B1FF-166DE1813D20}".into(),
        app_name: "Timebridge · Lakeside Builders LLC".into(),
        publishing: false,
        class: None,
        billable: None,
    });
    db.store()
        .write(|tx| {
            integrations::create(
                tx,
                "quickbooks_desktop",
                "Lakeside Builders LLC",
                &settings,
                &Actor::cli(),
                now,
            )
        })
        .expect("integration saved")
        .id
}

//! The command line answering the emulated QuickBooks Web Connector for a
//! saved QuickBooks Desktop connection (its password in the real keyring):
//! `sync` takes the next update and prints its run; `payroll publish
//! --wait-minutes` sends the publication in an update and prints each
//! line's answer; without waiting it says how the publication goes.

use std::io::BufRead;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use chrono::{Datelike, Utc};
use timebridge_connectors::secrets::{
    Credentials, KEYRING_SERVICE, KeyringSecrets, SecretStore, integration_key,
};
use timebridge_emulators::quickbooks_desktop::{Company, CompanySpec, WebConnector};

use crate::common::{self, Db};

const PASSWORD: &str = "Yard-Office-2026";

/// The Monday of last week, as YYYY-MM-DD: its days are all past.
fn last_monday() -> String {
    let today = Utc::now().date_naive();
    (today - chrono::Duration::days(i64::from(today.weekday().num_days_from_monday()) + 7))
        .to_string()
}

/// A saved connection, its password in the keyring, and the Web Connector
/// in front of a generated company file; the keyring entry goes with it.
struct Connection {
    db: Db,
    id: i64,
    wc: WebConnector,
    runtime: tokio::runtime::Runtime,
}

impl Connection {
    fn new() -> Connection {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let db = common::db();
        let id = common::quickbooks_desktop(&db, port);
        Credentials::access_token(PASSWORD)
            .save(&KeyringSecrets::new(KEYRING_SERVICE), id)
            .expect("the keyring takes the password");
        let wc = WebConnector::new(
            &format!("http://localhost:{port}/qbwc"),
            Company::generate(&CompanySpec::default()),
        );
        let runtime = tokio::runtime::Runtime::new().expect("runtime");
        Connection {
            db,
            id,
            wc,
            runtime,
        }
    }

    /// Runs `timebridge ARGS…` until it answers the Web Connector, lets
    /// the Web Connector update once, and returns how the command ended.
    fn with_update(&self, args: &[&str]) -> Ended {
        let answering = Answering::start(&self.db, args);
        let update = self
            .runtime
            .block_on(self.wc.update("office", PASSWORD))
            .expect("the Web Connector reaches Timebridge");
        assert_eq!(update.percents.last(), Some(&100), "the update completes");
        answering.end()
    }

    /// Synced once, publishing on, the employees and pay items imported,
    /// 8 hours each last Monday, every pay ID mapped to Hourly Rate.
    fn ready_to_publish() -> Connection {
        let c = Connection::new();
        c.db.ok(&[
            "payroll",
            "publishing",
            "on",
            "QuickBooks Desktop",
            "--qwc-folder",
        ]
        .into_iter()
        .chain([c.db.dir.path().to_str().expect("path")])
        .collect::<Vec<_>>());
        let synced = c.with_update(&["sync", "QuickBooks Desktop", "--wait-minutes", "1"]);
        assert!(synced.success, "synced: {}", synced.stderr);
        let id = c.id.to_string();
        for module in ["employees", "pay-items"] {
            c.db.ok(&["import", &id, module, "--status", "new"]);
        }
        let column = |kind: &str, field: &str| -> Vec<String> {
            let page = c.db.json(&["records", "list", kind]);
            page["rows"]
                .as_array()
                .expect("rows")
                .iter()
                .map(|r| r[field].to_string().trim_matches('"').to_owned())
                .collect()
        };
        let (employees, codes) = (column("employees", "id"), column("pay-ids", "code"));
        for employee in &employees {
            c.db.time(employee.parse().expect("id"), &last_monday(), 8, None);
        }
        for code in &codes {
            c.db.ok(&["payroll", "map", "QuickBooks Desktop", code, "Hourly Rate"]);
        }
        c
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        let _ = KeyringSecrets::new(KEYRING_SERVICE).delete(&integration_key(self.id));
    }
}

/// A `timebridge` process answering the Web Connector.
struct Answering {
    child: Child,
    stderr: Arc<Mutex<Vec<String>>>,
}

/// How it ended.
struct Ended {
    success: bool,
    stdout: String,
    stderr: String,
}

impl Answering {
    /// Starts it and waits (30 s at most) until it says where it answers.
    fn start(db: &Db, args: &[&str]) -> Answering {
        let mut child = Command::new(env!("CARGO_BIN_EXE_timebridge"))
            .arg("--db")
            .arg(&db.path)
            .args(args)
            .env_remove("TIMEBRIDGE_DB")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary runs");
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = mpsc::channel();
        let pipe = child.stderr.take().expect("stderr");
        let lines = stderr.clone();
        // Read standard error to its end (a closed pipe would stop it).
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(pipe).lines().map_while(Result::ok) {
                if line.starts_with("Timebridge answers the Web Connector at ") {
                    let _ = tx.send(());
                }
                lines.lock().expect("lines").push(line);
            }
        });
        rx.recv_timeout(Duration::from_secs(30))
            .unwrap_or_else(|_| {
                panic!(
                    "it answers the Web Connector: {:?}",
                    stderr.lock().expect("lines")
                )
            });
        Answering { child, stderr }
    }

    fn end(self) -> Ended {
        let output = self.child.wait_with_output().expect("it exits");
        let stderr = self.stderr.lock().expect("lines").join("\n");
        Ended {
            success: output.status.success(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr,
        }
    }
}

#[test]
#[ignore = "needs a Secret Service: run by cargo xtask test in a D-Bus session with GNOME Keyring"]
fn sync_answers_the_web_connectors_next_update_and_prints_its_run() {
    let c = Connection::new();
    let ended = c.with_update(&["sync", "QuickBooks Desktop", "--wait-minutes", "1"]);
    assert!(
        ended.success,
        "the update's run succeeded: {}",
        ended.stderr
    );
    assert!(
        ended
            .stdout
            .contains("Sync of Lakeside Builders LLC: Succeeded")
            && ended.stdout.contains("employees"),
        "the run is printed like any sync: {}",
        ended.stdout
    );
    assert!(
        !ended.stdout.contains(PASSWORD) && !ended.stderr.contains(PASSWORD),
        "the password is never printed"
    );
}

#[test]
#[ignore = "needs a Secret Service: run by cargo xtask test in a D-Bus session with GNOME Keyring"]
fn a_publish_without_waiting_says_it_waits_for_the_web_connector_and_how_to_send_it() {
    let c = Connection::ready_to_publish();
    let printed = c.db.ok(&[
        "payroll",
        "publish",
        "--period",
        &last_monday(),
        "--to",
        "QuickBooks Desktop",
    ]);
    assert!(
        printed.contains("Waiting for the QuickBooks Web Connector")
            && printed.contains("timebridge sync \"Lakeside Builders LLC\""),
        "says the lines wait and how to send them from here: {printed}"
    );
}

#[test]
#[ignore = "needs a Secret Service: run by cargo xtask test in a D-Bus session with GNOME Keyring"]
fn payroll_publish_waits_for_an_update_prints_each_answer_and_a_second_has_nothing_to_send() {
    let c = Connection::ready_to_publish();
    let day = last_monday();
    let publish = [
        "payroll",
        "publish",
        "--period",
        &day,
        "--to",
        "QuickBooks Desktop",
        "--wait-minutes",
        "1",
    ];
    let ended = c.with_update(&publish);
    assert!(ended.success, "every line was accepted: {}", ended.stderr);
    assert!(
        ended.stderr.contains("lines answered"),
        "progress is shown while QuickBooks answers: {}",
        ended.stderr
    );
    let held: Vec<(String, String)> = {
        let company = c.wc.company.lock().expect("company");
        company
            .time_tracking
            .iter()
            .map(|t| {
                let text = |k: &str| t[k].as_str().unwrap_or_default().to_owned();
                (text("TxnID"), text("EditSequence"))
            })
            .collect()
    };
    assert!(!held.is_empty(), "QuickBooks holds the time");
    for (txn, edit) in &held {
        assert!(
            ended
                .stdout
                .lines()
                .any(|l| l.contains(txn) && l.contains(edit) && l.ends_with("accepted")),
            "line {txn} is printed with its EditSequence {edit}: {}",
            ended.stdout
        );
    }
    let again = c.db.ok(&publish);
    assert!(
        again.contains("Nothing to send"),
        "a second publish sends nothing: {again}"
    );
}

#[test]
#[ignore = "needs a Secret Service: run by cargo xtask test in a D-Bus session with GNOME Keyring"]
fn a_publish_whose_wait_ends_before_an_update_fails_and_the_publication_still_waits() {
    let c = Connection::ready_to_publish();
    let day = last_monday();
    let mut publish = vec!["payroll", "publish", "--period", &day];
    publish.extend(["--to", "QuickBooks Desktop", "--wait-minutes", "0"]);
    let error = c.db.fails(&publish);
    assert!(
        error.contains("did not send the publication") && error.contains("still waits"),
        "the wait ending first is a failure that says the lines still wait: {error}"
    );
    let again = c.db.ok(&publish[..6]);
    assert!(
        again.contains("already on its way"),
        "the publication was kept for the next update: {again}"
    );
}

#[test]
#[ignore = "needs a Secret Service: run by cargo xtask test in a D-Bus session with GNOME Keyring"]
fn lines_quickbooks_refuses_are_printed_with_why_and_the_publish_fails() {
    let c = Connection::ready_to_publish();
    // The books are closed through today: QuickBooks refuses the time.
    c.wc.company.lock().expect("company").closing_date = Some(Utc::now().date_naive());
    let day = last_monday();
    let ended = c.with_update(&[
        "payroll",
        "publish",
        "--period",
        &day,
        "--to",
        "QuickBooks Desktop",
        "--wait-minutes",
        "1",
    ]);
    assert!(!ended.success, "a refused line fails the command");
    let refused: Vec<&str> = ended
        .stdout
        .lines()
        .filter(|l| l.contains("refused: "))
        .collect();
    assert_eq!(
        refused.len(),
        5,
        "each employee's line is printed with QuickBooks' reason: {}",
        ended.stdout
    );
}

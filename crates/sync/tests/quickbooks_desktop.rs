//! QuickBooks Desktop over real HTTP: Timebridge is the SOAP server, an
//! emulated Web Connector calls it in front of an emulated company file.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use tempfile::TempDir;
use timebridge_connectors::secrets::{Credentials, MemorySecrets, SecretStore};
use timebridge_core::audit::Actor;
use timebridge_core::middleware::integrations::{self, IntegrationSettings, WebConnectorSettings};
use timebridge_core::middleware::runs::{self, RunOutcome, RunTrigger, SyncRun};
use timebridge_core::time::SystemClock;
use timebridge_core::{ApiError, Sensitive, Store};
use timebridge_emulators::quickbooks_desktop::{Company, CompanySpec, Faults, WebConnector};
use timebridge_sync::{ConnectState, Engine, EngineOptions};

const USERNAME: &str = "timebridge-office";
const PASSWORD: &str = "Correct-Horse-7";

fn options() -> EngineOptions {
    EngineOptions {
        web_connector_idle: Duration::from_millis(400),
        ..EngineOptions::default()
    }
}

struct Setup {
    engine: Engine,
    store: Arc<Store>,
    secrets: Arc<MemorySecrets>,
    url: String,
    _dir: TempDir,
}

impl Setup {
    async fn new() -> Setup {
        let dir = tempfile::tempdir().expect("temp folder");
        let store = Arc::new(Store::open(&dir.path().join("timebridge.db")).expect("database"));
        let secrets = Arc::new(MemorySecrets::default());
        let engine = Engine::new(
            store.clone(),
            secrets.clone() as Arc<dyn SecretStore>,
            Arc::new(SystemClock),
            options(),
        );
        let url = engine
            .listen_web_connector("http://localhost:0/qbwc")
            .await
            .expect("a free loopback port");
        Setup {
            engine,
            store,
            secrets,
            url,
            _dir: dir,
        }
    }

    /// A saved connection and a Web Connector in front of the usual company.
    async fn started() -> (Setup, i64, WebConnector) {
        let setup = Setup::new().await;
        let id = setup.connected();
        let wc = setup.web_connector(&CompanySpec::default());
        (setup, id, wc)
    }

    /// An update that reads everything, once it has been staged.
    async fn first_update(&self, wc: &WebConnector, id: i64) {
        wc.update(USERNAME, PASSWORD).await.expect("first update");
        assert_eq!(self.ended_run(id).await.outcome, RunOutcome::Succeeded);
    }

    /// A saved connection, as the connect dialog leaves it.
    fn connected(&self) -> i64 {
        let now = Utc::now();
        let mut settings = IntegrationSettings::defaults(now);
        settings.base_url = Some(self.url.clone());
        settings.web_connector = Some(WebConnectorSettings {
            username: USERNAME.into(),
            owner_id: "{00000000-0000-4000-8000-000000000001}".into(),
            file_id: "{00000000-0000-4000-8000-000000000002}".into(),
            app_name: "Timebridge · Lakeside".into(),
        });
        let id = self
            .store
            .write(|tx| {
                integrations::create(
                    tx,
                    "quickbooks_desktop",
                    "Lakeside",
                    &settings,
                    &Actor::system(),
                    now,
                )
            })
            .expect("integration")
            .id;
        Credentials::access_token(PASSWORD)
            .save(self.secrets.as_ref(), id)
            .expect("saved");
        id
    }

    fn web_connector(&self, spec: &CompanySpec) -> WebConnector {
        WebConnector::new(&self.url, Company::generate(spec))
    }

    /// The integration's last run, once it has ended.
    async fn ended_run(&self, id: i64) -> SyncRun {
        for _ in 0..200 {
            let run = self
                .store
                .read(|conn| runs::latest(conn, id))
                .expect("readable");
            if let Some(run) = run
                && run.outcome != RunOutcome::Running
            {
                return run;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("the run never ended");
    }

    /// The message of the integration's last run, which failed.
    async fn failure(&self, id: i64) -> String {
        let run = self.ended_run(id).await;
        assert_eq!(run.outcome, RunOutcome::Failed, "the run failed");
        run.error_message.unwrap_or_default()
    }

    fn count(&self, id: i64, module: &str) -> i64 {
        self.store
            .read(|conn| {
                Ok(conn.query_row(
                    "SELECT count(*) FROM staged_records
                     WHERE integration_id = ?1 AND module = ?2 AND removed_at_source = 0",
                    (id, module),
                    |r| r.get(0),
                )?)
            })
            .expect("countable")
    }
}

#[tokio::test]
async fn an_update_stages_every_list_of_the_company_file() {
    let setup = Setup::new().await;
    let id = setup.connected();
    let wc = setup.web_connector(&CompanySpec {
        employees: 230,
        ..CompanySpec::default()
    });
    let update = wc
        .update(USERNAME, PASSWORD)
        .await
        .expect("the update runs");
    assert_eq!(update.auth_status, "", "the right password is accepted");
    assert_eq!(update.percents.last(), Some(&100), "the update completes");
    let run = setup.ended_run(id).await;
    assert_eq!(
        run.outcome,
        RunOutcome::Succeeded,
        "{:?}",
        run.error_message
    );
    assert_eq!(run.trigger, RunTrigger::WebConnector);
    assert_eq!(setup.count(id, "employees"), 230, "three iterator pages");
    assert_eq!(setup.count(id, "customers"), 3);
    assert_eq!(setup.count(id, "jobs"), 6, "two jobs under each customer");
    assert_eq!(setup.count(id, "tasks"), 4, "service items");
    assert_eq!(setup.count(id, "pay_items"), 5, "wage payroll items");
    assert_eq!(
        update.closed_with.as_deref(),
        Some("Timebridge: update complete."),
        "the Web Connector's log says it finished"
    );
}

#[tokio::test]
async fn a_wrong_password_is_refused_and_recorded_without_the_password() {
    let (setup, id, wc) = Setup::started().await;
    let update = wc
        .update(USERNAME, "wrong-horse-9")
        .await
        .expect("answered");
    assert_eq!(update.auth_status, "nvu", "not a valid user");
    let message = setup.failure(id).await;
    assert!(
        message.contains("wrong username or password"),
        "said plainly: {message}"
    );
    assert!(
        !message.contains("wrong-horse-9"),
        "the password is never shown"
    );
    assert_eq!(setup.count(id, "employees"), 0, "nothing was read");
}

#[tokio::test]
async fn a_record_deleted_in_quickbooks_is_removed_at_the_source_on_the_next_update() {
    let (setup, id, wc) = Setup::started().await;
    setup.first_update(&wc, id).await;
    let gone = wc.update_company(|c| {
        let gone = c.employees[1]["ListID"].as_str().expect("id").to_owned();
        c.delete(&gone);
        gone
    });
    wc.update(USERNAME, PASSWORD).await.expect("second update");
    let run = setup.ended_run(id).await;
    assert_eq!(run.outcome, RunOutcome::Succeeded);
    assert_eq!(
        run.counts["employees"].removed, 1,
        "one employee was deleted"
    );
    let removed: bool = setup
        .store
        .read(|conn| {
            Ok(conn.query_row(
                "SELECT removed_at_source FROM staged_records WHERE external_id = ?1",
                [&gone],
                |r| r.get(0),
            )?)
        })
        .expect("still staged");
    assert!(removed, "kept, and marked removed at the source");
}

#[tokio::test]
async fn a_request_quickbooks_fails_fails_the_run_and_keeps_what_was_staged() {
    let (setup, id, wc) = Setup::started().await;
    setup.first_update(&wc, id).await;
    wc.update_company(|c| {
        let first = c.employees[0]["ListID"].as_str().expect("id").to_owned();
        c.delete(&first)
    });
    wc.set_faults(Faults {
        fail_request: Some((3, "0x80040410".into(), "QuickBooks is busy.".into())),
        ..Faults::default()
    });
    let update = wc.update(USERNAME, PASSWORD).await.expect("answered");
    assert_eq!(update.percents.last(), Some(&-1), "the update is stopped");
    let message = setup.failure(id).await;
    assert!(
        message.contains("customers and jobs") && message.contains("0x80040410"),
        "names the list and QuickBooks' code: {message}"
    );
    assert_eq!(
        update.last_error.as_deref(),
        Some(message.as_str()),
        "the Web Connector shows the same words"
    );
    assert_eq!(
        setup.count(id, "employees"),
        5,
        "the deletion read before the failure was not written"
    );
}

#[tokio::test]
async fn a_garbled_answer_fails_the_run_with_what_to_do() {
    let (setup, id, wc) = Setup::started().await;
    wc.set_faults(Faults {
        garble_answer: Some(2),
        ..Faults::default()
    });
    wc.update(USERNAME, PASSWORD).await.expect("answered");
    let message = setup.failure(id).await;
    assert!(
        message.contains("employees") && message.contains("Update Selected"),
        "says which answer and what to do: {message}"
    );
    assert_eq!(setup.count(id, "customers"), 0, "nothing half-written");
}

#[tokio::test]
async fn a_web_connector_that_goes_quiet_fails_the_run_after_the_idle_limit() {
    let (setup, id, wc) = Setup::started().await;
    wc.set_faults(Faults {
        vanish_after: Some(3),
        ..Faults::default()
    });
    let update = wc.update(USERNAME, PASSWORD).await.expect("answered");
    assert_eq!(update.closed_with, None, "it never closed the connection");
    assert!(
        setup.failure(id).await.contains("stopped calling"),
        "says the Web Connector went quiet"
    );
    assert_eq!(setup.count(id, "employees"), 0, "nothing half-written");
    assert!(
        !setup.engine.is_running(id),
        "the run is over, a new update may start"
    );
}

#[tokio::test]
async fn quickbooks_not_open_is_told_to_the_admin() {
    let (setup, id, wc) = Setup::started().await;
    wc.set_faults(Faults {
        quickbooks_closed: true,
        ..Faults::default()
    });
    let update = wc.update(USERNAME, PASSWORD).await.expect("answered");
    assert_eq!(update.connection_error_reply.as_deref(), Some("done"));
    assert!(
        setup
            .failure(id)
            .await
            .contains("could not open QuickBooks"),
        "says QuickBooks must be open"
    );
}

#[tokio::test]
async fn sync_now_says_how_to_start_an_update_from_the_web_connector() {
    let setup = Setup::new().await;
    let id = setup.connected();
    let error = setup
        .engine
        .sync(id, RunTrigger::Manual)
        .await
        .expect_err("Timebridge cannot call QuickBooks");
    assert!(
        error.message.contains("Update Selected"),
        "says what to click: {}",
        error.message
    );
}

#[tokio::test]
async fn a_connection_is_made_by_the_web_connectors_first_update() {
    let setup = Setup::new().await;
    let store = setup.store.clone();
    let url = setup.url.clone();
    let flow = setup.engine.expect_web_connector(
        USERNAME,
        Sensitive::new(PASSWORD.into()),
        Box::new(move |company: &str| -> Result<_, ApiError> {
            let now = Utc::now();
            let mut settings = IntegrationSettings::defaults(now);
            settings.base_url = Some(url);
            settings.web_connector = Some(WebConnectorSettings {
                username: USERNAME.into(),
                owner_id: "{o}".into(),
                file_id: "{f}".into(),
                app_name: "Timebridge · QuickBooks Desktop".into(),
            });
            Ok(store.write(|tx| {
                integrations::create(
                    tx,
                    "quickbooks_desktop",
                    company,
                    &settings,
                    &Actor::system(),
                    now,
                )
            })?)
        }),
    );
    let wc = setup.web_connector(&CompanySpec::default());

    let refused = wc.update(USERNAME, "typo").await.expect("answered");
    assert_eq!(refused.auth_status, "nvu");
    match setup.engine.web_connector_connect_state(&flow) {
        Some(ConnectState::Waiting { refused: Some(why) }) => assert!(
            why.contains("wrong username or password"),
            "the dialog is told plainly: {why}"
        ),
        other => panic!("still waiting, with the refusal: {other:?}"),
    }

    let update = wc.update(USERNAME, PASSWORD).await.expect("answered");
    assert_eq!(update.percents.last(), Some(&100));
    let integration = match setup.engine.web_connector_connect_state(&flow) {
        Some(ConnectState::Connected(integration)) => integration,
        other => panic!("connected: {other:?}"),
    };
    assert_eq!(
        integration.name, "Lakeside Builders LLC",
        "named after the company QuickBooks answered with"
    );
    let run = setup.ended_run(integration.id).await;
    assert_eq!(
        run.outcome,
        RunOutcome::Succeeded,
        "{:?}",
        run.error_message
    );
    assert_eq!(
        setup.count(integration.id, "employees"),
        5,
        "the same update went on to read the lists"
    );
}

#[tokio::test]
async fn a_cancelled_connection_creates_nothing() {
    let setup = Setup::new().await;
    let flow = setup.engine.expect_web_connector(
        USERNAME,
        Sensitive::new(PASSWORD.into()),
        Box::new(|_: &str| panic!("a cancelled connection is never created")),
    );
    assert_eq!(setup.engine.cancel_web_connector_connect(&flow), Some(true));
    let update = setup
        .web_connector(&CompanySpec::default())
        .update(USERNAME, PASSWORD)
        .await
        .expect("answered");
    assert_eq!(
        update.auth_status, "nvu",
        "nobody is waiting for this sign-in any more"
    );
    let all = setup.store.read(integrations::list).expect("readable");
    assert!(all.is_empty(), "no integration was made");
}

#[tokio::test]
async fn an_update_cancelled_in_timebridge_stops_and_the_next_one_starts_afresh() {
    let (setup, id, wc) = Setup::started().await;
    wc.set_faults(Faults {
        vanish_after: Some(2),
        ..Faults::default()
    });
    wc.update(USERNAME, PASSWORD).await.expect("answered");
    assert!(setup.engine.cancel(id), "the update is still running");
    let run = setup.ended_run(id).await;
    assert_eq!(run.outcome, RunOutcome::Cancelled);
    assert_eq!(setup.count(id, "employees"), 0, "nothing half-written");

    wc.set_faults(Faults::default());
    let update = wc.update(USERNAME, PASSWORD).await.expect("answered");
    assert_eq!(
        update.auth_status, "",
        "not busy: the cancelled run is over"
    );
    assert_eq!(update.percents.last(), Some(&100));
    setup.ended_run(id).await;
    assert_eq!(setup.count(id, "employees"), 5);
}

#[tokio::test]
async fn a_second_update_while_one_is_going_is_told_timebridge_is_busy() {
    let (setup, id, wc) = Setup::started().await;
    wc.set_faults(Faults {
        vanish_after: Some(2),
        ..Faults::default()
    });
    wc.update(USERNAME, PASSWORD).await.expect("answered");
    wc.set_faults(Faults::default());
    let second = wc.update(USERNAME, PASSWORD).await.expect("answered");
    assert_eq!(
        second.auth_status, "busy",
        "one update per connection at a time"
    );
    assert_eq!(
        setup.ended_run(id).await.outcome,
        RunOutcome::Failed,
        "the first ends when the Web Connector stays quiet"
    );
}

#[tokio::test]
async fn a_request_that_is_not_soap_gets_a_fault_and_the_server_keeps_answering() {
    let (setup, id, wc) = Setup::started().await;
    let answer = reqwest::Client::new()
        .post(&setup.url)
        .header("Content-Type", "text/xml")
        .body("<html><body>not a SOAP call")
        .send()
        .await
        .expect("answered");
    assert_eq!(answer.status(), 500, "a SOAP fault");
    let body = answer.text().await.expect("a body");
    assert!(
        body.contains("<faultstring>Timebridge could not read this request"),
        "the fault says why: {body}"
    );
    setup.first_update(&wc, id).await;
    assert_eq!(setup.count(id, "employees"), 5, "the next update works");
}

#[tokio::test]
async fn an_update_closed_before_every_list_was_read_saves_nothing_and_says_so() {
    let (setup, id, wc) = Setup::started().await;
    wc.set_faults(Faults {
        close_after: Some(2),
        ..Faults::default()
    });
    let update = wc.update(USERNAME, PASSWORD).await.expect("answered");
    let closed = update.closed_with.unwrap_or_default();
    assert!(
        closed.contains("before every list was read"),
        "the Web Connector's log says what happened: {closed}"
    );
    let message = setup.failure(id).await;
    assert!(message.contains("Update Selected"), "{message}");
    assert_eq!(setup.count(id, "employees"), 0, "nothing half-written");
}

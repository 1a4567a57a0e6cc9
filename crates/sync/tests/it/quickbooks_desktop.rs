//! QuickBooks Desktop over real HTTP: Timebridge is the SOAP server, an
//! emulated Web Connector calls it in front of an emulated company file.
//! The last test validates whole updates, SOAP against the Web
//! Connector's WSDL and qbXML against Intuit's schema, with `xmllint`
//! (skipped, with a note, without `../shared/vendor/` or `xmllint`).

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use tempfile::TempDir;
use timebridge_connectors::secrets::{Credentials, MemorySecrets, SecretStore};
use timebridge_core::audit::Actor;
use timebridge_core::middleware::integrations::{self, IntegrationSettings, WebConnectorSettings};
use timebridge_core::middleware::runs::{self, RunOutcome, RunTrigger, SyncRun};
use timebridge_core::time::{Clock, SystemClock};
use timebridge_core::{Sensitive, Store};
use timebridge_emulators::quickbooks_desktop::schema::{self, Validator};
use timebridge_emulators::quickbooks_desktop::{
    Company, CompanySpec, Edition, Faults, SoapExchange, WebConnector, web_connector::METHODS,
};
use timebridge_sync::{ConnectState, Engine, EngineOptions, SyncError};

pub(crate) const USERNAME: &str = "timebridge-office";
pub(crate) const PASSWORD: &str = "Correct-Horse-7";

/// How long a run waits for the Web Connector's next call: short, so the
/// tests of a Web Connector that goes quiet end quickly.
pub(crate) const IDLE: Duration = Duration::from_millis(400);

pub(crate) fn options(web_connector_idle: Duration) -> EngineOptions {
    EngineOptions {
        web_connector_idle,
        ..EngineOptions::default()
    }
}

pub(crate) struct Setup {
    pub(crate) engine: Engine,
    pub(crate) store: Arc<Store>,
    secrets: Arc<MemorySecrets>,
    url: String,
    _dir: TempDir,
}

impl Setup {
    pub(crate) async fn new() -> Setup {
        Setup::waiting(IDLE).await
    }

    /// A setup whose runs wait `idle` for the Web Connector's next call.
    pub(crate) async fn waiting(idle: Duration) -> Setup {
        Setup::with(options(idle), Arc::new(SystemClock)).await
    }

    /// A setup with these options and clock.
    pub(crate) async fn with(options: EngineOptions, clock: Arc<dyn Clock>) -> Setup {
        let dir = tempfile::tempdir().expect("temp folder");
        let store = Arc::new(Store::open(&dir.path().join("timebridge.db")).expect("database"));
        let secrets = Arc::new(MemorySecrets::default());
        let engine = Engine::new(
            store.clone(),
            secrets.clone() as Arc<dyn SecretStore>,
            clock,
            options,
        );
        let url = engine
            .web_connector()
            .listen("http://localhost:0/qbwc")
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

    /// Where the Web Connector calls.
    pub(crate) fn url(&self) -> &str {
        &self.url
    }

    /// A saved connection and a Web Connector in front of the usual company.
    async fn started() -> (Setup, i64, WebConnector) {
        let setup = Setup::new().await;
        let id = setup.connected();
        let wc = setup.web_connector(&CompanySpec::default());
        (setup, id, wc)
    }

    /// An update that reads everything, once it has been staged.
    pub(crate) async fn first_update(&self, wc: &WebConnector, id: i64) {
        wc.update(USERNAME, PASSWORD).await.expect("first update");
        assert_eq!(self.ended_run(id).await.outcome, RunOutcome::Succeeded);
    }

    /// A saved connection, as the connect dialog leaves it.
    pub(crate) fn connected(&self) -> i64 {
        let now = Utc::now();
        let mut settings = IntegrationSettings::defaults(now);
        settings.base_url = Some(self.url.clone());
        settings.web_connector = Some(WebConnectorSettings {
            username: USERNAME.into(),
            owner_id: "{00000000-0000-4000-8000-000000000001}".into(),
            file_id: "{00000000-0000-4000-8000-000000000002}".into(),
            app_name: "Timebridge · Lakeside".into(),
            publishing: false,
            class: None,
            billable: None,
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

    pub(crate) fn web_connector(&self, spec: &CompanySpec) -> WebConnector {
        WebConnector::new(&self.url, Company::generate(spec))
    }

    /// The integration's last run, once it has ended.
    pub(crate) async fn ended_run(&self, id: i64) -> SyncRun {
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
    pub(crate) async fn failure(&self, id: i64) -> String {
        let run = self.ended_run(id).await;
        assert_eq!(run.outcome, RunOutcome::Failed, "the run failed");
        run.error_message.unwrap_or_default()
    }

    pub(crate) fn count(&self, id: i64, module: &str) -> i64 {
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
    assert_eq!(
        setup.count(id, "employees"),
        230,
        "every employee, in one answer (EmployeeQueryRq has no iterator)"
    );
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
async fn a_large_employee_list_in_one_answer_is_taken() {
    // Storing 4,000 employees between two calls takes longer than the
    // short idle limit on a loaded machine.
    let setup = Setup::waiting(Duration::from_secs(30)).await;
    let id = setup.connected();
    let wc = setup.web_connector(&CompanySpec {
        employees: 4_000,
        ..CompanySpec::default()
    });
    let update = wc.update(USERNAME, PASSWORD).await.expect(
        "a receiveResponseXML of several megabytes is read (EmployeeQueryRq has no iterator)",
    );
    let biggest = wc
        .transcript
        .lock()
        .expect("transcript")
        .iter()
        .map(|e| e.request.len())
        .max()
        .unwrap_or_default();
    assert!(
        biggest > 2 * 1024 * 1024,
        "the answer is past 2 MB: {biggest}"
    );
    assert_eq!(update.percents.last(), Some(&100));
    setup.ended_run(id).await;
    assert_eq!(setup.count(id, "employees"), 4_000);
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
        !setup.engine.runs().is_running(id),
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
        .runs()
        .sync(id, RunTrigger::Manual)
        .await
        .expect_err("Timebridge cannot call QuickBooks");
    let message = error.to_string();
    assert!(
        message.contains("Update Selected"),
        "says what to click: {}",
        message
    );
}

#[tokio::test]
async fn a_connection_is_made_by_the_web_connectors_first_update() {
    let setup = Setup::new().await;
    let store = setup.store.clone();
    let url = setup.url.clone();
    let flow = setup.engine.web_connector().expect(
        USERNAME,
        Sensitive::new(PASSWORD.into()),
        Box::new(move |company: &str| -> Result<_, SyncError> {
            let now = Utc::now();
            let mut settings = IntegrationSettings::defaults(now);
            settings.base_url = Some(url);
            settings.web_connector = Some(WebConnectorSettings {
                username: USERNAME.into(),
                owner_id: "{o}".into(),
                file_id: "{f}".into(),
                app_name: "Timebridge · QuickBooks Desktop".into(),
                publishing: false,
                class: None,
                billable: None,
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
    match setup.engine.web_connector().connect_state(&flow) {
        Some(ConnectState::Waiting { refused: Some(why) }) => assert!(
            why.contains("wrong username or password"),
            "the dialog is told plainly: {why}"
        ),
        other => panic!("still waiting, with the refusal: {other:?}"),
    }

    let update = wc.update(USERNAME, PASSWORD).await.expect("answered");
    assert_eq!(update.percents.last(), Some(&100));
    let integration = match setup.engine.web_connector().connect_state(&flow) {
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
    let flow = setup.engine.web_connector().expect(
        USERNAME,
        Sensitive::new(PASSWORD.into()),
        Box::new(|_: &str| panic!("a cancelled connection is never created")),
    );
    assert_eq!(
        setup.engine.web_connector().cancel_connect(&flow),
        Some(true)
    );
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
    assert!(
        setup.engine.runs().cancel(id),
        "the update is still running"
    );
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

#[tokio::test]
async fn a_company_file_without_payroll_keeps_its_pay_items_and_stages_the_rest() {
    let (setup, id, wc) = Setup::started().await;
    setup.first_update(&wc, id).await;
    assert_eq!(setup.count(id, "pay_items"), 5);
    wc.update_company(|c| {
        c.payroll = false;
        c.add_employee("Noor", "Haddad", "E099");
    });
    let update = wc.update(USERNAME, PASSWORD).await.expect("answered");
    assert_eq!(
        update.percents.last(),
        Some(&100),
        "3250 on payroll items does not stop the update"
    );
    let run = setup.ended_run(id).await;
    assert_eq!(
        run.outcome,
        RunOutcome::Succeeded,
        "the other lists were staged: {:?}",
        run.error_message
    );
    let message = run.error_message.unwrap_or_default();
    assert!(
        message.contains("payroll items were not read")
            && message.contains("payroll is not turned on"),
        "the run says which list and why: {message}"
    );
    assert_eq!(
        setup.count(id, "pay_items"),
        5,
        "the pay items staged before are not marked removed"
    );
    assert_eq!(
        setup.count(id, "employees"),
        6,
        "the new employee is staged"
    );
    assert!(
        update.closed_with.as_deref().is_some_and(|c| c
            .starts_with("Timebridge: update complete.")
            && c.contains("payroll items")),
        "the Web Connector's log says it too: {:?}",
        update.closed_with
    );
}

#[tokio::test]
async fn an_older_quickbooks_gets_the_newest_version_it_reads() {
    let setup = Setup::new().await;
    let id = setup.connected();
    let wc = setup.web_connector(&CompanySpec {
        edition: Edition::up_to("QuickBooks Premier 2012", "US", (11, 0)),
        ..CompanySpec::default()
    });
    setup.first_update(&wc, id).await;
    let requests = wc.update_company(|c| c.requests.clone());
    assert!(
        !requests.is_empty()
            && requests
                .iter()
                .all(|r| r.contains(r#"<?qbxml version="11.0"?>"#)),
        "every request in qbXML 11.0"
    );
    assert_eq!(setup.count(id, "employees"), 5);
}

#[tokio::test]
async fn a_quickbooks_older_than_2009_is_told_so_and_nothing_is_read() {
    let setup = Setup::new().await;
    let id = setup.connected();
    let wc = setup.web_connector(&CompanySpec {
        edition: Edition::up_to("QuickBooks Pro 2008", "US", (7, 0)),
        ..CompanySpec::default()
    });
    let update = wc.update(USERNAME, PASSWORD).await.expect("answered");
    let said = update.last_error.unwrap_or_default();
    assert!(
        said.contains("up to 7.0") && said.contains("QuickBooks 2009"),
        "the Web Connector shows why: {said}"
    );
    assert!(
        wc.update_company(|c| c.requests.is_empty()),
        "no request was handed to QuickBooks"
    );
    let message = setup.failure(id).await;
    assert_eq!(message, said, "the run says the same");
    assert_eq!(setup.count(id, "employees"), 0);
}

/// Every SOAP call and answer of several updates (a whole read, a wrong
/// password, QuickBooks closed, QuickBooks failing a request, an old
/// QuickBooks, a company file without payroll), with the qbXML they
/// carried.
async fn transcripts(setup: &Setup, id: i64) -> (Vec<SoapExchange>, Vec<String>) {
    let mut exchanges = Vec::new();
    let mut qbxml = Vec::new();
    let mut collect = |wc: &WebConnector| {
        exchanges.extend(wc.transcript.lock().expect("transcript").iter().cloned());
        wc.update_company(|c| {
            qbxml.extend(c.requests.iter().cloned());
            qbxml.extend(c.responses.iter().cloned());
        });
    };
    let whole = setup.web_connector(&CompanySpec {
        employees: 120,
        customers: 40,
        jobs_per_customer: 4,
        service_items: 120,
        ..CompanySpec::default()
    });
    setup.first_update(&whole, id).await;
    whole.update(USERNAME, "wrong-horse-9").await.expect("nvu");
    setup.failure(id).await;
    collect(&whole);
    for faults in [
        Faults {
            quickbooks_closed: true,
            ..Faults::default()
        },
        Faults {
            fail_request: Some((
                2,
                "0x80040400".into(),
                "QuickBooks found an error when parsing the provided XML text stream.".into(),
            )),
            ..Faults::default()
        },
    ] {
        let wc = setup.web_connector(&CompanySpec::default());
        wc.set_faults(faults);
        wc.update(USERNAME, PASSWORD).await.expect("answered");
        setup.failure(id).await;
        collect(&wc);
    }
    for spec in [
        CompanySpec {
            edition: Edition::up_to("QuickBooks Pro 2008", "US", (7, 0)),
            ..CompanySpec::default()
        },
        CompanySpec {
            payroll: false,
            ..CompanySpec::default()
        },
    ] {
        let wc = setup.web_connector(&spec);
        wc.update(USERNAME, PASSWORD).await.expect("answered");
        setup.ended_run(id).await;
        collect(&wc);
    }
    (exchanges, qbxml)
}

#[tokio::test]
async fn every_soap_call_and_answer_matches_the_web_connectors_wsdl() {
    // contract: QBWC-SOAP-1, QBWC-SEND-1
    let validator = match Validator::find() {
        Ok(validator) => validator,
        Err(why) => {
            eprintln!(
                "SKIPPED: the WSDL and qbXML schema test needs the vendor files and xmllint: {why}"
            );
            return;
        }
    };
    let (setup, id, _) = Setup::started().await;
    let (exchanges, qbxml) = transcripts(&setup, id).await;
    let methods: std::collections::BTreeSet<&str> =
        exchanges.iter().map(|e| e.method.as_str()).collect();
    for method in METHODS {
        assert!(methods.contains(method), "the updates call {method}");
    }
    let mut bodies = Vec::new();
    for (i, exchange) in exchanges.iter().enumerate() {
        for (side, message) in [("call", &exchange.request), ("answer", &exchange.answer)] {
            let body = schema::soap_body_content(message)
                .unwrap_or_else(|e| panic!("{} {side}: {e}: {message}", exchange.method));
            bodies.push((format!("{i:04}-{}-{side}.xml", exchange.method), body));
        }
    }
    let dir = tempfile::tempdir().expect("a temp folder");
    let types = validator.wsdl_schema(dir.path()).expect("the WSDL's types");
    let check = |xsd: &std::path::Path, documents: &[(String, String)]| {
        if let Err(report) = validator.check(xsd, dir.path(), documents) {
            panic!("{report}");
        }
    };
    check(&types, &bodies);
    let broken = validator
        .validate(
            &types,
            dir.path(),
            &[(
                "broken.xml".into(),
                r#"<receiveResponseXMLResponse xmlns="http://developer.intuit.com/"><receiveResponseXMLResult>fifty</receiveResponseXMLResult></receiveResponseXMLResponse>"#.into(),
            )],
        )
        .expect("xmllint runs");
    assert!(
        broken[0].errors.is_some(),
        "the WSDL's types refuse a percentage that is not an int"
    );
    let qbxml: Vec<(String, String)> = qbxml
        .into_iter()
        .enumerate()
        .map(|(i, text)| (format!("qbxml-{i:04}.xml"), text))
        .collect();
    assert!(qbxml.len() > 10, "the updates carried qbXML both ways");
    check(&validator.qbxml13(), &qbxml);
}

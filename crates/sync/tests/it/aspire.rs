//! Aspire over real HTTP, against the emulator held to Aspire's contract
//! (`docs/contracts/aspire.md`): signing in with a client id and secret,
//! OData lists paged to a short page, incremental reads by `$filter`, an
//! expired token renewed, jobs at their property's address, pay codes by
//! their documented fields, and breaks taken off paid time.

use std::sync::Arc;
use std::time::Duration;

use chrono::{Duration as Span, NaiveDate, Utc};
use tempfile::TempDir;
use timebridge_connectors::RetryPolicy;
use timebridge_connectors::secrets::{Credentials, MemorySecrets, SecretStore};
use timebridge_core::audit::Actor;
use timebridge_core::middleware::integrations::{self, IntegrationSettings};
use timebridge_core::middleware::runs::{RunOutcome, RunTrigger, SyncRun};
use timebridge_core::time::SystemClock;
use timebridge_core::{ErrorCode, Sensitive, Store};
use timebridge_emulators::aspire::{
    CLIENT_ID, Company, CompanySpec, Emulator, EmulatorOptions, SECRET,
};
use timebridge_sync::{Engine, EngineOptions, SyncError};

const EMPLOYEES: usize = 8;

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

fn spec() -> CompanySpec {
    CompanySpec {
        employees: EMPLOYEES,
        opportunities: 6,
        days: 150,
        today: today(),
        modified: Utc::now() - chrono::Duration::hours(3),
    }
}

/// Weekdays from `from` to yesterday: the days the company has time on.
fn weekdays_since(from: NaiveDate) -> usize {
    from.iter_days()
        .take_while(|d| *d < today())
        .filter(|d| chrono::Datelike::weekday(d).number_from_monday() <= 5)
        .count()
}

fn options() -> EngineOptions {
    EngineOptions {
        retry: RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(40),
            max_rate_limited: 3,
        },
        request_timeout: Duration::from_secs(5),
        connect_timeout: Duration::from_secs(2),
        pace: true,
        rate_limit_window: Some(Duration::from_millis(20)),
        skew: chrono::Duration::seconds(30),
        web_connector_idle: Duration::from_secs(60),
        web_connector_limits: timebridge_connectors::loopback::Limits::WEB_CONNECTOR,
    }
}

struct Setup {
    engine: Engine,
    store: Arc<Store>,
    secrets: Arc<MemorySecrets>,
    integration: i64,
    pull_from: NaiveDate,
    _dir: TempDir,
}

impl Setup {
    async fn new(emulator: &Emulator) -> Setup {
        let dir = tempfile::tempdir().expect("temp folder");
        let store = Arc::new(Store::open(&dir.path().join("timebridge.db")).expect("database"));
        let secrets = Arc::new(MemorySecrets::default());
        let engine = Engine::new(
            store.clone(),
            secrets.clone() as Arc<dyn SecretStore>,
            Arc::new(SystemClock),
            options(),
        );
        let (credentials, _) = engine
            .sign_in()
            .with_client(
                "aspire",
                Some(&emulator.base_url()),
                CLIENT_ID,
                &Sensitive::new(SECRET.to_owned()),
            )
            .await
            .expect("the emulator's application signs in");
        let now = Utc::now();
        let mut settings = IntegrationSettings::defaults(now);
        settings.base_url = Some(emulator.base_url());
        // Far enough back that the time list takes several pages.
        settings.pull_from = today() - chrono::Duration::days(120);
        let pull_from = settings.pull_from;
        let integration = store
            .write(|tx| {
                integrations::create(tx, "aspire", "Aspire", &settings, &Actor::system(), now)
            })
            .expect("integration")
            .id;
        credentials
            .save(secrets.as_ref(), integration)
            .expect("saved");
        Setup {
            engine,
            store,
            secrets,
            integration,
            pull_from,
            _dir: dir,
        }
    }

    async fn sync(&self) -> SyncRun {
        self.engine
            .runs()
            .sync(self.integration, RunTrigger::Manual)
            .await
            .expect("a run is recorded")
    }

    /// `column` (an SQL expression) of the staged record `external_id` of
    /// `module`.
    fn staged<T: rusqlite::types::FromSql>(
        &self,
        module: &str,
        column: &str,
        external_id: &str,
    ) -> T {
        self.store
            .read(|conn| {
                Ok(conn.query_row(
                    &format!(
                        "SELECT {column} FROM staged_records
                         WHERE module = ?1 AND external_id = ?2"
                    ),
                    [module, external_id],
                    |r| r.get(0),
                )?)
            })
            .unwrap_or_else(|e| panic!("{module} {external_id} is staged: {e}"))
    }

    /// `column` (an SQL expression) of the staged time entry `external_id`.
    fn time_entry<T: rusqlite::types::FromSql>(&self, column: &str, external_id: &str) -> T {
        self.staged("time_entries", column, external_id)
    }

    fn count(&self, module: &str, status: Option<&str>) -> i64 {
        self.store
            .read(|conn| {
                Ok(conn.query_row(
                    "SELECT count(*) FROM staged_records
                     WHERE integration_id = ?1 AND module = ?2 AND status = coalesce(?3, status)",
                    (self.integration, module, status),
                    |r| r.get(0),
                )?)
            })
            .expect("countable")
    }
}

/// The run succeeded; else its error says why not.
fn assert_succeeded(run: &SyncRun, why: &str) {
    assert_eq!(
        run.outcome,
        RunOutcome::Succeeded,
        "{why}: {:?}",
        run.error_message
    );
}

/// The sign-in requests the emulator was sent, in order.
fn sign_ins(emulator: &Emulator) -> Vec<String> {
    emulator
        .requests()
        .into_iter()
        .filter(|r| r.starts_with("/Authorization"))
        .collect()
}

async fn emulator(options: EmulatorOptions) -> Emulator {
    Emulator::start(Company::generate(&spec()), options)
        .await
        .expect("emulator starts")
}

/// An emulator, an integration on it, and its first sync, succeeded.
async fn synced(options: EmulatorOptions) -> (Emulator, Setup, SyncRun) {
    let emulator = emulator(options).await;
    let setup = Setup::new(&emulator).await;
    let run = setup.sync().await;
    assert_succeeded(&run, "the first sync succeeds");
    (emulator, setup, run)
}

#[tokio::test]
async fn a_wrong_secret_is_refused_as_a_failed_sign_in_without_showing_it() {
    let emulator = emulator(EmulatorOptions::default()).await;
    let dir = tempfile::tempdir().expect("temp folder");
    let engine = Engine::new(
        Arc::new(Store::open(&dir.path().join("timebridge.db")).expect("database")),
        Arc::new(MemorySecrets::default()),
        Arc::new(SystemClock),
        options(),
    );
    let Err(SyncError::Connector(error)) = engine
        .sign_in()
        .with_client(
            "aspire",
            Some(&emulator.base_url()),
            CLIENT_ID,
            &Sensitive::new("not-the-secret".to_owned()),
        )
        .await
    else {
        panic!("Aspire answers 404 to a wrong id or secret");
    };
    assert_eq!(
        error.code,
        ErrorCode::AuthFailed,
        "a 404 from /Authorization means the id or secret is wrong, not that Aspire is missing"
    );
    assert!(
        !error.message.contains("not-the-secret"),
        "the secret never reaches a message: {}",
        error.message
    );
}

#[tokio::test]
async fn a_first_sync_stages_employees_jobs_pay_codes_and_time_from_the_pull_date() {
    let (_emulator, setup, run) = synced(EmulatorOptions::default()).await;
    let expected = EMPLOYEES * weekdays_since(setup.pull_from);
    assert_eq!(
        setup.count("time_entries", Some("new")) as usize,
        expected,
        "one entry per employee per weekday from the pull date, over several pages"
    );
    assert!(
        run.counts["time_entries"].pages > 1,
        "{expected} entries need more than one page of 500"
    );
    assert_eq!(
        setup.count("employees", None),
        EMPLOYEES as i64,
        "employee contacts only: the customer contact stays out"
    );
    assert_eq!(setup.count("jobs", None), 6, "every opportunity is a job");
    assert_eq!(
        setup.count("pay_items", None),
        3,
        "every pay code is a pay item"
    );
}

#[tokio::test]
async fn a_later_sync_asks_only_for_what_changed_and_sees_an_edit() {
    let (emulator, setup, _) = synced(EmulatorOptions::default()).await;
    let edited = emulator.update(|company| {
        let id = company
            .work_ticket_times
            .iter()
            .rev()
            .find(|t| t["HasBreakTime"] == false)
            .expect("a time without a break")["WorkTicketTimeID"]
            .as_i64()
            .expect("an id");
        company.edit_time(id, Utc::now(), |time| {
            let date = time["WorkTicketTimeDate"].as_str().unwrap_or_default()[..10].to_owned();
            time.insert("EndTime".into(), format!("{date}T16:30:00").into());
            time.insert("Hours".into(), 9.5.into());
        });
        id
    });
    let second = setup.sync().await;
    assert_succeeded(&second, "the run succeeds");
    assert_eq!(
        second.counts["time_entries"].updated, 1,
        "exactly the edited time changed"
    );
    let end: String = setup.time_entry("json_extract(data, '$.span.end')", &edited.to_string());
    assert!(
        end.ends_with("T16:30:00-07:00") || end.ends_with("T16:30:00-06:00"),
        "the staged time now ends at 16:30 Denver time: {end}"
    );
    let asked = emulator.requests();
    assert!(
        asked
            .iter()
            .any(|r| r.starts_with("/WorkTicketTimes") && r.contains("LastModifiedDateTime+ge+")),
        "the second read filters by modification time: {:?}",
        asked
            .iter()
            .filter(|r| r.starts_with("/WorkTicketTimes"))
            .collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn a_rejected_token_is_renewed_by_signing_in_again_with_the_saved_secret() {
    let emulator = emulator(EmulatorOptions::default()).await;
    let setup = Setup::new(&emulator).await;
    let before = Credentials::load(setup.secrets.as_ref(), setup.integration)
        .expect("readable")
        .expect("saved");
    emulator.expire_tokens(true);
    let run = setup.sync().await;
    assert_succeeded(
        &run,
        "with the refresh token refused too, the id and secret sign in again",
    );
    let after = Credentials::load(setup.secrets.as_ref(), setup.integration)
        .expect("readable")
        .expect("saved");
    assert_ne!(
        after.access_token, before.access_token,
        "the new token is saved for the next run"
    );
}

#[tokio::test]
async fn lists_in_an_odata_envelope_read_like_bare_lists() {
    let emulator = emulator(EmulatorOptions {
        odata_envelope: true,
        ..EmulatorOptions::default()
    })
    .await;
    let setup = Setup::new(&emulator).await;
    let run = setup.sync().await;
    assert_succeeded(&run, "the run succeeds");
    assert_eq!(
        setup.count("time_entries", None) as usize,
        EMPLOYEES * weekdays_since(setup.pull_from),
        "{{\"value\": [...]}} holds the same records as a bare array"
    );
}

#[tokio::test]
async fn a_time_deleted_in_aspire_is_removed_at_the_source_when_its_day_is_re_read() {
    let (emulator, setup, _) = synced(EmulatorOptions::default()).await;
    let look_back_from = today() - chrono::Duration::days(14);
    let (recent, old) = emulator.update(|company| {
        let dated = |t: &serde_json::Value| {
            NaiveDate::parse_from_str(
                &t["WorkTicketTimeDate"].as_str().unwrap_or_default()[..10],
                "%Y-%m-%d",
            )
            .expect("a date")
        };
        let recent = company
            .work_ticket_times
            .iter()
            .rposition(|t| dated(t) >= look_back_from)
            .expect("time in the look-back window");
        let recent = company.work_ticket_times.remove(recent)["WorkTicketTimeID"].to_string();
        let old = company
            .work_ticket_times
            .iter()
            .position(|t| dated(t) >= setup.pull_from && dated(t) < look_back_from)
            .expect("time before the window");
        let old = company.work_ticket_times.remove(old)["WorkTicketTimeID"].to_string();
        (recent, old)
    });
    let run = setup.sync().await;
    assert_succeeded(&run, "the run succeeds");
    let removed =
        |external_id: &str| -> bool { setup.time_entry("removed_at_source", external_id) };
    assert!(
        removed(&recent),
        "a time gone from the re-read look-back window was deleted in Aspire"
    );
    assert!(
        !removed(&old),
        "a time dated before the window was not re-read, so its absence proves nothing"
    );
    assert_eq!(run.counts["time_entries"].removed, 1, "exactly one removal");
}

/// The id of the latest generated time with (or without) a break.
fn time_with_break(emulator: &Emulator, with_break: bool) -> String {
    emulator.update(|company| {
        company
            .work_ticket_times
            .iter()
            .rev()
            .find(|t| t["HasBreakTime"] == with_break)
            .expect("such a time")["WorkTicketTimeID"]
            .to_string()
    })
}

#[tokio::test]
async fn a_break_taken_inside_a_clocked_span_is_not_paid() {
    let (emulator, setup, _) = synced(EmulatorOptions::default()).await;
    let with_break = time_with_break(&emulator, true);
    let (kind, seconds): (String, i64) = (
        setup.time_entry("json_extract(data, '$.span.kind')", &with_break),
        setup.time_entry("json_extract(data, '$.span.duration_seconds')", &with_break),
    );
    assert_eq!(
        (kind.as_str(), seconds),
        ("manual", 30_600),
        "07:00–16:00 less a 0.5 h break is 8.5 paid hours, staged as that duration on the day"
    );
    let straight = time_with_break(&emulator, false);
    let (start, end): (String, String) = (
        setup.time_entry("json_extract(data, '$.span.start')", &straight),
        setup.time_entry("json_extract(data, '$.span.end')", &straight),
    );
    assert!(
        start.contains("T07:00:00") && end.contains("T15:30:00"),
        "a time without a break keeps its clocked span: {start} – {end}"
    );
}

#[tokio::test]
async fn a_job_is_staged_at_the_address_of_its_property() {
    let (emulator, setup, _) = synced(EmulatorOptions::default()).await;
    let (address, property): (String, String) = (
        setup.staged("jobs", "json_extract(data, '$.address')", "502"),
        setup.staged("jobs", "json_extract(data, '$.property')", "502"),
    );
    assert_eq!(
        (address.as_str(), property.as_str()),
        (
            "102 Main St, Building B, Denver, CO 80202",
            "Riverside Office Park"
        ),
        "opportunity 502 names property 302: its site and street address, not the billing box"
    );
    emulator.update(|company| {
        company.properties[2]["PropertyAddressLine1"] = "9 River Rd".into();
    });
    let second = setup.sync().await;
    assert_succeeded(&second, "the run succeeds");
    let address: String = setup.staged("jobs", "json_extract(data, '$.address')", "502");
    assert!(
        address.starts_with("9 River Rd"),
        "a property's new address reaches its job on the next sync: {address}"
    );
}

#[tokio::test]
async fn pay_codes_are_staged_in_the_categories_their_fields_say() {
    let (_emulator, setup, _) = synced(EmulatorOptions::default()).await;
    let item = |id: &str| -> (String, String, f64) {
        (
            setup.staged("pay_items", "json_extract(data, '$.code')", id),
            setup.staged("pay_items", "json_extract(data, '$.category')", id),
            setup.staged("pay_items", "json_extract(data, '$.multiplier')", id),
        )
    };
    assert_eq!(
        item("1"),
        ("REG".to_owned(), "regular".to_owned(), 1.0),
        "Standard Hourly: not an OT code; its payroll code is REG"
    );
    assert_eq!(
        item("2"),
        ("OT".to_owned(), "overtime".to_owned(), 1.5),
        "Hourly Overtime: OTPaycode, 50% over base"
    );
    assert_eq!(
        item("3"),
        ("HOL".to_owned(), "holiday".to_owned(), 1.0),
        "Holiday: not OT, and the name says the leave"
    );
}

#[tokio::test]
async fn an_expired_token_is_renewed_with_the_refresh_token() {
    let emulator = emulator(EmulatorOptions {
        refresh_life: Span::hours(72),
        ..EmulatorOptions::default()
    })
    .await;
    let setup = Setup::new(&emulator).await;
    emulator.advance(Span::hours(25));
    let run = setup.sync().await;
    assert_succeeded(&run, "a day-old token is refused, and refreshed");
    assert_eq!(
        sign_ins(&emulator),
        ["/Authorization", "/Authorization/RefreshToken"],
        "the sign-in, then one refresh; no second sign-in while the refresh token is good"
    );
}

#[tokio::test]
async fn a_refresh_token_past_its_life_is_replaced_by_signing_in_again() {
    let emulator = emulator(EmulatorOptions::default()).await;
    let setup = Setup::new(&emulator).await;
    emulator.advance(Span::hours(25));
    let run = setup.sync().await;
    assert_succeeded(
        &run,
        "both tokens are a day old; the saved id and secret sign in again",
    );
    assert_eq!(
        sign_ins(&emulator),
        [
            "/Authorization",
            "/Authorization/RefreshToken",
            "/Authorization"
        ],
        "the refused refresh is followed by a sign-in"
    );
}

#[tokio::test]
async fn a_list_outside_the_applications_scope_fails_the_sync_saying_which() {
    let mut scope: Vec<String> = [
        "/Branches",
        "/Contacts",
        "/Opportunities",
        "/WorkTickets",
        "/PayCodes",
        "/WorkTicketTimes",
    ]
    .map(str::to_owned)
    .to_vec();
    scope.sort();
    let emulator = emulator(EmulatorOptions {
        scope: Some(scope),
        ..EmulatorOptions::default()
    })
    .await;
    let setup = Setup::new(&emulator).await;
    let run = setup.sync().await;
    let message = run.error_message.clone().unwrap_or_default();
    assert_eq!(run.outcome, RunOutcome::Failed, "Properties is refused 403");
    assert!(
        message.contains("properties") && message.contains("access"),
        "the admin is told which list the API application may not read: {message}"
    );
}

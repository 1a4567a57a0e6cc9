//! Integrations, sync and the staged records on the command line:
//! `integrations list`, `connect`, `disconnect`, `sync`, `staged …`.
//!
//! Sign-ins go to the operating system's keyring, as in the app. The
//! Sandbox needs none: its emulator runs inside this process while it syncs.

mod web_connector;

use std::sync::Arc;

use chrono::{NaiveDate, Utc};
use clap::{Args, Subcommand};
use timebridge_commands::connect::{self, Connected, Connection, NotConnected, Saving, SignIn};
use timebridge_connectors::secrets::integration_key;
use timebridge_core::audit::Actor;
use timebridge_core::middleware::integrations::{self, IntegrationSettings};
use timebridge_core::middleware::planner::StagedStatus;
use timebridge_core::middleware::runs::{self, RunTrigger};
use timebridge_core::middleware::staged::{self, Selection, StagedFilter, StagedQuery, StagedSort};
use timebridge_core::platforms::{Platform, SandboxCompany};
use timebridge_core::time::SystemClock;
use timebridge_core::{Error, Sensitive, Store};
use timebridge_sync::{Engine, EngineOptions, Progress, ProgressPhase};

use crate::names;
use crate::secret_store;
use crate::table::Table;

#[derive(Debug, Subcommand)]
pub enum IntegrationsCommand {
    /// Every connected integration, with its last sync.
    List,
    /// Change an integration's settings: its pull date, sync interval, and
    /// (for ClockShark and CSV files) its folder and layout. Checked as
    /// connecting checks them; what is not given stays.
    Set(SetArgs),
}

#[derive(Debug, Args)]
pub struct SetArgs {
    /// The integration: its id, its name, or its platform.
    integration: String,
    /// Syncs read time from this date.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pull_from: Option<NaiveDate>,
    /// Minutes between scheduled syncs (15 to 1440).
    #[arg(long)]
    interval: Option<u32>,
    /// The folder (or, for CSV files, the one file) the exports are read from.
    #[arg(long)]
    folder: Option<String>,
    /// The saved layout CSV files are read with.
    #[arg(long)]
    layout: Option<String>,
}

/// Changes what `args` give of an integration's settings, checked as a
/// connection is; says what its folder holds, as `connect` does.
pub fn set(store: &Store, args: SetArgs) -> Result<String, Error> {
    let integration = store.read(|conn| integrations::find(conn, &args.integration))?;
    let mut draft = integration.settings.clone();
    let given = args.pull_from.is_some()
        || args.interval.is_some()
        || args.folder.is_some()
        || args.layout.is_some();
    if !given {
        return Err(Error::invalid(
            "integration",
            "Nothing to change: give --pull-from, --interval, --folder or --layout.",
        ));
    }
    if let Some(date) = args.pull_from {
        draft.pull_from = date;
    }
    if let Some(minutes) = args.interval {
        draft.interval_minutes = minutes;
    }
    if let Some(folder) = args.folder {
        draft.folder = Some(folder);
    }
    if let Some(layout) = args.layout {
        draft.csv_layout = Some(layout);
    }
    let summary = connect::check_changed_settings(store, &integration, &mut draft)?;
    let saved = store.write(|tx| {
        integrations::update_settings(tx, integration.id, &draft, &Actor::cli(), Utc::now())
    })?;
    let mut said = format!(
        "Changed the settings of {} (id {}): syncs read time from {}, every {} minutes.",
        saved.name, saved.id, saved.settings.pull_from, saved.settings.interval_minutes
    );
    if let Some(summary) = summary {
        said.push_str(&format!(" Its folder holds {summary}."));
    }
    Ok(said)
}

#[derive(Debug, Subcommand)]
pub enum ConnectCommand {
    /// QuickBooks Time with a pasted access token (Feature Add-ons → API).
    #[command(name = "quickbooks-time")]
    QuickBooksTime {
        #[arg(long, env = "TIMEBRIDGE_QBT_TOKEN", hide_env_values = true)]
        token: String,
        /// Another API address (an emulator, a proxy).
        #[arg(long)]
        base_url: Option<String>,
        #[command(flatten)]
        common: ConnectArgs,
    },
    /// Aspire with an API application's client ID and secret
    /// (Administration → Application → API).
    Aspire {
        #[arg(long)]
        client_id: String,
        #[arg(long, env = "TIMEBRIDGE_ASPIRE_SECRET", hide_env_values = true)]
        client_secret: String,
        /// Another API address (the sandbox environment, an emulator).
        #[arg(long)]
        base_url: Option<String>,
        #[command(flatten)]
        common: ConnectArgs,
    },
    /// busybusy, signed in as an owner or admin. The password is read from
    /// TIMEBRIDGE_BUSYBUSY_PASSWORD, else from the first line of standard
    /// input (never from a flag, which shows in the process list).
    Busybusy {
        /// The admin's busybusy username.
        #[arg(long)]
        username: String,
        /// Another API address (an emulator, a proxy).
        #[arg(long)]
        base_url: Option<String>,
        #[command(flatten)]
        common: ConnectArgs,
    },
    /// ClockShark, from the exports (CSV) saved in a folder: timesheets, and
    /// the employee, job and task lists.
    #[command(name = "clockshark")]
    ClockShark {
        /// The folder the exports are saved in (a full path).
        #[arg(long)]
        folder: std::path::PathBuf,
        #[command(flatten)]
        common: ConnectArgs,
    },
    /// CSV files of time exported by any tracker, from a folder or one
    /// file, read with a saved layout. Without --layout, the columns are
    /// guessed from the first file, printed, and saved as a layout named
    /// after the integration.
    Csv {
        /// The folder the exports are saved in, or one export file (a full
        /// path).
        #[arg(long, alias = "file")]
        folder: std::path::PathBuf,
        /// The saved layout to read them with (`timebridge csv-layout list`).
        #[arg(long)]
        layout: Option<String>,
        #[command(flatten)]
        common: ConnectArgs,
    },
    /// Sage 300 CRE: its employees, jobs, extras, cost codes, categories
    /// and pay IDs, through an ODBC data source (or from those lists
    /// exported as CSV into a folder), read once to check them; payroll is
    /// written as Import Time files into the import folder.
    #[command(name = "sage300-cre")]
    Sage300Cre {
        /// The ODBC data source: a Timberline Data Source's name, or a
        /// whole connection string.
        #[arg(long, required_unless_present = "folder", conflicts_with = "folder")]
        dsn: Option<String>,
        /// The data source's password, if it needs one (kept in the
        /// keyring). Also read from TIMEBRIDGE_DSN_PASSWORD.
        #[arg(
            long,
            env = "TIMEBRIDGE_DSN_PASSWORD",
            hide_env_values = true,
            requires = "dsn"
        )]
        password: Option<String>,
        /// Instead of a data source: the folder the lists are exported to
        /// as CSV (a full path).
        #[arg(long)]
        folder: Option<std::path::PathBuf>,
        /// The folder Sage 300 CRE imports time from (a full path): each
        /// published pay period's Import Time file is written there.
        #[arg(long)]
        import_folder: std::path::PathBuf,
        #[command(flatten)]
        common: ConnectArgs,
    },
    /// QuickBooks Desktop, through the QuickBooks Web Connector: saves the
    /// .qwc file to add to the Web Connector, then answers it until its
    /// first update has connected and read the lists.
    #[command(name = "quickbooks-desktop")]
    QuickBooksDesktop {
        /// The username the Web Connector signs in with.
        #[arg(long)]
        username: String,
        /// The password the Web Connector signs in with (8 characters or more).
        #[arg(long, env = "TIMEBRIDGE_QBD_PASSWORD", hide_env_values = true)]
        password: String,
        /// Where Timebridge answers the Web Connector (on this computer).
        #[arg(long, default_value = timebridge_connectors::quickbooks_desktop::DEFAULT_URL)]
        url: String,
        /// Where the .qwc file is saved.
        #[arg(long, default_value = ".")]
        qwc_folder: std::path::PathBuf,
        /// Stop waiting for the Web Connector after this many minutes.
        #[arg(long, default_value_t = 30)]
        wait_minutes: u64,
        #[command(flatten)]
        common: ConnectArgs,
    },
    /// The Sandbox: a demo company served by a built-in emulator, as a
    /// QuickBooks Time company (the default) or a busybusy organization.
    Sandbox {
        /// The demo company it is: quickbooks-time or busybusy (fixed once
        /// connected; connect another Sandbox to try the other).
        #[arg(long, value_enum, default_value_t = DemoCompany::QuickBooksTime)]
        company: DemoCompany,
        #[command(flatten)]
        common: ConnectArgs,
    },
}

/// The demo company a Sandbox serves, as `--company` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DemoCompany {
    #[value(name = "quickbooks-time")]
    QuickBooksTime,
    Busybusy,
}

impl From<DemoCompany> for SandboxCompany {
    fn from(company: DemoCompany) -> SandboxCompany {
        match company {
            DemoCompany::QuickBooksTime => SandboxCompany::QuickBooksTime,
            DemoCompany::Busybusy => SandboxCompany::Busybusy,
        }
    }
}

#[derive(Debug, Args)]
pub struct ConnectArgs {
    #[arg(long)]
    name: Option<String>,
    /// The first sync reads time from this date (default: 14 days ago).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pull_from: Option<NaiveDate>,
    /// Minutes between scheduled syncs (15 to 1440).
    #[arg(long)]
    interval: Option<u32>,
}

impl ConnectArgs {
    /// The connection to make: the platform, how it signs in, and the
    /// settings with the address given.
    fn connection(
        self,
        platform: Platform,
        sign_in: SignIn,
        base_url: Option<String>,
        now: chrono::DateTime<Utc>,
    ) -> Connection {
        let mut settings = self.settings(now);
        settings.base_url = base_url;
        Connection {
            platform,
            name: self.name,
            settings,
            sign_in,
        }
    }

    /// The connection's settings: the defaults, with what was given.
    fn settings(&self, now: chrono::DateTime<Utc>) -> IntegrationSettings {
        let mut settings = IntegrationSettings::defaults(now);
        if let Some(date) = self.pull_from {
            settings.pull_from = date;
        }
        if let Some(minutes) = self.interval {
            settings.interval_minutes = minutes;
        }
        settings
    }
}

#[derive(Debug, Subcommand)]
pub enum StagedCommand {
    /// Staged records of one module.
    List {
        /// The integration: its id, its name, or its platform (quickbooks-time)
        /// where one of that platform is connected.
        integration: String,
        /// employees, customers, jobs, tasks, time-entries, budgets or
        /// pay-items (time_entries and pay_items work too).
        module: String,
        /// Only records with this status: new, updated, imported or archived.
        #[arg(long)]
        status: Option<String>,
        /// Only records removed at the source.
        #[arg(long)]
        removed: bool,
        /// Only records whose name or id contains this text.
        #[arg(long)]
        search: Option<String>,
        /// Only the time entries the payroll of the pay period containing
        /// this day (YYYY-MM-DD) leaves out because they are not imported.
        #[arg(long, value_name = "DATE")]
        left_out_of_payroll: Option<String>,
        /// Which page of results, from 1.
        #[arg(long, default_value_t = 1)]
        page: u32,
        /// Records per page (at most 500).
        #[arg(long, default_value_t = 100)]
        page_size: u32,
    },
    /// One staged record, with what changed since it was imported.
    Show {
        /// The staged record's id (from `staged list`).
        id: i64,
    },
    /// Archive records (by id, or every record with a status); archived
    /// records stay archived across syncs.
    Archive(Select),
    /// Bring archived records back to New or Updated.
    Unarchive(Select),
}

#[derive(Debug, Args)]
pub struct Select {
    /// The integration: its id, its name, or its platform (quickbooks-time)
    /// where one of that platform is connected.
    pub(crate) integration: String,
    /// The module the records belong to: employees, customers, jobs, tasks,
    /// time-entries, budgets or pay-items (time_entries works too).
    pub(crate) module: String,
    /// Staged record ids, comma-separated.
    #[arg(long, value_delimiter = ',', conflicts_with = "status")]
    pub(crate) ids: Vec<i64>,
    /// Every record with this status instead.
    #[arg(long)]
    pub(crate) status: Option<String>,
}

pub(crate) fn engine(store: Arc<Store>) -> Engine {
    let secrets = secret_store::for_database(store.path()).store;
    Engine::new(
        store,
        secrets,
        Arc::new(SystemClock),
        EngineOptions::default(),
    )
}

pub(crate) fn runtime() -> Result<tokio::runtime::Runtime, Error> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::io("Could not start the async runtime", e))
}

pub(crate) fn to_json(value: impl serde::Serialize) -> Result<String, Error> {
    serde_json::to_string(&value).map_err(|e| Error::Internal(format!("could not encode: {e}")))
}

fn status(text: Option<&str>) -> Result<Option<StagedStatus>, Error> {
    text.map(|t| {
        StagedStatus::parse(t).ok_or_else(|| {
            Error::invalid(
                "status",
                format!("Use new, updated, imported or archived, not “{t}”."),
            )
        })
    })
    .transpose()
}

pub fn list(store: &Store, json: bool) -> Result<String, Error> {
    let rows = store.read(|conn| {
        integrations::list(conn)?
            .into_iter()
            .map(|i| Ok((runs::latest(conn, i.id)?, i)))
            .collect::<Result<Vec<_>, Error>>()
    })?;
    if json {
        let out: Vec<_> = rows
            .iter()
            .map(|(run, i)| serde_json::json!({"integration": i, "last_run": run}))
            .collect();
        return to_json(out);
    }
    if rows.is_empty() {
        return Ok("No integrations. Connect one with `timebridge connect sandbox` or `timebridge connect quickbooks-time --token T`.".into());
    }
    let mut table = Table::new(["ID", "Name", "Platform", "Source", "Last sync"]);
    for (run, i) in rows {
        let platform = match i.sandbox_company() {
            Some(company) => format!("{} ({})", i.platform, company.id().replace('_', "-")),
            None => i.platform.replace('_', "-"),
        };
        let last = run.map_or("never".to_owned(), |r| {
            format!(
                "{} {:?}{}",
                r.started_at.format("%Y-%m-%d %H:%M"),
                r.outcome,
                r.error_message
                    .map(|m| format!(": {m}"))
                    .unwrap_or_default()
            )
        });
        table.row([
            i.id.to_string(),
            i.name,
            platform,
            if i.is_sync_source { "yes" } else { "" }.to_owned(),
            last,
        ]);
    }
    Ok(table.render())
}

/// busybusy's password: from `TIMEBRIDGE_BUSYBUSY_PASSWORD`, else the
/// first line of standard input.
fn busybusy_password() -> Result<Sensitive<String>, Error> {
    if let Ok(password) = std::env::var("TIMEBRIDGE_BUSYBUSY_PASSWORD") {
        return Ok(Sensitive::new(password));
    }
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| Error::io("Could not read the password from standard input", e))?;
    Ok(Sensitive::new(
        line.trim_end_matches(['\r', '\n']).to_owned(),
    ))
}

pub fn connect(store: Arc<Store>, command: ConnectCommand, json: bool) -> Result<String, Error> {
    let now = Utc::now();
    let connection = match command {
        ConnectCommand::QuickBooksDesktop {
            username,
            password,
            url,
            qwc_folder,
            wait_minutes,
            common,
        } => {
            let mut settings = common.settings(now);
            settings.base_url = Some(url);
            let request = timebridge_sync::WebConnectorRequest {
                username,
                password: Sensitive::new(password),
                name: common.name,
                settings,
                qwc_folder: std::path::absolute(&qwc_folder).unwrap_or(qwc_folder),
                actor: Actor::cli(),
            };
            return web_connector::connect(
                store,
                request,
                std::time::Duration::from_secs(wait_minutes * 60),
                json,
            );
        }
        ConnectCommand::QuickBooksTime {
            token,
            base_url,
            common,
        } => common.connection(
            Platform::QuickBooksTime,
            SignIn::Token(Sensitive::new(token)),
            base_url,
            now,
        ),
        ConnectCommand::Aspire {
            client_id,
            client_secret,
            base_url,
            common,
        } => common.connection(
            Platform::Aspire,
            SignIn::Client {
                id: client_id,
                secret: Sensitive::new(client_secret),
            },
            base_url,
            now,
        ),
        ConnectCommand::Busybusy {
            username,
            base_url,
            common,
        } => common.connection(
            Platform::Busybusy,
            SignIn::Password {
                username,
                password: busybusy_password()?,
            },
            base_url,
            now,
        ),
        ConnectCommand::ClockShark { folder, common } => {
            let mut connection = common.connection(Platform::ClockShark, SignIn::Folder, None, now);
            connection.settings.folder = Some(folder.display().to_string());
            connection
        }
        ConnectCommand::Csv {
            folder,
            layout,
            common,
        } => {
            let mut connection = common.connection(Platform::CsvFiles, SignIn::Folder, None, now);
            let folder = std::path::absolute(&folder).unwrap_or(folder);
            let name = connection
                .name
                .clone()
                .unwrap_or_else(|| Platform::CsvFiles.connection_name());
            let layout = crate::csv::for_connect(&store, &folder, layout, &name, json)?;
            connection.settings.folder = Some(folder.display().to_string());
            connection.settings.csv_layout = Some(layout);
            connection
        }
        ConnectCommand::Sage300Cre {
            dsn,
            password,
            folder,
            import_folder,
            common,
        } => {
            let sign_in = match &dsn {
                Some(_) => SignIn::DataSource {
                    password: password.map(Sensitive::new),
                },
                None => SignIn::Folder,
            };
            let mut connection = common.connection(Platform::Sage300Cre, sign_in, None, now);
            connection.settings.dsn = dsn;
            connection.settings.folder = folder.map(|f| f.display().to_string());
            connection.settings.import_folder = Some(import_folder.display().to_string());
            connection
        }
        ConnectCommand::Sandbox { company, common } => {
            let mut connection = common.connection(Platform::Sandbox, SignIn::None, None, now);
            connection.settings.sandbox_company = Some(company.into());
            connection
        }
    };
    let keeps_a_secret = !matches!(connection.sign_in, SignIn::None | SignIn::Folder);
    let engine = engine(store.clone());
    let actor = Actor::cli();
    let saving = Saving {
        store: &store,
        secrets: engine.secrets().as_ref(),
        actor: &actor,
        now,
    };
    let Connected {
        integration,
        account,
    } = runtime()?
        .block_on(connect::connect(&engine, &saving, connection))
        .map_err(NotConnected::as_said)?;
    Ok(if json {
        to_json(serde_json::json!({"integration": integration, "account": account}))?
    } else {
        let kept = if keeps_a_secret {
            format!(
                " Its sign-in is kept in {}.",
                secret_store::for_database(store.path()).described
            )
        } else {
            String::new()
        };
        format!(
            "Connected {} (id {}) as {account}.{kept} Run `timebridge sync {}` to bring its data in.",
            integration.name, integration.id, integration.id
        )
    })
}

pub fn disconnect(store: &Store, which: &str) -> Result<String, Error> {
    let integration = store.read(|conn| integrations::find(conn, which))?;
    store.write(|tx| integrations::remove(tx, integration.id, &Actor::cli(), Utc::now()))?;
    secret_store::for_database(store.path())
        .store
        .delete(&integration_key(integration.id))?;
    Ok(format!(
        "Disconnected {} and deleted its saved sign-in. Records it imported are kept.",
        integration.name
    ))
}

/// The sync's progress on standard error: one line per stream, with its
/// pages and records, once the stream is read (not one per page).
#[derive(Default)]
pub(crate) struct StreamLines {
    current: Option<Progress>,
}

impl StreamLines {
    pub(crate) fn saw(&mut self, p: &Progress) {
        if p.phase != ProgressPhase::Fetching {
            return;
        }
        if self.current.as_ref().is_some_and(|c| c.stream != p.stream) {
            self.finish();
        }
        self.current = Some(p.clone());
    }

    pub(crate) fn finish(&mut self) {
        if let Some(p) = self.current.take() {
            eprintln!(
                "  {:<20} {:>5} pages {:>8} records",
                p.stream, p.pages, p.fetched
            );
        }
    }
}

pub fn sync(
    store: Arc<Store>,
    which: &str,
    wait: std::time::Duration,
    json: bool,
) -> Result<String, Error> {
    let integration = store.read(|conn| integrations::find(conn, which))?;
    if timebridge_connectors::through_web_connector(&integration.platform) {
        return crate::quickbooks_desktop::sync(store, &integration, wait, json);
    }
    let engine = engine(store);
    let run = runtime()?.block_on(async {
        let mut progress = engine.runs().subscribe();
        let mut streams = StreamLines::default();
        let sync = engine.runs().sync(integration.id, RunTrigger::CommandLine);
        tokio::pin!(sync);
        let run = loop {
            tokio::select! {
                run = &mut sync => break run,
                Ok(p) = progress.recv() => streams.saw(&p),
            }
        };
        while let Ok(p) = progress.try_recv() {
            streams.saw(&p);
        }
        streams.finish();
        run
    });
    let run = run.map_err(|e| Error::Source(e.to_string()))?;
    report(&integration.name, &run, json)
}

/// A sync run as `timebridge sync` prints it: the outcome and each
/// module's counts (or the run as JSON); an error unless it succeeded.
pub(crate) fn report(name: &str, run: &runs::SyncRun, json: bool) -> Result<String, Error> {
    if json {
        return to_json(run);
    }
    let mut table = Table::new([
        "Module",
        "Fetched",
        "New",
        "Updated",
        "Unchanged",
        "Removed",
    ])
    .numbers_from(1);
    for (module, c) in &run.counts {
        table.row([
            module.replace('_', "-"),
            c.fetched.to_string(),
            c.new.to_string(),
            c.updated.to_string(),
            c.unchanged.to_string(),
            c.removed.to_string(),
        ]);
    }
    let mut lines = vec![format!("Sync of {name}: {:?}", run.outcome), table.render()];
    if let Some(message) = &run.error_message {
        lines.push(format!("  {message}"));
    }
    let out = lines.join("\n");
    if run.outcome == runs::RunOutcome::Succeeded {
        Ok(out)
    } else {
        Err(Error::Source(out))
    }
}

pub fn staged(store: &Store, command: StagedCommand, json: bool) -> Result<String, Error> {
    match command {
        StagedCommand::List {
            integration,
            module: m,
            status: s,
            removed,
            search,
            left_out_of_payroll,
            page,
            page_size,
        } => {
            let integration = store.read(|conn| integrations::find(conn, &integration))?;
            let left_out_of_payroll = match crate::payroll::day(left_out_of_payroll)? {
                Some(day) => Some(store.read(|conn| {
                    timebridge_core::payroll::period_of_day(conn, day, chrono::Utc::now())
                })?),
                None => None,
            };
            let query = StagedQuery {
                page,
                page_size,
                filter: StagedFilter {
                    status: status(s.as_deref())?,
                    removed_at_source: removed,
                    search,
                    left_out_of_payroll,
                },
                sort: StagedSort::Date,
                descending: true,
                ..StagedQuery::default()
            };
            let m = names::module(&m)?;
            let result = store.read(|conn| staged::list(conn, integration.id, m, &query))?;
            if json {
                return to_json(&result);
            }
            let mut table = Table::new(["ID", "Source ID", "Status", "Record", ""]);
            for r in &result.rows {
                table.row([
                    r.id.to_string(),
                    r.external_id.clone(),
                    r.status.as_str().to_owned(),
                    r.label.clone(),
                    if r.removed_at_source {
                        "removed at the source"
                    } else {
                        ""
                    }
                    .to_owned(),
                ]);
            }
            Ok(format!(
                "{}\n{} of {} (page {})",
                table.render(),
                result.rows.len(),
                result.total,
                result.page
            ))
        }
        StagedCommand::Show { id } => {
            let detail = store.read(|conn| staged::detail(conn, id))?;
            to_json(&detail)
        }
        StagedCommand::Archive(select) => archive(store, select, true),
        StagedCommand::Unarchive(select) => archive(store, select, false),
    }
}

/// The staged records `--ids` or `--status` pick.
pub(crate) fn selection(ids: Vec<i64>, status_text: Option<&str>) -> Result<Selection, Error> {
    if ids.is_empty() {
        let status = status(status_text)?
            .ok_or_else(|| Error::invalid("ids", "Give --ids 1,2,3 or --status new."))?;
        Ok(Selection::Matching {
            filter: StagedFilter {
                status: Some(status),
                ..Default::default()
            },
        })
    } else {
        Ok(Selection::Ids { ids })
    }
}

fn archive(store: &Store, select: Select, archived: bool) -> Result<String, Error> {
    let integration = store.read(|conn| integrations::find(conn, &select.integration))?;
    let m = names::module(&select.module)?;
    let selection = selection(select.ids, select.status.as_deref())?;
    let changed = store.write(|tx| {
        staged::set_archived(
            tx,
            integration.id,
            m,
            &selection,
            archived,
            &Actor::cli(),
            Utc::now(),
        )
    })?;
    Ok(format!(
        "{} {changed} record{}.",
        if archived { "Archived" } else { "Unarchived" },
        if changed == 1 { "" } else { "s" }
    ))
}

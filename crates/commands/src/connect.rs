//! Connecting a platform with a pasted token, an API application's client ID
//! and secret, a member's username and password (busybusy), a folder of exports, an ODBC data source (or its lists
//! exported into a folder), or (the Sandbox) nothing at all: the one
//! workflow the window's commands and `timebridge connect` both run.
//!
//! What was given is checked first, then the settings, then the sign-in or
//! folder with the platform itself; only then is the integration saved and
//! its sign-in put in the keyring. Nothing is saved when a step fails, and
//! an integration whose sign-in the keyring refuses is taken back out.
//! (QuickBooks Desktop connects when the Web Connector first calls:
//! `timebridge_sync`'s Web Connector connect.)

use chrono::{DateTime, Utc};
use timebridge_connectors::connector_of;
use timebridge_connectors::secrets::{Credentials, SecretStore};
use timebridge_core::audit::Actor;
use timebridge_core::middleware::integrations::{self, Integration, IntegrationSettings};
use timebridge_core::platforms::{AuthKind, Platform};
use timebridge_core::{Error, ErrorCode, FieldProblem, Result, Sensitive, Store};
use timebridge_sync::Engine;

/// A platform to connect, and how.
#[derive(Debug)]
pub struct Connection {
    pub platform: Platform,
    /// Blank or `None`: the platform's connection name.
    pub name: Option<String>,
    pub settings: IntegrationSettings,
    pub sign_in: SignIn,
}

/// How a connection signs in.
#[derive(Debug)]
pub enum SignIn {
    /// No sign-in: demo data.
    None,
    /// An access token pasted from the platform.
    Token(Sensitive<String>),
    /// An API application's client ID and secret.
    Client {
        id: String,
        secret: Sensitive<String>,
    },
    /// A member's username and password (busybusy): admins only.
    Password {
        username: String,
        password: Sensitive<String>,
    },
    /// None either: the exports in the folder `settings.folder` names.
    Folder,
    /// The ODBC data source `settings.dsn` names, with its password if it
    /// needs one (kept in the keyring).
    DataSource { password: Option<Sensitive<String>> },
}

/// A saved connection.
#[derive(Debug)]
pub struct Connected {
    pub integration: Integration,
    /// Who the platform says the account is (or what the folder holds).
    pub account: String,
}

/// Why nothing was connected.
#[derive(Debug)]
pub enum NotConnected {
    /// The platform refused the sign-in.
    Refused {
        /// The field of the connect form the refusal is about.
        field: &'static str,
        /// What the form says at that field.
        advice: String,
        /// The refusal as the sync engine words it.
        said: String,
    },
    /// Anything else: what was given, an unreachable platform, the
    /// keyring, the database.
    Failed(Error),
}

impl From<Error> for NotConnected {
    fn from(error: Error) -> Self {
        NotConnected::Failed(error)
    }
}

impl NotConnected {
    /// For the window: a refusal marks the form's field.
    pub fn on_the_form(self) -> Error {
        match self {
            NotConnected::Refused { field, advice, .. } => Error::Validation(vec![FieldProblem {
                field: field.into(),
                message: advice,
            }]),
            NotConnected::Failed(error) => error,
        }
    }

    /// For the command line: a refusal as the engine words it.
    pub fn as_said(self) -> Error {
        match self {
            NotConnected::Refused { said, .. } => Error::Source(said),
            NotConnected::Failed(error) => error,
        }
    }
}

/// Where a connection is saved, and by whom.
pub struct Saving<'a> {
    pub store: &'a Store,
    pub secrets: &'a dyn SecretStore,
    pub actor: &'a Actor,
    pub now: DateTime<Utc>,
}

impl Saving<'_> {
    /// Creates the integration and puts its sign-in (if it has one) in the
    /// keyring; when the keyring refuses, the integration is taken back
    /// out, so none is left without its sign-in.
    pub fn save(
        &self,
        platform: Platform,
        name: &str,
        settings: &IntegrationSettings,
        credentials: Option<&Credentials>,
    ) -> Result<Integration> {
        let integration = self.store.write(|tx| {
            integrations::create(tx, platform.id(), name, settings, self.actor, self.now)
        })?;
        if let Some(credentials) = credentials
            && let Err(error) = credentials.save(self.secrets, integration.id)
        {
            self.store
                .write(|tx| integrations::remove(tx, integration.id, self.actor, self.now))?;
            return Err(error.into());
        }
        Ok(integration)
    }
}

/// Checks the connection, then saves it (see the module's doc).
pub async fn connect(
    engine: &Engine,
    saving: &Saving<'_>,
    connection: Connection,
) -> Result<Connected, NotConnected> {
    let Connection {
        platform,
        name,
        mut settings,
        sign_in,
    } = connection;
    let sign_in = given(platform, sign_in)?;
    settings.check(saving.now)?;
    if settings.sandbox_company.is_some() && !platform.demo() {
        return Err(
            Error::invalid("sandbox_company", "Only the Sandbox serves a demo company.").into(),
        );
    }
    let (credentials, account) = match sign_in {
        SignIn::None => {
            // A Sandbox keeps the company it is connected as.
            let company = settings.sandbox_company.unwrap_or_default();
            settings.sandbox_company = Some(company);
            (None, format!("the {} demo company", company.name()))
        }
        SignIn::Token(token) => {
            let credentials = Credentials::access_token(token.expose().as_str());
            let account = engine
                .sign_in()
                .check_connection(platform.id(), settings.base_url.as_deref(), &credentials)
                .await
                .map_err(|e| refused(e, "token", || token_advice(platform)))?;
            (Some(credentials), account)
        }
        SignIn::Client { id, secret } => {
            let (credentials, account) = engine
                .sign_in()
                .with_client(platform.id(), settings.base_url.as_deref(), &id, &secret)
                .await
                .map_err(|e| refused(e, "client_secret", || client_advice(platform)))?;
            (Some(credentials), account)
        }
        SignIn::Password { username, password } => {
            let (credentials, account) = engine
                .sign_in()
                .with_password(
                    platform.id(),
                    settings.base_url.as_deref(),
                    &username,
                    &password,
                )
                .await
                .map_err(|e| match e {
                    // Not an admin: the refusal is on the username.
                    timebridge_sync::SyncError::Invalid(problems) => {
                        NotConnected::Failed(Error::Validation(problems))
                    }
                    other => refused(other, "password", || password_advice(platform)),
                })?;
            (Some(credentials), account)
        }
        SignIn::Folder if reads_lists(platform) => {
            settings.dsn = None;
            let found = check_lists(engine, platform, &mut settings, None, "folder").await?;
            settings.base_url = None;
            (None, found)
        }
        SignIn::Folder => {
            let found = check_folder(saving.store, platform.id(), &mut settings)?
                .ok_or_else(not_a_folder)?;
            settings.base_url = None;
            (None, found)
        }
        SignIn::DataSource { password } => {
            settings.folder = None;
            let found =
                check_lists(engine, platform, &mut settings, password.as_ref(), "dsn").await?;
            settings.base_url = None;
            (
                password.map(|p| Credentials::access_token(p.into_inner())),
                found,
            )
        }
    };
    let name =
        name.filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| match settings.sandbox_company {
                Some(company) if platform.demo() => company.connection_name(),
                _ => platform.connection_name(),
            });
    let integration = saving.save(platform, &name, &settings, credentials.as_ref())?;
    tracing::info!(%platform, %account, "connected");
    Ok(Connected {
        integration,
        account,
    })
}

/// What was given, checked before the platform is contacted: the platform
/// signs in that way, and nothing asked for is blank. Returns it trimmed.
fn given(platform: Platform, sign_in: SignIn) -> Result<SignIn> {
    let name = platform.name();
    match sign_in {
        SignIn::None if platform.demo() => Ok(SignIn::None),
        SignIn::None => Err(Error::invalid(
            "platform",
            format!("{name} needs a sign-in to connect."),
        )),
        SignIn::Token(token) => {
            if platform.demo() || connector_of(platform).is_none() {
                return Err(Error::invalid("platform", "Pick a platform to connect."));
            }
            if !platform.signs_in_with(AuthKind::AccessToken) {
                return Err(Error::invalid(
                    "token",
                    format!("{name} does not sign in with a token."),
                ));
            }
            let token = token.expose().trim().to_owned();
            if token.is_empty() {
                return Err(Error::invalid("token", "Paste the access token."));
            }
            Ok(SignIn::Token(Sensitive::new(token)))
        }
        SignIn::Client { id, secret } => {
            if !(platform.syncs() && platform.signs_in_with(AuthKind::ClientCredentials)) {
                return Err(Error::invalid(
                    "platform",
                    "This platform does not sign in with a client ID and secret.",
                ));
            }
            let id = id.trim().to_owned();
            let secret = Sensitive::new(secret.expose().trim().to_owned());
            let mut problems = Vec::new();
            if id.is_empty() {
                problems.push(FieldProblem {
                    field: "client_id".into(),
                    message: format!("Enter the client ID of your {name} API application."),
                });
            }
            if secret.expose().is_empty() {
                problems.push(FieldProblem {
                    field: "client_secret".into(),
                    message: "Enter the secret that was shown with the client ID.".into(),
                });
            }
            if !problems.is_empty() {
                return Err(Error::Validation(problems));
            }
            Ok(SignIn::Client { id, secret })
        }
        SignIn::Password { username, password } => {
            let by_password = connector_of(platform).is_some_and(|c| !c.web_connector());
            if !(platform.syncs()
                && by_password
                && platform.signs_in_with(AuthKind::UsernamePassword))
            {
                return Err(Error::invalid(
                    "platform",
                    format!("{name} does not sign in with a username and password."),
                ));
            }
            let username = username.trim().to_owned();
            let mut problems = Vec::new();
            if username.is_empty() {
                problems.push(FieldProblem {
                    field: "username".into(),
                    message: format!("Enter the username of a {name} admin."),
                });
            }
            if password.expose().is_empty() {
                problems.push(FieldProblem {
                    field: "password".into(),
                    message: "Enter the password.".into(),
                });
            }
            if !problems.is_empty() {
                return Err(Error::Validation(problems));
            }
            Ok(SignIn::Password { username, password })
        }
        SignIn::Folder => {
            if !reads_lists(platform) {
                connector_of(platform)
                    .and_then(|c| c.folder())
                    .ok_or_else(not_a_folder)?;
            }
            Ok(SignIn::Folder)
        }
        SignIn::DataSource { password } => {
            if !(reads_lists(platform) && platform.signs_in_with(AuthKind::Odbc)) {
                return Err(Error::invalid(
                    "platform",
                    format!("{name} is not read through an ODBC data source."),
                ));
            }
            let password = password
                .map(|p| Sensitive::new(p.expose().trim().to_owned()))
                .filter(|p| !p.expose().is_empty());
            Ok(SignIn::DataSource { password })
        }
    }
}

/// Whether the platform is read whole from a data source or exported
/// lists (Sage 300 CRE).
fn reads_lists(platform: Platform) -> bool {
    connector_of(platform).is_some_and(|c| c.lists().is_some())
}

/// Reads every list where `settings` say they are, before anything is
/// saved, and checks the folder payroll files are written to; a refusal
/// marks `field` (the data source, or the folder of lists) with what to do.
async fn check_lists(
    engine: &Engine,
    platform: Platform,
    settings: &mut IntegrationSettings,
    password: Option<&Sensitive<String>>,
    field: &'static str,
) -> Result<String, NotConnected> {
    let trimmed = |value: &Option<String>| {
        value
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    settings.dsn = trimmed(&settings.dsn);
    settings.folder = trimmed(&settings.folder);
    let mut problems = Vec::new();
    match field {
        "dsn" if settings.dsn.is_none() => problems.push(FieldProblem {
            field: "dsn".into(),
            message: format!(
                "Enter the ODBC data source of your {} data folder: the name of a Timberline Data \
                 Source, or a whole connection string.",
                platform.name()
            ),
        }),
        "folder" if settings.folder.is_none() => problems.push(FieldProblem {
            field: "folder".into(),
            message: "Choose the folder the lists are exported to.".into(),
        }),
        _ => {}
    }
    if let Err(problem) = check_import_folder(platform, settings) {
        problems.push(problem);
    }
    if !problems.is_empty() {
        return Err(Error::Validation(problems).into());
    }
    engine
        .sign_in()
        .check_lists(platform.id(), settings, password)
        .await
        .map_err(|e| {
            let said = crate::sync_error(e).to_string();
            NotConnected::Refused {
                field,
                advice: said.clone(),
                said,
            }
        })
}

/// Checks changed settings of `integration` as its connection was: the
/// folder it reads from (saying what it holds, as connecting does) and the
/// folder its payroll files go to. The draft is kept trimmed.
pub fn check_changed_settings(
    store: &Store,
    integration: &Integration,
    draft: &mut IntegrationSettings,
) -> Result<Option<String>> {
    let summary = check_folder(store, &integration.platform, draft)?;
    if let Some(platform) = integration.known_platform()
        && timebridge_connectors::integration_connector(integration)
            .is_some_and(|c| c.lists().is_some())
    {
        // Where its payroll files go must still be a folder here.
        check_import_folder(platform, draft).map_err(|problem| Error::Validation(vec![problem]))?;
    }
    Ok(summary)
}

/// The folder payroll files are written into for the platform to import
/// them: it must be a folder of this computer. Kept trimmed.
pub(crate) fn check_import_folder(
    platform: Platform,
    settings: &mut IntegrationSettings,
) -> std::result::Result<(), FieldProblem> {
    let problem = |message: String| FieldProblem {
        field: "import_folder".into(),
        message,
    };
    let name = platform.name();
    let folder = settings
        .import_folder
        .as_deref()
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .ok_or_else(|| {
            problem(format!(
                "Choose the folder {name} imports time from: Timebridge writes each published pay \
                 period's Import Time file there."
            ))
        })?
        .to_owned();
    let path = std::path::Path::new(&folder);
    if !path.is_absolute() {
        return Err(problem(format!(
            "“{folder}” is not a full folder path. Choose the folder {name} imports time from."
        )));
    }
    if !path.is_dir() {
        return Err(problem(format!(
            "The folder “{folder}” does not exist. Create it, or choose the folder {name} imports time from."
        )));
    }
    settings.import_folder = Some(folder);
    Ok(())
}

fn not_a_folder() -> Error {
    Error::invalid("platform", "This platform is not read from a folder.")
}

/// A refused sign-in told apart from the rest, which is the platform's
/// trouble as the engine says it.
fn refused(
    error: timebridge_sync::SyncError,
    field: &'static str,
    advice: impl FnOnce() -> String,
) -> NotConnected {
    let error = crate::sync_error(error);
    match error.code() {
        ErrorCode::AuthFailed => NotConnected::Refused {
            field,
            advice: advice(),
            said: error.to_string(),
        },
        _ => NotConnected::Failed(Error::Source(error.to_string())),
    }
}

fn token_advice(platform: Platform) -> String {
    format!(
        "{} did not accept this token. Check it was copied whole and has not expired.",
        platform.name()
    )
}

fn client_advice(platform: Platform) -> String {
    let name = platform.name();
    format!(
        "{name} did not accept this client ID and secret. Check both were copied whole, and that \
         the API application is still active in {name} (Administration → Application → API)."
    )
}

fn password_advice(platform: Platform) -> String {
    format!(
        "{} did not accept this username and password. Check both (the password is case-sensitive).",
        platform.name()
    )
}

/// Checks the folder a platform read from exports is read from, marking
/// the folder field when it cannot be used, and keeps it trimmed. Returns
/// what the folder holds; `None` for a platform not read from a folder
/// (stored as `platform`). CSV files are checked with the layout the
/// settings name, in the company's time zone; without one, the
/// `csv_layout` field is refused.
pub(crate) fn check_folder(
    store: &Store,
    platform: &str,
    settings: &mut IntegrationSettings,
) -> Result<Option<String>> {
    let Some(source) = timebridge_connectors::connector_for(platform).and_then(|c| c.folder())
    else {
        return Ok(None);
    };
    let csv = platform == Platform::CsvFiles.id();
    let field = |message: String| Error::invalid("folder", message);
    let folder = settings
        .folder
        .as_deref()
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .ok_or_else(|| {
            field(if csv {
                "Choose the folder (or the file) the CSV exports are saved in.".into()
            } else {
                "Choose the folder the exports are saved in.".into()
            })
        })?
        .to_owned();
    let mut options = timebridge_connectors::folder::FolderOptions::any();
    // Every row is checked; those a sync will not read for their date are
    // counted, so the summary can say so before the first sync finds none.
    options.pull_from = settings.pull_from;
    if csv {
        let name = settings
            .csv_layout
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .ok_or_else(|| {
                Error::invalid(
                    "csv_layout",
                    "Choose the layout the files are read with, or map a file as a new layout \
                     (on the command line: `timebridge csv-layout save NAME --from FILE`).",
                )
            })?
            .to_owned();
        let today = Utc::now().date_naive();
        options.zone = store
            .read(|conn| timebridge_core::payroll::settings::load(conn, today))?
            .zone()?;
        options.layout = Some(
            store
                .read(|conn| timebridge_core::middleware::csv_layouts::get(conn, &name))?
                .ok_or_else(|| {
                    Error::invalid(
                        "csv_layout",
                        format!("No layout is called “{name}”. Choose one of the saved layouts."),
                    )
                })?,
        );
        settings.csv_layout = Some(name);
    }
    let summary =
        timebridge_connectors::folder::check(source, std::path::Path::new(&folder), &options)
            .map_err(|e| field(e.message))?;
    // Files there, and none of them of the layout: the layout is not theirs.
    if csv && summary.files == 0 && !summary.skipped.is_empty() {
        return Err(field(format!(
            "No file in “{folder}” reads with the layout “{}”. {} Choose the layout these files \
             were exported with, or map one of them as a new layout.",
            settings.csv_layout.as_deref().unwrap_or_default(),
            summary.skipped.join(" ")
        )));
    }
    settings.folder = Some(folder);
    Ok(Some(summary.describe()))
}

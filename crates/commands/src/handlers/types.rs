//! Argument and result types that exist only at the command boundary.

use serde::{Deserialize, Serialize};
use timebridge_core::Sensitive;
use timebridge_core::operators::Operator;
use timebridge_core::permissions::Permission;
use ts_rs::TS;

/// The signed-in operator and what their role lets them do; the UI shows and
/// hides its controls from `permissions`.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SessionInfo {
    pub operator: Operator,
    pub permissions: Vec<Permission>,
}

/// What the UI needs to know at start.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AppStatus {
    /// First start: no operator exists yet, so ask for an administrator.
    pub needs_first_administrator: bool,
    pub session: Option<SessionInfo>,
    pub version: String,
    /// Where the database is, for the Settings page and support.
    pub database_path: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct SignInArgs {
    pub username: String,
    pub password: Sensitive<String>,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct ChangePasswordArgs {
    pub current_password: Sensitive<String>,
    pub new_password: Sensitive<String>,
}

/// Edit one record: its id and the whole new draft.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct UpdateArgs<D> {
    pub id: i64,
    pub draft: D,
}

/// Deactivate (`false`) or reactivate (`true`) one record.
#[derive(Debug, Clone, Copy, Deserialize, TS)]
pub struct SetActiveArgs {
    pub id: i64,
    pub active: bool,
}

#[derive(Debug, Clone, Copy, Deserialize, TS)]
pub struct IdArgs {
    pub id: i64,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct ResetPasswordArgs {
    pub id: i64,
    pub password: Sensitive<String>,
}

/// Connect a platform with a pasted access token.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct ConnectTokenArgs {
    pub platform: timebridge_core::platforms::Platform,
    pub token: Sensitive<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub settings: Option<timebridge_core::middleware::integrations::IntegrationSettings>,
}

/// Connect a platform read from export files; `settings.folder` names the
/// folder.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct ConnectFolderArgs {
    pub platform: timebridge_core::platforms::Platform,
    #[serde(default)]
    pub name: Option<String>,
    pub settings: timebridge_core::middleware::integrations::IntegrationSettings,
}

/// Connect a platform read through an ODBC data source (Sage 300 CRE);
/// `settings.dsn` names it and `settings.import_folder` is where payroll
/// files go. The password, if the data source needs one, goes to the
/// keyring.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct ConnectDataSourceArgs {
    pub platform: timebridge_core::platforms::Platform,
    #[serde(default)]
    pub name: Option<String>,
    pub settings: timebridge_core::middleware::integrations::IntegrationSettings,
    #[serde(default)]
    #[ts(optional)]
    pub password: Option<Sensitive<String>>,
}

/// Connect a platform that signs in with an API application's client id
/// and secret (Aspire).
#[derive(Debug, Clone, Deserialize, TS)]
pub struct ConnectClientArgs {
    pub platform: timebridge_core::platforms::Platform,
    pub client_id: String,
    pub client_secret: Sensitive<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub settings: Option<timebridge_core::middleware::integrations::IntegrationSettings>,
}

/// Connect a platform that signs in with a member's username and password
/// (busybusy): admins only.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct ConnectPasswordArgs {
    pub platform: timebridge_core::platforms::Platform,
    pub username: String,
    pub password: Sensitive<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub settings: Option<timebridge_core::middleware::integrations::IntegrationSettings>,
}

/// Start signing in to a platform in the system browser (OAuth 2 with a
/// loopback redirect), as the platform application `client_id`.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct BeginBrowserSignInArgs {
    pub platform: timebridge_core::platforms::Platform,
    pub client_id: String,
    pub client_secret: Sensitive<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub settings: Option<timebridge_core::middleware::integrations::IntegrationSettings>,
    /// The loopback port registered with the platform app (default 47290).
    #[serde(default)]
    pub redirect_port: Option<u16>,
}

/// A browser sign-in under way.
#[derive(Debug, Clone, Serialize, TS)]
pub struct BrowserSignInStarted {
    /// Ask [`BrowserSignInStatus`] with this.
    pub flow: String,
    /// The platform's sign-in page, to show in case the browser did not open.
    pub authorize_url: String,
    pub redirect_uri: String,
    /// Whether the system browser was opened on it.
    pub browser_opened: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BrowserSignInState {
    /// Waiting for the admin to finish in the browser.
    Waiting,
    Connected,
    Failed,
    Cancelled,
}

/// Where a browser sign-in stands.
#[derive(Debug, Clone, Serialize, TS)]
pub struct BrowserSignInStatus {
    pub state: BrowserSignInState,
    /// Set once connected.
    pub integration: Option<timebridge_core::middleware::integrations::Integration>,
    /// What went wrong and what to do, once failed.
    pub error: Option<timebridge_core::ApiError>,
}

/// One browser sign-in.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct BrowserSignInArgs {
    pub flow: String,
}

/// Connect the Sandbox.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(default)]
pub struct ConnectSandboxArgs {
    pub name: Option<String>,
    pub settings: Option<timebridge_core::middleware::integrations::IntegrationSettings>,
    /// The demo company it serves; QuickBooks Time when not given.
    #[ts(optional)]
    pub company: Option<timebridge_core::platforms::SandboxCompany>,
}

/// How an integration is doing, for the green or red status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum HealthState {
    NeverSynced,
    Running,
    Ok,
    Failed,
    Cancelled,
    Interrupted,
}

/// One connected integration on the overview.
#[derive(Debug, Clone, Serialize, TS)]
pub struct IntegrationSummary {
    pub integration: timebridge_core::middleware::integrations::Integration,
    pub platform_name: String,
    /// Demo data, not a real account (the Sandbox).
    pub demo: bool,
    pub health: HealthState,
    pub last_run: Option<timebridge_core::middleware::runs::SyncRun>,
}

/// One module of an integration and how many staged records have each status.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ModuleOverview {
    pub module: timebridge_core::middleware::Module,
    pub label: String,
    pub counts: timebridge_core::middleware::staged::StatusCounts,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct StagedListArgs {
    pub integration_id: i64,
    pub module: timebridge_core::middleware::Module,
    pub query: timebridge_core::middleware::staged::StagedQuery,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct ArchiveArgs {
    pub integration_id: i64,
    pub module: timebridge_core::middleware::Module,
    pub selection: timebridge_core::middleware::staged::Selection,
    pub archived: bool,
}

/// Hours per day of an integration's staged time entries matching a filter.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct HoursArgs {
    pub integration_id: i64,
    #[serde(default)]
    pub filter: timebridge_core::middleware::staged::StagedFilter,
}

/// What a round of simulated Sandbox activity changed.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SimulatedActivity {
    pub round: u32,
    /// In words: "changed Marcus Bell's e-mail", "deleted a timesheet".
    pub changes: Vec<String>,
}

/// Import staged records of one module into the local records.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct ImportArgs {
    pub integration_id: i64,
    pub module: timebridge_core::middleware::Module,
    pub selection: timebridge_core::middleware::staged::Selection,
    #[serde(default)]
    pub options: Option<timebridge_core::middleware::import::ImportOptions>,
}

#[derive(Debug, Clone, Copy, Deserialize, TS)]
pub struct RunsArgs {
    pub integration_id: i64,
    #[serde(default)]
    pub page: u32,
    #[serde(default)]
    pub page_size: u32,
}

/// Connect QuickBooks Desktop through the QuickBooks Web Connector: the
/// username and password the Web Connector will sign in with (chosen here,
/// typed there).
#[derive(Debug, Clone, Deserialize, TS)]
pub struct ConnectWebConnectorArgs {
    pub platform: timebridge_core::platforms::Platform,
    pub username: String,
    pub password: Sensitive<String>,
    /// The integration's name; by default the QuickBooks company's.
    #[serde(default)]
    pub name: Option<String>,
    /// `base_url` is where Timebridge answers the Web Connector.
    #[serde(default)]
    pub settings: Option<timebridge_core::middleware::integrations::IntegrationSettings>,
    /// Where the `.qwc` file is saved; the Downloads folder by default.
    #[serde(default)]
    pub qwc_folder: Option<String>,
}

/// A Web Connector connection waiting for its first update.
#[derive(Debug, Clone, Serialize, TS)]
pub struct WebConnectorStarted {
    pub flow: String,
    /// The `.qwc` file to add to the Web Connector.
    pub qwc_path: String,
    /// Where Timebridge answers.
    pub app_url: String,
    pub username: String,
}

/// Where a Web Connector connection stands.
#[derive(Debug, Clone, Serialize, TS)]
pub struct WebConnectorStatus {
    pub state: BrowserSignInState,
    /// While waiting: what was wrong with the Web Connector's last sign-in.
    pub refused: Option<String>,
    /// Set once connected.
    pub integration: Option<timebridge_core::middleware::integrations::Integration>,
    /// What went wrong and what to do, once failed.
    pub error: Option<timebridge_core::ApiError>,
}

/// Save a QuickBooks Desktop connection's `.qwc` file again.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct SaveQwcArgs {
    pub id: i64,
    /// The Downloads folder by default.
    #[serde(default)]
    pub folder: Option<String>,
}

/// Preview an export: a CSV file, or a folder (its first export file).
#[derive(Debug, Clone, Deserialize, TS)]
pub struct PreviewCsvArgs {
    pub path: String,
}

/// Save a CSV layout under its name (the same name again changes it).
#[derive(Debug, Clone, Deserialize, TS)]
pub struct SaveCsvLayoutArgs {
    pub layout: timebridge_core::middleware::csv_layouts::CsvLayout,
}

/// A saved CSV layout, by its name.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct CsvLayoutNameArgs {
    pub name: String,
}

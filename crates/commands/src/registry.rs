//! The command table: every command the UI can call, who may call it, what
//! it takes and returns, and the handler that runs it.
//!
//! This table is the only list of commands. [`dispatch`] is generated from
//! it, so no command can run without its access check; the permission test
//! walks it; and the TypeScript bindings (functions, argument and result
//! types, and the permission each command needs) are generated from it.

use serde_json::Value;
use timebridge_connectors::catalog::PlatformListing;
use timebridge_core::audit::{AuditEntry, AuditQuery};
use timebridge_core::bonus::crews::{Bonus, NewBonus};
use timebridge_core::bonus::plans::{PlanDraft, PlanRecord};
use timebridge_core::bonus::statement::Statement;
use timebridge_core::costing::wages::{Wage, WageDraft};
use timebridge_core::costing::{CostingQuery, CostingReport, CostingSettings, JobDetail};
use timebridge_core::middleware::csv_layouts::{CsvLayout, CsvPreview};
use timebridge_core::middleware::import::ImportSummary;
use timebridge_core::middleware::integrations::{Integration, IntegrationSettings};
use timebridge_core::middleware::runs::SyncRun;
use timebridge_core::middleware::staged::{DayHours, StagedDetail, StagedPage};
use timebridge_core::operators::{FirstAdministrator, NewOperator, Operator, OperatorUpdate};
use timebridge_core::payroll::files::FileSettings;
use timebridge_core::payroll::publish::{PeriodLock, PublishedLine};
use timebridge_core::payroll::settings::PayrollSettings;
use timebridge_core::payroll::targets::{PayItemMap, TargetItem, TargetProfile};
use timebridge_core::payroll::{HoursReport, PayrollReview};
use timebridge_core::permissions::Permission::{
    ApproveBonuses, EditRecords, IntegrationActions, ManagePayroll, ManageUsersAndRoles,
    PublishPayroll, SetupIntegrations, ViewIntegrations, ViewRecords,
};
use timebridge_core::permissions::PermissionInfo;
use timebridge_core::records::{ListQuery, Page, RecordSourceOption};
use timebridge_core::records::{budgets, customers, employees, jobs, pay_ids, tasks, time_entries};
use timebridge_core::roles::{Role, RoleDraft};
use timebridge_core::store::backup::RestoreReport;
use timebridge_core::update_settings::UpdateSettings;
use timebridge_core::{ApiError, Error};
use timebridge_sync::PublishResult;

use crate::Access::{Public, Requires, SignedIn};
use crate::handlers::backups::{self as backups, DatabaseStatus, RestoreBackupArgs};
use crate::handlers::bonuses::{self as bonus, MarkPaidArgs, SaveStatementArgs, StatementArgs};
use crate::handlers::costing::{self as cost, EmployeeArgs};
use crate::handlers::jobs::{self as background, JobArgs, JobStarted, JobStatus};
use crate::handlers::payroll::{
    self as pay, ConfirmMatchArgs, ExportArgs, ExportedFile, IntegrationArgs, LockArgs, MatchList,
    MatchesArgs, PayrollMapping, PeriodArgs, PublicationProgress, PublishArgs, ReviewArgs,
    SetPayItemArgs, TargetArgs,
};
use crate::handlers::records as rec;
use crate::handlers::types::{
    AppStatus, ArchiveArgs, BeginBrowserSignInArgs, BrowserSignInArgs, BrowserSignInStarted,
    BrowserSignInStatus, ChangePasswordArgs, ConnectClientArgs, ConnectDataSourceArgs,
    ConnectFolderArgs, ConnectPasswordArgs, ConnectSandboxArgs, ConnectTokenArgs, HoursArgs,
    IdArgs, ImportArgs, IntegrationSummary, ModuleOverview, ResetPasswordArgs, RunsArgs,
    SessionInfo, SetActiveArgs, SignInArgs, SimulatedActivity, StagedListArgs, UpdateArgs,
};
use crate::handlers::types::{
    ConnectWebConnectorArgs, SaveQwcArgs, WebConnectorStarted, WebConnectorStatus,
};
use crate::handlers::types::{CsvLayoutNameArgs, PreviewCsvArgs, SaveCsvLayoutArgs};
use crate::handlers::updates::{self as upd, UpdateStatus};
use crate::handlers::web_connector::{PublishingChanged, SetPublishingArgs};
use crate::handlers::{
    admin, csv_layouts as csv, integrations as int, session, sign_in, web_connector as qbwc,
};
use crate::{Access, Api, Client};

/// One command as the table declares it.
#[derive(Debug, Clone, Copy)]
pub struct CommandSpec {
    pub name: &'static str,
    pub access: Access,
    pub doc: &'static str,
}

/// What walks the table's signatures (the TypeScript generator).
pub(crate) trait SignatureVisitor {
    fn command<A: ts_rs::TS + 'static, O: ts_rs::TS + 'static>(&mut self, spec: &CommandSpec);
}

macro_rules! commands {
    ($( $(#[doc = $doc:literal])* $name:ident ( $args:ty ) -> $out:ty , $access:expr => $handler:path ; )*) => {
        /// Every command, in table order.
        pub const COMMANDS: &[CommandSpec] = &[
            $( CommandSpec { name: stringify!($name), access: $access, doc: concat!($($doc, "\n",)* "") }, )*
        ];

        /// Runs the command `name`: access check, argument decoding, handler.
        pub(crate) fn dispatch(
            api: &Api,
            client: &mut Client,
            name: &str,
            args: Value,
        ) -> Result<Value, ApiError> {
            match name {
                $( stringify!($name) => api.run::<$args, $out>(client, $access, args, $handler), )*
                unknown => Err(Error::Internal(format!("there is no command named {unknown:?}")).into()),
            }
        }

        pub(crate) fn visit_signatures(visitor: &mut impl SignatureVisitor) {
            let mut specs = COMMANDS.iter();
            $( visitor.command::<$args, $out>(specs.next().expect("one spec per command")); )*
        }
    };
}

commands! {
    /// First-run state, the signed-in operator (if any) and the app version.
    app_status(()) -> AppStatus, Public => session::app_status;
    /// Creates the first administrator on a new database, and signs them in.
    create_first_administrator(FirstAdministrator) -> SessionInfo, Public => session::create_first_administrator;
    /// Checks a username and password and starts a session.
    sign_in(SignInArgs) -> SessionInfo, Public => session::sign_in;
    /// Whether the database passed its check at start (if not it is
    /// read-only), the latest good backup and every kept backup.
    database_status(()) -> DatabaseStatus, Public => backups::database_status;
    /// Restores a listed backup, keeping the current database beside it,
    /// and ends the session. Public while the database is damaged (signing
    /// in may be impossible); administrators only otherwise.
    restore_backup(RestoreBackupArgs) -> RestoreReport, Public => backups::restore_backup;
    /// Ends the session.
    sign_out(()) -> (), SignedIn => session::sign_out;
    /// Changes the signed-in operator's own password.
    change_own_password(ChangePasswordArgs) -> (), SignedIn => session::change_own_password;
    /// Every permission a role can grant, with labels for the role editor.
    list_permissions(()) -> Vec<PermissionInfo>, SignedIn => session::list_permissions;

    /// The integrations records were imported from, for the Source filter.
    list_record_sources(()) -> Vec<RecordSourceOption>, Requires(ViewRecords) => rec::list_record_sources;

    list_employees(ListQuery<employees::Sort>) -> Page<employees::Record>, Requires(ViewRecords) => rec::employees::list;
    create_employee(employees::Draft) -> employees::Record, Requires(EditRecords) => rec::employees::create;
    update_employee(UpdateArgs<employees::Draft>) -> employees::Record, Requires(EditRecords) => rec::employees::update;
    set_employee_active(SetActiveArgs) -> employees::Record, Requires(EditRecords) => rec::employees::set_active;

    list_customers(ListQuery<customers::Sort>) -> Page<customers::Record>, Requires(ViewRecords) => rec::customers::list;
    create_customer(customers::Draft) -> customers::Record, Requires(EditRecords) => rec::customers::create;
    update_customer(UpdateArgs<customers::Draft>) -> customers::Record, Requires(EditRecords) => rec::customers::update;
    set_customer_active(SetActiveArgs) -> customers::Record, Requires(EditRecords) => rec::customers::set_active;

    list_jobs(ListQuery<jobs::Sort>) -> Page<jobs::Record>, Requires(ViewRecords) => rec::jobs::list;
    create_job(jobs::Draft) -> jobs::Record, Requires(EditRecords) => rec::jobs::create;
    update_job(UpdateArgs<jobs::Draft>) -> jobs::Record, Requires(EditRecords) => rec::jobs::update;
    set_job_active(SetActiveArgs) -> jobs::Record, Requires(EditRecords) => rec::jobs::set_active;

    list_tasks(ListQuery<tasks::Sort>) -> Page<tasks::Record>, Requires(ViewRecords) => rec::tasks::list;
    create_task(tasks::Draft) -> tasks::Record, Requires(EditRecords) => rec::tasks::create;
    update_task(UpdateArgs<tasks::Draft>) -> tasks::Record, Requires(EditRecords) => rec::tasks::update;
    set_task_active(SetActiveArgs) -> tasks::Record, Requires(EditRecords) => rec::tasks::set_active;

    list_time_entries(ListQuery<time_entries::Sort>) -> Page<time_entries::Record>, Requires(ViewRecords) => rec::time_entries::list;
    /// One time entry, as the payroll page opens it from an employee's hours.
    get_time_entry(IdArgs) -> time_entries::Record, Requires(ViewRecords) => rec::get_time_entry;
    /// Whether the pay period of a day was published, and where: the time
    /// entry form warns before an entry in it is changed.
    payroll_period_lock(LockArgs) -> PeriodLock, Requires(ViewRecords) => pay::payroll_period_lock;
    create_time_entry(time_entries::Draft) -> time_entries::Record, Requires(EditRecords) => rec::time_entries::create;
    update_time_entry(UpdateArgs<time_entries::Draft>) -> time_entries::Record, Requires(EditRecords) => rec::time_entries::update;
    /// Voids (`active: false`) or restores a time entry.
    set_time_entry_active(SetActiveArgs) -> time_entries::Record, Requires(EditRecords) => rec::time_entries::set_active;

    list_budgets(ListQuery<budgets::Sort>) -> Page<budgets::Record>, Requires(ViewRecords) => rec::budgets::list;
    create_budget(budgets::Draft) -> budgets::Record, Requires(EditRecords) => rec::budgets::create;
    update_budget(UpdateArgs<budgets::Draft>) -> budgets::Record, Requires(EditRecords) => rec::budgets::update;
    set_budget_active(SetActiveArgs) -> budgets::Record, Requires(EditRecords) => rec::budgets::set_active;

    list_pay_ids(ListQuery<pay_ids::Sort>) -> Page<pay_ids::Record>, Requires(ViewRecords) => rec::pay_ids::list;
    create_pay_id(pay_ids::Draft) -> pay_ids::Record, Requires(EditRecords) => rec::pay_ids::create;
    update_pay_id(UpdateArgs<pay_ids::Draft>) -> pay_ids::Record, Requires(EditRecords) => rec::pay_ids::update;
    set_pay_id_active(SetActiveArgs) -> pay_ids::Record, Requires(EditRecords) => rec::pay_ids::set_active;

    list_operators(()) -> Vec<Operator>, Requires(ManageUsersAndRoles) => admin::list_operators;
    create_operator(NewOperator) -> Operator, Requires(ManageUsersAndRoles) => admin::create_operator;
    /// Changes an operator's name, role, or active flag.
    update_operator(UpdateArgs<OperatorUpdate>) -> Operator, Requires(ManageUsersAndRoles) => admin::update_operator;
    reset_operator_password(ResetPasswordArgs) -> (), Requires(ManageUsersAndRoles) => admin::reset_operator_password;
    list_roles(()) -> Vec<Role>, Requires(ManageUsersAndRoles) => admin::list_roles;
    create_role(RoleDraft) -> Role, Requires(ManageUsersAndRoles) => admin::create_role;
    update_role(UpdateArgs<RoleDraft>) -> Role, Requires(ManageUsersAndRoles) => admin::update_role;
    delete_role(IdArgs) -> (), Requires(ManageUsersAndRoles) => admin::delete_role;
    /// The audit log, newest first.
    list_audit_log(AuditQuery) -> Page<AuditEntry>, Requires(ManageUsersAndRoles) => admin::list_audit_log;

    /// This version, whether checks for a new one are on, and what the last
    /// check found (a newer version with its notes, up to date, or why it failed).
    update_status(()) -> UpdateStatus, SignedIn => upd::update_status;
    /// Turns the background check for updates on or off; off means no
    /// request is ever made. Administrators only.
    save_update_settings(UpdateSettings) -> UpdateStatus, Requires(ManageUsersAndRoles) => upd::save_update_settings;
    /// Starts a check for a new version now; follow it with update_status.
    check_for_updates(()) -> UpdateStatus, Requires(ManageUsersAndRoles) => upd::check_for_updates;
    /// Downloads the version found, checks its signature, installs it and
    /// restarts; a package whose signature does not match is refused and
    /// nothing is installed. Follow it with update_status.
    install_update(()) -> UpdateStatus, Requires(ManageUsersAndRoles) => upd::install_update;

    /// Every platform Timebridge knows, with what it can sync and publish.
    list_platforms(()) -> Vec<PlatformListing>, Requires(ViewIntegrations) => int::list_platforms;
    /// The connected integrations with their status and last run.
    list_integrations(()) -> Vec<IntegrationSummary>, Requires(ViewIntegrations) => int::list_integrations;
    get_integration(IdArgs) -> IntegrationSummary, Requires(ViewIntegrations) => int::get_integration;
    /// Connects the Sandbox (demo data).
    connect_sandbox(ConnectSandboxArgs) -> Integration, Requires(SetupIntegrations) => int::connect_sandbox;
    /// Checks a pasted access token, then connects; the token goes to the system keyring.
    connect_with_token(ConnectTokenArgs) -> Integration, Requires(SetupIntegrations) => int::connect_with_token;
    /// Signs in with an API application's client ID and secret, checks the
    /// sign-in, then connects; the secret goes to the system keyring.
    connect_with_client_credentials(ConnectClientArgs) -> Integration, Requires(SetupIntegrations) => int::connect_with_client_credentials;
    /// Signs a member in with a username and password, checks the member is
    /// an admin, then connects; the password and session go to the system keyring.
    connect_with_password(ConnectPasswordArgs) -> Integration, Requires(SetupIntegrations) => int::connect_with_password;
    /// Checks a folder of export files (it exists, can be read, every export
    /// has the columns needed), then connects.
    connect_folder(ConnectFolderArgs) -> Integration, Requires(SetupIntegrations) => int::connect_folder;
    /// Opens an ODBC data source and reads every list (Sage 300 CRE), checks
    /// the import folder, then connects; the password goes to the system keyring.
    connect_data_source(ConnectDataSourceArgs) -> Integration, Requires(SetupIntegrations) => int::connect_data_source;
    /// Opens the platform's sign-in page in the system browser and waits, in
    /// the background, for it to come back; the tokens go to the system keyring.
    begin_browser_sign_in(BeginBrowserSignInArgs) -> BrowserSignInStarted, Requires(SetupIntegrations) => sign_in::begin_browser_sign_in;
    /// Where a browser sign-in stands (waiting, connected, failed, cancelled).
    browser_sign_in_status(BrowserSignInArgs) -> BrowserSignInStatus, Requires(SetupIntegrations) => sign_in::browser_sign_in_status;
    /// Stops waiting for a browser sign-in.
    cancel_browser_sign_in(BrowserSignInArgs) -> bool, Requires(SetupIntegrations) => sign_in::cancel_browser_sign_in;
    /// Starts answering the QuickBooks Web Connector, saves the `.qwc` file
    /// to add to it, and waits, in the background, for its first update to
    /// sign in with this username and password; the password goes to the
    /// system keyring once QuickBooks has answered.
    connect_web_connector(ConnectWebConnectorArgs) -> WebConnectorStarted, Requires(SetupIntegrations) => qbwc::connect_web_connector;
    /// Where a Web Connector connection stands (waiting, with a refused
    /// sign-in said plainly; connected; failed; cancelled).
    web_connector_status(BrowserSignInArgs) -> WebConnectorStatus, Requires(SetupIntegrations) => qbwc::web_connector_status;
    /// Stops waiting for the Web Connector.
    cancel_web_connector(BrowserSignInArgs) -> bool, Requires(SetupIntegrations) => qbwc::cancel_web_connector;
    /// Saves a QuickBooks Desktop connection's `.qwc` file again; returns where.
    save_web_connector_file(SaveQwcArgs) -> String, Requires(SetupIntegrations) => qbwc::save_web_connector_file;
    /// Turns publishing payroll into QuickBooks on or off for a QuickBooks
    /// Desktop connection and saves its `.qwc` file again (read-write only
    /// when on); says where, and what to do in the Web Connector.
    set_web_connector_publishing(SetPublishingArgs) -> PublishingChanged, Requires(SetupIntegrations) => qbwc::set_web_connector_publishing;
    update_integration_settings(UpdateArgs<IntegrationSettings>) -> Integration, Requires(SetupIntegrations) => int::update_integration_settings;
    /// Makes an integration the one sync source; the previous source stops syncing.
    set_sync_source(IdArgs) -> Integration, Requires(SetupIntegrations) => int::set_sync_source;
    /// Disconnects and deletes the saved sign-in; imported records stay.
    disconnect_integration(IdArgs) -> (), Requires(SetupIntegrations) => int::disconnect_integration;
    /// Starts a sync now; `false` when one was already running (it is joined).
    sync_now(IdArgs) -> bool, Requires(IntegrationActions) => int::sync_now;
    cancel_sync(IdArgs) -> bool, Requires(IntegrationActions) => int::cancel_sync;
    list_sync_runs(RunsArgs) -> Page<SyncRun>, Requires(ViewIntegrations) => int::list_sync_runs;
    /// The modules of an integration with their staged counts per status.
    staged_overview(IdArgs) -> Vec<ModuleOverview>, Requires(ViewIntegrations) => int::staged_overview;
    list_staged(StagedListArgs) -> StagedPage, Requires(ViewIntegrations) => int::list_staged;
    /// Hours per day of the staged time entries matching a filter (the newest 62 days).
    staged_hours_per_day(HoursArgs) -> Vec<DayHours>, Requires(ViewIntegrations) => int::staged_hours_per_day;
    /// One staged record with what changed since it was imported.
    staged_detail(IdArgs) -> StagedDetail, Requires(ViewIntegrations) => int::staged_detail;
    /// Archives or unarchives staged records (ids, or all matching a filter).
    archive_staged(ArchiveArgs) -> u64, Requires(IntegrationActions) => int::archive_staged;
    /// Imports staged records into the company's records, with what was
    /// created, updated, linked, skipped and why.
    import_staged(ImportArgs) -> ImportSummary, Requires(IntegrationActions) => int::import_staged;
    /// Makes everyday changes happen in the Sandbox's demo company, to try Updated and removed records.
    simulate_sandbox_activity(IdArgs) -> SimulatedActivity, Requires(IntegrationActions) => int::simulate_sandbox_activity;
    /// Starts an import in the background, for large selections; follow it with job_status.
    start_import(ImportArgs) -> JobStarted, Requires(IntegrationActions) => background::start_import;
    /// How a background action is going: done of total, and its summary once it ends.
    job_status(JobArgs) -> JobStatus, SignedIn => background::job_status;
    /// Stops a background action after the chunk it is on; what it committed stays.
    cancel_job(JobArgs) -> bool, Requires(IntegrationActions) => background::cancel_job;

    /// The company's payroll settings (time zone, week, pay frequency, overtime rules).
    payroll_settings(()) -> PayrollSettings, Requires(ManagePayroll) => pay::payroll_settings;
    /// Checks and saves the payroll settings; every problem is named at once.
    save_payroll_settings(PayrollSettings) -> PayrollSettings, Requires(ManagePayroll) => pay::save_payroll_settings;
    /// A pay period's hours per employee, day, job and task, split by the
    /// overtime rules, with which entries made them.
    payroll_hours(PeriodArgs) -> HoursReport, Requires(ManagePayroll) => pay::payroll_hours;
    /// Where payroll can go: integrations that receive it, and the file formats.
    payroll_targets(()) -> Vec<TargetProfile>, Requires(ManagePayroll) => pay::payroll_targets;
    /// A period's payroll for one target: hours, lines, problems, changes
    /// since publication, and the publications.
    payroll_review(ReviewArgs) -> PayrollReview, Requires(ManagePayroll) => pay::payroll_review;
    /// A target's pay item mapping, its payroll items and the pay IDs.
    payroll_mapping(TargetArgs) -> PayrollMapping, Requires(ManagePayroll) => pay::payroll_mapping;
    /// Maps a pay ID (for everyone or one employee) to a target's item; an empty item clears it.
    set_pay_item(SetPayItemArgs) -> Option<PayItemMap>, Requires(ManagePayroll) => pay::set_pay_item;
    /// Reads a target's payroll items again.
    refresh_payroll_items(IntegrationArgs) -> Vec<TargetItem>, Requires(ManagePayroll) => pay::refresh_payroll_items;
    /// The company's employees, jobs or tasks with their matches at a target.
    payroll_matches(MatchesArgs) -> MatchList, Requires(ManagePayroll) => pay::payroll_matches;
    /// Confirms (or forgets) which target record a local record is.
    confirm_match(ConfirmMatchArgs) -> (), Requires(ManagePayroll) => pay::confirm_match;
    /// How the CSV, IIF and Sage 300 CRE files are laid out.
    payroll_file_settings(()) -> FileSettings, Requires(ManagePayroll) => pay::payroll_file_settings;
    save_payroll_file_settings(FileSettings) -> FileSettings, Requires(ManagePayroll) => pay::save_payroll_file_settings;
    /// Writes a period's payroll file; bad settings or blocking problems are refused first.
    export_payroll(ExportArgs) -> ExportedFile, Requires(ManagePayroll) => pay::export_payroll;
    /// Publishes a period to an integration: everything the first time, then only the changes.
    publish_payroll(PublishArgs) -> PublishResult, Requires(PublishPayroll) => pay::publish_payroll;
    /// The lines of one publication with the target's answer to each.
    publication_lines(IdArgs) -> Vec<PublishedLine>, Requires(ManagePayroll) => pay::publication_lines;
    /// One publication as it stands (outcome, lines answered) with every
    /// line's answer; polled while it is being sent.
    publication_progress(IdArgs) -> PublicationProgress, Requires(ManagePayroll) => pay::publication_progress;

    // CSV files: the mapping screen and the layouts it saves.
    /// The first rows of a CSV export (a file, or a folder's first export)
    /// and the guess of what each column holds; a path that cannot be read
    /// is a problem on `path`.
    preview_csv(PreviewCsvArgs) -> CsvPreview, Requires(SetupIntegrations) => csv::preview_csv;
    /// The saved CSV layouts, by name.
    list_csv_layouts(()) -> Vec<CsvLayout>, Requires(SetupIntegrations) => csv::list_csv_layouts;
    /// Saves a CSV layout (the same name again changes it), each bad field
    /// reported on its own; returns it as saved.
    save_csv_layout(SaveCsvLayoutArgs) -> CsvLayout, Requires(SetupIntegrations) => csv::save_csv_layout;
    /// Deletes a saved CSV layout; refused while an integration reads with it.
    delete_csv_layout(CsvLayoutNameArgs) -> (), Requires(SetupIntegrations) => csv::delete_csv_layout;

    // Job costing: hours and labour cost against budgets, and the wages
    // labour is costed at.
    /// Every job with a budget or time (or one job), with its tasks: budget,
    /// hours and labour cost, % used, what remains, and its status.
    job_costing(CostingQuery) -> CostingReport, Requires(ViewRecords) => cost::job_costing;
    /// One job: its costing, its hours week by week against the budget, and
    /// who worked it.
    job_costing_detail(IdArgs) -> JobDetail, Requires(ViewRecords) => cost::job_costing_detail;
    /// The labour burden % added on top of wages.
    costing_settings(()) -> CostingSettings, Requires(ViewRecords) => cost::costing_settings;
    save_costing_settings(CostingSettings) -> CostingSettings, Requires(ManagePayroll) => cost::save_costing_settings;
    /// An employee's wages, newest first: imported with the employee or set
    /// in Timebridge.
    employee_wages(EmployeeArgs) -> Vec<Wage>, Requires(ManagePayroll) => cost::employee_wages;
    /// Sets the wage an employee is paid from a day; their time from that day
    /// is costed at it.
    set_employee_wage(WageDraft) -> Wage, Requires(ManagePayroll) => cost::set_employee_wage;
    /// Removes a wage set in Timebridge; an imported one is refused.
    remove_employee_wage(IdArgs) -> (), Requires(ManagePayroll) => cost::remove_employee_wage;

    // Crew bonuses.
    /// The bonus plans, by name.
    list_bonus_plans(()) -> Vec<PlanRecord>, Requires(ViewRecords) => bonus::list_bonus_plans;
    /// Saves a bonus plan (new, or new rules for its id); every bad field at once.
    save_bonus_plan(PlanDraft) -> PlanRecord, Requires(ManagePayroll) => bonus::save_bonus_plan;
    /// Every bonus: open ones projected from the time so far, then approved and paid.
    list_bonuses(()) -> Vec<Bonus>, Requires(ViewRecords) => bonus::list_bonuses;
    get_bonus(IdArgs) -> Bonus, Requires(ViewRecords) => bonus::get_bonus;
    /// Sets up a bonus of a plan on a job (or one of its tasks).
    create_bonus(NewBonus) -> Bonus, Requires(ManagePayroll) => bonus::create_bonus;
    /// Approves an open bonus: its figures and each worker's amount are
    /// frozen, to be paid with the pay period of the approval's day.
    approve_bonus(IdArgs) -> Bonus, Requires(ApproveBonuses) => bonus::approve_bonus;
    /// Marks an approved bonus paid outside Timebridge (entered by hand on
    /// the paychecks of a target that takes no amounts), with where.
    mark_bonus_paid(MarkPaidArgs) -> Bonus, Requires(ApproveBonuses) => bonus::mark_bonus_paid;
    /// Each worker's statement of a bonus (or one employee's).
    bonus_statements(StatementArgs) -> Vec<Statement>, Requires(ViewRecords) => bonus::bonus_statements;
    /// Saves the statements as one PDF, a page per worker; returns where.
    save_bonus_statements(SaveStatementArgs) -> String, Requires(ViewRecords) => bonus::save_bonus_statements;
}

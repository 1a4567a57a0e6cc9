// Generated from the Rust command table (crates/commands/src/registry.rs).
// Do not edit: change the Rust types, then run `cargo xtask bindings`.
/* eslint-disable */

import { call } from "./transport";

/**
 * A record imported along because another needed it.
 */
export type AlsoImported = { module: Module, label: string, };

/**
 * Whether a target takes amount lines (bonuses) beside hours.
 */
export type Amounts = { "kind": "taken" } | { "kind": "needs_column", fix: string, } | { "kind": "not_taken" };

/**
 * What crosses to the UI (and the CLI's `--json` output) when a command fails.
 */
export type ApiError = { code: ErrorCode, message: string, 
/**
 * For `validation`: every field that failed, so a form can mark them all.
 */
fields: Array<FieldProblem>, 
/**
 * For `rate_limited`: how long to wait, in seconds.
 */
retry_after_seconds: number | null, };

/**
 * What the UI needs to know at start.
 */
export type AppStatus = { 
/**
 * First start: no operator exists yet, so ask for an administrator.
 */
needs_first_administrator: boolean, session: SessionInfo | null, version: string, 
/**
 * Where the database is, for the Settings page and support.
 */
database_path: string, };

export type ArchiveArgs = { integration_id: number, module: Module, selection: Selection, archived: boolean, };

/**
 * What was done. Stored as its dotted name.
 */
export type AuditAction = "sign_in.succeeded" | "sign_in.failed" | "sign_in.locked" | "sign_out" | "operator.created" | "operator.updated" | "operator.password_reset" | "operator.password_changed" | "role.created" | "role.updated" | "role.deleted" | "record.created" | "record.updated" | "record.deactivated" | "record.reactivated" | "integration.connected" | "integration.changed" | "integration.disconnected" | "integration.sync_source" | "staged.archived" | "staged.unarchived" | "staged.imported" | "payroll.settings_changed" | "payroll.mapping_changed" | "payroll.published" | "payroll.exported" | "csv_layout.saved" | "csv_layout.deleted" | "app.update_checks_changed" | "wage.set" | "wage.removed" | "job_costing.settings_changed" | "bonus.plan_saved" | "bonus.created" | "bonus.approved" | "bonus.paid";

/**
 * One line of the log, as the Activity page shows it.
 */
export type AuditEntry = { id: number, at: string, operator_id: number | null, actor: string, 
/**
 * `None` only for an action written by a newer version of Timebridge.
 */
action: AuditAction | null, target: string | null, summary: string, details: unknown, };

/**
 * Which entries to show, newest first.
 */
export type AuditQuery = { 
/**
 * 1-based.
 */
page: number, page_size: number, 
/**
 * Words that must all appear in the actor, target or summary.
 */
search: string | null, action: AuditAction | null, operator_id: number | null, };

/**
 * How an admin signs a platform in.
 */
export type AuthKind = "o_auth2" | "access_token" | "username_password" | "client_credentials" | "folder" | "odbc";

/**
 * One backup file in the backups folder.
 */
export type BackupFile = { path: string, kind: BackupKind, 
/**
 * The day it was made, from its name.
 */
day: string, 
/**
 * When it was written, from the file system.
 */
made_at: string | null, size_bytes: number, };

/**
 * Which kind of copy a backup file is.
 */
export type BackupKind = "daily" | "before_restore";

/**
 * Why a piece of time went to its pay ID.
 */
export type Basis = "regular" | "daily_overtime" | "daily_double_time" | "weekly_overtime" | "seventh_day_overtime" | "seventh_day_double_time" | "as_entered";

/**
 * Start signing in to a platform in the system browser (OAuth 2 with a
 * loopback redirect), as the platform application `client_id`.
 */
export type BeginBrowserSignInArgs = { platform: Platform, client_id: string, client_secret: string, name: string | null, settings: IntegrationSettings | null, 
/**
 * The loopback port registered with the platform app (default 47290).
 */
redirect_port: number | null, };

/**
 * A bonus with its working: projected while open, frozen once approved.
 */
export type Bonus = { id: number, plan_id: number, plan: string, job_id: number, job: string, customer: string | null, task_id: number | null, task: string | null, state: BonusState, 
/**
 * The hours it is measured against; `None` while the job has no budget.
 */
budget_seconds: number | null, 
/**
 * Set on the bonus rather than taken from the budget.
 */
budget_set: boolean, carried_in_loss_cents: number, 
/**
 * The working, unless it cannot be computed yet (then `problem` says why).
 */
outcome: BonusOutcome | null, problem: string | null, workers: Array<BonusWorker>, approved_at: string | null, approved_by: string | null, 
/**
 * The day whose pay period it is paid in.
 */
approved_on: string | null, paid_at: string | null, 
/**
 * How it was paid: the publication that paid it, or the admin's note
 * when it was paid outside Timebridge.
 */
paid_through: string | null, 
/**
 * The publication that paid it.
 */
publication_id: number | null, };

/**
 * A job's bonus, with the working that led to it.
 *
 * The `Decimal` amounts are exact and unrounded (cents, with a fraction);
 * the `i64` ones are whole cents, each rounded once.
 */
export type BonusOutcome = { 
/**
 * The crew's seconds on the job.
 */
worked_seconds: number, 
/**
 * Budget − worked, in seconds; negative when over the budget.
 */
saved_seconds: number, 
/**
 * Σ(wage × hours) / Σ hours, in cents per hour.
 */
average_wage_cents_per_hour: string, 
/**
 * The saved hours at the average wage, in cents; negative for a loss.
 */
saved_value_cents: string, 
/**
 * The saved value × the plan's share, in cents; negative for a loss.
 */
crew_share_cents: string, 
/**
 * The crew share (0 if it was a loss the plan absorbs) less the loss
 * carried in, in cents; negative when a loss carries out.
 */
after_carried_loss_cents: string, 
/**
 * The crew's share of this job's loss that the plan absorbed (`Absorb`).
 */
loss_absorbed_cents: number, 
/**
 * The pool before the cap, in cents (0 when there is a loss).
 */
pool_before_cap_cents: number, 
/**
 * Whether the cap lowered the pool.
 */
capped: boolean, 
/**
 * The crew pool, in cents: what the workers' amounts add up to.
 */
pool_cents: number, 
/**
 * The loss the plan's next job starts from, in cents (0 or more).
 */
loss_carried_out_cents: number, 
/**
 * Each worker's part, in the order the workers were given.
 */
workers: Array<WorkerBonus>, };

/**
 * A crew bonus plan, as set up for a job or a task.
 */
export type BonusPlan = { 
/**
 * The crew's share of the saved value, in percent (50 means 50 %),
 * from 0 to 100.
 */
share_percent: string, split: SplitMethod, 
/**
 * The most the crew pool can be, in cents; `None` for no cap.
 */
cap_cents: number | null, loss_policy: LossPolicy, };

/**
 * Where a bonus is in its life.
 */
export type BonusState = "open" | "approved" | "paid";

/**
 * One worker's share.
 */
export type BonusWorker = { employee_id: number, name: string, seconds: number, wage_cents_per_hour: number, 
/**
 * Hours of theirs with no wage on the day (counted at $0.00).
 */
unpriced_seconds: number, amount_cents: number, };

/**
 * One browser sign-in.
 */
export type BrowserSignInArgs = { flow: string, };

/**
 * A browser sign-in under way.
 */
export type BrowserSignInStarted = { 
/**
 * Ask [`BrowserSignInStatus`] with this.
 */
flow: string, 
/**
 * The platform's sign-in page, to show in case the browser did not open.
 */
authorize_url: string, redirect_uri: string, 
/**
 * Whether the system browser was opened on it.
 */
browser_opened: boolean, };

export type BrowserSignInState = "waiting" | "connected" | "failed" | "cancelled";

/**
 * Where a browser sign-in stands.
 */
export type BrowserSignInStatus = { state: BrowserSignInState, 
/**
 * Set once connected.
 */
integration: Integration | null, 
/**
 * What went wrong and what to do, once failed.
 */
error: ApiError | null, };

export type Budget = { id: number, job_id: number, job_name: string, task_id: number | null, task_label: string | null, budget_seconds: number | null, amount_cents: number | null, notes: string, active: boolean, meta: RecordMeta, };

export type BudgetDraft = { job_id: number, 
/**
 * `None` budgets the whole job.
 */
task_id: number | null, budget_seconds: number | null, amount_cents: number | null, notes: string, };

export type BudgetSort = "job" | "task" | "hours" | "amount" | "source" | "updated_at";

export type BuiltinRole = "administrator" | "payroll_manager" | "viewer";

/**
 * One line to send: the difference to what the target has.
 */
export type Change = { line: PayrollLine, 
/**
 * Seconds the target accepted for this line before.
 */
published_seconds: number, 
/**
 * Seconds today.
 */
current_seconds: number, 
/**
 * Cents the target accepted for this line before (a bonus line).
 */
published_cents: number, 
/**
 * Cents today.
 */
current_cents: number, };

export type ChangePasswordArgs = { current_password: string, new_password: string, };

export type ConfirmMatchArgs = { integration_id: number, kind: MatchKind, local_id: number, 
/**
 * `None` forgets the match.
 */
external_id: string | null, };

/**
 * One field changed both by hand and at the source.
 */
export type ConflictField = { field: string, imported: unknown, local: unknown, incoming: unknown, };

/**
 * Connect a platform that signs in with an API application's client id
 * and secret (Aspire).
 */
export type ConnectClientArgs = { platform: Platform, client_id: string, client_secret: string, name: string | null, settings: IntegrationSettings | null, };

/**
 * Connect a platform read through an ODBC data source (Sage 300 CRE);
 * `settings.dsn` names it and `settings.import_folder` is where payroll
 * files go. The password, if the data source needs one, goes to the
 * keyring.
 */
export type ConnectDataSourceArgs = { platform: Platform, name: string | null, settings: IntegrationSettings, password?: string, };

/**
 * Connect a platform read from export files; `settings.folder` names the
 * folder.
 */
export type ConnectFolderArgs = { platform: Platform, name: string | null, settings: IntegrationSettings, };

/**
 * Connect a platform that signs in with a member's username and password
 * (busybusy): admins only.
 */
export type ConnectPasswordArgs = { platform: Platform, username: string, password: string, name: string | null, settings: IntegrationSettings | null, };

/**
 * Connect the Sandbox.
 */
export type ConnectSandboxArgs = { name: string | null, settings: IntegrationSettings | null, 
/**
 * The demo company it serves; QuickBooks Time when not given.
 */
company?: SandboxCompany, };

/**
 * Connect a platform with a pasted access token.
 */
export type ConnectTokenArgs = { platform: Platform, token: string, name: string | null, settings: IntegrationSettings | null, };

/**
 * Connect QuickBooks Desktop through the QuickBooks Web Connector: the
 * username and password the Web Connector will sign in with (chosen here,
 * typed there).
 */
export type ConnectWebConnectorArgs = { platform: Platform, username: string, password: string, 
/**
 * The integration's name; by default the QuickBooks company's.
 */
name: string | null, 
/**
 * `base_url` is where Timebridge answers the Web Connector.
 */
settings: IntegrationSettings | null, 
/**
 * Where the `.qwc` file is saved; the Downloads folder by default.
 */
qwc_folder: string | null, };

/**
 * A job's or a task's budget beside what was worked.
 */
export type CostFigures = { budget_seconds: number | null, budget_cents: number | null, actual_seconds: number, 
/**
 * Hours × each employee's wage on the day, with the burden.
 */
labour_cents: number, 
/**
 * Worked by employees with no wage on the day: in the hours, not in
 * the cost.
 */
unpriced_seconds: number, entries: number, 
/**
 * Hours over budgeted hours (or cost over budgeted cost where only a
 * cost is budgeted), to one decimal: "82.5".
 */
used_percent: string | null, remaining_seconds: number | null, remaining_cents: number | null, status: CostStatus, };

/**
 * Where a job (or task) stands against its budget.
 */
export type CostStatus = "no_budget" | "on_track" | "at_risk" | "over";

/**
 * Which jobs the report holds.
 */
export type CostingQuery = { 
/**
 * Only this job.
 */
job_id: number | null, 
/**
 * Inactive jobs too.
 */
include_inactive: boolean, };

/**
 * Every job with a budget or time, by customer and name.
 */
export type CostingReport = { burden_percent: string, jobs: Array<JobCosting>, 
/**
 * How many jobs are at risk and over.
 */
at_risk: number, over: number, };

/**
 * How labour is costed, company-wide.
 */
export type CostingSettings = { 
/**
 * Added on top of wages for taxes, insurance and benefits: 0 to 500,
 * e.g. "22.5".
 */
burden_percent: string, };

/**
 * How many entries, and their seconds in the period.
 */
export type CountSeconds = { count: number, seconds: number, };

/**
 * A CSV column.
 */
export type CsvColumn = "employee" | "employee_number" | "date" | "customer" | "job" | "job_number" | "task" | "task_code" | "pay_id" | "pay_item" | "hours" | "amount";

/**
 * How Hours and Break are written.
 */
export type CsvDuration = "decimal_hours" | "hours_minutes" | "minutes";

/**
 * What a column of the file says, in Timebridge's words.
 */
export type CsvField = "employee" | "employee_number" | "date" | "start" | "end" | "hours" | "break" | "job" | "task" | "pay_id" | "notes";

/**
 * A named mapping of a tracker export's columns, with its formats.
 */
export type CsvLayout = { name: string, 
/**
 * One per file column, in file order.
 */
columns: Array<CsvLayoutColumn>, 
/**
 * The first non-empty line names the columns.
 */
has_header: boolean, 
/**
 * One character: "," ";" "\t" or "|".
 */
delimiter: string, 
/**
 * A chrono strftime format, e.g. "%m/%d/%Y", "%Y-%m-%d", "%d.%m.%Y".
 */
date_format: string, 
/**
 * E.g. "%I:%M %p", "%H:%M". Start and end may also carry the date:
 * they are then read as `date_format + " " + time_format`.
 */
time_format: string, 
/**
 * How Hours and Break are written.
 */
duration_format: CsvDuration, 
/**
 * An IANA zone the times are in; `None` is the company's time zone
 * (the payroll settings).
 */
time_zone: string | null, };

/**
 * One column of the file, in file order: its header (or "Column 3" in a
 * file without one) and the field it holds, `None` for a column not read.
 */
export type CsvLayoutColumn = { header: string, field: CsvField | null, };

/**
 * A saved CSV layout, by its name.
 */
export type CsvLayoutNameArgs = { name: string, };

/**
 * The first rows of a file and the layout guessed for it, for the admin to
 * confirm or change.
 */
export type CsvPreview = { 
/**
 * The file read (a folder's first export file).
 */
file: string, 
/**
 * The header row, or "Column 1", "Column 2", … in a file without one.
 */
headers: Array<string>, 
/**
 * The first 10 data rows, as written.
 */
rows: Array<Array<string>>, 
/**
 * The data rows in the whole file.
 */
row_count: number, guess: CsvLayout, 
/**
 * Required fields the guess could not find, in the admin's words.
 */
missing: Array<string>, 
/**
 * Rows among the first ones that do not read with the guess:
 * "line 4, column “Date”: …".
 */
problems: Array<string>, };

export type CsvSettings = { columns: Array<CsvColumn>, };

export type Customer = { id: number, name: string, email: string | null, phone: string | null, 
/**
 * Active jobs of this customer.
 */
job_count: number, active: boolean, meta: RecordMeta, };

export type CustomerDraft = { name: string, email: string | null, phone: string | null, };

export type CustomerSort = "name" | "email" | "job_count" | "source" | "updated_at";

/**
 * Whether the database is sound, and the backups it could be restored from.
 */
export type DatabaseStatus = { 
/**
 * The database failed its integrity check at start: it is read-only.
 */
damaged: boolean, 
/**
 * What the check found (a few lines of SQLite's report).
 */
problems: Array<string>, 
/**
 * The newest backup that passes its own check, offered for restoring.
 */
latest_good_backup: BackupFile | null, 
/**
 * Every kept backup, newest first.
 */
backups: Array<BackupFile>, backups_folder: string, };

/**
 * Hours of staged time on one day.
 */
export type DayHours = { date: string, seconds: number, entries: number, };

export type DaySeconds = { date: string, seconds: number, };

export type Employee = { id: number, employee_number: string | null, first_name: string, last_name: string, 
/**
 * "First Last".
 */
display_name: string, email: string | null, phone: string | null, hire_date: string | null, active: boolean, meta: RecordMeta, };

/**
 * An employee, by id.
 */
export type EmployeeArgs = { employee_id: number, };

/**
 * What a form (or an import) supplies for an employee.
 */
export type EmployeeDraft = { employee_number: string | null, first_name: string, last_name: string, email: string | null, phone: string | null, hire_date: string | null, };

/**
 * One employee's hours in a period.
 */
export type EmployeeHours = { employee_id: number, lines: Array<HoursLine>, 
/**
 * Seconds per pay ID, in pay ID order.
 */
totals: Array<PayTotal>, total_seconds: number, 
/**
 * Which entries made which hours, in time order.
 */
pieces: Array<Piece>, };

export type EmployeeReport = { employee_id: number, name: string, employee_number: string | null, hours: EmployeeHours, };

export type EmployeeSort = "name" | "employee_number" | "email" | "hire_date" | "source" | "updated_at";

/**
 * The closed set of error codes the UI acts on.
 */
export type ErrorCode = "validation" | "not_found" | "conflict" | "not_signed_in" | "permission_denied" | "auth_failed" | "rate_limited" | "source_unavailable" | "storage" | "internal";

export type ExportArgs = { date: string | null, format: FileFormat, 
/**
 * Where to write it; default: the Downloads folder (else the data
 * folder's "Payroll files").
 */
path: string | null, };

export type ExportedFile = { path: string, lines: number, seconds: number, period_end: string, };

/**
 * One field that differs between what was imported and what arrived.
 */
export type FieldChange = { field: string, imported: unknown, incoming: unknown, };

/**
 * One field that failed validation, named as in the command's arguments.
 */
export type FieldProblem = { field: string, message: string, };

/**
 * A payroll file format.
 */
export type FileFormat = "csv" | "iif" | "sage300_cre";

/**
 * How the company's payroll files are laid out.
 */
export type FileSettings = { csv: CsvSettings, iif: IifSettings, sage300_cre: SageSettings, };

/**
 * The first administrator, created on first start.
 */
export type FirstAdministrator = { username: string, display_name: string, password: string, };

/**
 * How an integration is doing, for the green or red status.
 */
export type HealthState = "never_synced" | "running" | "ok" | "failed" | "cancelled" | "interrupted";

/**
 * Hours per day of an integration's staged time entries matching a filter.
 */
export type HoursArgs = { integration_id: number, filter: StagedFilter, };

/**
 * Hours of one employee on one day, job and task, as one pay ID.
 */
export type HoursLine = { date: string, job_id: number | null, task_id: number | null, pay_id: number, seconds: number, 
/**
 * The entries these hours came from.
 */
entry_ids: Array<number>, };

/**
 * A period's hours, named.
 */
export type HoursReport = { period: PayPeriod, time_zone: string, 
/**
 * By name.
 */
employees: Array<EmployeeReport>, 
/**
 * Still-running entries left out of the period.
 */
open_entries: Array<number>, 
/**
 * The pay IDs with hours, in the order the grid shows them.
 */
pay_ids: Array<PayIdRef>, jobs: Array<NameRef>, tasks: Array<NameRef>, 
/**
 * Seconds per pay ID over everyone.
 */
totals: Array<PayTotal>, total_seconds: number, 
/**
 * Every day of the period with its hours, for the chart.
 */
days: Array<DaySeconds>, 
/**
 * Staged time entries of the period that are not imported (New or
 * Updated), so these hours leave them out.
 */
unimported_staged: UnimportedStaged, };

export type IdArgs = { id: number, };

export type IifSettings = { 
/**
 * The company name, exactly as in QuickBooks.
 */
company_name: string, 
/**
 * The company file's creation time from an exported Timer List (the
 * `COMPANYCREATETIME` number).
 */
company_create_time: string, employee_names: NameOrder, 
/**
 * The class (`PROJ`) on every row; empty for none.
 */
class: string, 
/**
 * Billable hours (status 1) or not (0).
 */
billable: boolean, };

/**
 * Import staged records of one module into the local records.
 */
export type ImportArgs = { integration_id: number, module: Module, selection: Selection, options: ImportOptions | null, };

export type ImportConflict = { staged_id: number, label: string, local_id: number, fields: Array<ConflictField>, };

/**
 * What to import and how.
 */
export type ImportOptions = { 
/**
 * Import missing dependencies along (default), or skip the record.
 */
include_dependencies: boolean, 
/**
 * Decisions on look-alikes, by staged record id.
 */
links: { [key in number]: LinkChoice }, 
/**
 * Decisions on hand-edit conflicts, by staged record id.
 */
resolutions: { [key in number]: Winner }, };

/**
 * What an import did.
 */
export type ImportSummary = { created: number, updated: number, linked: number, 
/**
 * Local records deactivated (time voided) because removed at the source.
 */
deactivated: number, 
/**
 * Already imported as they are: nothing to do.
 */
unchanged: number, also_imported: Array<AlsoImported>, skipped: Array<Skipped>, 
/**
 * Look-alikes waiting for a link-or-create decision (not imported yet).
 */
needs_link: Array<LinkSuggestion>, 
/**
 * Hand-edit conflicts waiting for a decision (not imported yet).
 */
conflicts: Array<ImportConflict>, };

export type Integration = { id: number, 
/**
 * The platform's id as stored: text, so that a connection of a
 * platform this version does not know (a newer one's) still lists.
 */
platform: string, name: string, settings: IntegrationSettings, is_sync_source: boolean, sync_enabled: boolean, publish_target: boolean, created_at: string, next_sync_at: string | null, };

export type IntegrationArgs = { integration_id: number, };

export type IntegrationSettings = { 
/**
 * Another address for the platform's API: its emulator, a sandbox
 * account or a proxy. `None` uses the platform's own.
 */
base_url: string | null, 
/**
 * The first sync reads time from this date (default two weeks back).
 */
pull_from: string, interval_minutes: number, 
/**
 * Each sync re-reads time dated in the last this-many days.
 */
look_back_days: number, 
/**
 * The folder a file-based platform's exports are read from (for CSV
 * files, a single file too).
 */
folder?: string, 
/**
 * The ODBC data source a platform is read through (Sage 300 CRE): a
 * DSN's name, or a whole connection string. Its password, if any, is
 * in the keyring, never here.
 */
dsn?: string, 
/**
 * The folder payroll files are written into for the platform to
 * import them (Sage 300 CRE's Payroll → Import Time).
 */
import_folder?: string, 
/**
 * How the QuickBooks Web Connector signs in, for QuickBooks Desktop.
 */
web_connector?: WebConnectorSettings, 
/**
 * The saved CSV layout (its name) files of a CSV files integration
 * are read with.
 */
csv_layout?: string, 
/**
 * The demo company a Sandbox serves, chosen when it was connected and
 * fixed after (its staged records are that company's). `None`: a
 * Sandbox saved before there was a choice, which is QuickBooks Time.
 * Only a Sandbox has one.
 */
sandbox_company?: SandboxCompany, };

/**
 * One connected integration on the overview.
 */
export type IntegrationSummary = { integration: Integration, platform_name: string, 
/**
 * Demo data, not a real account (the Sandbox).
 */
demo: boolean, health: HealthState, last_run: SyncRun | null, };

export type Job = { id: number, customer_id: number | null, customer_name: string | null, name: string, 
/**
 * "Customer:Job", the way QuickBooks names a job.
 */
full_name: string, job_number: string | null, address: string | null, active: boolean, meta: RecordMeta, };

export type JobArgs = { job: string, };

/**
 * A job, its figures and its tasks'.
 */
export type JobCosting = { job_id: number, job: string, job_number: string | null, customer: string | null, active: boolean, figures: CostFigures, tasks: Array<TaskCosting>, };

/**
 * A job in detail: its figures, its hours week by week against the
 * budget, and who worked it.
 */
export type JobDetail = { costing: JobCosting, burden_percent: string, weeks: Array<WeekHours>, workers: Array<WorkerCost>, };

export type JobDraft = { customer_id: number | null, name: string, job_number: string | null, address: string | null, };

export type JobSort = "name" | "job_number" | "customer" | "source" | "updated_at";

export type JobStarted = { job: string, total: number, };

export type JobState = "running" | "finished" | "cancelled" | "failed";

/**
 * Where a background job stands.
 */
export type JobStatus = { state: JobState, 
/**
 * Records handled so far, of `total`.
 */
done: number, total: number, 
/**
 * What was done: set once it ends (also when cancelled).
 */
summary: ImportSummary | null, error: ApiError | null, };

/**
 * For a staged record that looks like an existing local one.
 */
export type LinkChoice = { "kind": "existing", local_id: number, } | { "kind": "create_new" };

/**
 * A staged record that looks like an existing local record.
 */
export type LinkSuggestion = { staged_id: number, label: string, local_id: number, local_label: string, 
/**
 * "employee number", "e-mail" or "name".
 */
matched_on: string, };

/**
 * A page of a list: which page, how it is sorted, searched and filtered.
 */
export type ListQuery<S> = { 
/**
 * 1-based.
 */
page: number, 
/**
 * At most [`MAX_PAGE_SIZE`].
 */
page_size: number, 
/**
 * `None` sorts by the kind's natural order (name, or date for time).
 */
sort: S | null, descending: boolean, 
/**
 * Words that must each appear in one of the kind's searchable columns.
 */
search: string | null, source: SourceFilter, 
/**
 * Include deactivated records (voided time entries).
 */
include_inactive: boolean, 
/**
 * Only the records of this job: its time entries, budgets and own
 * tasks. Refused for kinds that have no job.
 */
job_id?: number | null, };

/**
 * A day whose pay period's lock is asked for.
 */
export type LockArgs = { date: string, };

/**
 * What happens when the crew goes over the budget.
 */
export type LossPolicy = "carry" | "absorb";

/**
 * A bonus paid outside Timebridge, and where.
 */
export type MarkPaidArgs = { id: number, note: string, };

/**
 * How a match was found.
 */
export type MatchBasis = "imported_from_target" | "confirmed" | "same_number" | "same_name" | "none";

/**
 * A kind of record matched to a target's records.
 */
export type MatchKind = "employee" | "job" | "task";

/**
 * The company's active records of one kind, each with its match at the
 * target (settled, suggested or none), and the target's records to pick.
 */
export type MatchList = { matches: Array<RecordMatch>, records: Array<TargetRecord>, };

export type MatchesArgs = { integration_id: number, kind: MatchKind, };

/**
 * What a staged record is: the modules an integration can sync.
 */
export type Module = "employees" | "customers" | "jobs" | "tasks" | "time_entries" | "budgets" | "pay_items";

/**
 * What a run did to one module.
 */
export type ModuleCounts = { pages: number, fetched: number, new: number, updated: number, unchanged: number, removed: number, 
/**
 * Records the platform sent that could not be read (logged).
 */
skipped: number, };

/**
 * One module of an integration and how many staged records have each status.
 */
export type ModuleOverview = { module: Module, label: string, counts: StatusCounts, };

/**
 * The longest names a target accepts, in characters.
 */
export type NameLimits = { employee: number | null, 
/**
 * Each level of `Customer:Job`.
 */
job: number | null, task: number | null, item: number | null, };

/**
 * How QuickBooks names an employee.
 */
export type NameOrder = "first_last" | "last_first";

/**
 * A job or task as payroll shows it.
 */
export type NameRef = { id: number, 
/**
 * The job's number or the task's code.
 */
code: string | null, name: string, 
/**
 * A job's customer.
 */
parent: string | null, };

/**
 * An employee an override is for.
 */
export type NamedEmployee = { id: number, name: string, };

/**
 * A bonus to set up.
 */
export type NewBonus = { plan_id: number, job_id: number, 
/**
 * One task of the job, or `None` for the whole job.
 */
task_id: number | null, 
/**
 * The hours it is measured against, in seconds; `None` for the job's
 * (or task's) budget.
 */
budget_seconds: number | null, };

/**
 * A new operator, as the Users page or the CLI supplies it.
 */
export type NewOperator = { username: string, display_name: string, password: string, role_id: number, };

export type Operator = { id: number, username: string, display_name: string, role_id: number, role_name: string, builtin_role: BuiltinRole | null, active: boolean, created_at: string, last_sign_in_at: string | null, };

export type OperatorUpdate = { display_name: string, role_id: number, active: boolean, };

/**
 * Which day a shift that crosses midnight counts on.
 */
export type OvernightRule = "split_at_midnight" | "start_day";

/**
 * When worked hours become overtime and double time.
 */
export type OvertimePolicy = { 
/**
 * Regular hours in a workweek beyond this are overtime (default 40 h).
 */
weekly_after_seconds: number | null, 
/**
 * Hours in a day beyond this are overtime (e.g. 8 h).
 */
daily_after_seconds: number | null, 
/**
 * Hours in a day beyond this are double time (e.g. 12 h).
 */
daily_double_after_seconds: number | null, 
/**
 * On the seventh consecutive day worked in a workweek, the first 8
 * hours are overtime and the rest double time.
 */
seventh_day: boolean, };

/**
 * One page of rows, with the total the filter matches.
 */
export type Page<T> = { rows: Array<T>, total: number, page: number, page_size: number, };

/**
 * What kind of pay a pay ID is; payroll's overtime rules use it.
 */
export type PayCategory = "regular" | "overtime" | "double_time" | "pto" | "sick" | "holiday" | "other";

/**
 * How often the company pays.
 */
export type PayFrequency = "weekly" | "biweekly" | "semi_monthly" | "monthly";

export type PayId = { id: number, code: string, name: string, category: PayCategory, multiplier: number, builtin: boolean, active: boolean, meta: RecordMeta, };

export type PayIdDraft = { code: string, name: string, category: PayCategory, 
/**
 * The pay rate factor: 1 for regular time, 1.5 for overtime, 2 for double time.
 */
multiplier: number, };

/**
 * A pay ID as payroll shows it.
 */
export type PayIdRef = { id: number, code: string, name: string, category: PayCategory, };

export type PayIdSort = "code" | "name" | "category" | "source" | "updated_at";

/**
 * One local pay ID's item at a target, for everyone or for one employee.
 */
export type PayItemMap = { pay_id: number, 
/**
 * `None`: the company-wide mapping.
 */
employee_id: number | null, item: string, 
/**
 * Set when picked from the target's list.
 */
item_external_id: string | null, };

/**
 * The days one payroll covers, both ends included.
 */
export type PayPeriod = { start: string, end: string, };

export type PayTotal = { pay_id: number, seconds: number, };

/**
 * One line of payroll, as sent or written.
 */
export type PayrollLine = { employee_id: number, date: string, job_id: number | null, task_id: number | null, pay_id: number, 
/**
 * May be negative in a correction; 0 on a bonus line.
 */
seconds: number, 
/**
 * A bonus line's amount in cents (0 on a line of hours); may be
 * negative in a correction.
 */
cents: number, 
/**
 * The bonus a line of an amount pays.
 */
bonus_id: number | null, 
/**
 * "First Last".
 */
employee: string, first_name: string, last_name: string, employee_number: string | null, customer: string | null, job: string | null, job_number: string | null, task_code: string | null, task: string | null, pay_code: string, 
/**
 * The target's payroll item, if mapped.
 */
item: string | null, item_external_id: string | null, 
/**
 * The target's ids (integration targets only).
 */
employee_ref: string | null, job_ref: string | null, task_ref: string | null, };

/**
 * A target's pay item mapping, with what to pick from.
 */
export type PayrollMapping = { target: TargetProfile, 
/**
 * Every pay ID, mapped or not.
 */
pay_ids: Array<PayIdRef>, 
/**
 * The target's payroll items (empty where items are typed).
 */
items: Array<TargetItem>, 
/**
 * Company-wide mappings, then per-employee overrides.
 */
maps: Array<PayItemMap>, 
/**
 * The employees with overrides, by name.
 */
employees: Array<NamedEmployee>, };

/**
 * A period's payroll for one target, as the payroll page shows it: the
 * hours, their lines at the target with every problem, what publishing
 * would send now, and what was published.
 */
export type PayrollReview = { report: HoursReport, prepared: Prepared, 
/**
 * What publishing now would send (after a publication: the changes
 * since it).
 */
changes: Array<Change>, 
/**
 * Some target accepted this period's hours.
 */
locked: boolean, 
/**
 * Newest first.
 */
publications: Array<Publication>, };

export type PayrollSettings = { 
/**
 * The IANA zone payroll days are counted in, e.g. `America/Chicago`.
 */
time_zone: string, week_start: WeekStart, frequency: PayFrequency, 
/**
 * The first day of any one pay period; the others follow from it.
 */
anchor: string, overtime: OvertimePolicy, overnight: OvernightRule, 
/**
 * Leave still-running entries out of payroll (the admin is told how
 * many); otherwise they count up to now.
 */
leave_out_open_entries: boolean, };

/**
 * Which pay period: the one containing `date` (default: today in the
 * company's time zone).
 */
export type PeriodArgs = { date: string | null, };

/**
 * Whether the hours of a period were published, and where: what the time
 * entry form warns about before an entry in it is changed.
 */
export type PeriodLock = { period: PayPeriod, 
/**
 * Some target accepted this period's hours.
 */
locked: boolean, 
/**
 * The targets that accepted them, by name.
 */
published_to: Array<string>, 
/**
 * When the latest of those publications finished (UTC).
 */
published_at: string | null, };

export type Permission = "view_integrations" | "setup_integrations" | "integration_actions" | "view_records" | "edit_records" | "manage_payroll" | "publish_payroll" | "approve_bonuses" | "manage_users_and_roles";

/**
 * A permission as the role editor shows it.
 */
export type PermissionInfo = { permission: Permission, label: string, description: string, };

/**
 * A piece of one entry, paid as one pay ID.
 */
export type Piece = { entry_id: number, date: string, 
/**
 * When the piece began and ended (clocked entries only).
 */
from: string | null, to: string | null, seconds: number, pay_id: number, basis: Basis, job_id: number | null, task_id: number | null, };

/**
 * A plan to save (a new one, or `id`'s new rules).
 */
export type PlanDraft = { id: number | null, name: string, rules: BonusPlan, pay_id: number, };

/**
 * A saved plan.
 */
export type PlanRecord = { id: number, name: string, rules: BonusPlan, 
/**
 * The pay ID the plan's bonuses are paid as.
 */
pay_id: number, pay_code: string, active: boolean, updated_by: string, };

/**
 * A platform; serialized (and stored) as its id.
 */
export type Platform = "sandbox" | "quickbooks_time" | "busybusy" | "aspire" | "clockshark" | "quickbooks_desktop" | "sage300_cre" | "csv_files";

/**
 * A platform as the overview lists it.
 */
export type PlatformListing = { id: Platform, name: string, description: string, auth: Array<AuthKind>, 
/**
 * What it can sync.
 */
modules: Array<Module>, 
/**
 * Whether it can receive payroll.
 */
publishes_payroll: boolean, 
/**
 * This version can connect to it.
 */
available: boolean, 
/**
 * Demo data, not a real account.
 */
demo: boolean, };

/**
 * A period's lines for one target, and their problems.
 */
export type Prepared = { target: TargetProfile, lines: Array<PayrollLine>, 
/**
 * Blocking ones first.
 */
problems: Array<Problem>, };

/**
 * Preview an export: a CSV file, or a folder (its first export file).
 */
export type PreviewCsvArgs = { path: string, };

/**
 * Something wrong with a period's payroll for one target.
 */
export type Problem = { severity: Severity, kind: ProblemKind, 
/**
 * What is wrong, in words.
 */
message: string, 
/**
 * What to do about it.
 */
fix: string, employee_id: number | null, pay_id: number | null, job_id: number | null, task_id: number | null, 
/**
 * The hours it holds up (blocking) or affects (warning).
 */
seconds: number, 
/**
 * The bonus amounts it holds up or affects.
 */
cents: number, };

export type ProblemKind = "pay_id_not_mapped" | "employee_not_matched" | "employee_number_missing" | "name_too_long" | "job_number_missing" | "job_not_matched" | "task_not_matched" | "amount_column_missing" | "amount_not_taken";

/**
 * What a run is doing, for the progress bar.
 */
export type Progress = { integration_id: number, run_id: number, stream: string, module: Module, 
/**
 * Pages and records of this stream fetched so far by this run.
 */
pages: number, fetched: number, phase: ProgressPhase, };

export type ProgressPhase = "fetching" | "deriving" | "finished";

/**
 * A publication, as the payroll page lists it.
 */
export type Publication = { id: number, target: string, target_name: string, period: PayPeriod, kind: PublicationKind, operator: string, started_at: string, finished_at: string | null, outcome: PublicationOutcome, message: string | null, lines: number, accepted_lines: number, rejected_lines: number, 
/**
 * The hours accepted (signed, for a correction).
 */
accepted_seconds: number, 
/**
 * The bonus amounts accepted, in cents (signed, for a correction).
 */
accepted_cents: number, 
/**
 * How many times it was handed to the target: 0 while a Web
 * Connector publication waits for QuickBooks' next update.
 */
attempts: number, 
/**
 * Its target collects it itself: QuickBooks Desktop's Web Connector,
 * on its next update. Otherwise a publication still `sending` was
 * interrupted, and is resent when publishing again.
 */
through_web_connector: boolean, };

export type PublicationKind = "original" | "correction";

export type PublicationOutcome = "sending" | "sent" | "partly_sent" | "failed";

/**
 * A publication as it stands, with every line's answer: what the payroll
 * page polls while a publication is being sent (a QuickBooks Desktop one
 * waits for the Web Connector, then fills in batch by batch).
 */
export type PublicationProgress = { publication: Publication, lines: Array<PublishedLine>, };

export type PublishArgs = { date: string | null, integration_id: number, 
/**
 * Publish although staged time entries of the period are not
 * imported, so the payroll leaves them out (the admin was shown how
 * many). Without it such a publish is refused, saying so.
 */
confirm_unimported: boolean, };

/**
 * What a publish did.
 */
export type PublishResult = { 
/**
 * The publications made, in order (a publication interrupted earlier
 * is finished first).
 */
publications: Array<Publication>, 
/**
 * Nothing differed from what the target already has.
 */
nothing_to_send: boolean, 
/**
 * In words, for the admin.
 */
message: string, };

/**
 * One line of a publication, with the target's answer.
 */
export type PublishedLine = { line_no: number, employee_name: string, date: string, job: string | null, task: string | null, item: string, seconds: number, 
/**
 * A bonus line's amount, in cents.
 */
cents: number, 
/**
 * The bonus it pays.
 */
bonus_id: number | null, accepted: boolean | null, remote_id: string | null, 
/**
 * The target's version of its record (QuickBooks' `EditSequence`).
 */
edit_sequence: string | null, message: string | null, };

/**
 * Publishing turned on or off: the connection, where its new `.qwc` file
 * was saved, and what to do in the Web Connector, in words.
 */
export type PublishingChanged = { integration: Integration, qwc_path: string, next_step: string, };

/**
 * A local record and what it is (or may be) at the target.
 */
export type RecordMatch = { kind: MatchKind, local_id: number, local_label: string, local_number: string | null, external_id: string | null, external_label: string | null, basis: MatchBasis, };

/**
 * Source and change tracking, the same on every kind of record.
 */
export type RecordMeta = { source: RecordSource, synced_status: string, created_at: string, updated_at: string, 
/**
 * "operator:3", "command_line", "timebridge", "integration:2".
 */
updated_by: string, };

/**
 * How a target names employees, jobs and tasks.
 */
export type RecordRefs = "names" | "numbers" | "external";

/**
 * Where a record came from.
 */
export type RecordSource = { "kind": "manual" } | { "kind": "imported", integration_id: number | null, integration_name: string | null, external_id: string, };

/**
 * An integration records can come from, for the Source filter.
 */
export type RecordSourceOption = { integration_id: number, name: string, };

export type ResetPasswordArgs = { id: number, password: string, };

export type RestoreBackupArgs = { 
/**
 * The backup's path, as `database_status` listed it.
 */
path: string, };

/**
 * What a restore did.
 */
export type RestoreReport = { 
/**
 * The backup restored.
 */
restored_from: string, 
/**
 * Where the database it replaced was kept, if there was one.
 */
kept_current: string | null, 
/**
 * The backup's schema version, and the version it was migrated to.
 */
from_version: number, to_version: number, };

/**
 * A period and a target.
 */
export type ReviewArgs = { date: string | null, target: Target, };

export type Role = { id: number, name: string, description: string, 
/**
 * Set for the three built-in roles, which cannot be edited or deleted.
 */
builtin: BuiltinRole | null, permissions: Array<Permission>, 
/**
 * Operators (active or not) who have this role.
 */
operator_count: number, };

export type RoleDraft = { name: string, description: string, permissions: Array<Permission>, };

export type RunOutcome = "running" | "succeeded" | "failed" | "cancelled" | "interrupted";

export type RunTrigger = "manual" | "schedule" | "command_line" | "startup" | "web_connector";

export type RunsArgs = { integration_id: number, page: number, page_size: number, };

/**
 * A column of a Sage 300 CRE Time Entry View.
 */
export type SageColumn = { "column": "date" } | { "column": "period_end" } | { "column": "employee" } | { "column": "job" } | { "column": "extra" } | { "column": "cost_code" } | { "column": "category" } | { "column": "pay_id" } | { "column": "units" } | { "column": "rate" } | { "column": "amount" } | { "column": "blank" } | { "column": "fixed", value: string, };

export type SageSettings = { 
/**
 * The columns of the company's Time Entry View, in order.
 */
time_entry_view: Array<SageColumn>, };

/**
 * The demo company a Sandbox integration serves, chosen when it is
 * connected (stored in its settings): which platform's API the in-app
 * emulator speaks, and so which connector reads it and which modules it
 * has. A Sandbox saved before there was a choice is QuickBooks Time.
 */
export type SandboxCompany = "quickbooks_time" | "busybusy";

/**
 * Save a CSV layout under its name (the same name again changes it).
 */
export type SaveCsvLayoutArgs = { layout: CsvLayout, };

/**
 * Save a QuickBooks Desktop connection's `.qwc` file again.
 */
export type SaveQwcArgs = { id: number, 
/**
 * The Downloads folder by default.
 */
folder: string | null, };

/**
 * Statements to save as a PDF at `path` (a full file path).
 */
export type SaveStatementArgs = { id: number, employee_id: number | null, path: string, };

/**
 * Which staged records an action applies to.
 */
export type Selection = { "kind": "ids", ids: Array<number>, } | { "kind": "matching", filter: StagedFilter, };

/**
 * The signed-in operator and what their role lets them do; the UI shows and
 * hides its controls from `permissions`.
 */
export type SessionInfo = { operator: Operator, permissions: Array<Permission>, };

/**
 * Deactivate (`false`) or reactivate (`true`) one record.
 */
export type SetActiveArgs = { id: number, active: boolean, };

export type SetPayItemArgs = { target: Target, map: PayItemMap, };

/**
 * Which connection, on or off, and where its new `.qwc` file goes
 * (default: Downloads, else the data folder's "Web Connector").
 */
export type SetPublishingArgs = { id: number, on: boolean, folder: string | null, };

export type Severity = "blocking" | "warning";

export type SignInArgs = { username: string, password: string, };

/**
 * What a round of simulated Sandbox activity changed.
 */
export type SimulatedActivity = { round: number, 
/**
 * In words: "changed Marcus Bell's e-mail", "deleted a timesheet".
 */
changes: Array<string>, };

/**
 * A record left out, and why.
 */
export type Skipped = { staged_id: number, label: string, reason: string, };

/**
 * Which records a list shows, by where they came from.
 */
export type SourceFilter = { "kind": "all" } | { "kind": "manual" } | { "kind": "imported" } | { "kind": "integration", integration_id: number, };

/**
 * How the crew pool is shared among the workers.
 */
export type SplitMethod = "by_hours" | "by_wage_hours" | "equal";

/**
 * A staged budget: the time (or money) planned for a job or its task.
 */
export type StagedBudget = { 
/**
 * The job budgeted, by its id at the source; a budget needs one.
 */
job_external_id: string | null, 
/**
 * The task budgeted, where the budget is for one task of the job.
 */
task_external_id: string | null, 
/**
 * The hours planned, in seconds.
 */
budget_seconds: number | null, 
/**
 * The money planned, in cents.
 */
amount_cents: number | null, 
/**
 * What the budget is (QuickBooks Time: its project's name).
 */
notes: string, };

/**
 * Where a page shown begins or ends in its list's order: the values the
 * list sorts by and the id of that record. Given back as `after` (the next
 * page) or `before` (the previous one), the page is read from there.
 */
export type StagedCursor = { values: Array<string | number>, id: number, };

/**
 * A staged customer.
 */
export type StagedCustomer = { 
/**
 * The name the company knows the customer by.
 */
name: string, 
/**
 * The customer's e-mail address; not on QuickBooks Time, whose
 * customers are jobcodes.
 */
email?: string | null, 
/**
 * The customer's phone number; not on QuickBooks Time either.
 */
phone?: string | null, 
/**
 * Still a customer; an inactive one is imported inactive.
 */
active: boolean, };

/**
 * One staged record with what was imported from it and what changed since.
 */
export type StagedDetail = { record: StagedRecord, 
/**
 * The payload as last imported, if it was.
 */
imported: StagedPayload | null, changes: Array<FieldChange>, };

/**
 * A staged employee.
 */
export type StagedEmployee = { 
/**
 * Given name; empty when the platform has none.
 */
first_name: string, 
/**
 * Family name; empty when the platform has none.
 */
last_name: string, 
/**
 * The employee number the company uses (payroll's key to the person).
 */
employee_number: string | null, 
/**
 * The work e-mail address.
 */
email: string | null, 
/**
 * A mobile number where the platform has one, else another phone.
 */
phone: string | null, 
/**
 * The first day of work, where the platform knows it.
 */
hire_date: string | null, 
/**
 * The payroll system's id for the person (QuickBooks Time only).
 */
payroll_id?: string | null, 
/**
 * Still employed; a terminated employee is imported inactive.
 */
active: boolean, 
/**
 * The wages the platform pays the person, oldest first, where it
 * keeps a wage history (busybusy); empty elsewhere, and then left out
 * of the payload so the other platforms' records read as before.
 */
wages?: Array<StagedWage>, };

/**
 * Which staged records: by status, removal at the source, search, and
 * the time entries a pay period's payroll leaves out.
 */
export type StagedFilter = { status: StagedStatus | null, 
/**
 * Only records removed at the source.
 */
removed_at_source: boolean, 
/**
 * Words that must each begin a word of the record's name, its id at
 * the source or its notes, or of the name of the employee, job or task
 * it names.
 */
search: string | null, 
/**
 * Only the time entries of this pay period that are not imported as
 * they are now, so its payroll leaves them out: exactly those
 * `payroll::unimported` counts (by the company's days). Other modules
 * have none.
 */
left_out_of_payroll: PayPeriod | null, };

/**
 * A staged job.
 */
export type StagedJob = { 
/**
 * The job's name (QuickBooks Desktop: the sub-customer's own name).
 */
name: string, 
/**
 * The customer's id at the source; none for a job of no customer.
 */
customer_external_id: string | null, 
/**
 * The number the company gives the job.
 */
job_number: string | null, 
/**
 * Where the work is, on one line (QuickBooks Desktop, Aspire).
 */
address?: string | null, 
/**
 * The site's name (Aspire's property).
 */
property?: string | null, 
/**
 * The platform's own word for where the job stands (QuickBooks
 * Desktop, Aspire), shown as sent.
 */
status?: string | null, 
/**
 * Open; a closed, lost or canceled job is imported inactive.
 */
active: boolean, };

export type StagedListArgs = { integration_id: number, module: Module, query: StagedQuery, };

/**
 * One page of a staged list, with where it begins and ends for the pages
 * beside it (none where the list cannot be read from a record: a sort
 * with empty values).
 */
export type StagedPage = { rows: Array<StagedRecord>, total: number, page: number, page_size: number, first: StagedCursor | null, last: StagedCursor | null, };

/**
 * A staged pay item (a pay code, a payroll item).
 */
export type StagedPayItem = { 
/**
 * The payroll system's code, else the name.
 */
code: string, 
/**
 * What the pay item is called.
 */
name: string, 
/**
 * What kind of pay it is; unknown or missing reads as Other.
 */
category: PayCategory, 
/**
 * Times the base rate (1.5 for time and a half), where the platform
 * says (Aspire, QuickBooks Desktop); the importer takes 1.0 otherwise.
 */
multiplier?: number, 
/**
 * Still paid; an inactive pay item is imported inactive.
 */
active: boolean, };

/**
 * A staged payload of whichever module. It serializes as its module's
 * type alone (no tag): the module is stored beside it.
 */
export type StagedPayload = StagedEmployee | StagedCustomer | StagedJob | StagedTask | StagedTimeEntry | StagedBudget | StagedPayItem;

export type StagedQuery = { page: number, page_size: number, filter: StagedFilter, sort: StagedSort, descending: boolean, 
/**
 * The page after this record (the `last` of the page before `page`).
 */
after: StagedCursor | null, 
/**
 * The page before this record (the `first` of the page after `page`).
 */
before: StagedCursor | null, };

/**
 * One staged record as lists show it.
 */
export type StagedRecord = { id: number, integration_id: number, module: Module, external_id: string, status: StagedStatus, removed_at_source: boolean, label: string, record_date: string | null, 
/**
 * Its module's payload as stored (null when unreadable).
 */
data: StagedPayload | null, 
/**
 * When the source last changed the record: first sent it, sent it
 * changed, removed it or sent it back. Importing and archiving, the
 * admin's own acts, show in the status instead.
 */
changed_at: string, };

export type StagedSort = "label" | "date" | "key" | "key2" | "external_id" | "status" | "changed_at";

/**
 * The status of a staged record.
 */
export type StagedStatus = "new" | "updated" | "imported" | "archived";

/**
 * A staged task (a cost code).
 */
export type StagedTask = { 
/**
 * The cost code, else the task's name.
 */
code: string, 
/**
 * What the task is called (a description where the platform has one).
 */
name: string, 
/**
 * The job's id at the source; none for a task of any job.
 */
job_external_id: string | null, 
/**
 * The pay item the task's hours are paid as. No connector sends it
 * yet; the importer reads it where it is stored.
 */
pay_item_external_id?: string | null, 
/**
 * Still in use; an inactive task is imported inactive.
 */
active: boolean, };

/**
 * A staged time entry.
 */
export type StagedTimeEntry = { 
/**
 * The employee's id at the source.
 */
employee_external_id: string, 
/**
 * The job worked on, by its id at the source.
 */
job_external_id: string | null, 
/**
 * The task worked on, by its id at the source.
 */
task_external_id: string | null, 
/**
 * The pay item (time off, say) where the platform names one.
 */
pay_item_external_id: string | null, 
/**
 * When it was worked: clocked in and out, or hours on a day.
 */
span: TimeSpan, 
/**
 * The worker's notes, and what the connector adds (a work ticket).
 */
notes: string, };

/**
 * A wage paid from a day on.
 */
export type StagedWage = { 
/**
 * The first day it is paid.
 */
from: string, 
/**
 * The amount as the platform states it, in the company's currency
 * ("23.50"): text, so no cent is lost to floating point.
 */
amount: string, 
/**
 * What the amount is paid per.
 */
per: WagePeriod, };

/**
 * One worker's statement of one bonus.
 */
export type Statement = { bonus_id: number, plan: string, 
/**
 * "Riverside Clinic (Harbor Homes)", with the task where it has one.
 */
job: string, state: BonusState, approved_on: string | null, budget_seconds: number, worked_seconds: number, saved_seconds: number, 
/**
 * The crew's share of the saved value, in percent.
 */
share_percent: string, split: SplitMethod, pool_cents: number, carried_in_loss_cents: number, employee_id: number, name: string, seconds: number, wage_cents_per_hour: number, amount_cents: number, };

/**
 * A bonus's statements: every worker's, or one employee's.
 */
export type StatementArgs = { id: number, employee_id: number | null, };

/**
 * How many staged records of a module have each status.
 */
export type StatusCounts = { new: number, updated: number, imported: number, archived: number, removed_at_source: number, };

export type SyncRun = { id: number, integration_id: number, trigger: RunTrigger, started_at: string, finished_at: string | null, outcome: RunOutcome, 
/**
 * Per module name ("employees", "time_entries", …).
 */
counts: { [key in string]: ModuleCounts }, error_code: string | null, error_message: string | null, };

/**
 * Where a pay period's hours go.
 */
export type Target = { "kind": "integration", id: number, } | { "kind": "file", format: FileFormat, };

export type TargetArgs = { target: Target, };

/**
 * A payroll item at a target.
 */
export type TargetItem = { external_id: string, name: string, 
/**
 * The target's kind of item, e.g. "HourlyOvertime".
 */
wage_type: string | null, active: boolean, };

/**
 * What a target is and accepts.
 */
export type TargetProfile = { target: Target, 
/**
 * As stored in mappings and publications: `integration:3`, `file:iif`.
 */
key: string, name: string, refs: RecordRefs, 
/**
 * Every pay ID needs an item here (else its code is sent).
 */
needs_item: boolean, 
/**
 * The target has a list of payroll items to pick from.
 */
has_item_list: boolean, limits: NameLimits, 
/**
 * Hours can be sent to it (files are written instead).
 */
publishes: boolean, 
/**
 * Whether bonus amounts can go with the hours.
 */
amounts: Amounts, };

/**
 * A record of a target, as synced from it.
 */
export type TargetRecord = { external_id: string, label: string, 
/**
 * Employee number, job number or cost code.
 */
number: string | null, };

export type Task = { id: number, job_id: number | null, job_name: string | null, code: string, name: string, 
/**
 * "code name", as pickers show it.
 */
label: string, pay_id: number | null, pay_id_code: string | null, active: boolean, meta: RecordMeta, };

/**
 * One task's line of a job (`task_id` `None`: time on the job with no task).
 */
export type TaskCosting = { task_id: number | null, code: string | null, name: string | null, figures: CostFigures, };

export type TaskDraft = { 
/**
 * `None` for a company-wide cost code.
 */
job_id: number | null, code: string, name: string, 
/**
 * The pay ID this task's time is paid as, unless an entry names one.
 */
pay_id: number | null, };

export type TaskSort = "code" | "name" | "job" | "source" | "updated_at";

export type TimeEntry = { id: number, employee_id: number, employee_name: string, job_id: number | null, job_name: string | null, task_id: number | null, task_label: string | null, pay_id: number | null, pay_code: string | null, span: TimeSpan, work_date: string, 
/**
 * `None` while running.
 */
duration_seconds: number | null, notes: string, 
/**
 * `false` once voided.
 */
active: boolean, meta: RecordMeta, };

export type TimeEntryDraft = { employee_id: number, job_id: number | null, task_id: number | null, 
/**
 * `None` lets payroll's overtime rules decide (regular time first).
 */
pay_id: number | null, span: TimeSpan, notes: string, };

export type TimeEntrySort = "date" | "employee" | "job" | "duration" | "source" | "updated_at";

/**
 * When the time was worked.
 */
export type TimeSpan = { "kind": "clock", start: string, end: string | null, } | { "kind": "manual", date: string, duration_seconds: number, };

/**
 * One employee's time the payroll leaves out.
 */
export type UnimportedEmployee = { 
/**
 * The local employee the source's employee was imported as; `None`
 * when the employee is not imported either.
 */
employee_id: number | null, name: string, employee_number: string | null, count: number, seconds: number, };

/**
 * One integration's entries the payroll leaves out: where to review them.
 */
export type UnimportedSource = { integration_id: number, name: string, count: number, seconds: number, };

/**
 * The staged time entries of a pay period that its payroll leaves out.
 */
export type UnimportedStaged = { 
/**
 * Every such entry: New and Updated.
 */
count: number, 
/**
 * Their seconds in the period (of an Updated entry, its newer version).
 */
seconds: number, 
/**
 * Never imported, or held back or skipped by an import.
 */
new: CountSeconds, updated: UpdatedEntries, 
/**
 * By name.
 */
employees: Array<UnimportedEmployee>, 
/**
 * By integration id.
 */
integrations: Array<UnimportedSource>, };

/**
 * Edit one record: its id and the whole new draft.
 */
export type UpdateArgs<D> = { id: number, draft: D, };

/**
 * The update settings, as the Settings page edits them.
 */
export type UpdateSettings = { 
/**
 * Check for a new version in the background after each start.
 */
check_for_updates: boolean, };

/**
 * Where the check for a new version stands.
 */
export type UpdateState = { "state": "off" } | { "state": "unsupported", reason: string, } | { "state": "not_checked" } | { "state": "checking" } | { "state": "up_to_date", checked_at: string, } | { "state": "available", version: string, notes: string | null, 
/**
 * When it was published (RFC 3339), if the manifest says.
 */
published: string | null, } | { "state": "installing", version: string, } | { "state": "installed", version: string, } | { "state": "failed", message: string, };

/**
 * What the Settings page shows about updates.
 */
export type UpdateStatus = { current_version: string, check_for_updates: boolean, update: UpdateState, };

/**
 * Entries changed at the source since they were imported.
 */
export type UpdatedEntries = { count: number, 
/**
 * The newer versions' seconds in the period: not in the payroll.
 */
seconds: number, 
/**
 * What the payroll counts for them instead: their imported copies'
 * seconds in the period.
 */
imported_seconds: number, };

/**
 * A wage paid from a day on.
 */
export type Wage = { id: number, employee_id: number, from: string, cents_per_hour: number, source: WageSource, 
/**
 * The integration an imported wage came from.
 */
integration_id: number | null, updated_by: string, };

/**
 * A wage to set by hand.
 */
export type WageDraft = { employee_id: number, from: string, cents_per_hour: number, };

/**
 * What a wage is paid per.
 */
export type WagePeriod = "hour" | "week" | "month" | "year";

/**
 * Where a wage comes from.
 */
export type WageSource = "manual" | "imported";

/**
 * What a QuickBooks Desktop connection's `.qwc` file says. The password
 * is in the keyring, never here.
 */
export type WebConnectorSettings = { 
/**
 * The username the Web Connector signs in with.
 */
username: string, 
/**
 * The `.qwc` file's `{GUID}`s, fixed at connection.
 */
owner_id: string, file_id: string, 
/**
 * The application's name in the Web Connector's list.
 */
app_name: string, 
/**
 * Payroll is published into this company file: the `.qwc` asks for
 * read-write access. Off, it asks for read-only access.
 */
publishing: boolean, 
/**
 * The class QuickBooks tracks published time by (`ClassRef`), for a
 * company file with class tracking on; `None` sends no class.
 */
class?: string, 
/**
 * Whether published time is billable to its customer
 * (`BillableStatus`); `None` leaves it to QuickBooks' own default.
 */
billable?: boolean, };

/**
 * A Web Connector connection waiting for its first update.
 */
export type WebConnectorStarted = { flow: string, 
/**
 * The `.qwc` file to add to the Web Connector.
 */
qwc_path: string, 
/**
 * Where Timebridge answers.
 */
app_url: string, username: string, };

/**
 * Where a Web Connector connection stands.
 */
export type WebConnectorStatus = { state: BrowserSignInState, 
/**
 * While waiting: what was wrong with the Web Connector's last sign-in.
 */
refused: string | null, 
/**
 * Set once connected.
 */
integration: Integration | null, 
/**
 * What went wrong and what to do, once failed.
 */
error: ApiError | null, };

/**
 * One week of a job: its hours and cost, and the hours to date.
 */
export type WeekHours = { week_start: string, seconds: number, labour_cents: number, cumulative_seconds: number, };

/**
 * The first day of the company's workweek.
 */
export type WeekStart = "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday" | "sunday";

/**
 * How a hand-edited field changed at the source too is settled.
 */
export type Winner = "local" | "incoming";

/**
 * One worker's part of the crew pool.
 */
export type WorkerBonus = { employee_id: number, seconds: number, wage_cents_per_hour: number, 
/**
 * What the split weighs: seconds (`ByHours`), wage × seconds in
 * cent-seconds per hour (`ByWageHours`), or 1 or 0 (`Equal`).
 */
weight: string, 
/**
 * This worker's weight over the crew's, from 0 to 1.
 */
fraction: string, 
/**
 * The worker's bonus, in cents.
 */
amount_cents: number, };

/**
 * One employee's time on a job.
 */
export type WorkerCost = { employee_id: number, name: string, seconds: number, labour_cents: number, unpriced_seconds: number, entries: number, };

/** Who may run each command: anyone, any signed-in operator, or a permission. */
export type CommandAccess = "public" | "signed_in" | Permission;

export const COMMAND_ACCESS = {
  app_status: "public",
  create_first_administrator: "public",
  sign_in: "public",
  database_status: "public",
  restore_backup: "public",
  sign_out: "signed_in",
  change_own_password: "signed_in",
  list_permissions: "signed_in",
  list_record_sources: "view_records",
  list_employees: "view_records",
  create_employee: "edit_records",
  update_employee: "edit_records",
  set_employee_active: "edit_records",
  list_customers: "view_records",
  create_customer: "edit_records",
  update_customer: "edit_records",
  set_customer_active: "edit_records",
  list_jobs: "view_records",
  create_job: "edit_records",
  update_job: "edit_records",
  set_job_active: "edit_records",
  list_tasks: "view_records",
  create_task: "edit_records",
  update_task: "edit_records",
  set_task_active: "edit_records",
  list_time_entries: "view_records",
  get_time_entry: "view_records",
  payroll_period_lock: "view_records",
  create_time_entry: "edit_records",
  update_time_entry: "edit_records",
  set_time_entry_active: "edit_records",
  list_budgets: "view_records",
  create_budget: "edit_records",
  update_budget: "edit_records",
  set_budget_active: "edit_records",
  list_pay_ids: "view_records",
  create_pay_id: "edit_records",
  update_pay_id: "edit_records",
  set_pay_id_active: "edit_records",
  list_operators: "manage_users_and_roles",
  create_operator: "manage_users_and_roles",
  update_operator: "manage_users_and_roles",
  reset_operator_password: "manage_users_and_roles",
  list_roles: "manage_users_and_roles",
  create_role: "manage_users_and_roles",
  update_role: "manage_users_and_roles",
  delete_role: "manage_users_and_roles",
  list_audit_log: "manage_users_and_roles",
  update_status: "signed_in",
  save_update_settings: "manage_users_and_roles",
  check_for_updates: "manage_users_and_roles",
  install_update: "manage_users_and_roles",
  list_platforms: "view_integrations",
  list_integrations: "view_integrations",
  get_integration: "view_integrations",
  connect_sandbox: "setup_integrations",
  connect_with_token: "setup_integrations",
  connect_with_client_credentials: "setup_integrations",
  connect_with_password: "setup_integrations",
  connect_folder: "setup_integrations",
  connect_data_source: "setup_integrations",
  begin_browser_sign_in: "setup_integrations",
  browser_sign_in_status: "setup_integrations",
  cancel_browser_sign_in: "setup_integrations",
  connect_web_connector: "setup_integrations",
  web_connector_status: "setup_integrations",
  cancel_web_connector: "setup_integrations",
  save_web_connector_file: "setup_integrations",
  set_web_connector_publishing: "setup_integrations",
  update_integration_settings: "setup_integrations",
  set_sync_source: "setup_integrations",
  disconnect_integration: "setup_integrations",
  sync_now: "integration_actions",
  cancel_sync: "integration_actions",
  list_sync_runs: "view_integrations",
  staged_overview: "view_integrations",
  list_staged: "view_integrations",
  staged_hours_per_day: "view_integrations",
  staged_detail: "view_integrations",
  archive_staged: "integration_actions",
  import_staged: "integration_actions",
  simulate_sandbox_activity: "integration_actions",
  start_import: "integration_actions",
  job_status: "signed_in",
  cancel_job: "integration_actions",
  payroll_settings: "manage_payroll",
  save_payroll_settings: "manage_payroll",
  payroll_hours: "manage_payroll",
  payroll_targets: "manage_payroll",
  payroll_review: "manage_payroll",
  payroll_mapping: "manage_payroll",
  set_pay_item: "manage_payroll",
  refresh_payroll_items: "manage_payroll",
  payroll_matches: "manage_payroll",
  confirm_match: "manage_payroll",
  payroll_file_settings: "manage_payroll",
  save_payroll_file_settings: "manage_payroll",
  export_payroll: "manage_payroll",
  publish_payroll: "publish_payroll",
  publication_lines: "manage_payroll",
  publication_progress: "manage_payroll",
  preview_csv: "setup_integrations",
  list_csv_layouts: "setup_integrations",
  save_csv_layout: "setup_integrations",
  delete_csv_layout: "setup_integrations",
  job_costing: "view_records",
  job_costing_detail: "view_records",
  costing_settings: "view_records",
  save_costing_settings: "manage_payroll",
  employee_wages: "manage_payroll",
  set_employee_wage: "manage_payroll",
  remove_employee_wage: "manage_payroll",
  list_bonus_plans: "view_records",
  save_bonus_plan: "manage_payroll",
  list_bonuses: "view_records",
  get_bonus: "view_records",
  create_bonus: "manage_payroll",
  approve_bonus: "approve_bonuses",
  mark_bonus_paid: "approve_bonuses",
  bonus_statements: "view_records",
  save_bonus_statements: "view_records",
} as const satisfies Record<string, CommandAccess>;

export type CommandName = keyof typeof COMMAND_ACCESS;

/** First-run state, the signed-in operator (if any) and the app version. */
export function appStatus(): Promise<AppStatus> {
  return call("app_status", null);
}

/** Creates the first administrator on a new database, and signs them in. */
export function createFirstAdministrator(args: FirstAdministrator): Promise<SessionInfo> {
  return call("create_first_administrator", args);
}

/** Checks a username and password and starts a session. */
export function signIn(args: SignInArgs): Promise<SessionInfo> {
  return call("sign_in", args);
}

/** Whether the database passed its check at start (if not it is  read-only), the latest good backup and every kept backup. */
export function databaseStatus(): Promise<DatabaseStatus> {
  return call("database_status", null);
}

/** Restores a listed backup, keeping the current database beside it,  and ends the session. Public while the database is damaged (signing  in may be impossible); administrators only otherwise. */
export function restoreBackup(args: RestoreBackupArgs): Promise<RestoreReport> {
  return call("restore_backup", args);
}

/** Ends the session. */
export function signOut(): Promise<null> {
  return call("sign_out", null);
}

/** Changes the signed-in operator's own password. */
export function changeOwnPassword(args: ChangePasswordArgs): Promise<null> {
  return call("change_own_password", args);
}

/** Every permission a role can grant, with labels for the role editor. */
export function listPermissions(): Promise<Array<PermissionInfo>> {
  return call("list_permissions", null);
}

/** The integrations records were imported from, for the Source filter. */
export function listRecordSources(): Promise<Array<RecordSourceOption>> {
  return call("list_record_sources", null);
}

export function listEmployees(args: ListQuery<EmployeeSort>): Promise<Page<Employee>> {
  return call("list_employees", args);
}

export function createEmployee(args: EmployeeDraft): Promise<Employee> {
  return call("create_employee", args);
}

export function updateEmployee(args: UpdateArgs<EmployeeDraft>): Promise<Employee> {
  return call("update_employee", args);
}

export function setEmployeeActive(args: SetActiveArgs): Promise<Employee> {
  return call("set_employee_active", args);
}

export function listCustomers(args: ListQuery<CustomerSort>): Promise<Page<Customer>> {
  return call("list_customers", args);
}

export function createCustomer(args: CustomerDraft): Promise<Customer> {
  return call("create_customer", args);
}

export function updateCustomer(args: UpdateArgs<CustomerDraft>): Promise<Customer> {
  return call("update_customer", args);
}

export function setCustomerActive(args: SetActiveArgs): Promise<Customer> {
  return call("set_customer_active", args);
}

export function listJobs(args: ListQuery<JobSort>): Promise<Page<Job>> {
  return call("list_jobs", args);
}

export function createJob(args: JobDraft): Promise<Job> {
  return call("create_job", args);
}

export function updateJob(args: UpdateArgs<JobDraft>): Promise<Job> {
  return call("update_job", args);
}

export function setJobActive(args: SetActiveArgs): Promise<Job> {
  return call("set_job_active", args);
}

export function listTasks(args: ListQuery<TaskSort>): Promise<Page<Task>> {
  return call("list_tasks", args);
}

export function createTask(args: TaskDraft): Promise<Task> {
  return call("create_task", args);
}

export function updateTask(args: UpdateArgs<TaskDraft>): Promise<Task> {
  return call("update_task", args);
}

export function setTaskActive(args: SetActiveArgs): Promise<Task> {
  return call("set_task_active", args);
}

export function listTimeEntries(args: ListQuery<TimeEntrySort>): Promise<Page<TimeEntry>> {
  return call("list_time_entries", args);
}

/** One time entry, as the payroll page opens it from an employee's hours. */
export function getTimeEntry(args: IdArgs): Promise<TimeEntry> {
  return call("get_time_entry", args);
}

/** Whether the pay period of a day was published, and where: the time  entry form warns before an entry in it is changed. */
export function payrollPeriodLock(args: LockArgs): Promise<PeriodLock> {
  return call("payroll_period_lock", args);
}

export function createTimeEntry(args: TimeEntryDraft): Promise<TimeEntry> {
  return call("create_time_entry", args);
}

export function updateTimeEntry(args: UpdateArgs<TimeEntryDraft>): Promise<TimeEntry> {
  return call("update_time_entry", args);
}

/** Voids (`active: false`) or restores a time entry. */
export function setTimeEntryActive(args: SetActiveArgs): Promise<TimeEntry> {
  return call("set_time_entry_active", args);
}

export function listBudgets(args: ListQuery<BudgetSort>): Promise<Page<Budget>> {
  return call("list_budgets", args);
}

export function createBudget(args: BudgetDraft): Promise<Budget> {
  return call("create_budget", args);
}

export function updateBudget(args: UpdateArgs<BudgetDraft>): Promise<Budget> {
  return call("update_budget", args);
}

export function setBudgetActive(args: SetActiveArgs): Promise<Budget> {
  return call("set_budget_active", args);
}

export function listPayIds(args: ListQuery<PayIdSort>): Promise<Page<PayId>> {
  return call("list_pay_ids", args);
}

export function createPayId(args: PayIdDraft): Promise<PayId> {
  return call("create_pay_id", args);
}

export function updatePayId(args: UpdateArgs<PayIdDraft>): Promise<PayId> {
  return call("update_pay_id", args);
}

export function setPayIdActive(args: SetActiveArgs): Promise<PayId> {
  return call("set_pay_id_active", args);
}

export function listOperators(): Promise<Array<Operator>> {
  return call("list_operators", null);
}

export function createOperator(args: NewOperator): Promise<Operator> {
  return call("create_operator", args);
}

/** Changes an operator's name, role, or active flag. */
export function updateOperator(args: UpdateArgs<OperatorUpdate>): Promise<Operator> {
  return call("update_operator", args);
}

export function resetOperatorPassword(args: ResetPasswordArgs): Promise<null> {
  return call("reset_operator_password", args);
}

export function listRoles(): Promise<Array<Role>> {
  return call("list_roles", null);
}

export function createRole(args: RoleDraft): Promise<Role> {
  return call("create_role", args);
}

export function updateRole(args: UpdateArgs<RoleDraft>): Promise<Role> {
  return call("update_role", args);
}

export function deleteRole(args: IdArgs): Promise<null> {
  return call("delete_role", args);
}

/** The audit log, newest first. */
export function listAuditLog(args: AuditQuery): Promise<Page<AuditEntry>> {
  return call("list_audit_log", args);
}

/** This version, whether checks for a new one are on, and what the last  check found (a newer version with its notes, up to date, or why it failed). */
export function updateStatus(): Promise<UpdateStatus> {
  return call("update_status", null);
}

/** Turns the background check for updates on or off; off means no  request is ever made. Administrators only. */
export function saveUpdateSettings(args: UpdateSettings): Promise<UpdateStatus> {
  return call("save_update_settings", args);
}

/** Starts a check for a new version now; follow it with update_status. */
export function checkForUpdates(): Promise<UpdateStatus> {
  return call("check_for_updates", null);
}

/** Downloads the version found, checks its signature, installs it and  restarts; a package whose signature does not match is refused and  nothing is installed. Follow it with update_status. */
export function installUpdate(): Promise<UpdateStatus> {
  return call("install_update", null);
}

/** Every platform Timebridge knows, with what it can sync and publish. */
export function listPlatforms(): Promise<Array<PlatformListing>> {
  return call("list_platforms", null);
}

/** The connected integrations with their status and last run. */
export function listIntegrations(): Promise<Array<IntegrationSummary>> {
  return call("list_integrations", null);
}

export function getIntegration(args: IdArgs): Promise<IntegrationSummary> {
  return call("get_integration", args);
}

/** Connects the Sandbox (demo data). */
export function connectSandbox(args: ConnectSandboxArgs): Promise<Integration> {
  return call("connect_sandbox", args);
}

/** Checks a pasted access token, then connects; the token goes to the system keyring. */
export function connectWithToken(args: ConnectTokenArgs): Promise<Integration> {
  return call("connect_with_token", args);
}

/** Signs in with an API application's client ID and secret, checks the  sign-in, then connects; the secret goes to the system keyring. */
export function connectWithClientCredentials(args: ConnectClientArgs): Promise<Integration> {
  return call("connect_with_client_credentials", args);
}

/** Signs a member in with a username and password, checks the member is  an admin, then connects; the password and session go to the system keyring. */
export function connectWithPassword(args: ConnectPasswordArgs): Promise<Integration> {
  return call("connect_with_password", args);
}

/** Checks a folder of export files (it exists, can be read, every export  has the columns needed), then connects. */
export function connectFolder(args: ConnectFolderArgs): Promise<Integration> {
  return call("connect_folder", args);
}

/** Opens an ODBC data source and reads every list (Sage 300 CRE), checks  the import folder, then connects; the password goes to the system keyring. */
export function connectDataSource(args: ConnectDataSourceArgs): Promise<Integration> {
  return call("connect_data_source", args);
}

/** Opens the platform's sign-in page in the system browser and waits, in  the background, for it to come back; the tokens go to the system keyring. */
export function beginBrowserSignIn(args: BeginBrowserSignInArgs): Promise<BrowserSignInStarted> {
  return call("begin_browser_sign_in", args);
}

/** Where a browser sign-in stands (waiting, connected, failed, cancelled). */
export function browserSignInStatus(args: BrowserSignInArgs): Promise<BrowserSignInStatus> {
  return call("browser_sign_in_status", args);
}

/** Stops waiting for a browser sign-in. */
export function cancelBrowserSignIn(args: BrowserSignInArgs): Promise<boolean> {
  return call("cancel_browser_sign_in", args);
}

/** Starts answering the QuickBooks Web Connector, saves the `.qwc` file  to add to it, and waits, in the background, for its first update to  sign in with this username and password; the password goes to the  system keyring once QuickBooks has answered. */
export function connectWebConnector(args: ConnectWebConnectorArgs): Promise<WebConnectorStarted> {
  return call("connect_web_connector", args);
}

/** Where a Web Connector connection stands (waiting, with a refused  sign-in said plainly; connected; failed; cancelled). */
export function webConnectorStatus(args: BrowserSignInArgs): Promise<WebConnectorStatus> {
  return call("web_connector_status", args);
}

/** Stops waiting for the Web Connector. */
export function cancelWebConnector(args: BrowserSignInArgs): Promise<boolean> {
  return call("cancel_web_connector", args);
}

/** Saves a QuickBooks Desktop connection's `.qwc` file again; returns where. */
export function saveWebConnectorFile(args: SaveQwcArgs): Promise<string> {
  return call("save_web_connector_file", args);
}

/** Turns publishing payroll into QuickBooks on or off for a QuickBooks  Desktop connection and saves its `.qwc` file again (read-write only  when on); says where, and what to do in the Web Connector. */
export function setWebConnectorPublishing(args: SetPublishingArgs): Promise<PublishingChanged> {
  return call("set_web_connector_publishing", args);
}

export function updateIntegrationSettings(args: UpdateArgs<IntegrationSettings>): Promise<Integration> {
  return call("update_integration_settings", args);
}

/** Makes an integration the one sync source; the previous source stops syncing. */
export function setSyncSource(args: IdArgs): Promise<Integration> {
  return call("set_sync_source", args);
}

/** Disconnects and deletes the saved sign-in; imported records stay. */
export function disconnectIntegration(args: IdArgs): Promise<null> {
  return call("disconnect_integration", args);
}

/** Starts a sync now; `false` when one was already running (it is joined). */
export function syncNow(args: IdArgs): Promise<boolean> {
  return call("sync_now", args);
}

export function cancelSync(args: IdArgs): Promise<boolean> {
  return call("cancel_sync", args);
}

export function listSyncRuns(args: RunsArgs): Promise<Page<SyncRun>> {
  return call("list_sync_runs", args);
}

/** The modules of an integration with their staged counts per status. */
export function stagedOverview(args: IdArgs): Promise<Array<ModuleOverview>> {
  return call("staged_overview", args);
}

export function listStaged(args: StagedListArgs): Promise<StagedPage> {
  return call("list_staged", args);
}

/** Hours per day of the staged time entries matching a filter (the newest 62 days). */
export function stagedHoursPerDay(args: HoursArgs): Promise<Array<DayHours>> {
  return call("staged_hours_per_day", args);
}

/** One staged record with what changed since it was imported. */
export function stagedDetail(args: IdArgs): Promise<StagedDetail> {
  return call("staged_detail", args);
}

/** Archives or unarchives staged records (ids, or all matching a filter). */
export function archiveStaged(args: ArchiveArgs): Promise<number> {
  return call("archive_staged", args);
}

/** Imports staged records into the company's records, with what was  created, updated, linked, skipped and why. */
export function importStaged(args: ImportArgs): Promise<ImportSummary> {
  return call("import_staged", args);
}

/** Makes everyday changes happen in the Sandbox's demo company, to try Updated and removed records. */
export function simulateSandboxActivity(args: IdArgs): Promise<SimulatedActivity> {
  return call("simulate_sandbox_activity", args);
}

/** Starts an import in the background, for large selections; follow it with job_status. */
export function startImport(args: ImportArgs): Promise<JobStarted> {
  return call("start_import", args);
}

/** How a background action is going: done of total, and its summary once it ends. */
export function jobStatus(args: JobArgs): Promise<JobStatus> {
  return call("job_status", args);
}

/** Stops a background action after the chunk it is on; what it committed stays. */
export function cancelJob(args: JobArgs): Promise<boolean> {
  return call("cancel_job", args);
}

/** The company's payroll settings (time zone, week, pay frequency, overtime rules). */
export function payrollSettings(): Promise<PayrollSettings> {
  return call("payroll_settings", null);
}

/** Checks and saves the payroll settings; every problem is named at once. */
export function savePayrollSettings(args: PayrollSettings): Promise<PayrollSettings> {
  return call("save_payroll_settings", args);
}

/** A pay period's hours per employee, day, job and task, split by the  overtime rules, with which entries made them. */
export function payrollHours(args: PeriodArgs): Promise<HoursReport> {
  return call("payroll_hours", args);
}

/** Where payroll can go: integrations that receive it, and the file formats. */
export function payrollTargets(): Promise<Array<TargetProfile>> {
  return call("payroll_targets", null);
}

/** A period's payroll for one target: hours, lines, problems, changes  since publication, and the publications. */
export function payrollReview(args: ReviewArgs): Promise<PayrollReview> {
  return call("payroll_review", args);
}

/** A target's pay item mapping, its payroll items and the pay IDs. */
export function payrollMapping(args: TargetArgs): Promise<PayrollMapping> {
  return call("payroll_mapping", args);
}

/** Maps a pay ID (for everyone or one employee) to a target's item; an empty item clears it. */
export function setPayItem(args: SetPayItemArgs): Promise<PayItemMap | null> {
  return call("set_pay_item", args);
}

/** Reads a target's payroll items again. */
export function refreshPayrollItems(args: IntegrationArgs): Promise<Array<TargetItem>> {
  return call("refresh_payroll_items", args);
}

/** The company's employees, jobs or tasks with their matches at a target. */
export function payrollMatches(args: MatchesArgs): Promise<MatchList> {
  return call("payroll_matches", args);
}

/** Confirms (or forgets) which target record a local record is. */
export function confirmMatch(args: ConfirmMatchArgs): Promise<null> {
  return call("confirm_match", args);
}

/** How the CSV, IIF and Sage 300 CRE files are laid out. */
export function payrollFileSettings(): Promise<FileSettings> {
  return call("payroll_file_settings", null);
}

export function savePayrollFileSettings(args: FileSettings): Promise<FileSettings> {
  return call("save_payroll_file_settings", args);
}

/** Writes a period's payroll file; bad settings or blocking problems are refused first. */
export function exportPayroll(args: ExportArgs): Promise<ExportedFile> {
  return call("export_payroll", args);
}

/** Publishes a period to an integration: everything the first time, then only the changes. */
export function publishPayroll(args: PublishArgs): Promise<PublishResult> {
  return call("publish_payroll", args);
}

/** The lines of one publication with the target's answer to each. */
export function publicationLines(args: IdArgs): Promise<Array<PublishedLine>> {
  return call("publication_lines", args);
}

/** One publication as it stands (outcome, lines answered) with every  line's answer; polled while it is being sent. */
export function publicationProgress(args: IdArgs): Promise<PublicationProgress> {
  return call("publication_progress", args);
}

/** The first rows of a CSV export (a file, or a folder's first export)  and the guess of what each column holds; a path that cannot be read  is a problem on `path`. */
export function previewCsv(args: PreviewCsvArgs): Promise<CsvPreview> {
  return call("preview_csv", args);
}

/** The saved CSV layouts, by name. */
export function listCsvLayouts(): Promise<Array<CsvLayout>> {
  return call("list_csv_layouts", null);
}

/** Saves a CSV layout (the same name again changes it), each bad field  reported on its own; returns it as saved. */
export function saveCsvLayout(args: SaveCsvLayoutArgs): Promise<CsvLayout> {
  return call("save_csv_layout", args);
}

/** Deletes a saved CSV layout; refused while an integration reads with it. */
export function deleteCsvLayout(args: CsvLayoutNameArgs): Promise<null> {
  return call("delete_csv_layout", args);
}

/** Every job with a budget or time (or one job), with its tasks: budget,  hours and labour cost, % used, what remains, and its status. */
export function jobCosting(args: CostingQuery): Promise<CostingReport> {
  return call("job_costing", args);
}

/** One job: its costing, its hours week by week against the budget, and  who worked it. */
export function jobCostingDetail(args: IdArgs): Promise<JobDetail> {
  return call("job_costing_detail", args);
}

/** The labour burden % added on top of wages. */
export function costingSettings(): Promise<CostingSettings> {
  return call("costing_settings", null);
}

export function saveCostingSettings(args: CostingSettings): Promise<CostingSettings> {
  return call("save_costing_settings", args);
}

/** An employee's wages, newest first: imported with the employee or set  in Timebridge. */
export function employeeWages(args: EmployeeArgs): Promise<Array<Wage>> {
  return call("employee_wages", args);
}

/** Sets the wage an employee is paid from a day; their time from that day  is costed at it. */
export function setEmployeeWage(args: WageDraft): Promise<Wage> {
  return call("set_employee_wage", args);
}

/** Removes a wage set in Timebridge; an imported one is refused. */
export function removeEmployeeWage(args: IdArgs): Promise<null> {
  return call("remove_employee_wage", args);
}

/** The bonus plans, by name. */
export function listBonusPlans(): Promise<Array<PlanRecord>> {
  return call("list_bonus_plans", null);
}

/** Saves a bonus plan (new, or new rules for its id); every bad field at once. */
export function saveBonusPlan(args: PlanDraft): Promise<PlanRecord> {
  return call("save_bonus_plan", args);
}

/** Every bonus: open ones projected from the time so far, then approved and paid. */
export function listBonuses(): Promise<Array<Bonus>> {
  return call("list_bonuses", null);
}

export function getBonus(args: IdArgs): Promise<Bonus> {
  return call("get_bonus", args);
}

/** Sets up a bonus of a plan on a job (or one of its tasks). */
export function createBonus(args: NewBonus): Promise<Bonus> {
  return call("create_bonus", args);
}

/** Approves an open bonus: its figures and each worker's amount are  frozen, to be paid with the pay period of the approval's day. */
export function approveBonus(args: IdArgs): Promise<Bonus> {
  return call("approve_bonus", args);
}

/** Marks an approved bonus paid outside Timebridge (entered by hand on  the paychecks of a target that takes no amounts), with where. */
export function markBonusPaid(args: MarkPaidArgs): Promise<Bonus> {
  return call("mark_bonus_paid", args);
}

/** Each worker's statement of a bonus (or one employee's). */
export function bonusStatements(args: StatementArgs): Promise<Array<Statement>> {
  return call("bonus_statements", args);
}

/** Saves the statements as one PDF, a page per worker; returns where. */
export function saveBonusStatements(args: SaveStatementArgs): Promise<string> {
  return call("save_bonus_statements", args);
}

/** The event a running sync sends its progress on (payload: Progress). */
export const SYNC_PROGRESS_EVENT = "sync-progress";
/** Where a browser sign-in comes back, unless another port is given; admins register it with the platform. */
export const DEFAULT_REDIRECT_URI = "http://127.0.0.1:47290/callback";

//! Integrations: the overview, connecting and disconnecting, settings, the
//! sync source, Sync now, run history, and the staged records.

use timebridge_connectors::catalog::{self, PlatformListing};
use timebridge_connectors::secrets::integration_key;
use timebridge_core::middleware::integrations::{self, Integration, IntegrationSettings};
use timebridge_core::middleware::runs::{self, RunOutcome, SyncRun};
use timebridge_core::middleware::staged::{self, StagedDetail};
use timebridge_core::platforms::Platform;
use timebridge_core::records::Page;
use timebridge_core::{Error, Result};
use timebridge_sync::scheduler;

use super::types::{
    ArchiveArgs, ConnectClientArgs, ConnectDataSourceArgs, ConnectFolderArgs, ConnectPasswordArgs,
    ConnectSandboxArgs, ConnectTokenArgs, HealthState, IdArgs, IntegrationSummary, ModuleOverview,
    RunsArgs, StagedListArgs, UpdateArgs,
};
use crate::Ctx;
use crate::connect::{self, Connection, NotConnected, Saving, SignIn};

pub fn list_platforms(_ctx: &mut Ctx<'_>, (): ()) -> Result<Vec<PlatformListing>> {
    Ok(catalog::platforms())
}

fn summary(ctx: &Ctx<'_>, integration: Integration) -> Result<IntegrationSummary> {
    let last_run = ctx
        .store()
        .read(|conn| runs::latest(conn, integration.id))?;
    let health = if ctx.api.engine.runs().is_running(integration.id) {
        HealthState::Running
    } else {
        match last_run.as_ref().map(|r| r.outcome) {
            None => HealthState::NeverSynced,
            Some(RunOutcome::Succeeded) => HealthState::Ok,
            Some(RunOutcome::Running) => HealthState::Running,
            Some(RunOutcome::Cancelled) => HealthState::Cancelled,
            Some(RunOutcome::Interrupted) => HealthState::Interrupted,
            Some(RunOutcome::Failed) => HealthState::Failed,
        }
    };
    let platform = integration.known_platform();
    let platform_name = match (platform, integration.sandbox_company()) {
        (Some(sandbox), Some(company)) => format!("{} · {}", sandbox.name(), company.name()),
        (Some(platform), None) => platform.name().into(),
        // A platform this version does not know is named by its id.
        (None, _) => integration.platform.clone(),
    };
    Ok(IntegrationSummary {
        platform_name,
        demo: platform.is_some_and(Platform::demo),
        integration,
        health,
        last_run,
    })
}

pub fn list_integrations(ctx: &mut Ctx<'_>, (): ()) -> Result<Vec<IntegrationSummary>> {
    let all = ctx.store().read(integrations::list)?;
    all.into_iter().map(|i| summary(ctx, i)).collect()
}

pub fn get_integration(ctx: &mut Ctx<'_>, args: IdArgs) -> Result<IntegrationSummary> {
    let integration = ctx.store().read(|conn| integrations::get(conn, args.id))?;
    summary(ctx, integration)
}

/// Runs the connect workflow as the signed-in operator; a refused sign-in
/// is marked on the form's field.
fn connect(
    ctx: &Ctx<'_>,
    platform: Platform,
    name: Option<String>,
    settings: Option<IntegrationSettings>,
    sign_in: SignIn,
) -> Result<Integration> {
    let actor = ctx.actor()?;
    let saving = Saving {
        store: ctx.store(),
        secrets: ctx.api.engine.secrets().as_ref(),
        actor: &actor,
        now: ctx.now,
    };
    let connection = Connection {
        platform,
        name,
        settings: settings.unwrap_or_else(|| IntegrationSettings::defaults(ctx.now)),
        sign_in,
    };
    ctx.api
        .runtime
        .block_on(connect::connect(&ctx.api.engine, &saving, connection))
        .map(|connected| connected.integration)
        .map_err(NotConnected::on_the_form)
}

/// Connects the Sandbox as the demo company chosen (QuickBooks Time unless
/// told): no sign-in, its emulator starts with the first sync.
pub fn connect_sandbox(ctx: &mut Ctx<'_>, args: ConnectSandboxArgs) -> Result<Integration> {
    let mut settings = args
        .settings
        .unwrap_or_else(|| IntegrationSettings::defaults(ctx.now));
    settings.sandbox_company = Some(
        args.company
            .or(settings.sandbox_company)
            .unwrap_or_default(),
    );
    connect(
        ctx,
        Platform::Sandbox,
        args.name,
        Some(settings),
        SignIn::None,
    )
}

/// Checks a pasted token against the platform, then saves the integration
/// and puts the token in the keyring. Nothing is saved if the check fails.
pub fn connect_with_token(ctx: &mut Ctx<'_>, args: ConnectTokenArgs) -> Result<Integration> {
    connect(
        ctx,
        args.platform,
        args.name,
        args.settings,
        SignIn::Token(args.token),
    )
}

/// Signs in with a client ID and secret, checks the sign-in with one
/// request, then saves the integration and puts the id, secret and tokens
/// in the keyring. Nothing is saved if the platform refuses.
pub fn connect_with_client_credentials(
    ctx: &mut Ctx<'_>,
    args: ConnectClientArgs,
) -> Result<Integration> {
    let sign_in = SignIn::Client {
        id: args.client_id,
        secret: args.client_secret,
    };
    connect(ctx, args.platform, args.name, args.settings, sign_in)
}

/// Signs a member in with a username and password, checks the member is an
/// admin, then saves the integration and puts the password and session in
/// the keyring. Nothing is saved if the platform refuses.
pub fn connect_with_password(ctx: &mut Ctx<'_>, args: ConnectPasswordArgs) -> Result<Integration> {
    let sign_in = SignIn::Password {
        username: args.username,
        password: args.password,
    };
    connect(ctx, args.platform, args.name, args.settings, sign_in)
}

/// Connects a platform read from a folder of export files, once the folder
/// has been checked. There is no sign-in to keep.
pub fn connect_folder(ctx: &mut Ctx<'_>, args: ConnectFolderArgs) -> Result<Integration> {
    connect(
        ctx,
        args.platform,
        args.name,
        Some(args.settings),
        SignIn::Folder,
    )
}

/// Connects a platform read through an ODBC data source, once every list
/// was read from it and the import folder checked.
pub fn connect_data_source(ctx: &mut Ctx<'_>, args: ConnectDataSourceArgs) -> Result<Integration> {
    connect(
        ctx,
        args.platform,
        args.name,
        Some(args.settings),
        SignIn::DataSource {
            password: args.password,
        },
    )
}

pub fn update_integration_settings(
    ctx: &mut Ctx<'_>,
    mut args: UpdateArgs<IntegrationSettings>,
) -> Result<Integration> {
    let integration = ctx.store().read(|conn| integrations::get(conn, args.id))?;
    connect::check_changed_settings(ctx.store(), &integration, &mut args.draft)?;
    if timebridge_connectors::through_web_connector(&integration.platform) {
        // Still the Web Connector's sign-in and address: a changed address
        // is answered before it is saved (then save the .qwc file again).
        args.draft.web_connector = integration.settings.web_connector.clone();
        let url = args
            .draft
            .base_url
            .clone()
            .or(integration.settings.base_url.clone())
            .unwrap_or_else(|| timebridge_connectors::quickbooks_desktop::DEFAULT_URL.into());
        let engine = ctx.api.engine.clone();
        let url = ctx
            .api
            .runtime
            .block_on(async move { engine.web_connector().listen(&url).await })
            .map_err(crate::sync_error)?;
        args.draft.base_url = Some(url);
    }
    let (actor, now) = (ctx.actor()?, ctx.now);
    ctx.store()
        .write(|tx| integrations::update_settings(tx, args.id, &args.draft, &actor, now))
}

pub fn set_sync_source(ctx: &mut Ctx<'_>, args: IdArgs) -> Result<Integration> {
    let (actor, now) = (ctx.actor()?, ctx.now);
    ctx.store()
        .write(|tx| integrations::set_sync_source(tx, args.id, &actor, now))
}

/// Disconnects: stops its sync, removes it and its staged records, deletes
/// its sign-in from the keyring. Imported records stay.
pub fn disconnect_integration(ctx: &mut Ctx<'_>, args: IdArgs) -> Result<()> {
    let (actor, now) = (ctx.actor()?, ctx.now);
    ctx.api.engine.runs().cancel(args.id);
    ctx.store()
        .write(|tx| integrations::remove(tx, args.id, &actor, now))?;
    ctx.api.engine.secrets().delete(&integration_key(args.id))?;
    let engine = ctx.api.engine.clone();
    ctx.api
        .runtime
        .block_on(async move { engine.sandbox().stop(args.id).await });
    Ok(())
}

/// Starts a sync in the background (or finds the running one); progress
/// arrives as `sync-progress` events. When the background service schedules
/// this database, the sync is passed on to it and starts within seconds.
pub fn sync_now(ctx: &mut Ctx<'_>, args: IdArgs) -> Result<bool> {
    let integration = ctx.store().read(|conn| integrations::get(conn, args.id))?;
    let already = ctx.api.engine.runs().is_running(args.id);
    if !already && let Some(hint) = timebridge_sync::web_connector_hint(&integration) {
        return Err(Error::Conflict(hint));
    }
    let started = scheduler::sync_now(&ctx.api.engine, &ctx.api.runtime, args.id)?;
    Ok(started != scheduler::SyncNow::AlreadyRunning)
}

pub fn cancel_sync(ctx: &mut Ctx<'_>, args: IdArgs) -> Result<bool> {
    Ok(ctx.api.engine.runs().cancel(args.id))
}

pub fn list_sync_runs(ctx: &mut Ctx<'_>, args: RunsArgs) -> Result<Page<SyncRun>> {
    ctx.store()
        .read(|conn| runs::list(conn, args.integration_id, args.page, args.page_size))
}

/// The modules an integration syncs (its platform's, or a Sandbox's demo
/// company's), with their staged counts.
pub fn staged_overview(ctx: &mut Ctx<'_>, args: IdArgs) -> Result<Vec<ModuleOverview>> {
    let integration = ctx.store().read(|conn| integrations::get(conn, args.id))?;
    let modules = integration.modules();
    ctx.store().read(|conn| {
        modules
            .iter()
            .map(|m| {
                Ok(ModuleOverview {
                    module: *m,
                    label: m.label().to_owned(),
                    counts: staged::status_counts(conn, args.id, *m)?,
                })
            })
            .collect()
    })
}

pub fn list_staged(ctx: &mut Ctx<'_>, args: StagedListArgs) -> Result<staged::StagedPage> {
    ctx.store()
        .read(|conn| staged::list(conn, args.integration_id, args.module, &args.query))
}

pub fn staged_detail(ctx: &mut Ctx<'_>, args: IdArgs) -> Result<StagedDetail> {
    ctx.store().read(|conn| staged::detail(conn, args.id))
}

pub fn archive_staged(ctx: &mut Ctx<'_>, args: ArchiveArgs) -> Result<u64> {
    let (actor, now) = (ctx.actor()?, ctx.now);
    ctx.store().write(|tx| {
        staged::set_archived(
            tx,
            args.integration_id,
            args.module,
            &args.selection,
            args.archived,
            &actor,
            now,
        )
    })
}

/// Imports staged records into the local records: dependencies along,
/// look-alikes and hand-edit conflicts reported for a decision.
pub fn import_staged(
    ctx: &mut Ctx<'_>,
    args: super::types::ImportArgs,
) -> Result<timebridge_core::middleware::import::ImportSummary> {
    let (actor, now) = (ctx.actor()?, ctx.now);
    let options = args.options.unwrap_or_default();
    timebridge_core::middleware::import::run(
        ctx.store(),
        args.integration_id,
        args.module,
        &args.selection,
        &options,
        &actor,
        now,
    )
}

/// Makes a round of everyday changes happen in the Sandbox's demo company
/// (an e-mail changed, a timesheet corrected, one deleted), so the next sync
/// shows Updated and removed-at-source records.
pub fn simulate_sandbox_activity(
    ctx: &mut Ctx<'_>,
    args: IdArgs,
) -> Result<super::types::SimulatedActivity> {
    let integration = ctx.store().read(|conn| integrations::get(conn, args.id))?;
    let Some(company) = integration.sandbox_company() else {
        return Err(Error::invalid(
            "id",
            "Only the Sandbox can simulate changes; real platforms change on their own.",
        ));
    };
    let round = ctx
        .store()
        .write(|tx| integrations::add_sandbox_round(tx, integration.id))?;
    let engine = ctx.api.engine.clone();
    let now = ctx.now;
    let changes = ctx
        .api
        .runtime
        .block_on(async move {
            engine
                .sandbox()
                .simulate(integration.id, company, integration.created_at, round, now)
                .await
        })
        .map_err(|e| Error::Internal(format!("the sandbox could not start: {e}")))?;
    Ok(super::types::SimulatedActivity { round, changes })
}

/// Hours per day of the staged time entries matching a filter, for the
/// time-entry tab's chart.
pub fn staged_hours_per_day(
    ctx: &mut Ctx<'_>,
    args: super::types::HoursArgs,
) -> Result<Vec<staged::DayHours>> {
    ctx.store()
        .read(|conn| staged::hours_per_day(conn, args.integration_id, &args.filter))
}

//! Integrations: the overview, connecting and disconnecting, settings, the
//! sync source, Sync now, run history, and the staged records.

use timebridge_connectors::catalog::{self, Platform};
use timebridge_connectors::connector_for;
use timebridge_connectors::secrets::{Credentials, integration_key};
use timebridge_core::middleware::integrations::{self, Integration, IntegrationSettings};
use timebridge_core::middleware::runs::{self, RunOutcome, RunTrigger, SyncRun};
use timebridge_core::middleware::staged::{self, StagedDetail, StagedRecord};
use timebridge_core::records::Page;
use timebridge_core::{Error, Result};

use super::types::{
    ArchiveArgs, ConnectClientArgs, ConnectFolderArgs, ConnectSandboxArgs, ConnectTokenArgs,
    HealthState, IdArgs, IntegrationSummary, ModuleOverview, RunsArgs, StagedListArgs, UpdateArgs,
};
use crate::Ctx;

pub fn list_platforms(_ctx: &mut Ctx<'_>, (): ()) -> Result<Vec<Platform>> {
    Ok(catalog::platforms())
}

fn platform_name(platform: &str) -> String {
    if platform == "sandbox" {
        return "Sandbox".to_owned();
    }
    connector_for(platform).map_or_else(|| platform.to_owned(), |c| c.info().name.to_owned())
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
    Ok(IntegrationSummary {
        platform_name: platform_name(&integration.platform),
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

fn create(
    ctx: &Ctx<'_>,
    platform: &str,
    name: Option<String>,
    settings: Option<IntegrationSettings>,
) -> Result<Integration> {
    let (actor, now) = (ctx.actor()?, ctx.now);
    let settings = settings.unwrap_or_else(|| IntegrationSettings::defaults(now));
    let name = name
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| match platform {
            "sandbox" => "Sandbox (demo data)".to_owned(),
            other => platform_name(other),
        });
    ctx.store()
        .write(|tx| integrations::create(tx, platform, &name, &settings, &actor, now))
}

/// Connects the Sandbox: no sign-in, its emulator starts with the first sync.
pub fn connect_sandbox(ctx: &mut Ctx<'_>, args: ConnectSandboxArgs) -> Result<Integration> {
    create(ctx, "sandbox", args.name, args.settings)
}

/// Checks a pasted token against the platform, then saves the integration
/// and puts the token in the keyring. Nothing is saved if the check fails.
pub fn connect_with_token(ctx: &mut Ctx<'_>, args: ConnectTokenArgs) -> Result<Integration> {
    let connector = connector_for(&args.platform)
        .filter(|_| args.platform != "sandbox")
        .ok_or_else(|| Error::invalid("platform", "Pick a platform to connect."))?;
    if !connector
        .info()
        .auth
        .contains(&timebridge_connectors::AuthKind::AccessToken)
    {
        return Err(Error::invalid(
            "token",
            format!("{} does not sign in with a token.", connector.info().name),
        ));
    }
    let token = args.token.expose().trim().to_owned();
    if token.is_empty() {
        return Err(Error::invalid("token", "Paste the access token."));
    }
    if let Some(settings) = &args.settings {
        settings.check(ctx.now)?;
    }
    let credentials = Credentials::access_token(token);
    let base_url = args.settings.as_ref().and_then(|s| s.base_url.clone());
    let engine = ctx.api.engine.clone();
    let platform = args.platform.clone();
    let checked = ctx.api.runtime.block_on(async move {
        engine
            .sign_in()
            .check_connection(&platform, base_url.as_deref(), &credentials)
            .await
            .map(|_| credentials)
    });
    let credentials = checked.map_err(crate::sync_error).map_err(|e| match e.code() {
        timebridge_core::ErrorCode::AuthFailed => {
            Error::Validation(vec![timebridge_core::FieldProblem {
                field: "token".into(),
                message: format!(
                    "{} did not accept this token. Check it was copied whole and has not expired.",
                    connector.info().name
                ),
            }])
        }
        _ => Error::Source(e.to_string()),
    })?;
    save_connected(ctx, &args.platform, args.name, args.settings, &credentials)
}

/// Creates the integration and puts its sign-in in the keyring; when the
/// keyring refuses, the integration is taken back out.
fn save_connected(
    ctx: &Ctx<'_>,
    platform: &str,
    name: Option<String>,
    settings: Option<IntegrationSettings>,
    credentials: &Credentials,
) -> Result<Integration> {
    let integration = create(ctx, platform, name, settings)?;
    if let Err(error) = credentials.save(ctx.api.engine.secrets().as_ref(), integration.id) {
        let (actor, now) = (ctx.actor()?, ctx.now);
        ctx.store()
            .write(|tx| integrations::remove(tx, integration.id, &actor, now))?;
        return Err(error.into());
    }
    Ok(integration)
}

/// Signs in with a client ID and secret, checks the sign-in with one
/// request, then saves the integration and puts the id, secret and tokens
/// in the keyring. Nothing is saved if the platform refuses.
pub fn connect_with_client_credentials(
    ctx: &mut Ctx<'_>,
    args: ConnectClientArgs,
) -> Result<Integration> {
    let connector = connector_for(&args.platform)
        .filter(|c| {
            c.info()
                .auth
                .contains(&timebridge_connectors::AuthKind::ClientCredentials)
        })
        .ok_or_else(|| {
            Error::invalid(
                "platform",
                "This platform does not sign in with a client ID and secret.",
            )
        })?;
    let platform_name = connector.info().name;
    let client_id = args.client_id.trim().to_owned();
    let secret = timebridge_core::Sensitive::new(args.client_secret.expose().trim().to_owned());
    let mut problems = Vec::new();
    if client_id.is_empty() {
        problems.push(timebridge_core::FieldProblem {
            field: "client_id".into(),
            message: format!("Enter the client ID of your {platform_name} API application."),
        });
    }
    if secret.expose().is_empty() {
        problems.push(timebridge_core::FieldProblem {
            field: "client_secret".into(),
            message: "Enter the secret that was shown with the client ID.".into(),
        });
    }
    if !problems.is_empty() {
        return Err(Error::Validation(problems));
    }
    if let Some(settings) = &args.settings {
        settings.check(ctx.now)?;
    }
    let base_url = args.settings.as_ref().and_then(|s| s.base_url.clone());
    let engine = ctx.api.engine.clone();
    let platform = args.platform.clone();
    let signed_in = ctx.api.runtime.block_on(async move {
        engine
            .sign_in()
            .with_client(&platform, base_url.as_deref(), &client_id, &secret)
            .await
    });
    let (credentials, account) = signed_in.map_err(crate::sync_error).map_err(|e| match e.code() {
        timebridge_core::ErrorCode::AuthFailed => {
            Error::Validation(vec![timebridge_core::FieldProblem {
                field: "client_secret".into(),
                message: format!(
                    "{platform_name} did not accept this client ID and secret. Check both were copied \
                     whole, and that the API application is still active in {platform_name} \
                     (Administration → Application → API)."
                ),
            }])
        }
        _ => Error::Source(e.to_string()),
    })?;
    tracing::info!(platform = %args.platform, %account, "signed in with a client ID and secret");
    save_connected(ctx, &args.platform, args.name, args.settings, &credentials)
}

/// Checks the folder a file-based platform is read from, marking the
/// folder field when it cannot be used.
fn check_folder(platform: &str, settings: &mut IntegrationSettings) -> Result<Option<String>> {
    let Some(source) = connector_for(platform).and_then(|c| c.folder()) else {
        return Ok(None);
    };
    let field = |message: String| {
        Error::Validation(vec![timebridge_core::FieldProblem {
            field: "folder".into(),
            message,
        }])
    };
    let folder = settings
        .folder
        .as_deref()
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .ok_or_else(|| field("Choose the folder the exports are saved in.".into()))?
        .to_owned();
    let summary = timebridge_connectors::folder::check(source, std::path::Path::new(&folder))
        .map_err(|e| field(e.message))?;
    settings.folder = Some(folder);
    Ok(Some(summary.describe()))
}

/// Connects a platform read from a folder of export files, once the folder
/// has been checked. There is no sign-in to keep.
pub fn connect_folder(ctx: &mut Ctx<'_>, args: ConnectFolderArgs) -> Result<Integration> {
    let mut settings = args.settings;
    settings.check(ctx.now)?;
    let Some(found) = check_folder(&args.platform, &mut settings)? else {
        return Err(Error::invalid(
            "platform",
            "This platform is not read from a folder.",
        ));
    };
    settings.base_url = None;
    tracing::info!(platform = %args.platform, %found, "connected an export folder");
    create(ctx, &args.platform, args.name, Some(settings))
}

pub fn update_integration_settings(
    ctx: &mut Ctx<'_>,
    mut args: UpdateArgs<IntegrationSettings>,
) -> Result<Integration> {
    let integration = ctx.store().read(|conn| integrations::get(conn, args.id))?;
    check_folder(&integration.platform, &mut args.draft)?;
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
/// arrives as `sync-progress` events.
pub fn sync_now(ctx: &mut Ctx<'_>, args: IdArgs) -> Result<bool> {
    let integration = ctx.store().read(|conn| integrations::get(conn, args.id))?;
    let already = ctx.api.engine.runs().is_running(args.id);
    if !already && let Some(hint) = timebridge_sync::web_connector_hint(&integration) {
        return Err(Error::Conflict(hint));
    }
    let engine = ctx.api.engine.clone();
    ctx.api.runtime.spawn(async move {
        if let Err(error) = engine.runs().sync(args.id, RunTrigger::Manual).await {
            tracing::warn!(integration = args.id, message = %error, "sync could not start");
        }
    });
    Ok(!already)
}

pub fn cancel_sync(ctx: &mut Ctx<'_>, args: IdArgs) -> Result<bool> {
    Ok(ctx.api.engine.runs().cancel(args.id))
}

pub fn list_sync_runs(ctx: &mut Ctx<'_>, args: RunsArgs) -> Result<Page<SyncRun>> {
    ctx.store()
        .read(|conn| runs::list(conn, args.integration_id, args.page, args.page_size))
}

/// The modules of an integration's platform, with their staged counts.
pub fn staged_overview(ctx: &mut Ctx<'_>, args: IdArgs) -> Result<Vec<ModuleOverview>> {
    let integration = ctx.store().read(|conn| integrations::get(conn, args.id))?;
    let modules = connector_for(&integration.platform)
        .map(|c| c.info().modules)
        .unwrap_or_default();
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

pub fn list_staged(ctx: &mut Ctx<'_>, args: StagedListArgs) -> Result<Page<StagedRecord>> {
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
    if integration.platform != "sandbox" {
        return Err(Error::invalid(
            "id",
            "Only the Sandbox can simulate changes; real platforms change on their own.",
        ));
    }
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
                .simulate(integration.id, integration.created_at, round, now)
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

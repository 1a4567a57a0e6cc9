//! First-run setup, signing in and out, one's own password.

use timebridge_core::Result;
use timebridge_core::operators::{self, FirstAdministrator};
use timebridge_core::permissions::{Permission, PermissionInfo};

use super::types::{AppStatus, ChangePasswordArgs, SessionInfo, SignInArgs};
use crate::Ctx;

pub fn app_status(ctx: &mut Ctx<'_>, (): ()) -> Result<AppStatus> {
    let needs_first_administrator = match ctx.store().read(operators::needs_first_administrator) {
        Ok(needs) => needs,
        // A damaged database may not answer; the window still starts, to
        // offer a backup (`database_status`).
        Err(_) if ctx.store().damage().is_some() => false,
        Err(error) => return Err(error),
    };
    let session = match ctx.operator() {
        Ok(operator) => Some(SessionInfo {
            operator: operator.clone(),
            permissions: ctx.permissions(),
        }),
        Err(_) => None,
    };
    Ok(AppStatus {
        needs_first_administrator,
        session,
        version: env!("CARGO_PKG_VERSION").to_owned(),
        database_path: ctx.store().path().display().to_string(),
    })
}

fn start_session(ctx: &mut Ctx<'_>, operator: operators::Operator) -> Result<SessionInfo> {
    ctx.api.sessions.start(ctx.client, &operator, ctx.now)?;
    let permissions = ctx
        .store()
        .read(|conn| timebridge_core::roles::permissions(conn, operator.role_id))?;
    Ok(SessionInfo {
        operator,
        permissions: permissions.into_iter().collect(),
    })
}

/// Creates the first administrator and signs them in.
pub fn create_first_administrator(
    ctx: &mut Ctx<'_>,
    admin: FirstAdministrator,
) -> Result<SessionInfo> {
    let now = ctx.now;
    let operator = ctx
        .store()
        .write(|tx| operators::create_first_administrator(tx, &admin, now))?;
    start_session(ctx, operator)
}

pub fn sign_in(ctx: &mut Ctx<'_>, args: SignInArgs) -> Result<SessionInfo> {
    let operator = operators::sign_in(ctx.store(), &args.username, &args.password, ctx.now)?;
    start_session(ctx, operator)
}

pub fn sign_out(ctx: &mut Ctx<'_>, (): ()) -> Result<()> {
    let operator = ctx.operator()?.clone();
    let now = ctx.now;
    ctx.store()
        .write(|tx| operators::record_sign_out(tx, &operator, now))?;
    ctx.api.sessions.end(ctx.client);
    Ok(())
}

pub fn change_own_password(ctx: &mut Ctx<'_>, args: ChangePasswordArgs) -> Result<()> {
    let id = ctx.operator()?.id;
    let now = ctx.now;
    ctx.store().write(|tx| {
        operators::change_own_password(tx, id, &args.current_password, &args.new_password, now)
    })
}

/// Every permission with its label and description, for the role editor.
pub fn list_permissions(_ctx: &mut Ctx<'_>, (): ()) -> Result<Vec<PermissionInfo>> {
    Ok(Permission::ALL.into_iter().map(Permission::info).collect())
}

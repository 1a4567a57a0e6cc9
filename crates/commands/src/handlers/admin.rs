//! Operators, roles and the audit log: the administrator's pages.

use timebridge_core::Result;
use timebridge_core::audit::{self, AuditEntry, AuditQuery};
use timebridge_core::operators::{self, NewOperator, Operator, OperatorUpdate};
use timebridge_core::records::Page;
use timebridge_core::roles::{self, Role, RoleDraft};

use super::types::{IdArgs, ResetPasswordArgs, UpdateArgs};
use crate::Ctx;

pub fn list_operators(ctx: &mut Ctx<'_>, (): ()) -> Result<Vec<Operator>> {
    ctx.store().read(operators::list)
}

pub fn create_operator(ctx: &mut Ctx<'_>, new: NewOperator) -> Result<Operator> {
    let (actor, now) = (ctx.actor()?, ctx.now);
    ctx.store()
        .write(|tx| operators::create(tx, &new, &actor, now))
}

pub fn update_operator(ctx: &mut Ctx<'_>, args: UpdateArgs<OperatorUpdate>) -> Result<Operator> {
    let (actor, now) = (ctx.actor()?, ctx.now);
    ctx.store()
        .write(|tx| operators::update(tx, args.id, &args.draft, &actor, now))
}

pub fn reset_operator_password(ctx: &mut Ctx<'_>, args: ResetPasswordArgs) -> Result<()> {
    let (actor, now) = (ctx.actor()?, ctx.now);
    ctx.store()
        .write(|tx| operators::reset_password(tx, args.id, &args.password, &actor, now))
}

pub fn list_roles(ctx: &mut Ctx<'_>, (): ()) -> Result<Vec<Role>> {
    ctx.store().read(roles::list)
}

pub fn create_role(ctx: &mut Ctx<'_>, draft: RoleDraft) -> Result<Role> {
    let (actor, now) = (ctx.actor()?, ctx.now);
    ctx.store()
        .write(|tx| roles::create(tx, &draft, &actor, now))
}

pub fn update_role(ctx: &mut Ctx<'_>, args: UpdateArgs<RoleDraft>) -> Result<Role> {
    let (actor, now) = (ctx.actor()?, ctx.now);
    ctx.store()
        .write(|tx| roles::update(tx, args.id, &args.draft, &actor, now))
}

pub fn delete_role(ctx: &mut Ctx<'_>, args: IdArgs) -> Result<()> {
    let (actor, now) = (ctx.actor()?, ctx.now);
    ctx.store()
        .write(|tx| roles::delete(tx, args.id, &actor, now))
}

pub fn list_audit_log(ctx: &mut Ctx<'_>, query: AuditQuery) -> Result<Page<AuditEntry>> {
    ctx.store().read(|conn| audit::list(conn, &query))
}

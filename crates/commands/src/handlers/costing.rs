//! Job costing from the window: every job's hours and labour cost against
//! its budget, one job in detail, the labour burden, and the dated wages
//! labour is costed at.

use serde::Deserialize;
use timebridge_core::Result;
use timebridge_core::costing::wages::{self, Wage, WageDraft};
use timebridge_core::costing::{self, CostingQuery, CostingReport, CostingSettings, JobDetail};
use ts_rs::TS;

use super::types::IdArgs;
use crate::Ctx;

/// An employee, by id.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct EmployeeArgs {
    pub employee_id: i64,
}

pub fn job_costing(ctx: &mut Ctx<'_>, query: CostingQuery) -> Result<CostingReport> {
    ctx.store().read(|conn| costing::report(conn, &query))
}

pub fn job_costing_detail(ctx: &mut Ctx<'_>, args: IdArgs) -> Result<JobDetail> {
    let today = ctx.now.date_naive();
    ctx.store()
        .read(|conn| costing::job_detail(conn, args.id, today))
}

pub fn costing_settings(ctx: &mut Ctx<'_>, (): ()) -> Result<CostingSettings> {
    ctx.store().read(costing::load_settings)
}

pub fn save_costing_settings(
    ctx: &mut Ctx<'_>,
    settings: CostingSettings,
) -> Result<CostingSettings> {
    let (actor, now) = (ctx.actor()?, ctx.now);
    ctx.store()
        .write(|tx| costing::save_settings(tx, settings, &actor, now))
}

pub fn employee_wages(ctx: &mut Ctx<'_>, args: EmployeeArgs) -> Result<Vec<Wage>> {
    ctx.store().read(|conn| wages::list(conn, args.employee_id))
}

pub fn set_employee_wage(ctx: &mut Ctx<'_>, draft: WageDraft) -> Result<Wage> {
    let (actor, now) = (ctx.actor()?, ctx.now);
    ctx.store().write(|tx| wages::set(tx, &draft, &actor, now))
}

pub fn remove_employee_wage(ctx: &mut Ctx<'_>, args: IdArgs) -> Result<()> {
    let (actor, now) = (ctx.actor()?, ctx.now);
    ctx.store()
        .write(|tx| wages::remove(tx, args.id, &actor, now))
}

//! Crew bonuses from the window: the plans, each bonus (projected while its
//! job runs, frozen once approved), approval by those who may approve
//! bonuses, and each worker's statement, viewed or saved as a PDF.

use serde::Deserialize;
use timebridge_core::bonus::crews::{self, Bonus, NewBonus};
use timebridge_core::bonus::plans::{self, PlanDraft, PlanRecord};
use timebridge_core::bonus::statement::{self, Statement};
use timebridge_core::payroll::files;
use timebridge_core::{Error, Result};
use ts_rs::TS;

use super::types::IdArgs;
use crate::Ctx;

/// A bonus's statements: every worker's, or one employee's.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct StatementArgs {
    pub id: i64,
    #[serde(default)]
    pub employee_id: Option<i64>,
}

/// Statements to save as a PDF at `path` (a full file path).
#[derive(Debug, Clone, Deserialize, TS)]
pub struct SaveStatementArgs {
    pub id: i64,
    #[serde(default)]
    pub employee_id: Option<i64>,
    pub path: String,
}

pub fn list_bonus_plans(ctx: &mut Ctx<'_>, (): ()) -> Result<Vec<PlanRecord>> {
    ctx.store().read(plans::list)
}

pub fn save_bonus_plan(ctx: &mut Ctx<'_>, draft: PlanDraft) -> Result<PlanRecord> {
    let (actor, now) = (ctx.actor()?, ctx.now);
    ctx.store().write(|tx| plans::save(tx, &draft, &actor, now))
}

pub fn list_bonuses(ctx: &mut Ctx<'_>, (): ()) -> Result<Vec<Bonus>> {
    ctx.store().read(crews::list)
}

pub fn get_bonus(ctx: &mut Ctx<'_>, args: IdArgs) -> Result<Bonus> {
    ctx.store().read(|conn| crews::get(conn, args.id))
}

pub fn create_bonus(ctx: &mut Ctx<'_>, new: NewBonus) -> Result<Bonus> {
    let (actor, now) = (ctx.actor()?, ctx.now);
    ctx.store().write(|tx| crews::create(tx, &new, &actor, now))
}

/// A bonus paid outside Timebridge, and where.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct MarkPaidArgs {
    pub id: i64,
    pub note: String,
}

pub fn mark_bonus_paid(ctx: &mut Ctx<'_>, args: MarkPaidArgs) -> Result<Bonus> {
    let (actor, now) = (ctx.actor()?, ctx.now);
    ctx.store()
        .write(|tx| timebridge_core::bonus::pay::mark_paid(tx, args.id, &args.note, &actor, now))
}

pub fn approve_bonus(ctx: &mut Ctx<'_>, args: IdArgs) -> Result<Bonus> {
    let (actor, now) = (ctx.actor()?, ctx.now);
    ctx.store()
        .write(|tx| crews::approve(tx, args.id, &actor, now))
}

/// The statements of a bonus, as its plan's rules say them.
pub fn statements_of(
    conn: &timebridge_core::rusqlite::Connection,
    id: i64,
    employee_id: Option<i64>,
) -> Result<Vec<Statement>> {
    let bonus = crews::get(conn, id)?;
    let rules = plans::get(conn, bonus.plan_id)?.rules;
    statement::statements(&bonus, rules.share_percent, rules.split, employee_id)
}

pub fn bonus_statements(ctx: &mut Ctx<'_>, args: StatementArgs) -> Result<Vec<Statement>> {
    ctx.store()
        .read(|conn| statements_of(conn, args.id, args.employee_id))
}

/// Writes the statements as one PDF (a page per worker); returns where.
pub fn save_bonus_statements(ctx: &mut Ctx<'_>, args: SaveStatementArgs) -> Result<String> {
    let path = args.path.trim();
    if path.is_empty() || !std::path::Path::new(path).is_absolute() {
        return Err(Error::invalid(
            "path",
            "Type the full path of the PDF to save, e.g. /home/you/bonus.pdf.",
        ));
    }
    let pages = ctx
        .store()
        .read(|conn| statements_of(conn, args.id, args.employee_id))?;
    files::save_to(std::path::Path::new(path), &statement::pdf(&pages))?;
    Ok(path.to_owned())
}

//! Payroll: settings, and a pay period's hours.

use serde::Deserialize;
use timebridge_core::Result;
use timebridge_core::payroll::settings::{self, PayrollSettings};
use timebridge_core::payroll::{self, HoursReport};
use ts_rs::TS;

use crate::Ctx;

/// Which pay period: the one containing `date` (default: today in the
/// company's time zone).
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(default)]
pub struct PeriodArgs {
    #[ts(type = "string | null")]
    pub date: Option<chrono::NaiveDate>,
}

pub fn payroll_settings(ctx: &mut Ctx<'_>, _: ()) -> Result<PayrollSettings> {
    let today = ctx.now.date_naive();
    ctx.store().read(|conn| settings::load(conn, today))
}

pub fn save_payroll_settings(ctx: &mut Ctx<'_>, draft: PayrollSettings) -> Result<PayrollSettings> {
    let actor = ctx.actor()?;
    let now = ctx.now;
    ctx.store()
        .write(|tx| settings::save(tx, &draft, &actor, now))
}

pub fn payroll_hours(ctx: &mut Ctx<'_>, args: PeriodArgs) -> Result<HoursReport> {
    let now = ctx.now;
    ctx.store()
        .read(|conn| payroll::hours_for_day(conn, args.date, now))
}

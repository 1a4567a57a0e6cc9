//! Payroll: settings, a pay period's hours, pay item mapping and
//! matching, payroll files, and publishing.

use serde::{Deserialize, Serialize};
use timebridge_core::payroll::files::{self, FileSettings};
use timebridge_core::payroll::publish::{self, Publication, PublishedLine};
use timebridge_core::payroll::settings::{self, PayrollSettings};
use timebridge_core::payroll::targets::{
    self, FileFormat, MatchKind, PayItemMap, RecordMatch, Target, TargetItem, TargetProfile,
    TargetRecord,
};
use timebridge_core::payroll::{self, HoursReport, PayIdRef, PayrollReview, unimported};
use timebridge_core::{Error, Result};
use timebridge_sync::PublishResult;
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

/// A day whose pay period's lock is asked for.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct LockArgs {
    #[ts(type = "string")]
    pub date: chrono::NaiveDate,
}

pub fn payroll_period_lock(ctx: &mut Ctx<'_>, args: LockArgs) -> Result<publish::PeriodLock> {
    let now = ctx.now;
    ctx.store()
        .read(|conn| payroll::period_lock(conn, args.date, now))
}

/// A period and a target.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct ReviewArgs {
    #[ts(type = "string | null")]
    #[serde(default)]
    pub date: Option<chrono::NaiveDate>,
    pub target: Target,
}

pub fn payroll_targets(ctx: &mut Ctx<'_>, _: ()) -> Result<Vec<TargetProfile>> {
    ctx.store().read(targets::all)
}

pub fn payroll_review(ctx: &mut Ctx<'_>, args: ReviewArgs) -> Result<PayrollReview> {
    let now = ctx.now;
    ctx.store()
        .read(|conn| payroll::review(conn, args.date, args.target, now))
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct TargetArgs {
    pub target: Target,
}

/// A target's pay item mapping, with what to pick from.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PayrollMapping {
    pub target: TargetProfile,
    /// Every pay ID, mapped or not.
    pub pay_ids: Vec<PayIdRef>,
    /// The target's payroll items (empty where items are typed).
    pub items: Vec<TargetItem>,
    /// Company-wide mappings, then per-employee overrides.
    pub maps: Vec<PayItemMap>,
    /// The employees with overrides, by name.
    pub employees: Vec<NamedEmployee>,
}

/// An employee an override is for.
#[derive(Debug, Clone, Serialize, TS)]
pub struct NamedEmployee {
    pub id: i64,
    pub name: String,
}

pub fn payroll_mapping(ctx: &mut Ctx<'_>, args: TargetArgs) -> Result<PayrollMapping> {
    ctx.store().read(|conn| {
        let target = targets::profile(conn, args.target)?;
        let (_, pay_ids) = payroll::pay_id_book(conn)?;
        let items = match args.target {
            Target::Integration { id } => targets::items(conn, id)?,
            Target::File { .. } => Vec::new(),
        };
        let maps = targets::pay_item_book(conn, args.target)?.all();
        let ids = maps.iter().filter_map(|m| m.employee_id).collect();
        let employees = payroll::employee_labels(conn, &ids)?
            .into_iter()
            .map(|(id, name)| NamedEmployee { id, name })
            .collect();
        Ok(PayrollMapping {
            target,
            pay_ids,
            items,
            maps,
            employees,
        })
    })
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct SetPayItemArgs {
    pub target: Target,
    pub map: PayItemMap,
}

pub fn set_pay_item(ctx: &mut Ctx<'_>, args: SetPayItemArgs) -> Result<Option<PayItemMap>> {
    let (actor, now) = (ctx.actor()?, ctx.now);
    ctx.store()
        .write(|tx| targets::set_pay_item(tx, args.target, &args.map, &actor, now))
}

#[derive(Debug, Clone, Copy, Deserialize, TS)]
pub struct IntegrationArgs {
    pub integration_id: i64,
}

/// Reads the target's payroll items again (they are remembered for
/// offline use).
pub fn refresh_payroll_items(ctx: &mut Ctx<'_>, args: IntegrationArgs) -> Result<Vec<TargetItem>> {
    let engine = ctx.api.engine.clone();
    ctx.api
        .runtime
        .block_on(async move { engine.payroll().refresh_items(args.integration_id).await })
        .map_err(crate::sync_error)
}

#[derive(Debug, Clone, Copy, Deserialize, TS)]
pub struct MatchesArgs {
    pub integration_id: i64,
    pub kind: MatchKind,
}

/// The company's active records of one kind, each with its match at the
/// target (settled, suggested or none), and the target's records to pick.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MatchList {
    pub matches: Vec<RecordMatch>,
    pub records: Vec<TargetRecord>,
}

pub fn payroll_matches(ctx: &mut Ctx<'_>, args: MatchesArgs) -> Result<MatchList> {
    ctx.store().read(|conn| {
        let ids = targets::active_ids(conn, args.kind)?;
        Ok(MatchList {
            matches: targets::matches(conn, args.integration_id, args.kind, &ids)?,
            records: targets::target_records(conn, args.integration_id, args.kind)?,
        })
    })
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct ConfirmMatchArgs {
    pub integration_id: i64,
    pub kind: MatchKind,
    pub local_id: i64,
    /// `None` forgets the match.
    pub external_id: Option<String>,
}

pub fn confirm_match(ctx: &mut Ctx<'_>, args: ConfirmMatchArgs) -> Result<()> {
    let (actor, now) = (ctx.actor()?, ctx.now);
    ctx.store().write(|tx| {
        targets::confirm_match(
            tx,
            args.integration_id,
            args.kind,
            args.local_id,
            args.external_id.as_deref(),
            &actor,
            now,
        )
    })
}

pub fn payroll_file_settings(ctx: &mut Ctx<'_>, _: ()) -> Result<FileSettings> {
    ctx.store().read(files::load)
}

pub fn save_payroll_file_settings(ctx: &mut Ctx<'_>, draft: FileSettings) -> Result<FileSettings> {
    let (actor, now) = (ctx.actor()?, ctx.now);
    ctx.store().write(|tx| files::save(tx, &draft, &actor, now))
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct ExportArgs {
    #[ts(type = "string | null")]
    #[serde(default)]
    pub date: Option<chrono::NaiveDate>,
    pub format: FileFormat,
    /// Where to write it; default: the Downloads folder (else the data
    /// folder's "Payroll files").
    #[serde(default)]
    pub path: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ExportedFile {
    pub path: String,
    pub lines: usize,
    pub seconds: i64,
    #[ts(type = "string")]
    pub period_end: chrono::NaiveDate,
}

pub fn export_payroll(ctx: &mut Ctx<'_>, args: ExportArgs) -> Result<ExportedFile> {
    let (actor, now) = (ctx.actor()?, ctx.now);
    let file = ctx
        .store()
        .read(|conn| payroll::export(conn, args.date, args.format, now))?;
    let path = match args.path.filter(|p| !p.trim().is_empty()) {
        Some(path) => std::path::PathBuf::from(path.trim()),
        None => default_folder(ctx.store().path(), "Payroll files")?.join(&file.file_name),
    };
    files::save_to(&path, &file.bytes)?;
    ctx.store()
        .write(|tx| files::log_export(tx, &actor, &file, now))?;
    Ok(ExportedFile {
        path: path.display().to_string(),
        lines: file.lines,
        seconds: file.seconds,
        period_end: file.period.end,
    })
}

/// Where a file Timebridge saves for the admin goes: Downloads, or else
/// `fallback` in the data folder.
pub(crate) fn default_folder(
    database: &std::path::Path,
    fallback: &str,
) -> Result<std::path::PathBuf> {
    if let Some(downloads) = directories::UserDirs::new()
        .and_then(|d| d.download_dir().map(std::path::Path::to_path_buf))
        .filter(|d| d.is_dir())
    {
        return Ok(downloads);
    }
    let folder = database
        .parent()
        .unwrap_or(std::path::Path::new("."))
        .join(fallback);
    std::fs::create_dir_all(&folder)
        .map_err(|e| Error::io(format!("creating {}", folder.display()), e))?;
    Ok(folder)
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct PublishArgs {
    #[ts(type = "string | null")]
    #[serde(default)]
    pub date: Option<chrono::NaiveDate>,
    pub integration_id: i64,
    /// Publish although staged time entries of the period are not
    /// imported, so the payroll leaves them out (the admin was shown how
    /// many). Without it such a publish is refused, saying so.
    #[serde(default)]
    pub confirm_unimported: bool,
}

/// Publishes the period to an integration: everything the first time,
/// only the changes since after that. Refused while staged time entries
/// of the period are not imported, unless the admin confirmed it.
pub fn publish_payroll(ctx: &mut Ctx<'_>, args: PublishArgs) -> Result<PublishResult> {
    let actor = ctx.actor()?;
    let now = ctx.now;
    let left_out = ctx
        .store()
        .read(|conn| payroll::unimported_for_day(conn, args.date, now))?;
    unimported::check_publish(
        &left_out,
        args.confirm_unimported,
        "confirm publishing without them",
    )?;
    let engine = ctx.api.engine.clone();
    ctx.api
        .runtime
        .block_on(async move {
            engine
                .payroll()
                .publish(args.integration_id, args.date, &actor)
                .await
        })
        .map_err(crate::sync_error)
}

pub fn publication_lines(
    ctx: &mut Ctx<'_>,
    args: super::types::IdArgs,
) -> Result<Vec<PublishedLine>> {
    ctx.store()
        .read(|conn| publish::publication_lines(conn, args.id))
}

/// A publication as it stands, with every line's answer: what the payroll
/// page polls while a publication is being sent (a QuickBooks Desktop one
/// waits for the Web Connector, then fills in batch by batch).
#[derive(Debug, Clone, Serialize, TS)]
pub struct PublicationProgress {
    pub publication: Publication,
    pub lines: Vec<PublishedLine>,
}

pub fn publication_progress(
    ctx: &mut Ctx<'_>,
    args: super::types::IdArgs,
) -> Result<PublicationProgress> {
    ctx.store().read(|conn| {
        Ok(PublicationProgress {
            publication: publish::publication(conn, args.id)?,
            lines: publish::publication_lines(conn, args.id)?,
        })
    })
}

//! CSV files from the window: the preview of an export (its first rows and
//! Timebridge's guess of what each column holds) and the saved layouts the
//! mapping screen and an integration's Settings choose from.
//!
//! Connecting itself is the folder connect (`connect_folder` with platform
//! `csv_files`, the export in `settings.folder` and the layout's name in
//! `settings.csv_layout`).

use std::path::Path;

use timebridge_core::middleware::csv_layouts::{self, CsvLayout, CsvPreview};
use timebridge_core::middleware::integrations;
use timebridge_core::{Error, Result};

use super::types::{CsvLayoutNameArgs, PreviewCsvArgs, SaveCsvLayoutArgs};
use crate::Ctx;

/// Reads the first rows of an export file (or a folder's first export) and
/// guesses its layout; what cannot be read is said on the `path` field.
pub fn preview_csv(_ctx: &mut Ctx<'_>, args: PreviewCsvArgs) -> Result<CsvPreview> {
    let path = args.path.trim();
    if path.is_empty() {
        return Err(Error::invalid(
            "path",
            "Type the full path of an export file, or of the folder the exports are saved in.",
        ));
    }
    timebridge_connectors::csv_files::preview(Path::new(path))
        .map_err(|e| Error::invalid("path", e.message))
}

pub fn list_csv_layouts(ctx: &mut Ctx<'_>, (): ()) -> Result<Vec<CsvLayout>> {
    ctx.store().read(csv_layouts::list)
}

/// Saves a layout (a new one, or the same name again to change it) once
/// every field reads; each bad field is reported on its own. Returns it as
/// saved.
pub fn save_csv_layout(ctx: &mut Ctx<'_>, args: SaveCsvLayoutArgs) -> Result<CsvLayout> {
    let (actor, now) = (ctx.actor()?, ctx.now);
    ctx.store().write(|tx| {
        csv_layouts::save(tx, &args.layout, &actor, now)?;
        csv_layouts::get(tx, args.layout.name.trim())?.ok_or_else(|| {
            Error::Internal(format!("the layout “{}” was not saved", args.layout.name))
        })
    })
}

/// Deletes a saved layout, unless an integration still reads its exports
/// with it.
pub fn delete_csv_layout(ctx: &mut Ctx<'_>, args: CsvLayoutNameArgs) -> Result<()> {
    let (actor, now) = (ctx.actor()?, ctx.now);
    ctx.store().write(|tx| {
        let users: Vec<String> = integrations::list(tx)?
            .into_iter()
            .filter(|i| {
                i.settings
                    .csv_layout
                    .as_deref()
                    .is_some_and(|l| l.eq_ignore_ascii_case(args.name.trim()))
            })
            .map(|i| format!("“{}”", i.name))
            .collect();
        if !users.is_empty() {
            return Err(Error::Conflict(format!(
                "The layout “{}” reads the exports of {}. Choose another layout in that integration's Settings \
                 (or disconnect it) first, then delete this one.",
                args.name.trim(),
                users.join(", ")
            )));
        }
        csv_layouts::delete(tx, args.name.trim(), &actor, now)
    })
}

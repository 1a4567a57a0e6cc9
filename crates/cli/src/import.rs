//! `timebridge import INTEGRATION MODULE (--ids … | --status new)`: staged
//! records into the company's records, with the window's decisions given as
//! flags (link a look-alike, create it new, settle a hand-edit conflict), or
//! `--link-suggested` to take every suggested link, so a run with no one to
//! ask imports everything.
//!
//! It prints one summary line for the whole import (however many chunks it
//! is written in), then what came along, what was skipped (alike reasons
//! together), what is held back for a decision, and how to go on.

use std::collections::BTreeMap;

use chrono::Utc;
use clap::Args;
use timebridge_core::audit::Actor;
use timebridge_core::middleware::import::{
    self, ImportOptions, ImportSummary, LinkChoice, LinkSuggestion, Winner,
};
use timebridge_core::middleware::{Module, integrations};
use timebridge_core::{Error, Store};

use crate::integrations::{Select, selection, to_json};
use crate::names;

/// `timebridge import INTEGRATION MODULE (--ids … | --status new)`.
#[derive(Debug, Args)]
pub struct ImportCommand {
    #[command(flatten)]
    select: Select,
    /// Skip records whose customer, job, employee or task is not imported
    /// yet, instead of importing it along.
    #[arg(long)]
    no_dependencies: bool,
    /// Link staged record S to local record L instead of creating a new
    /// one (S:L, comma-separated), for look-alikes the summary reports.
    #[arg(long, value_delimiter = ',')]
    link: Vec<String>,
    /// Create new local records for these look-alikes (staged ids).
    #[arg(long, value_delimiter = ',')]
    create_new: Vec<i64>,
    /// Link every look-alike not decided with --link or --create-new to
    /// the record it looks like (the summary's suggestions), so nothing is
    /// held back.
    #[arg(long)]
    link_suggested: bool,
    /// Settle hand-edit conflicts of these staged records by keeping the
    /// local values.
    #[arg(long, value_delimiter = ',', conflicts_with = "take_incoming")]
    keep_local: Vec<i64>,
    /// Settle hand-edit conflicts of these staged records by taking the
    /// incoming values.
    #[arg(long, value_delimiter = ',')]
    take_incoming: Vec<i64>,
}

impl ImportCommand {
    fn options(&self) -> Result<ImportOptions, Error> {
        let mut options = ImportOptions {
            include_dependencies: !self.no_dependencies,
            link_suggested: self.link_suggested,
            ..ImportOptions::default()
        };
        for pair in &self.link {
            let parsed = pair
                .split_once(':')
                .and_then(|(s, l)| Some((s.trim().parse().ok()?, l.trim().parse().ok()?)));
            let Some((staged_id, local_id)) = parsed else {
                return Err(Error::invalid(
                    "link",
                    format!("Give --link as STAGED:LOCAL ids, like 12:3 (got {pair:?})."),
                ));
            };
            options
                .links
                .insert(staged_id, LinkChoice::Existing { local_id });
        }
        options.links.extend(
            self.create_new
                .iter()
                .map(|&id| (id, LinkChoice::CreateNew)),
        );
        options
            .resolutions
            .extend(self.keep_local.iter().map(|&id| (id, Winner::Local)));
        options
            .resolutions
            .extend(self.take_incoming.iter().map(|&id| (id, Winner::Incoming)));
        Ok(options)
    }
}

pub fn run(store: &Store, command: ImportCommand, json: bool) -> Result<String, Error> {
    let integration = store.read(|conn| integrations::find(conn, &command.select.integration))?;
    let module = names::module(&command.select.module)?;
    let chosen = selection(command.select.ids.clone(), command.select.status.as_deref())?;
    let options = command.options()?;
    let summary = import::run(
        store,
        integration.id,
        module,
        &chosen,
        &options,
        &Actor::cli(),
        Utc::now(),
    )?;
    if json {
        return to_json(&summary);
    }
    Ok(report(module, &summary))
}

/// At most `shown` of `items`, then "and N more".
fn some_of(items: &[String], shown: usize) -> String {
    let mut text = items
        .iter()
        .take(shown)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > shown {
        text.push_str(&format!(" and {} more", items.len() - shown));
    }
    text
}

/// "Sick (#65) looks like SICK Sick (#5, same code): --link 65:5 or
/// --create-new 65".
fn look_alike(link: &LinkSuggestion) -> String {
    let (staged, local) = (link.staged_id, link.local_id);
    format!(
        "{} (#{staged}) looks like {} (#{local}, same {}): --link {staged}:{local} or --create-new {staged}",
        link.label, link.local_label, link.matched_on
    )
}

/// The import's summary as the command prints it.
fn report(module: Module, summary: &ImportSummary) -> String {
    let behind: std::collections::HashSet<i64> = summary
        .held_back
        .iter()
        .flat_map(|h| h.staged_ids.iter().copied())
        .collect();
    let skipped: Vec<_> = summary
        .skipped
        .iter()
        .filter(|s| !behind.contains(&s.staged_id))
        .collect();
    let held = summary.held_back_count();
    let mut lines = vec![format!(
        "{} created, {} updated, {} linked, {} deactivated, {} already imported, {} skipped, {held} held back.",
        summary.created,
        summary.updated,
        summary.linked,
        summary.deactivated,
        summary.unchanged,
        skipped.len(),
    )];

    let mut along: BTreeMap<&str, (Module, Vec<String>)> = BTreeMap::new();
    for record in &summary.also_imported {
        along
            .entry(record.module.as_str())
            .or_insert_with(|| (record.module, Vec::new()))
            .1
            .push(record.label.clone());
    }
    for (module, labels) in along.values() {
        lines.push(format!(
            "Also imported {}: {}.",
            names::count_of(labels.len(), *module),
            some_of(labels, 5)
        ));
    }

    // Alike reasons together, in the order they were first met.
    let mut reasons: Vec<(&str, Vec<String>)> = Vec::new();
    for skip in skipped {
        let record = format!("#{} {}", skip.staged_id, skip.label);
        match reasons.iter_mut().find(|(r, _)| *r == skip.reason) {
            Some((_, records)) => records.push(record),
            None => reasons.push((&skip.reason, vec![record])),
        }
    }
    for (reason, records) in &reasons {
        lines.push(format!(
            "Skipped {} ({}): {reason}",
            names::count_of(records.len(), module),
            some_of(records, 3)
        ));
    }

    if held > 0 {
        lines.push(format!(
            "Held back {held}, because they look like records already in Timebridge or need one that does:"
        ));
        for link in &summary.needs_link {
            lines.push(format!("  {}", look_alike(link)));
        }
        for held in &summary.held_back {
            lines.push(format!(
                "  {}; {} need this {}",
                look_alike(&held.suggestion),
                names::count_of(held.staged_ids.len(), module),
                names::one_of(held.module)
            ));
        }
        lines.push(
            "Run the import again with --link-suggested to link each to the record it looks like, \
             or decide one by one with --link and --create-new."
                .to_owned(),
        );
    }

    for conflict in &summary.conflicts {
        let fields: Vec<_> = conflict.fields.iter().map(|f| f.field.as_str()).collect();
        lines.push(format!(
            "Not imported: {} (#{}) was edited in Timebridge and at the source ({}). Run again with --keep-local {} or --take-incoming {}.",
            conflict.label, conflict.staged_id, fields.join(", "), conflict.staged_id, conflict.staged_id
        ));
    }
    lines.join("\n")
}

//! Publishing a pay period to a Sage 300 CRE integration: the lines go as
//! an Import Time file written into the integration's import folder, for
//! the admin to import in Sage (Payroll → Tools → Import Time).
//!
//! The publication is recorded first (`publish::begin`: only what earlier
//! files of the period did not hold, negative where hours went down), each
//! line checked against the lists synced from Sage; while any line names an
//! employee, job, extra, cost code, category or pay ID Sage does not have
//! (or has inactive) nothing is recorded and no file written, and each
//! such line is named with what to do. All lines or none: Sage imports a
//! file's good lines and leaves the rest in its error file, so a partly
//! good file would leave the admin two places to reconcile and Timebridge
//! no way to know which lines Sage took.
//!
//! The file, `payroll-<start>-to-<end>-publication-<id>.txt`, is written
//! whole under a temporary name, then linked to its name only if no file
//! has that name: an earlier file is never overwritten. Written is
//! accepted (`publish::finish`), each line's answer the file's name. A
//! publication the app stopped in the middle of is finished first: its
//! file, if already there, was written.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;
use timebridge_core::audit::Actor;
use timebridge_core::middleware::integrations::Integration;
use timebridge_core::payroll::files::{self, SageRow};
use timebridge_core::payroll::periods::PayPeriod;
use timebridge_core::payroll::publish::{self, LineResult, Outgoing, PublicationOutcome};
use timebridge_core::payroll::targets::sage300_cre::{self as sage, SageLists};
use timebridge_core::payroll::targets::{FileFormat, Target};
use timebridge_core::payroll::{self, lines};
use timebridge_core::rusqlite::Connection;
use timebridge_core::{Error, FieldProblem, kill_points};

use super::PublishResult;
use crate::context::blocking;
use crate::error::{SyncError, invalid};
use crate::shared::Shared;

/// The file a publication is written as.
fn file_name(period: PayPeriod, publication_id: i64) -> String {
    format!(
        "payroll-{}-to-{}-publication-{publication_id}.txt",
        period.start, period.end
    )
}

/// The integration's import folder, which must be a folder here.
fn import_folder(integration: &Integration) -> Result<PathBuf, SyncError> {
    let folder = integration
        .settings
        .import_folder
        .as_deref()
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .ok_or_else(|| {
            invalid(
                "import_folder",
                format!(
                    "{} has no import folder. Open its Settings and choose the folder Sage 300 CRE \
                     imports time from, then publish again.",
                    integration.name
                ),
            )
        })?;
    let path = PathBuf::from(folder);
    if !path.is_dir() {
        return Err(invalid(
            "import_folder",
            format!(
                "The import folder “{folder}” of {} is not there. Reconnect the drive, or choose \
                 another in its Settings, then publish again.",
                integration.name
            ),
        ));
    }
    Ok(path)
}

/// Writes `bytes` as `path` whole, and never over a file already there.
fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let partial = path.with_extension("partial");
    let result = (|| {
        // One left by a process stopped while writing it is this
        // publication's, and may be incomplete: it is written again.
        match std::fs::remove_file(&partial) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&partial)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        kill_points::reached("publish.file_partial");
        // A link fails where the name is taken, so nothing is replaced.
        std::fs::hard_link(&partial, path)
    })();
    let _ = std::fs::remove_file(&partial);
    result
}

/// Each outgoing line in Sage's keys, or every line Sage would refuse,
/// named, with what to do.
fn rows(
    conn: &Connection,
    lists: &SageLists,
    outgoing: &Outgoing,
) -> Result<Vec<SageRow>, Vec<FieldProblem>> {
    let named = publish::publication_lines(conn, outgoing.publication_id).unwrap_or_default();
    let mut rows = Vec::new();
    let mut refused = Vec::new();
    for line in &outgoing.lines {
        let keys = lists.keys(
            line.employee_ref.as_deref(),
            line.job_ref.as_deref(),
            line.task_ref.as_deref(),
            &line.item,
        );
        match keys {
            Ok(keys) => rows.push(SageRow {
                date: line.date,
                employee: keys.employee,
                job: keys.job,
                extra: keys.extra,
                cost_code: keys.cost_code,
                category: keys.category,
                pay_id: keys.pay_id,
                seconds: line.seconds,
                cents: line.cents,
                amount: line.bonus_id.is_some(),
            }),
            Err(why) => {
                let who = named
                    .iter()
                    .find(|n| n.line_no == line.line_no)
                    .map_or_else(String::new, |n| {
                        let job = n.job.as_deref().map_or(String::new(), |j| format!(", {j}"));
                        format!("{}, {}{job}, ", n.employee_name, n.date)
                    });
                let amount = match line.bonus_id {
                    Some(_) => format!("{:+.2} $", line.cents as f64 / 100.0),
                    None => format!("{:+.2} h", line.seconds as f64 / 3600.0),
                };
                refused.push(FieldProblem {
                    field: "payroll".into(),
                    message: format!("Line {} ({who}{amount}): {why}.", line.line_no),
                });
            }
        }
    }
    if refused.is_empty() {
        Ok(rows)
    } else {
        Err(refused)
    }
}

/// What one publication did.
struct Written {
    publication: publish::Publication,
    file: Option<String>,
    resumed: bool,
}

/// Records, writes and finishes one publication; `None`: nothing to send.
fn publish_once(
    shared: &Shared,
    integration: &Integration,
    day: Option<NaiveDate>,
    actor: &Actor,
) -> Result<Option<Written>, SyncError> {
    let store = &shared.store;
    let id = integration.id;
    let folder = import_folder(integration)?;
    let settings = store.read(files::load)?;
    settings.check(FileFormat::Sage300Cre)?;
    let now = shared.now();
    // Recorded and checked in one transaction: a refused line rolls the
    // publication back, so nothing is recorded and nothing written.
    let begun = store.write(|tx| {
        let report = payroll::hours_for_day(tx, day, now)?;
        let prepared = lines::prepare(tx, &report, Target::Integration { id })?;
        let lists = sage::lists(tx, id)?;
        if lists.is_empty() {
            return Err(Error::invalid(
                "target",
                format!(
                    "Nothing was synced from {} yet, so its employees, jobs and pay IDs cannot be \
                     checked. Sync it first, then publish.",
                    integration.name
                ),
            ));
        }
        let Some(outgoing) = publish::begin(tx, &prepared, report.period, actor, now)? else {
            return Ok(None);
        };
        let rows = rows(tx, &lists, &outgoing);
        if let (Err(refused), false) = (&rows, outgoing.resumed) {
            return Err(Error::Validation(refused.clone()));
        }
        Ok(Some((outgoing, report.period, rows)))
    })?;
    let Some((outgoing, period, rows)) = begun else {
        return Ok(None);
    };
    kill_points::reached("publish.recorded");
    let name = file_name(period, outgoing.publication_id);
    let path = folder.join(&name);
    let failure = match rows {
        // A publication the app stopped in the middle of, whose lines Sage
        // no longer has what for: it fails, and the next publish sends them
        // again once they are fixed.
        Err(refused) if !path.exists() => Some(format!(
            "Sage 300 CRE does not have what these lines name; no file was written. {}",
            refused
                .iter()
                .map(|p| p.message.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        )),
        Ok(rows) if !(outgoing.resumed && path.exists()) => {
            let text = files::import_time(&settings.sage300_cre, period, &rows);
            write_new(&path, text.as_bytes()).err().map(|e| {
                format!(
                    "The Import Time file could not be written to {} ({e}). Check that the folder \
                     can be written to, then publish again.",
                    path.display()
                )
            })
        }
        // Written before the app stopped.
        _ => None,
    };
    kill_points::reached("publish.sent");
    let results: Vec<LineResult> = match failure {
        Some(_) => Vec::new(),
        None => outgoing
            .lines
            .iter()
            .map(|l| LineResult {
                line_no: l.line_no,
                accepted: true,
                remote_id: Some(name.clone()),
                edit_sequence: None,
                message: None,
            })
            .collect(),
    };
    let publication = store.write(|tx| {
        publish::finish(
            tx,
            outgoing.publication_id,
            &results,
            failure.as_deref(),
            actor,
            shared.now(),
        )
    })?;
    Ok(Some(Written {
        publication,
        file: failure.is_none().then_some(name),
        resumed: outgoing.resumed,
    }))
}

/// Publishes the pay period containing `day` to Sage 300 CRE integration
/// `integration` as Import Time files: a publication the app stopped in
/// the middle of first, then what changed since.
pub(super) async fn publish(
    shared: Arc<Shared>,
    integration: Integration,
    day: Option<NaiveDate>,
    actor: Actor,
) -> Result<PublishResult, SyncError> {
    blocking("writing the Import Time file", move || {
        let mut publications = Vec::new();
        let mut written = None;
        for _ in 0..2 {
            let Some(done) = publish_once(&shared, &integration, day, &actor)? else {
                break;
            };
            let ok = done.publication.outcome == PublicationOutcome::Sent;
            if done.file.is_some() {
                written = done.file.clone().map(|f| (f, done.publication.clone()));
            }
            publications.push(done.publication);
            if !done.resumed || !ok {
                break;
            }
        }
        let settings = shared.store.read(files::load)?;
        let mut message = match (publications.last(), &written) {
            (None, _) => format!(
                "Nothing to publish: the Import Time files already written for {} hold every hour \
                 of this period. No file was written.",
                integration.name
            ),
            (Some(last), Some((file, publication))) if last.outcome == PublicationOutcome::Sent => {
                let folder = integration
                    .settings
                    .import_folder
                    .clone()
                    .unwrap_or_default();
                format!(
                    "Wrote {file} ({} lines, {}) into {folder}. In Sage 300 CRE: Payroll → \
                     Tools → Import Time, choose {file} as the import file, the Time Entry View \
                     with the columns {}, and Period End Date {}; name an error file for any line \
                     Sage refuses.",
                    publication.lines,
                    publication.accepted_said(),
                    files::view_names(&settings.sage300_cre).join(", "),
                    files::sage_date(publication.period.end),
                )
            }
            (Some(last), _) => last
                .message
                .clone()
                .unwrap_or_else(|| "The Import Time file was not written.".into()),
        };
        // The next step stays with the publication, for its history.
        if let Some((_, publication)) = &written
            && publications.last().is_some_and(|l| l.id == publication.id)
        {
            let noted = shared
                .store
                .write(|tx| publish::add_note(tx, publication.id, &message))?;
            message = noted.message.clone().unwrap_or(message);
            if let Some(last) = publications.last_mut() {
                *last = noted;
            }
        }
        Ok(PublishResult {
            nothing_to_send: publications.is_empty(),
            publications,
            message,
        })
    })
    .await
}

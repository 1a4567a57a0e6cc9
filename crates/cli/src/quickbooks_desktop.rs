//! QuickBooks Desktop on the command line, where only the QuickBooks Web
//! Connector can start an update: `sync` answers it until its next update
//! has ended; `payroll publish --wait-minutes N` queues the publication and
//! answers it until the publication is through, printing progress and then
//! each line's answer (TxnID and EditSequence, or what QuickBooks refused);
//! `payroll publishing on|off` turns publishing into the company file on or
//! off and saves the new `.qwc` file. Progress goes to standard error,
//! results to standard output; no password is ever printed.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use timebridge_commands::sync_error;
use timebridge_core::audit::Actor;
use timebridge_core::middleware::integrations::{self, Integration};
use timebridge_core::middleware::runs;
use timebridge_core::payroll::publish::{self, Publication, PublicationOutcome, PublishedLine};
use timebridge_core::payroll::unimported::UnimportedStaged;
use timebridge_core::{Error, Store};
use timebridge_sync::Engine;

use crate::integrations::{StreamLines, engine, report, runtime, to_json};
use crate::table::Table;

/// How often the database is looked at while the Web Connector works.
const POLL: Duration = Duration::from_millis(100);

/// How long, at the end, the Web Connector's last call may take to be
/// answered before the command ends anyway.
const ANSWER_WAIT: Duration = Duration::from_secs(5);

/// Answers the Web Connector at the connection's address from this
/// process, and says so (the address, then how to start an update).
async fn answer(engine: &Engine, integration: &Integration) -> Result<String, Error> {
    let wanted = integration
        .settings
        .base_url
        .clone()
        .unwrap_or_else(|| timebridge_connectors::quickbooks_desktop::DEFAULT_URL.to_owned());
    let url = engine
        .web_connector()
        .listen(&wanted)
        .await
        .map_err(sync_error)?;
    eprintln!("Timebridge answers the Web Connector at {url}");
    if let Some(hint) = timebridge_sync::web_connector_hint(integration) {
        eprintln!("{hint} Waiting…");
    }
    Ok(url)
}

/// `timebridge sync` of a QuickBooks Desktop connection: answers the Web
/// Connector until the run of its next update ends (or `wait` passes),
/// then prints the run like any other sync.
pub fn sync(
    store: Arc<Store>,
    integration: &Integration,
    wait: Duration,
    json: bool,
) -> Result<String, Error> {
    let engine = engine(store.clone());
    let id = integration.id;
    let before = store.read(|conn| runs::latest(conn, id))?.map(|r| r.id);
    runtime()?.block_on(async {
        let mut progress = engine.runs().subscribe();
        let mut streams = StreamLines::default();
        answer(&engine, integration).await?;
        let deadline = Instant::now() + wait;
        loop {
            let latest = store.read(|conn| runs::latest(conn, id))?;
            if let Some(run) =
                latest.filter(|r| Some(r.id) != before && r.outcome != runs::RunOutcome::Running)
            {
                while let Ok(p) = progress.try_recv() {
                    streams.saw(&p);
                }
                streams.finish();
                engine.web_connector().all_answered(ANSWER_WAIT).await;
                return report(&integration.name, &run, json);
            }
            if Instant::now() > deadline {
                return Err(Error::Source(format!(
                    "The Web Connector did not update {} within {} minutes. Check it can reach \
                     this computer, click Update Selected, and run this again.",
                    integration.name,
                    wait.as_secs() / 60
                )));
            }
            tokio::select! {
                Ok(p) = progress.recv() => streams.saw(&p),
                () = tokio::time::sleep(POLL) => {}
            }
        }
    })
}

/// `timebridge payroll publish --to` a QuickBooks Desktop connection:
/// queues the period's publication; with `wait`, answers the Web Connector
/// until it is through. Fails when the wait ends first or QuickBooks
/// refused lines (the answers are printed all the same).
pub fn publish(
    store: Arc<Store>,
    integration: &Integration,
    day: Option<NaiveDate>,
    wait: Option<Duration>,
    left_out: &UnimportedStaged,
    json: bool,
) -> Result<String, Error> {
    let engine = engine(store.clone());
    runtime()?.block_on(async {
        let result = engine
            .payroll()
            .publish(integration.id, day, &Actor::cli())
            .await
            .map_err(sync_error)?;
        let mut message = result.message.clone();
        if !left_out.is_empty() {
            message.push_str(&format!("\nLeft out as confirmed: {}", left_out.describe()));
        }
        let (Some(queued), Some(wait)) = (result.publications.last(), wait) else {
            if json {
                return to_json(&result);
            }
            if !result.nothing_to_send {
                message.push_str(&format!(
                    "\nTo send it from this computer without the app, run `timebridge sync \"{}\" \
                     --wait-minutes 30` and click Update Selected in the Web Connector.",
                    integration.name
                ));
            }
            return Ok(message);
        };
        eprintln!("{message}");
        answer(&engine, integration).await?;
        let deadline = Instant::now() + wait;
        let publication = sent(&store, queued.id, deadline).await?.ok_or_else(|| {
            let now = store
                .read(|conn| publish::publication(conn, queued.id))
                .ok();
            Error::Source(format!(
                "The Web Connector did not send the publication within {} minutes ({} of {} lines \
                 answered). It still waits and goes at the Web Connector's next update while \
                 Timebridge answers it (the app, or `timebridge sync \"{}\"`).",
                wait.as_secs() / 60,
                now.as_ref().map_or(0, answered),
                queued.lines,
                integration.name
            ))
        })?;
        // The same update goes on to read the lists: let it finish.
        while engine.runs().is_running(integration.id) && Instant::now() < deadline {
            tokio::time::sleep(POLL).await;
        }
        engine.web_connector().all_answered(ANSWER_WAIT).await;
        let lines = store.read(|conn| publish::publication_lines(conn, publication.id))?;
        let printed = if json {
            to_json(serde_json::json!({"publication": publication, "lines": lines}))?
        } else {
            answers(&publication, &lines)
        };
        if publication.outcome == PublicationOutcome::Sent {
            return Ok(printed);
        }
        let _ = writeln!(std::io::stdout(), "{printed}");
        Err(Error::Source(publication.message.clone().unwrap_or_else(|| {
            format!(
                "QuickBooks refused {} of {} lines (see each line's answer). Fix what they say and \
                 publish again to send them.",
                publication.rejected_lines, publication.lines
            )
        })))
    })
}

fn answered(publication: &Publication) -> i64 {
    publication.accepted_lines + publication.rejected_lines
}

/// Waits for publication `id` to be finished, saying on standard error
/// how many lines are answered as that changes; `None` once `deadline`
/// passes first.
async fn sent(store: &Store, id: i64, deadline: Instant) -> Result<Option<Publication>, Error> {
    let mut told = None;
    loop {
        let publication = store.read(|conn| publish::publication(conn, id))?;
        let finished = publication.outcome != PublicationOutcome::Sending;
        // Once handed to QuickBooks, each new count; and the last one.
        let now = (publication.attempts > 0 || finished).then(|| answered(&publication));
        if now.is_some() && now != told {
            eprintln!(
                "  {} of {} lines answered",
                answered(&publication),
                publication.lines
            );
            told = now;
        }
        if finished {
            return Ok(Some(publication));
        }
        if Instant::now() > deadline {
            return Ok(None);
        }
        tokio::time::sleep(POLL).await;
    }
}

/// A finished publication's lines with QuickBooks' answer to each, and a
/// line saying how it went.
fn answers(publication: &Publication, lines: &[PublishedLine]) -> String {
    let mut table = Table::new([
        "#",
        "Employee",
        "Date",
        "Job",
        "Item",
        "Hours",
        "TxnID",
        "EditSequence",
        "Answer",
    ]);
    for line in lines {
        table.row([
            line.line_no.to_string(),
            line.employee_name.clone(),
            line.date.to_string(),
            line.job.clone().unwrap_or_default(),
            line.item.clone(),
            format!("{:.2}", line.seconds as f64 / 3600.0),
            line.remote_id.clone().unwrap_or_default(),
            line.edit_sequence.clone().unwrap_or_default(),
            match line.accepted {
                Some(true) => "accepted".to_owned(),
                Some(false) => format!("refused: {}", line.message.as_deref().unwrap_or("")),
                None => "not answered".to_owned(),
            },
        ]);
    }
    format!(
        "{}\n{} of {} lines accepted by {}{}.",
        table.render(),
        publication.accepted_lines,
        publication.lines,
        publication.target_name,
        match publication.rejected_lines {
            0 => String::new(),
            n => format!(", {n} refused"),
        }
    )
}

/// `timebridge payroll publishing on|off`: turns publishing into QuickBooks
/// on or off for a connection and saves its `.qwc` file in `folder`; says
/// where and what to do in the Web Connector.
pub fn set_publishing(
    store: Arc<Store>,
    which: &str,
    on: bool,
    folder: &Path,
    json: bool,
) -> Result<String, Error> {
    let integration = store.read(|conn| integrations::find(conn, which))?;
    let folder = std::path::absolute(folder).unwrap_or_else(|_| folder.to_path_buf());
    let path = engine(store.clone())
        .web_connector()
        .set_publishing(integration.id, on, &folder, &Actor::cli())
        .map_err(sync_error)?;
    let integration = store.read(|conn| integrations::get(conn, integration.id))?;
    let next_step = timebridge_commands::publishing_next_step(&integration, &path);
    if json {
        return to_json(serde_json::json!({
            "integration": integration, "qwc_path": path, "next_step": next_step,
        }));
    }
    Ok(format!("Saved {}\n{next_step}", path.display()))
}

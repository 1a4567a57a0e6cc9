//! `timebridge connect quickbooks-desktop`: answers the QuickBooks Web
//! Connector from this process until its first update has connected and
//! read the lists, printing what to do and any refused sign-in on stderr.

use std::sync::Arc;
use std::time::{Duration, Instant};

use timebridge_commands::sync_error;
use timebridge_core::middleware::runs::{self, RunOutcome};
use timebridge_core::{Error, Store};
use timebridge_sync::{ConnectState, WebConnectorRequest};

use super::{engine, runtime, to_json};

pub fn connect(
    store: Arc<Store>,
    request: WebConnectorRequest,
    wait: Duration,
    json: bool,
) -> Result<String, Error> {
    let engine = engine(store.clone());
    runtime()?.block_on(async move {
        let started = engine
            .web_connector()
            .begin_connect(request)
            .await
            .map_err(sync_error)?;
        eprintln!(
            "Timebridge answers the Web Connector at {}\n\
             Saved {}\n\
             On the computer with QuickBooks (with the company file open): open the Web Connector, \
             click Add an application and choose that file, type the password into Timebridge's \
             Password field, tick it and click Update Selected. Waiting…",
            started.app_url,
            started.qwc_path.display()
        );
        let deadline = Instant::now() + wait;
        let mut told = None;
        let integration = loop {
            match engine.web_connector().connect_state(&started.flow) {
                Some(ConnectState::Connected(integration)) => break integration,
                Some(ConnectState::Waiting { refused }) => {
                    if refused.is_some() && refused != told {
                        eprintln!("{}", refused.as_deref().unwrap_or_default());
                        told = refused;
                    }
                }
                Some(ConnectState::Failed(error)) => return Err(Error::Source(error.to_string())),
                Some(ConnectState::Cancelled) | None => {
                    return Err(Error::Source("The connection was cancelled.".into()));
                }
            }
            if Instant::now() > deadline {
                engine.web_connector().cancel_connect(&started.flow);
                return Err(Error::Source(format!(
                    "The Web Connector did not update within {} minutes, so nothing was saved. Check the \
                     Web Connector can reach {} and run this again.",
                    wait.as_secs() / 60,
                    started.app_url
                )));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        eprintln!("Connected {}; reading its lists…", integration.name);
        // The same update goes on to read the lists: answer it to the end.
        let run = loop {
            let run = store.read(|conn| runs::latest(conn, integration.id))?;
            match run {
                Some(run) if run.outcome != RunOutcome::Running => break run,
                _ if Instant::now() > deadline => {
                    return Err(Error::Source(
                        "The Web Connector's first update did not finish in time. The connection is \
                         saved; click Update Selected in the Web Connector while the app runs."
                            .into(),
                    ));
                }
                _ => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        };
        // Answer the update's last call before this process ends.
        engine
            .web_connector()
            .all_answered(Duration::from_secs(5))
            .await;
        if json {
            return to_json(serde_json::json!({"integration": integration, "run": run}));
        }
        let mut lines = vec![format!(
            "Connected {} (id {}) and read it: {:?}",
            integration.name, integration.id, run.outcome
        )];
        for (module, c) in &run.counts {
            lines.push(format!("  {module:<14} {:>7} new", c.new));
        }
        if let Some(message) = &run.error_message {
            lines.push(format!("  {message}"));
        }
        Ok(lines.join("\n"))
    })
}

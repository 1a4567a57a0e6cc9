//! Publishing payroll to an integration, and reading its payroll items:
//! the engine's payroll role.
//!
//! The publication and its lines are recorded before anything is sent and
//! the answers after, each in its own transaction (see
//! `timebridge_core::payroll::publish`), so a crash or a cut network never
//! loses or doubles hours.

use std::sync::Arc;

use chrono::NaiveDate;
use serde::Serialize;
use timebridge_connectors::payroll as wire;
use timebridge_connectors::{ConnectorError, Http};
use timebridge_core::audit::Actor;
use timebridge_core::kill_points;
use timebridge_core::middleware::integrations::{self, Integration};
use timebridge_core::payroll::publish::{self, Publication};
use timebridge_core::payroll::targets::{self, Target, TargetItem};
use timebridge_core::payroll::{self, lines, synced_items};
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

use timebridge_core::platforms::Platform;

use crate::access::{connector_of, platform_http};
use crate::error::{SyncError, invalid};
use crate::shared::Shared;

mod quickbooks_desktop;
mod sage300_cre;

/// What a publish did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PublishResult {
    /// The publications made, in order (a publication interrupted earlier
    /// is finished first).
    pub publications: Vec<Publication>,
    /// Nothing differed from what the target already has.
    pub nothing_to_send: bool,
    /// In words, for the admin.
    pub message: String,
}

/// Publishing payroll to integrations that receive it, and reading their
/// payroll items. Obtained from `Engine::payroll`.
#[derive(Clone)]
pub struct Payroll {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for Payroll {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Payroll").finish_non_exhaustive()
    }
}

impl Payroll {
    pub(crate) fn of(shared: Arc<Shared>) -> Payroll {
        Payroll { shared }
    }

    async fn target_http(&self, integration: &Integration) -> Result<Http, SyncError> {
        if !integration.publishes_payroll() {
            return Err(invalid(
                "target",
                format!(
                    "{} does not receive payroll. Publish to another target, or export a payroll file.",
                    integration.name
                ),
            ));
        }
        platform_http(&self.shared, integration, connector_of(integration)?).await
    }

    /// Reads integration `id`'s payroll items and remembers them, so the
    /// mapping can be picked from them offline later. QuickBooks Desktop's
    /// are its wage payroll items, as the last Web Connector update read
    /// them.
    pub async fn refresh_items(&self, id: i64) -> Result<Vec<TargetItem>, SyncError> {
        let store = &self.shared.store;
        let integration = store.read(|c| integrations::get(c, id))?;
        if integration.known_platform() == Some(Platform::Sage300Cre) {
            // Its pay IDs are a synced list.
            return Ok(store.read(|c| targets::items(c, id))?);
        }
        if integration.known_platform() == Some(Platform::QuickBooksDesktop) {
            return Ok(store.write(|tx| {
                let items = synced_items::synced_items(tx, id)?;
                targets::save_items(tx, id, &items)?;
                Ok(items)
            })?);
        }
        let http = self.target_http(&integration).await?;
        let items = wire::payroll_items(&http, &CancellationToken::new()).await?;
        store.write(|tx| targets::save_items(tx, id, &items))?;
        Ok(items)
    }

    /// Publishes the pay period containing `day` to integration `id`:
    /// only what it does not have yet.
    pub async fn publish(
        &self,
        id: i64,
        day: Option<NaiveDate>,
        actor: &Actor,
    ) -> Result<PublishResult, SyncError> {
        let store = &self.shared.store;
        let integration = store.read(|c| integrations::get(c, id))?;
        if integration.known_platform() == Some(Platform::Sage300Cre) {
            return sage300_cre::publish(self.shared.clone(), integration, day, actor.clone())
                .await;
        }
        if integration.known_platform() == Some(Platform::QuickBooksDesktop) {
            return quickbooks_desktop::queue(&self.shared, &integration, day, actor);
        }
        let target = Target::Integration { id };
        let mut publications = Vec::new();
        // A publication the app stopped in the middle of goes first; then
        // whatever changed since.
        for _ in 0..2 {
            let now = self.shared.now();
            let outgoing = store.write(|tx| {
                let report = payroll::hours_for_day(tx, day, now)?;
                let prepared = lines::prepare(tx, &report, target)?;
                publish::begin(tx, &prepared, report.period, actor, now)
            })?;
            let Some(outgoing) = outgoing else {
                break;
            };
            kill_points::reached("publish.recorded");
            let (results, failure): (_, Option<String>) = match self.target_http(&integration).await
            {
                Ok(http) => {
                    let (results, failure) =
                        wire::send_time(&http, &outgoing.lines, &CancellationToken::new()).await;
                    (results, failure.map(|e: ConnectorError| e.message))
                }
                Err(error) => (Vec::new(), Some(error.to_string())),
            };
            kill_points::reached("publish.sent");
            let failure = failure.map(|message| {
                format!(
                    "{message} The lines not answered are sent again when you publish again; {} recognises any it already has.",
                    integration.name
                )
            });
            let publication = store.write(|tx| {
                publish::finish(
                    tx,
                    outgoing.publication_id,
                    &results,
                    failure.as_deref(),
                    actor,
                    self.shared.now(),
                )
            })?;
            let resumed = outgoing.resumed;
            publications.push(publication);
            if !resumed || failure.is_some() {
                break;
            }
        }
        let nothing_to_send = publications.is_empty();
        let message = match publications.last() {
            None => format!(
                "Nothing to send: {} already has every hour of this period.",
                integration.name
            ),
            Some(last) => match last.outcome {
                publish::PublicationOutcome::Sent => format!(
                    "{} accepted all {} lines ({}).",
                    integration.name,
                    last.lines,
                    last.accepted_said()
                ),
                _ => last
                    .message
                    .clone()
                    .unwrap_or_else(|| format!("{} did not accept every line.", integration.name)),
            },
        };
        Ok(PublishResult {
            publications,
            nothing_to_send,
            message,
        })
    }
}

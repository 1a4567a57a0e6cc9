//! Publishing to QuickBooks Desktop: QuickBooks is reached only when the
//! Web Connector calls, so publishing records the publication and leaves
//! it waiting; the Web Connector's next update sends it (see
//! `web_connector::publish`). Publishing must be turned on for the
//! connection first: its `.qwc` then asks QuickBooks for read-write access.

use std::sync::Arc;

use chrono::NaiveDate;
use timebridge_core::audit::Actor;
use timebridge_core::middleware::integrations::Integration;
use timebridge_core::payroll::publish;
use timebridge_core::payroll::targets::Target;
use timebridge_core::payroll::{self, lines};

use super::PublishResult;
use crate::error::{SyncError, invalid};
use crate::shared::Shared;
use crate::web_connector::publish::waiting_message;

/// Records the publication of the period containing `day` for the Web
/// Connector's next update, or says the one recorded before still waits.
pub(super) fn queue(
    shared: &Arc<Shared>,
    integration: &Integration,
    day: Option<NaiveDate>,
    actor: &Actor,
) -> Result<PublishResult, SyncError> {
    let publishing = integration
        .settings
        .web_connector
        .as_ref()
        .is_some_and(|w| w.publishing);
    if !publishing {
        return Err(invalid(
            "target",
            format!(
                "Publishing into QuickBooks is off for {}: its .qwc file asks QuickBooks for \
                 read-only access. Turn publishing on for this connection (Integrations → {} → \
                 Publish payroll here, or `timebridge payroll publishing on`), add the new .qwc \
                 file to the Web Connector and allow access in QuickBooks, then publish again.",
                integration.name, integration.name
            ),
        ));
    }
    let target = Target::Integration { id: integration.id };
    let now = shared.now();
    let waiting = waiting_message(&integration.name);
    let queued = shared.store.write(|tx| {
        let report = payroll::hours_for_day(tx, day, now)?;
        let prepared = lines::prepare(tx, &report, target)?;
        let Some(outgoing) = publish::begin(tx, &prepared, report.period, actor, now)? else {
            return Ok(None);
        };
        if !outgoing.resumed {
            publish::set_message(tx, outgoing.publication_id, &waiting)?;
        }
        Ok(Some((
            outgoing.resumed,
            publish::publication(tx, outgoing.publication_id)?,
        )))
    })?;
    let Some((already, publication)) = queued else {
        return Ok(PublishResult {
            publications: Vec::new(),
            nothing_to_send: true,
            message: format!(
                "Nothing to send: {} already has every hour of this period.",
                integration.name
            ),
        });
    };
    let hours = |seconds: i64| seconds as f64 / 3600.0;
    let message = if already {
        format!(
            "A publication of this period to {} is already on its way ({} lines). Changes made \
             since are sent as a correction once it is through. {}",
            integration.name,
            publication.lines,
            publication.message.clone().unwrap_or(waiting)
        )
    } else {
        let seconds = shared
            .store
            .read(|c| publish::publication_lines(c, publication.id))?
            .iter()
            .map(|l| l.seconds)
            .sum::<i64>();
        format!(
            "{} lines ({:+.2} h) are ready for {}. {waiting}",
            publication.lines,
            hours(seconds),
            integration.name
        )
    };
    Ok(PublishResult {
        publications: vec![publication],
        nothing_to_send: false,
        message,
    })
}

//! What to tell someone who asks Timebridge to sync QuickBooks Desktop,
//! which only the Web Connector can start.

use timebridge_core::middleware::integrations::Integration;

/// For an integration synced by the QuickBooks Web Connector, which
/// Timebridge cannot call: how to start an update.
pub fn web_connector_hint(integration: &Integration) -> Option<String> {
    timebridge_connectors::through_web_connector(&integration.platform).then(|| {
        let app = integration
            .settings
            .web_connector
            .as_ref()
            .map(|w| w.app_name.clone())
            .filter(|a| !a.is_empty())
            .unwrap_or_else(|| "Timebridge".into());
        format!(
            "{} syncs when the QuickBooks Web Connector calls Timebridge. On the computer with \
                 QuickBooks, open the Web Connector, tick “{app}” and click Update Selected; \
                 it also updates on its own every {} minutes.",
            integration.name, integration.settings.interval_minutes,
        )
    })
}

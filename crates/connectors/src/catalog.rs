//! Every platform Timebridge knows, for the Integrations overview: what it
//! can sync, whether it can receive payroll, how it signs in, and whether
//! this version can connect to it yet, all read from the platform table
//! (`timebridge_core::platforms`).

use serde::Serialize;
use timebridge_core::middleware::Module;
use timebridge_core::platforms::Platform;
use ts_rs::TS;

use crate::AuthKind;

/// A platform as the overview lists it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PlatformListing {
    pub id: Platform,
    pub name: String,
    pub description: String,
    pub auth: Vec<AuthKind>,
    /// What it can sync.
    pub modules: Vec<Module>,
    /// Whether it can receive payroll.
    pub publishes_payroll: bool,
    /// This version can connect to it.
    pub available: bool,
    /// Demo data, not a real account.
    pub demo: bool,
}

impl PlatformListing {
    pub fn of(platform: Platform) -> PlatformListing {
        let row = platform.capabilities();
        PlatformListing {
            id: platform,
            name: row.name.to_owned(),
            description: row.description.to_owned(),
            auth: row.auth.to_vec(),
            modules: row.modules.to_vec(),
            publishes_payroll: platform.receives_payroll(),
            available: platform.syncs(),
            demo: row.demo,
        }
    }
}

/// The platforms, in the order the overview lists them.
pub fn platforms() -> Vec<PlatformListing> {
    Platform::ALL.into_iter().map(PlatformListing::of).collect()
}

#[cfg(test)]
mod tests {
    use timebridge_core::payroll::targets;

    use super::*;
    use crate::connector_of;

    #[test]
    fn the_overview_lists_what_it_showed_before_the_table() {
        let shown: Vec<_> = platforms()
            .into_iter()
            .map(|p| (p.id.id(), p.publishes_payroll, p.available, p.demo))
            .collect();
        assert_eq!(
            shown,
            [
                ("sandbox", true, true, true),
                ("quickbooks_time", false, true, false),
                ("busybusy", false, true, false),
                ("aspire", false, true, false),
                ("clockshark", false, true, false),
                ("quickbooks_desktop", true, true, false),
                ("sage300_cre", true, true, false),
                ("csv_files", false, true, false),
            ],
            "every platform's payroll, availability and demo marks: QuickBooks Desktop and Sage 300 CRE now receive payroll, and Sage connects"
        );
    }

    #[test]
    fn the_overview_and_the_payroll_targets_agree_on_every_platform_that_connects() {
        for platform in Platform::ALL.into_iter().filter(|p| p.syncs()) {
            assert_eq!(
                PlatformListing::of(platform).publishes_payroll,
                targets::platform_publishes(platform.id()),
                "{platform}: the overview offers payroll exactly where publishing goes"
            );
        }
    }

    #[test]
    fn every_platform_that_syncs_has_the_connector_of_the_platform_it_is_read_as() {
        for platform in Platform::ALL {
            let read_as = platform.capabilities().read_as;
            assert_eq!(
                connector_of(platform).map(|c| c.info().platform),
                read_as,
                "{platform} is read by its declared connector, or by none"
            );
        }
    }

    /// A Sandbox saved with `settings` (JSON, as stored).
    fn sandbox(
        settings: serde_json::Value,
    ) -> timebridge_core::middleware::integrations::Integration {
        timebridge_core::middleware::integrations::Integration {
            id: 1,
            platform: Platform::Sandbox.id().to_owned(),
            name: "Sandbox (demo data)".to_owned(),
            settings: serde_json::from_value(settings).expect("settings as stored"),
            is_sync_source: true,
            sync_enabled: true,
            publish_target: false,
            created_at: chrono::Utc::now(),
            next_sync_at: None,
        }
    }

    #[test]
    fn a_sandbox_is_read_by_the_connector_of_its_demo_company() {
        let read: Vec<_> = [
            serde_json::json!({"pull_from": "2026-01-01"}),
            serde_json::json!({"pull_from": "2026-01-01", "sandbox_company": "quickbooks_time"}),
            serde_json::json!({"pull_from": "2026-01-01", "sandbox_company": "busybusy"}),
        ]
        .into_iter()
        .map(|settings| crate::integration_connector(&sandbox(settings)).map(|c| c.info().platform))
        .collect();
        assert_eq!(
            read,
            [
                Some(Platform::QuickBooksTime),
                Some(Platform::QuickBooksTime),
                Some(Platform::Busybusy),
            ],
            "a Sandbox saved before the choice is QuickBooks Time; a chosen company is read by its own connector"
        );
    }

    #[test]
    fn a_connectors_name_is_its_platforms() {
        for platform in Platform::ALL.into_iter().filter(|p| p.syncs()) {
            let info = connector_of(platform).expect("a connector").info();
            assert_eq!(
                info.name,
                info.platform.name(),
                "messages name the platform as the table does"
            );
        }
    }
}

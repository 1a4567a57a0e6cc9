//! Which integrations payroll can be published to. QuickBooks Desktop gets
//! payroll files until hours can go through the Web Connector as
//! TimeTrackingAdd: until then it is not offered as a target, and a publish
//! to it is refused before anything is sent.

use crate::common;

use timebridge_core::middleware::integrations::{self, IntegrationSettings};
use timebridge_core::payroll::targets::{self, Target};

fn connect(t: &common::TestStore, platform: &str, name: &str) -> i64 {
    t.store
        .write(|tx| {
            integrations::create(
                tx,
                platform,
                name,
                &IntegrationSettings::defaults(common::now()),
                &common::admin(),
                common::now(),
            )
        })
        .expect("connected")
        .id
}

#[test]
fn quickbooks_desktop_is_not_offered_as_a_payroll_target_until_it_can_receive_hours() {
    let t = common::store();
    let desktop = connect(&t, "quickbooks_desktop", "Yard Office");
    let sandbox = connect(&t, "sandbox", "Sandbox");

    let offered: Vec<Option<i64>> = t
        .store
        .read(targets::all)
        .expect("targets")
        .into_iter()
        .map(|p| p.target.integration_id())
        .collect();

    assert!(
        !offered.contains(&Some(desktop)),
        "publishing to QuickBooks Desktop would send the Sandbox's JSON to the Web Connector listener"
    );
    assert!(
        offered.contains(&Some(sandbox)),
        "the Sandbox still receives payroll"
    );
}

#[test]
fn a_publish_to_quickbooks_desktop_is_refused_with_the_file_to_use_instead() {
    let t = common::store();
    let desktop = connect(&t, "quickbooks_desktop", "Yard Office");

    let refused = t
        .store
        .read(|c| targets::profile(c, Target::Integration { id: desktop }))
        .expect_err("not a target");

    assert!(
        refused.to_string().contains("export a payroll file"),
        "the message says what to do instead: {refused}"
    );
}

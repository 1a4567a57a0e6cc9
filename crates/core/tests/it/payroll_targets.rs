//! Which integrations payroll can be published to: the platforms that
//! receive it (the Sandbox, and QuickBooks Desktop through the Web
//! Connector's time-tracking entries) are offered as targets; one that
//! does not is refused before anything is sent, with what to do instead.

use crate::common;

use timebridge_core::middleware::integrations::{self, IntegrationSettings};
use timebridge_core::payroll::targets::{self, QUICKBOOKS_LIMITS, RecordRefs, Target};

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
fn quickbooks_desktop_is_offered_as_a_payroll_target_beside_the_sandbox() {
    let t = common::store();
    let desktop = connect(&t, "quickbooks_desktop", "Yard Office");
    let sandbox = connect(&t, "sandbox", "Sandbox");
    let source = connect(&t, "quickbooks_time", "QuickBooks Time");

    let offered: Vec<Option<i64>> = t
        .store
        .read(targets::all)
        .expect("targets")
        .into_iter()
        .map(|p| p.target.integration_id())
        .collect();

    assert!(
        offered.contains(&Some(desktop)),
        "QuickBooks Desktop receives hours through the Web Connector"
    );
    assert!(
        offered.contains(&Some(sandbox)),
        "the Sandbox still receives payroll"
    );
    assert!(
        !offered.contains(&Some(source)),
        "QuickBooks Time does not receive payroll"
    );
}

#[test]
fn quickbooks_desktop_takes_its_own_records_and_its_name_limits() {
    let t = common::store();
    let desktop = connect(&t, "quickbooks_desktop", "Yard Office");

    let profile = t
        .store
        .read(|c| targets::profile(c, Target::Integration { id: desktop }))
        .expect("a target");

    assert_eq!(
        profile.refs,
        RecordRefs::External,
        "lines name QuickBooks' own employees, jobs and items"
    );
    assert!(
        profile.needs_item && profile.has_item_list,
        "every pay ID needs a wage payroll item from QuickBooks' list"
    );
    assert_eq!(profile.limits, QUICKBOOKS_LIMITS, "QuickBooks' name limits");
}

#[test]
fn a_publish_to_a_platform_that_does_not_receive_payroll_says_what_to_do_instead() {
    let t = common::store();
    let source = connect(&t, "quickbooks_time", "QuickBooks Time");

    let refused = t
        .store
        .read(|c| targets::profile(c, Target::Integration { id: source }))
        .expect_err("not a target");

    assert!(
        refused.to_string().contains("export a payroll file"),
        "the message says what to do instead: {refused}"
    );
}

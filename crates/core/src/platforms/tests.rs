//! Each platform's row of the table, pinned so a change to one is deliberate.

use super::*;
use crate::middleware::Module::*;
use AuthKind::*;

const QBT: &[Module] = &[
    Employees,
    Customers,
    Jobs,
    Tasks,
    TimeEntries,
    Budgets,
    PayItems,
];

#[test]
fn every_platform_has_the_capabilities_it_is_pinned_to() {
    let expected = [
        (
            Platform::Sandbox,
            Capabilities {
                name: "Sandbox",
                description: "A demo construction company served inside Timebridge, as a QuickBooks Time company or a busybusy \
                              organization, to try every step without a vendor account. The QuickBooks Time one receives payroll \
                              too, so publishing can be tried end to end.",
                auth: &[],
                modules: QBT,
                payroll: Payroll::Published,
                demo: true,
                read_as: Some(Platform::QuickBooksTime),
            },
        ),
        (
            Platform::QuickBooksTime,
            Capabilities {
                name: "QuickBooks Time",
                description: "Users, jobcodes (customers, jobs, tasks), timesheets with deletions, and project estimates.",
                auth: &[OAuth2, AccessToken],
                modules: QBT,
                payroll: Payroll::None,
                demo: false,
                read_as: Some(Platform::QuickBooksTime),
            },
        ),
        (
            Platform::Busybusy,
            Capabilities {
                name: "busybusy",
                description: "Members, projects (customers and jobs, sub-projects by their path), cost codes, \
                              time with breaks and deletions, and budgets of hours and cost. Signs in as an admin.",
                auth: &[UsernamePassword],
                modules: &[Employees, Customers, Jobs, Tasks, TimeEntries, Budgets],
                payroll: Payroll::None,
                demo: false,
                read_as: Some(Platform::Busybusy),
            },
        ),
        (
            Platform::Aspire,
            Capabilities {
                name: "Aspire",
                description: "Employee contacts, opportunities (with their properties), work-ticket time, pay codes.",
                auth: &[ClientCredentials],
                modules: &[Employees, Jobs, TimeEntries, PayItems],
                payroll: Payroll::None,
                demo: false,
                read_as: Some(Platform::Aspire),
            },
        ),
        (
            Platform::ClockShark,
            Capabilities {
                name: "ClockShark",
                description: "Exports (CSV) saved in a folder, each told by its columns: the employee, job (with customers and \
                              budgets) and task lists, and the timesheets (breaks taken off, time off as a pay item).",
                auth: &[Folder],
                modules: &[
                    Employees,
                    Customers,
                    Jobs,
                    Tasks,
                    Budgets,
                    PayItems,
                    TimeEntries,
                ],
                payroll: Payroll::None,
                demo: false,
                read_as: Some(Platform::ClockShark),
            },
        ),
        (
            Platform::QuickBooksDesktop,
            Capabilities {
                name: "QuickBooks Desktop",
                description: "Through the QuickBooks Web Connector on the QuickBooks computer: employees, customers and their jobs, \
                              service items and wage payroll items; receives payroll hours as time-tracking entries.",
                auth: &[UsernamePassword],
                modules: &[Employees, Customers, Jobs, Tasks, PayItems],
                payroll: Payroll::Published,
                demo: false,
                read_as: Some(Platform::QuickBooksDesktop),
            },
        ),
        (
            Platform::Sage300Cre,
            Capabilities {
                name: "Sage 300 CRE",
                description: "Through its ODBC driver (or lists exported as CSV into a folder): employees, jobs and their extras, \
                              cost codes and their categories, and pay IDs. Publishing writes an Import Time file into its import folder.",
                auth: &[Odbc, Folder],
                modules: &[Employees, Jobs, Tasks, PayItems],
                payroll: Payroll::Published,
                demo: false,
                read_as: Some(Platform::Sage300Cre),
            },
        ),
        (
            Platform::CsvFiles,
            Capabilities {
                name: "CSV files",
                description: "Time exported as CSV by any tracker, from a folder or one file: the columns mapped once to a saved \
                              layout, each row a time entry with the employee, job, task and pay ID it names.",
                auth: &[Folder],
                modules: &[Employees, Jobs, Tasks, PayItems, TimeEntries],
                payroll: Payroll::None,
                demo: false,
                read_as: Some(Platform::CsvFiles),
            },
        ),
    ];
    assert_eq!(
        expected.map(|(p, _)| p),
        Platform::ALL,
        "every platform is pinned, in the overview's order"
    );
    for (platform, row) in expected {
        assert_eq!(
            platform.capabilities(),
            row,
            "{platform}'s capabilities changed: update this row only on purpose"
        );
    }
}

#[test]
fn a_platform_is_stored_and_serialized_as_the_same_id() {
    for platform in Platform::ALL {
        assert_eq!(
            (
                serde_json::to_value(platform).expect("serializes"),
                Platform::from_id(platform.id())
            ),
            (serde_json::json!(platform.id()), Some(platform)),
            "{platform} reads back from its stored id, which is also its JSON"
        );
    }
}

#[test]
fn an_unknown_stored_id_is_no_platform() {
    assert_eq!(
        Platform::from_id("timecard_9000"),
        None,
        "a platform a newer version wrote is not mistaken for a known one"
    );
}

#[test]
fn the_sandbox_quickbooks_desktop_and_sage_receive_published_payroll() {
    let answers: Vec<_> = Platform::ALL
        .into_iter()
        .map(|p| {
            (
                p,
                p.publishes_payroll(),
                p.receives_payroll(),
                p.payroll_file(),
            )
        })
        .collect();
    assert_eq!(
        answers,
        [
            (Platform::Sandbox, true, true, None),
            (Platform::QuickBooksTime, false, false, None),
            (Platform::Busybusy, false, false, None),
            (Platform::Aspire, false, false, None),
            (Platform::ClockShark, false, false, None),
            (Platform::QuickBooksDesktop, true, true, None),
            (Platform::Sage300Cre, true, true, None),
            (Platform::CsvFiles, false, false, None),
        ],
        "hours are published to the Sandbox, to QuickBooks Desktop (through the Web Connector) and to Sage 300 CRE (as its Import Time file)"
    );
}

#[test]
fn a_sandbox_company_is_stored_as_the_id_of_the_platform_it_speaks() {
    for company in SandboxCompany::ALL {
        assert_eq!(
            serde_json::to_value(company).expect("serializes"),
            serde_json::json!(company.platform().id()),
            "{company:?} is stored as its platform's id"
        );
    }
}

#[test]
fn every_sandbox_company_has_modules_the_sandbox_card_lists() {
    for company in SandboxCompany::ALL {
        assert!(
            company
                .modules()
                .iter()
                .all(|m| Platform::Sandbox.modules().contains(m)),
            "{company:?}: the one Sandbox card's Sync column covers every company's modules"
        );
    }
}

//! Every platform Timebridge knows, for the Integrations overview: what it
//! can sync, whether it can receive payroll, how it signs in, and whether
//! this version can connect to it yet.

use serde::Serialize;
use timebridge_core::middleware::Module;
use ts_rs::TS;

use crate::AuthKind;

#[derive(Debug, Clone, Serialize, TS)]
pub struct Platform {
    pub id: String,
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

fn platform(
    id: &str,
    name: &str,
    description: &str,
    auth: &[AuthKind],
    modules: &[Module],
    publishes_payroll: bool,
    available: bool,
) -> Platform {
    Platform {
        id: id.to_owned(),
        name: name.to_owned(),
        description: description.to_owned(),
        auth: auth.to_vec(),
        modules: modules.to_vec(),
        publishes_payroll,
        available,
        demo: id == "sandbox",
    }
}

/// The platforms, in the order the overview lists them.
pub fn platforms() -> Vec<Platform> {
    use AuthKind::*;
    use Module::*;
    let qbt = crate::quickbooks_time::INFO.modules;
    vec![
        platform(
            "sandbox",
            "Sandbox",
            "A demo construction company served inside Timebridge, to try every step without a vendor account. \
             It receives payroll too, so publishing can be tried end to end.",
            &[],
            qbt,
            true,
            true,
        ),
        platform(
            "quickbooks_time",
            "QuickBooks Time",
            "Users, jobcodes (customers, jobs, tasks), timesheets with deletions, and project estimates.",
            crate::quickbooks_time::INFO.auth,
            qbt,
            false,
            true,
        ),
        platform(
            "busybusy",
            "busybusy",
            "Members, projects, cost codes and time.",
            &[AccessToken],
            &[Employees, Jobs, Tasks, TimeEntries, Budgets],
            false,
            false,
        ),
        platform(
            "aspire",
            "Aspire",
            "Employee contacts, opportunities (with their properties), work-ticket time, pay codes.",
            crate::aspire::INFO.auth,
            crate::aspire::INFO.modules,
            false,
            true,
        ),
        platform(
            "clockshark",
            "ClockShark",
            "Timesheet exports (CSV) saved in a folder: the employees, customers, jobs and tasks they name, the time (breaks taken off), and time off as a pay item.",
            crate::clockshark::INFO.auth,
            crate::clockshark::INFO.modules,
            false,
            true,
        ),
        platform(
            "quickbooks_desktop",
            "QuickBooks Desktop",
            "Through the QuickBooks Web Connector on the QuickBooks computer: employees, customers and their jobs, service items and wage payroll items.",
            crate::quickbooks_desktop::INFO.auth,
            crate::quickbooks_desktop::INFO.modules,
            crate::quickbooks_desktop::INFO.publishes_payroll,
            true,
        ),
        platform(
            "sage300_cre",
            "Sage 300 CRE",
            "Exported employee, job and cost code lists; receives an Import Time file.",
            &[Folder],
            &[Employees, Jobs, Tasks],
            true,
            false,
        ),
    ]
}

//! Every platform Timebridge knows, and what each can do, declared once.
//!
//! A [`Platform`] is stored by its id in `integrations.platform`
//! (`quickbooks_time`, `sandbox`, …). Its [`Capabilities`] (how it signs in,
//! what it syncs, whether this version can connect to it, how it takes
//! payroll, whether it is demo data, which connector reads it) sit in one
//! table, [`Platform::capabilities`]; the Integrations overview, the payroll
//! targets, the connectors, the commands, the command line and (through the
//! bindings) the window all ask it rather than naming a platform.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::middleware::Module;
use crate::payroll::targets::FileFormat;

/// How an admin signs a platform in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AuthKind {
    /// OAuth2 sign-in in the system browser, back over a loopback redirect.
    OAuth2,
    /// An access token pasted from the platform.
    AccessToken,
    UsernamePassword,
    ClientCredentials,
    /// Exported files in a folder.
    Folder,
    /// An ODBC data source on this computer (its password, if any, in the
    /// keyring).
    Odbc,
}

/// A platform; serialized (and stored) as its id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub enum Platform {
    #[serde(rename = "sandbox")]
    Sandbox,
    #[serde(rename = "quickbooks_time")]
    QuickBooksTime,
    #[serde(rename = "busybusy")]
    Busybusy,
    #[serde(rename = "aspire")]
    Aspire,
    #[serde(rename = "clockshark")]
    ClockShark,
    #[serde(rename = "quickbooks_desktop")]
    QuickBooksDesktop,
    #[serde(rename = "sage300_cre")]
    Sage300Cre,
    #[serde(rename = "csv_files")]
    CsvFiles,
}

/// How a platform takes a pay period's hours from Timebridge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payroll {
    /// It takes none.
    None,
    /// They are sent to a connected integration of it: it is a publish
    /// target (Sage 300 CRE's publishing writes the Import Time file into
    /// its import folder; that file can be exported by hand too).
    Published,
    /// It imports the payroll file written for it (the admin carries the
    /// file over).
    ImportsFile(FileFormat),
}

/// What a platform is and can do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capabilities {
    pub name: &'static str,
    /// What it brings in, as the overview says it.
    pub description: &'static str,
    pub auth: &'static [AuthKind],
    /// What it can sync.
    pub modules: &'static [Module],
    pub payroll: Payroll,
    /// Demo data served inside Timebridge (by the in-app emulator), not a
    /// real account: it connects without a sign-in.
    pub demo: bool,
    /// The platform whose connector reads it: itself, or another whose API
    /// it speaks (the Sandbox is QuickBooks Time unless it was connected as
    /// another [`SandboxCompany`]). `None`: this version cannot connect to
    /// it yet.
    pub read_as: Option<Platform>,
}

/// The demo company a Sandbox integration serves, chosen when it is
/// connected (stored in its settings): which platform's API the in-app
/// emulator speaks, and so which connector reads it and which modules it
/// has. A Sandbox saved before there was a choice is QuickBooks Time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, TS)]
pub enum SandboxCompany {
    /// A QuickBooks Time company, which receives payroll too.
    #[default]
    #[serde(rename = "quickbooks_time")]
    QuickBooksTime,
    /// A busybusy organization, signed in to as its admin.
    #[serde(rename = "busybusy")]
    Busybusy,
}

impl SandboxCompany {
    pub const ALL: [SandboxCompany; 2] = [SandboxCompany::QuickBooksTime, SandboxCompany::Busybusy];

    /// The platform whose API the Sandbox speaks.
    pub const fn platform(self) -> Platform {
        match self {
            SandboxCompany::QuickBooksTime => Platform::QuickBooksTime,
            SandboxCompany::Busybusy => Platform::Busybusy,
        }
    }

    /// As stored: the platform's id (`quickbooks_time`, `busybusy`).
    pub const fn id(self) -> &'static str {
        self.platform().id()
    }

    pub const fn name(self) -> &'static str {
        self.platform().name()
    }

    /// The modules it syncs: its platform's.
    pub const fn modules(self) -> &'static [Module] {
        self.platform().modules()
    }

    /// Payroll can be published to it: the QuickBooks Time company's
    /// emulator takes payroll; the busybusy one, like busybusy, does not.
    pub const fn publishes_payroll(self) -> bool {
        matches!(self, SandboxCompany::QuickBooksTime)
    }

    /// The name a new Sandbox of this company gets when none is given
    /// (QuickBooks Time's is the Sandbox's as it always was).
    pub fn connection_name(self) -> String {
        match self {
            SandboxCompany::QuickBooksTime => Platform::Sandbox.connection_name(),
            SandboxCompany::Busybusy => {
                format!("{} ({} demo data)", Platform::Sandbox.name(), self.name())
            }
        }
    }
}

const QUICKBOOKS_TIME_MODULES: &[Module] = &[
    Module::Employees,
    Module::Customers,
    Module::Jobs,
    Module::Tasks,
    Module::TimeEntries,
    Module::Budgets,
    Module::PayItems,
];

impl Platform {
    /// Every platform, in the order the overview lists them.
    pub const ALL: [Platform; 8] = [
        Platform::Sandbox,
        Platform::QuickBooksTime,
        Platform::Busybusy,
        Platform::Aspire,
        Platform::ClockShark,
        Platform::QuickBooksDesktop,
        Platform::Sage300Cre,
        Platform::CsvFiles,
    ];

    /// The table: every platform's capabilities.
    pub const fn capabilities(self) -> Capabilities {
        use AuthKind::*;
        use Module::*;
        match self {
            // What the Sandbox's default company (QuickBooks Time) is; each
            // Sandbox integration is read as the company it was connected
            // as (`SandboxCompany`, `Integration::read_as`), whose modules
            // are these or fewer.
            Platform::Sandbox => Capabilities {
                name: "Sandbox",
                description: "A demo construction company served inside Timebridge, as a QuickBooks Time company or a busybusy \
                              organization, to try every step without a vendor account. The QuickBooks Time one receives payroll \
                              too, so publishing can be tried end to end.",
                auth: &[],
                modules: QUICKBOOKS_TIME_MODULES,
                payroll: Payroll::Published,
                demo: true,
                read_as: Some(Platform::QuickBooksTime),
            },
            Platform::QuickBooksTime => Capabilities {
                name: "QuickBooks Time",
                description: "Users, jobcodes (customers, jobs, tasks), timesheets with deletions, and project estimates.",
                auth: &[OAuth2, AccessToken],
                modules: QUICKBOOKS_TIME_MODULES,
                payroll: Payroll::None,
                demo: false,
                read_as: Some(Platform::QuickBooksTime),
            },
            Platform::Busybusy => Capabilities {
                name: "busybusy",
                description: "Members, projects (customers and jobs, sub-projects by their path), cost codes, \
                              time with breaks and deletions, and budgets of hours and cost. Signs in as an admin.",
                auth: &[UsernamePassword],
                modules: &[Employees, Customers, Jobs, Tasks, TimeEntries, Budgets],
                payroll: Payroll::None,
                demo: false,
                read_as: Some(Platform::Busybusy),
            },
            Platform::Aspire => Capabilities {
                name: "Aspire",
                description: "Employee contacts, opportunities (with their properties), work-ticket time, pay codes.",
                auth: &[ClientCredentials],
                modules: &[Employees, Jobs, TimeEntries, PayItems],
                payroll: Payroll::None,
                demo: false,
                read_as: Some(Platform::Aspire),
            },
            Platform::ClockShark => Capabilities {
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
            Platform::QuickBooksDesktop => Capabilities {
                name: "QuickBooks Desktop",
                description: "Through the QuickBooks Web Connector on the QuickBooks computer: employees, customers and their jobs, \
                              service items and wage payroll items; receives payroll hours as time-tracking entries.",
                auth: &[UsernamePassword],
                modules: &[Employees, Customers, Jobs, Tasks, PayItems],
                payroll: Payroll::Published,
                demo: false,
                read_as: Some(Platform::QuickBooksDesktop),
            },
            Platform::Sage300Cre => Capabilities {
                name: "Sage 300 CRE",
                description: "Through its ODBC driver (or lists exported as CSV into a folder): employees, jobs and their extras, \
                              cost codes and their categories, and pay IDs. Publishing writes an Import Time file into its import folder.",
                auth: &[Odbc, Folder],
                modules: &[Employees, Jobs, Tasks, PayItems],
                payroll: Payroll::Published,
                demo: false,
                read_as: Some(Platform::Sage300Cre),
            },
            Platform::CsvFiles => Capabilities {
                name: "CSV files",
                description: "Time exported as CSV by any tracker, from a folder or one file: the columns mapped once to a saved \
                              layout, each row a time entry with the employee, job, task and pay ID it names.",
                auth: &[Folder],
                modules: &[Employees, Jobs, Tasks, PayItems, TimeEntries],
                payroll: Payroll::None,
                demo: false,
                read_as: Some(Platform::CsvFiles),
            },
        }
    }

    /// As stored in `integrations.platform`.
    pub const fn id(self) -> &'static str {
        match self {
            Platform::Sandbox => "sandbox",
            Platform::QuickBooksTime => "quickbooks_time",
            Platform::Busybusy => "busybusy",
            Platform::Aspire => "aspire",
            Platform::ClockShark => "clockshark",
            Platform::QuickBooksDesktop => "quickbooks_desktop",
            Platform::Sage300Cre => "sage300_cre",
            Platform::CsvFiles => "csv_files",
        }
    }

    /// The platform a stored id names; `None` for one this version does
    /// not know (written by a newer one).
    pub fn from_id(id: &str) -> Option<Platform> {
        Platform::ALL.into_iter().find(|p| p.id() == id)
    }

    pub const fn name(self) -> &'static str {
        self.capabilities().name
    }

    pub const fn auth(self) -> &'static [AuthKind] {
        self.capabilities().auth
    }

    pub fn signs_in_with(self, kind: AuthKind) -> bool {
        self.auth().contains(&kind)
    }

    pub const fn modules(self) -> &'static [Module] {
        self.capabilities().modules
    }

    pub const fn demo(self) -> bool {
        self.capabilities().demo
    }

    /// This version can connect to it and sync it.
    pub const fn syncs(self) -> bool {
        self.capabilities().read_as.is_some()
    }

    /// Its hours can be sent to a connected integration of it.
    pub const fn publishes_payroll(self) -> bool {
        matches!(self.capabilities().payroll, Payroll::Published)
    }

    /// It receives payroll from Timebridge, sent or as the file it imports
    /// (what the overview's payroll column says).
    pub const fn receives_payroll(self) -> bool {
        matches!(
            self.capabilities().payroll,
            Payroll::Published | Payroll::ImportsFile(_)
        )
    }

    /// The payroll file written for it, if one is.
    pub const fn payroll_file(self) -> Option<FileFormat> {
        match self.capabilities().payroll {
            Payroll::ImportsFile(format) => Some(format),
            Payroll::None | Payroll::Published => None,
        }
    }

    /// The name a new connection gets when none is given.
    pub fn connection_name(self) -> String {
        if self.demo() {
            format!("{} (demo data)", self.name())
        } else {
            self.name().to_owned()
        }
    }
}

impl std::fmt::Display for Platform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

#[cfg(test)]
mod tests;

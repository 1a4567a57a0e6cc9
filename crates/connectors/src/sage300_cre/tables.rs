//! The mapping: which Sage 300 CRE tables and columns Timebridge reads,
//! each marked documented (with its source) or assumed (with why). This is
//! the one place the names are written; the ODBC reader selects these
//! columns from these tables, the CSV reader recognises a file by these
//! columns, and `docs/contracts/sage300-cre.md` explains them.
//!
//! Sources (public code that queries Sage's Timberline ODBC driver; their
//! repositories are found by `find_string` on the quoted text):
//! - "TBL": a reference of common Timberline tables (“Reference: Common
//!   Timberline Tables”): `MASTER_PRM_EMPLOYEE` employee master,
//!   `MASTER_PRM_PAY` pay dictionary, `MASTER_JCM_JOB_1` job header,
//!   `MASTER_JCM_COST_CODE` cost code dictionary, `MASTER_JCM_CATEGORY`
//!   cost categories; `Status` columns holding `In Progress`, `Unstarted`,
//!   `Closed`, `Hold`, `Pending`.
//! - "RWY": a Sage connector (“db.py - … - Sage Connector (Railway)”)
//!   naming `MASTER_JCM_EXTRA` and reading `Job`, `Cost_Code`, `Category`
//!   from job cost transactions.
//! - "SQL": queries of `MASTER_JCM_JOB_1.Job`, `MASTER_JCM_JOB_1_Description`
//!   and `SELECT Status FROM MASTER_JCM_JOB_1 WHERE Job = …`, and
//!   `Cost_Code`, `Description` of `MASTER_JCM_STANDARD_COST_CODE`.

/// Where a name comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Seen in public material (the source's tag, see the module's doc).
    Documented(&'static str),
    /// Not found in public material: why this name was chosen.
    Assumed(&'static str),
}

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Employee,
    FirstName,
    LastName,
    Status,
    Job,
    Extra,
    CostCode,
    Category,
    PayId,
    PayType,
    Description,
}

#[derive(Debug)]
pub struct Column {
    pub name: &'static str,
    pub field: Field,
    pub source: Source,
}

/// Sage's lists, in the order they are read (a list names the ones before).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum List {
    Employees,
    Jobs,
    Extras,
    CostCodes,
    Categories,
    PayIds,
}

impl List {
    /// The list's name in messages, plural.
    pub fn plural(self) -> &'static str {
        match self {
            List::Employees => "employees",
            List::Jobs => "jobs",
            List::Extras => "extras",
            List::CostCodes => "cost codes",
            List::Categories => "categories",
            List::PayIds => "pay IDs",
        }
    }
}

#[derive(Debug)]
pub struct Table {
    pub list: List,
    pub name: &'static str,
    pub source: Source,
    pub columns: &'static [Column],
}

impl Table {
    /// Where `field` is in this table's rows, as read.
    pub fn at(&self, field: Field) -> Option<usize> {
        self.columns.iter().position(|c| c.field == field)
    }

    /// The SELECT that reads the table whole.
    pub fn select(&self) -> String {
        let names: Vec<&str> = self.columns.iter().map(|c| c.name).collect();
        format!("SELECT {} FROM {}", names.join(", "), self.name)
    }
}

const fn column(name: &'static str, field: Field, source: Source) -> Column {
    Column {
        name,
        field,
        source,
    }
}

use Field as F;
use Source::{Assumed, Documented};

const JOB_KEY: Source = Assumed(
    "the job column of the job cost tables is `Job` in MASTER_JCM_JOB_1 and in transactions (SQL, RWY); taken to be so here",
);
const EXTRA_KEY: Source = Assumed(
    "named as the job cost transactions' columns are (`Job`, `Cost_Code`, `Category`, RWY): the extra's own name",
);
const COST_CODE_KEY: Source =
    Documented("RWY and SQL: `Cost_Code` in transactions and the standard cost code table");
const DESCRIPTION: Source = Documented(
    "SQL: `Description` of MASTER_JCM_JOB_1 and MASTER_JCM_STANDARD_COST_CODE; taken to be the same in the other tables",
);

/// Every table read, in reading order.
pub static TABLES: [Table; 6] = [
    Table {
        list: List::Employees,
        name: "MASTER_PRM_EMPLOYEE",
        source: Documented("TBL: “Employee master”"),
        columns: &[
            column(
                "Employee",
                F::Employee,
                Assumed("the key column is named for the record, as `Job` is in the job tables"),
            ),
            column(
                "First_Name",
                F::FirstName,
                Assumed("Sage names columns with words joined by `_` (`Cost_Code`, `Address_1`)"),
            ),
            column("Last_Name", F::LastName, Assumed("as First_Name")),
            column(
                "Status",
                F::Status,
                Documented("TBL: many master tables have a `Status` column"),
            ),
        ],
    },
    Table {
        list: List::Jobs,
        name: "MASTER_JCM_JOB_1",
        source: Documented("TBL, SQL: the job header"),
        columns: &[
            column("Job", F::Job, Documented("SQL: `MASTER_JCM_JOB_1.Job`")),
            column("Description", F::Description, DESCRIPTION),
            column(
                "Status",
                F::Status,
                Documented("SQL: `SELECT Status FROM MASTER_JCM_JOB_1`; TBL: its values"),
            ),
        ],
    },
    Table {
        list: List::Extras,
        name: "MASTER_JCM_EXTRA",
        source: Documented("RWY: the `extras` table"),
        columns: &[
            column("Job", F::Job, JOB_KEY),
            column("Extra", F::Extra, EXTRA_KEY),
            column("Description", F::Description, DESCRIPTION),
        ],
    },
    Table {
        list: List::CostCodes,
        name: "MASTER_JCM_COST_CODE",
        source: Documented("TBL: “Cost code dictionary”; RWY"),
        columns: &[
            column("Job", F::Job, JOB_KEY),
            column("Extra", F::Extra, EXTRA_KEY),
            column("Cost_Code", F::CostCode, COST_CODE_KEY),
            column("Description", F::Description, DESCRIPTION),
        ],
    },
    Table {
        list: List::Categories,
        name: "MASTER_JCM_CATEGORY",
        source: Documented("TBL: “Cost categories (labor, material, sub, etc.)”; RWY"),
        columns: &[
            column("Job", F::Job, JOB_KEY),
            column("Extra", F::Extra, EXTRA_KEY),
            column("Cost_Code", F::CostCode, COST_CODE_KEY),
            column(
                "Category",
                F::Category,
                Documented("RWY: `Category` of job cost transactions"),
            ),
            column("Description", F::Description, DESCRIPTION),
        ],
    },
    Table {
        list: List::PayIds,
        name: "MASTER_PRM_PAY",
        source: Documented("TBL: “Pay dictionary”"),
        columns: &[
            column(
                "Pay_ID",
                F::PayId,
                Assumed("Sage calls the code a “Pay ID” (Import Time's column); `_` joins words"),
            ),
            column("Description", F::Description, DESCRIPTION),
            column(
                "Pay_Type",
                F::PayType,
                Assumed("what kind of pay it is (Regular, Overtime, …), as Pay ID setup shows it"),
            ),
        ],
    },
];

/// The table of `list` ([`TABLES`] is in [`List`]'s order).
pub fn table(list: List) -> &'static Table {
    &TABLES[list as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tables_are_in_the_lists_order() {
        for (at, table) in TABLES.iter().enumerate() {
            assert_eq!(table.list as usize, at, "table() indexes TABLES by list");
        }
    }

    #[test]
    fn every_table_has_its_keys() {
        for table in &TABLES {
            let needed: &[Field] = match table.list {
                List::Employees => &[F::Employee, F::Status],
                List::Jobs => &[F::Job, F::Status],
                List::Extras => &[F::Job, F::Extra],
                List::CostCodes => &[F::Job, F::Extra, F::CostCode],
                List::Categories => &[F::Job, F::Extra, F::CostCode, F::Category],
                List::PayIds => &[F::PayId],
            };
            for field in needed {
                assert!(
                    table.at(*field).is_some(),
                    "{} must read its {field:?} column: the records' keys are made from it",
                    table.name
                );
            }
        }
    }
}

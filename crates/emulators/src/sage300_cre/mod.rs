//! Sage 300 CRE, emulated where Timebridge meets it: its company data as
//! the Timberline ODBC driver shows it, and the same lists exported as CSV.
//!
//! A generated [`Company`] (employees, jobs with extras, cost codes with
//! categories, pay IDs) is written as a SQLite database file whose tables
//! are shaped like Sage's (`MASTER_PRM_EMPLOYEE`, `MASTER_JCM_JOB_1`, …, with
//! more columns than Timebridge reads, as Sage's have), and opened through
//! a real ODBC data source: unixODBC with the SQLite3 ODBC driver
//! (`libsqlite3odbc.so`, Debian's `libsqliteodbc`), registered in a
//! temporary `odbcinst.ini` and `odbc.ini` ([`DataSource`]). A query naming
//! a table or column Sage does not have is refused by the driver, in the
//! driver's words; a company can be written with a column renamed to show
//! it. [`Company::write_exports`] writes the lists as CSV files instead.
//! [`import_time`] reads an Import Time file back as Sage does, refusing
//! a line that names an employee, job, extra, cost code, category or pay
//! ID the company does not have. The rules are
//! `docs/contracts/sage300-cre.md`.

mod company;
mod import;
mod odbc;

pub use company::{Category, Company, CompanySpec, CostCode, Employee, Extra, Job, PayId};
pub use import::{ImportLine, ImportRejection, import_time};
pub use odbc::{DataSource, driver_path};

#[cfg(test)]
mod tests;

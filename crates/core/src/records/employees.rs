//! Employees: the people whose time is tracked and paid.
//!
//! An employee number, when given, is unique: it is the most stable key the
//! accounting systems share, and matching on it is what keeps imports from
//! creating duplicates.

use chrono::NaiveDate;
use rusqlite::types::ToSqlOutput;
use rusqlite::{Connection, OptionalExtension, Row, ToSql, Transaction, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{
    Columns, Filter, InsertMeta, ListQuery, ListSpec, LocalRecord, Page, RecordKind, RecordMeta,
    SortColumns, UpdateStamp, WrittenBy, date_column, get_one, run_list, write_functions,
};
use crate::error::Result;
use crate::validate::Checks;

const KIND: RecordKind = RecordKind::Employee;

/// What a form (or an import) supplies for an employee.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct EmployeeDraft {
    pub employee_number: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub hire_date: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Employee {
    pub id: i64,
    pub employee_number: Option<String>,
    pub first_name: String,
    pub last_name: String,
    /// "First Last".
    pub display_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub hire_date: Option<NaiveDate>,
    pub active: bool,
    pub meta: RecordMeta,
}

impl Employee {
    pub fn draft(&self) -> EmployeeDraft {
        EmployeeDraft {
            employee_number: self.employee_number.clone(),
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            email: self.email.clone(),
            phone: self.phone.clone(),
            hire_date: self.hire_date,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum EmployeeSort {
    Name,
    EmployeeNumber,
    Email,
    HireDate,
    Source,
    UpdatedAt,
}

impl SortColumns for EmployeeSort {
    fn columns(self) -> &'static [&'static str] {
        match self {
            EmployeeSort::Name => &["r.last_name COLLATE NOCASE", "r.first_name COLLATE NOCASE"],
            EmployeeSort::EmployeeNumber => &["r.employee_number"],
            EmployeeSort::Email => &["r.email"],
            EmployeeSort::HireDate => &["r.hire_date"],
            EmployeeSort::Source => &["r.source_kind", "si.name"],
            EmployeeSort::UpdatedAt => &["r.updated_at"],
        }
    }
}

const SPEC: ListSpec = ListSpec {
    from: "employees r LEFT JOIN integrations si ON si.id = r.source_integration_id",
    stored: &COLUMNS.names,
    shown: "r.active",
    search_columns: &[
        "r.first_name",
        "r.last_name",
        "r.employee_number",
        "r.email",
    ],
    active_condition: "r.active = 1",
    job_column: None,
};

/// The columns an employee's draft is stored in.
static COLUMNS: Columns<6> = Columns::new(
    "employees",
    [
        "employee_number",
        "first_name",
        "last_name",
        "email",
        "phone",
        "hire_date",
    ],
);

/// A draft's values, in [`COLUMNS`] order.
fn values(d: &EmployeeDraft) -> rusqlite::Result<[ToSqlOutput<'_>; 6]> {
    Ok([
        d.employee_number.to_sql()?,
        d.first_name.to_sql()?,
        d.last_name.to_sql()?,
        d.email.to_sql()?,
        d.phone.to_sql()?,
        ToSqlOutput::Owned(d.hire_date.map(|date| date.to_string()).into()),
    ])
}

/// The draft a row selecting [`COLUMNS`] holds.
fn stored_draft(row: &Row<'_>) -> rusqlite::Result<EmployeeDraft> {
    let [
        employee_number,
        first_name,
        last_name,
        email,
        phone,
        hire_date,
    ] = COLUMNS.names;
    Ok(EmployeeDraft {
        employee_number: row.get(employee_number)?,
        first_name: row.get(first_name)?,
        last_name: row.get(last_name)?,
        email: row.get(email)?,
        phone: row.get(phone)?,
        hire_date: date_column(row, hire_date)?,
    })
}

fn from_row(row: &Row<'_>) -> rusqlite::Result<Employee> {
    let EmployeeDraft {
        employee_number,
        first_name,
        last_name,
        email,
        phone,
        hire_date,
    } = stored_draft(row)?;
    Ok(Employee {
        id: row.get("id")?,
        employee_number,
        display_name: display_name(&first_name, &last_name),
        first_name,
        last_name,
        email,
        phone,
        hire_date,
        active: row.get("active")?,
        meta: RecordMeta::from_row(row)?,
    })
}

pub fn display_name(first_name: &str, last_name: &str) -> String {
    format!("{first_name} {last_name}").trim().to_owned()
}

pub fn list(conn: &Connection, query: &ListQuery<EmployeeSort>) -> Result<Page<Employee>> {
    run_list(
        conn,
        &SPEC,
        query,
        EmployeeSort::Name,
        Filter::default(),
        from_row,
    )
}

pub fn get(conn: &Connection, id: i64) -> Result<Employee> {
    get_one(conn, KIND, &SPEC, id, from_row)
}

/// Checks and tidies a draft: trimmed text, blanks as nothing, every problem
/// reported at once.
fn clean(
    conn: &Connection,
    draft: &EmployeeDraft,
    id: Option<i64>,
    _by: WrittenBy,
) -> Result<EmployeeDraft> {
    let mut checks = Checks::default();
    let first_name = checks
        .optional("first_name", "the first name", Some(&draft.first_name), 100)
        .unwrap_or_default();
    let last_name = checks
        .optional("last_name", "the last name", Some(&draft.last_name), 100)
        .unwrap_or_default();
    if first_name.is_empty() && last_name.is_empty() {
        checks.problem("last_name", "Enter a first or last name.");
    }
    let employee_number = checks.optional(
        "employee_number",
        "the employee number",
        draft.employee_number.as_deref(),
        30,
    );
    if let Some(number) = &employee_number {
        let holder: Option<(String, String)> = conn
            .prepare_cached(
                "SELECT first_name, last_name FROM employees
                 WHERE employee_number = ?1 AND id IS NOT ?2",
            )?
            .query_row(params![number, id], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()?;
        if let Some((first, last)) = holder {
            checks.problem(
                "employee_number",
                format!(
                    "Employee number {number} is already used by {}. Employee numbers must be unique.",
                    display_name(&first, &last)
                ),
            );
        }
    }
    let email = checks.email("email", draft.email.as_deref());
    let phone = checks.optional("phone", "the phone number", draft.phone.as_deref(), 40);
    checks.finish()?;
    Ok(EmployeeDraft {
        employee_number,
        first_name,
        last_name,
        email,
        phone,
        hire_date: draft.hire_date,
    })
}

/// The shared create/edit/deactivate code's view of this kind.
pub(crate) struct Employees;

impl LocalRecord for Employees {
    const KIND: RecordKind = KIND;
    const UNIQUE_WHAT: &'static str = "An employee with that number";
    type Draft = EmployeeDraft;
    type Row = Employee;

    fn get(conn: &Connection, id: i64) -> Result<Employee> {
        get(conn, id)
    }

    fn clean(
        conn: &Connection,
        draft: &EmployeeDraft,
        id: Option<i64>,
        by: WrittenBy,
    ) -> Result<EmployeeDraft> {
        clean(conn, draft, id, by)
    }

    fn name(row: &Employee) -> String {
        row.display_name.clone()
    }

    fn draft_of(row: &Employee) -> EmployeeDraft {
        row.draft()
    }

    fn insert(
        tx: &Transaction<'_>,
        d: &EmployeeDraft,
        meta: &InsertMeta<'_>,
    ) -> rusqlite::Result<()> {
        COLUMNS.insert(tx, values(d)?, meta)
    }

    fn update(
        tx: &Transaction<'_>,
        id: i64,
        d: &EmployeeDraft,
        stamp: &UpdateStamp,
    ) -> rusqlite::Result<()> {
        COLUMNS.update(tx, id, values(d)?, stamp)
    }
}

/// The names the generic command layer uses for this kind.
pub type Sort = EmployeeSort;
pub type Draft = EmployeeDraft;
pub type Record = Employee;

write_functions!(Employees, Employee, EmployeeDraft);

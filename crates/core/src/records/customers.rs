//! Customers: who the work is for. Jobs may belong to a customer.
//!
//! Customer names are unique (ignoring case), as in QuickBooks, so the same
//! customer is not entered twice under two spellings of its case.

use rusqlite::types::ToSqlOutput;
use rusqlite::{Connection, OptionalExtension, Row, ToSql, Transaction, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{
    Columns, Filter, InsertMeta, ListQuery, ListSpec, LocalRecord, Page, RecordKind, RecordMeta,
    SortColumns, UpdateStamp, WrittenBy, get_one, run_list, write_functions,
};
use crate::error::Result;
use crate::validate::Checks;

const KIND: RecordKind = RecordKind::Customer;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct CustomerDraft {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Customer {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// Active jobs of this customer.
    pub job_count: i64,
    pub active: bool,
    pub meta: RecordMeta,
}

impl Customer {
    pub fn draft(&self) -> CustomerDraft {
        CustomerDraft {
            name: self.name.clone(),
            email: self.email.clone(),
            phone: self.phone.clone(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CustomerSort {
    Name,
    Email,
    JobCount,
    Source,
    UpdatedAt,
}

impl SortColumns for CustomerSort {
    fn columns(self) -> &'static [&'static str] {
        match self {
            CustomerSort::Name => &["r.name"],
            CustomerSort::Email => &["r.email"],
            CustomerSort::JobCount => &["job_count"],
            CustomerSort::Source => &["r.source_kind", "si.name"],
            CustomerSort::UpdatedAt => &["r.updated_at"],
        }
    }
}

const SPEC: ListSpec = ListSpec {
    from: "customers r LEFT JOIN integrations si ON si.id = r.source_integration_id",
    stored: &COLUMNS.names,
    shown: "r.active, (SELECT count(*) FROM jobs j WHERE j.customer_id = r.id AND j.active = 1) AS job_count",
    search_columns: &["r.name", "r.email", "r.phone"],
    active_condition: "r.active = 1",
    job_column: None,
};

/// The columns a customer's draft is stored in.
static COLUMNS: Columns<3> = Columns::new("customers", ["name", "email", "phone"]);

/// A draft's values, in [`COLUMNS`] order.
fn values(d: &CustomerDraft) -> rusqlite::Result<[ToSqlOutput<'_>; 3]> {
    Ok([d.name.to_sql()?, d.email.to_sql()?, d.phone.to_sql()?])
}

/// The draft a row selecting [`COLUMNS`] holds.
fn stored_draft(row: &Row<'_>) -> rusqlite::Result<CustomerDraft> {
    let [name, email, phone] = COLUMNS.names;
    Ok(CustomerDraft {
        name: row.get(name)?,
        email: row.get(email)?,
        phone: row.get(phone)?,
    })
}

fn from_row(row: &Row<'_>) -> rusqlite::Result<Customer> {
    let CustomerDraft { name, email, phone } = stored_draft(row)?;
    Ok(Customer {
        id: row.get("id")?,
        name,
        email,
        phone,
        job_count: row.get("job_count")?,
        active: row.get("active")?,
        meta: RecordMeta::from_row(row)?,
    })
}

pub fn list(conn: &Connection, query: &ListQuery<CustomerSort>) -> Result<Page<Customer>> {
    run_list(
        conn,
        &SPEC,
        query,
        CustomerSort::Name,
        Filter::default(),
        from_row,
    )
}

pub fn get(conn: &Connection, id: i64) -> Result<Customer> {
    get_one(conn, KIND, &SPEC, id, from_row)
}

fn clean(
    conn: &Connection,
    draft: &CustomerDraft,
    id: Option<i64>,
    _by: WrittenBy,
) -> Result<CustomerDraft> {
    let mut checks = Checks::default();
    let name = checks.required("name", "the customer's name", &draft.name, 100);
    if !name.is_empty() {
        let taken = conn
            .prepare_cached("SELECT 1 FROM customers WHERE name = ?1 AND id IS NOT ?2")?
            .query_row(params![name, id], |_| Ok(()))
            .optional()?
            .is_some();
        if taken {
            checks.problem(
                "name",
                format!("A customer named “{name}” already exists. Use that one, or choose another name."),
            );
        }
    }
    let email = checks.email("email", draft.email.as_deref());
    let phone = checks.optional("phone", "the phone number", draft.phone.as_deref(), 40);
    checks.finish()?;
    Ok(CustomerDraft { name, email, phone })
}

/// The shared create/edit/deactivate code's view of this kind.
pub(crate) struct Customers;

impl LocalRecord for Customers {
    const KIND: RecordKind = KIND;
    const UNIQUE_WHAT: &'static str = "A customer with that name";
    type Draft = CustomerDraft;
    type Row = Customer;

    fn get(conn: &Connection, id: i64) -> Result<Customer> {
        get(conn, id)
    }

    fn clean(
        conn: &Connection,
        draft: &CustomerDraft,
        id: Option<i64>,
        by: WrittenBy,
    ) -> Result<CustomerDraft> {
        clean(conn, draft, id, by)
    }

    fn name(row: &Customer) -> String {
        row.name.clone()
    }

    fn draft_of(row: &Customer) -> CustomerDraft {
        row.draft()
    }

    fn insert(
        tx: &Transaction<'_>,
        d: &CustomerDraft,
        meta: &InsertMeta<'_>,
    ) -> rusqlite::Result<()> {
        COLUMNS.insert(tx, values(d)?, meta)
    }

    fn update(
        tx: &Transaction<'_>,
        id: i64,
        d: &CustomerDraft,
        stamp: &UpdateStamp,
    ) -> rusqlite::Result<()> {
        COLUMNS.update(tx, id, values(d)?, stamp)
    }
}

/// The names the generic command layer uses for this kind.
pub type Sort = CustomerSort;
pub type Draft = CustomerDraft;
pub type Record = Customer;

write_functions!(Customers, Customer, CustomerDraft);

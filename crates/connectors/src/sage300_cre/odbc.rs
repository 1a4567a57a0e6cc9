//! Reading the tables through ODBC: the data source is opened once, each
//! table of the mapping is selected whole, its values read as text.
//! Synchronous (ODBC is); the engine runs it on a blocking thread.
//!
//! The driver's own words are kept in every message (what a missing table
//! or column is called differs by driver), after what it means and what
//! to do. The connection string never is: it may hold the password.

use odbc_api::{ConnectionOptions, Cursor, Error as OdbcError, environment};
use timebridge_core::{ErrorCode, Sensitive};

use super::tables::{TABLES, Table};
use super::{Raw, RawRow};
use crate::error::{ConnectorError, ErrorClass};

/// Seconds a data source may take to open, and a table to answer.
const TIMEOUT_SECONDS: u32 = 30;

/// The driver's message and SQLSTATE, without the connection string.
fn said(error: &OdbcError) -> (String, String) {
    match error {
        OdbcError::Diagnostics { record, .. } => {
            let text = record.to_string();
            let message = text
                .split_once("Message: ")
                .map_or(text.as_str(), |(_, m)| m)
                .trim()
                .to_owned();
            (record.state.as_str().to_owned(), message)
        }
        other => (String::new(), other.to_string()),
    }
}

fn refused(message: String) -> ConnectorError {
    ConnectorError::new(ErrorClass::Configuration, ErrorCode::Validation, message)
}

/// Why the data source `shown` would not open, in words.
fn not_opened(shown: &str, error: &OdbcError) -> ConnectorError {
    let (state, message) = said(error);
    let what = match state.as_str() {
        // The driver manager knows no such data source (or its driver).
        "IM002" | "IM003" => format!(
            "There is no ODBC data source “{shown}” on this computer. In ODBC Data Sources (32-bit), \
             add a Timberline Data Source pointing to your Sage 300 CRE data folder, then enter its \
             name exactly"
        ),
        // Invalid authorization.
        "28000" => format!(
            "The data source “{shown}” refused the user name or password. Enter the password of the \
             Sage 300 CRE user the data source signs in as"
        ),
        _ => format!(
            "The data source “{shown}” could not be opened. Check that the Sage 300 CRE data folder \
             it points to is reachable from this computer"
        ),
    };
    refused(format!("{what} (the driver said: {message})."))
}

/// Why `table` could not be read, in words.
fn not_read(shown: &str, table: &Table, error: &OdbcError) -> ConnectorError {
    let (_, message) = said(error);
    let lower = message.to_lowercase();
    let columns: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
    let what = if let Some(column) = table
        .columns
        .iter()
        .find(|c| lower.contains(&c.name.to_lowercase()) && lower.contains("column"))
    {
        format!(
            "The table {} of “{shown}” has no column {}, which Timebridge reads ({} are needed)",
            table.name,
            column.name,
            columns.join(", ")
        )
    } else if lower.contains("table") || lower.contains("view") {
        format!(
            "The data source “{shown}” has no table {}. Check that it points to the Sage 300 CRE data \
             folder of the company, and that its user may read Payroll and Job Cost",
            table.name
        )
    } else {
        format!("The table {} of “{shown}” could not be read", table.name)
    };
    refused(format!(
        "{what} (the driver said: {message}). Nothing was synced; what was synced before is kept."
    ))
}

/// Every table of the mapping, read whole from the data source.
pub(super) fn read(connection: &Sensitive<String>, shown: &str) -> Result<Raw, ConnectorError> {
    let env = environment().map_err(|e| {
        refused(format!(
            "The ODBC driver manager could not be started ({e}). Install unixODBC (Linux, macOS) \
             or repair the Windows ODBC components."
        ))
    })?;
    let options = ConnectionOptions {
        login_timeout_sec: Some(TIMEOUT_SECONDS),
        ..ConnectionOptions::default()
    };
    let conn = env
        .connect_with_connection_string(connection.expose(), options)
        .map_err(|e| not_opened(shown, &e))?;
    let mut raw = Raw::default();
    for table in &TABLES {
        let rows = read_table(&conn, table).map_err(|e| not_read(shown, table, &e))?;
        raw.tables.push((table.list, rows));
    }
    Ok(raw)
}

fn read_table(conn: &odbc_api::Connection<'_>, table: &Table) -> Result<Vec<RawRow>, OdbcError> {
    let mut rows = Vec::new();
    let Some(mut cursor) = conn.execute(&table.select(), (), Some(TIMEOUT_SECONDS as usize))?
    else {
        return Ok(rows);
    };
    let width = table.columns.len();
    let mut buffer = Vec::new();
    let mut number = 0usize;
    while let Some(mut row) = cursor.next_row()? {
        number += 1;
        let mut values = Vec::with_capacity(width);
        for at in 1..=width {
            buffer.clear();
            let value = if row.get_text(at as u16, &mut buffer)? {
                String::from_utf8_lossy(&buffer).trim().to_owned()
            } else {
                String::new()
            };
            values.push(value);
        }
        rows.push(RawRow {
            at: format!("{} row {number}", table.name),
            values,
        });
    }
    Ok(rows)
}

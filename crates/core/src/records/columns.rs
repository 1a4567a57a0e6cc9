//! The columns each kind of record stores its draft in, named once.
//!
//! A kind declares its table and the list of its draft's columns as a
//! [`Columns`]; its INSERT and UPDATE are built from that list (and
//! [`super::ListSpec`] selects it), its values are bound in the list's
//! order and its row reader takes the names from it. The list's length is
//! part of its type, so a column added to it without a value to bind or a
//! field to read fails to compile.

use std::sync::OnceLock;

use rusqlite::types::ToSqlOutput;
use rusqlite::{ToSql, Transaction, params_from_iter};

use super::{INSERT_META_COLUMNS, InsertMeta, UpdateStamp};

/// One kind's table and the `N` columns its draft is stored in, in the
/// order its values are bound. Its statements are built on first use.
pub(crate) struct Columns<const N: usize> {
    pub table: &'static str,
    pub names: [&'static str; N],
    /// A column the app never binds, written from the others by an SQL
    /// expression over their placeholders (`?1` is the first listed
    /// column), on every insert and update.
    derived: Option<(&'static str, &'static str)>,
    insert: OnceLock<String>,
    update: OnceLock<String>,
}

impl<const N: usize> Columns<N> {
    pub const fn new(table: &'static str, names: [&'static str; N]) -> Self {
        Columns {
            table,
            names,
            derived: None,
            insert: OnceLock::new(),
            update: OnceLock::new(),
        }
    }

    /// These columns, and `column` written as `expression` (see
    /// [`Columns::derived`]).
    pub const fn deriving(mut self, column: &'static str, expression: &'static str) -> Self {
        self.derived = Some((column, expression));
        self
    }

    /// Inserts a record: the draft's `values` (in [`Columns::names`] order),
    /// then its source and change tracking.
    pub fn insert(
        &self,
        tx: &Transaction<'_>,
        values: [ToSqlOutput<'_>; N],
        meta: &InsertMeta<'_>,
    ) -> rusqlite::Result<()> {
        let sql = self.insert.get_or_init(|| self.insert_sql());
        let meta: [&dyn ToSql; 5] = [
            &meta.source_kind,
            &meta.integration_id,
            &meta.external_id,
            &meta.now,
            &meta.updated_by,
        ];
        tx.prepare_cached(sql)?
            .execute(params_from_iter(
                values.iter().map(|v| v as &dyn ToSql).chain(meta),
            ))
            .map(drop)
    }

    /// Saves the draft's `values` (in [`Columns::names`] order) over the
    /// record `id`, stamping who changed it and when.
    pub fn update(
        &self,
        tx: &Transaction<'_>,
        id: i64,
        values: [ToSqlOutput<'_>; N],
        stamp: &UpdateStamp,
    ) -> rusqlite::Result<()> {
        let sql = self.update.get_or_init(|| self.update_sql());
        let stamp: [&dyn ToSql; 3] = [&stamp.now, &stamp.updated_by, &id];
        tx.prepare_cached(sql)?
            .execute(params_from_iter(
                values.iter().map(|v| v as &dyn ToSql).chain(stamp),
            ))
            .map(drop)
    }

    fn insert_sql(&self) -> String {
        let placeholders = (1..=N)
            .map(|n| format!("?{n}"))
            .collect::<Vec<_>>()
            .join(", ");
        // created_at and updated_at share one value.
        let (kind, integration, external, now, by) = (N + 1, N + 2, N + 3, N + 4, N + 5);
        let (column, value) = match self.derived {
            Some((column, expression)) => (format!(", {column}"), format!(", {expression}")),
            None => (String::new(), String::new()),
        };
        format!(
            "INSERT INTO {} ({}{column}, {INSERT_META_COLUMNS}) VALUES ({placeholders}{value}, ?{kind}, ?{integration}, ?{external}, ?{now}, ?{now}, ?{by})",
            self.table,
            self.names.join(", ")
        )
    }

    fn update_sql(&self) -> String {
        let mut set = self
            .names
            .iter()
            .enumerate()
            .map(|(i, name)| format!("{name} = ?{}", i + 1))
            .collect::<Vec<_>>()
            .join(", ");
        if let Some((column, expression)) = self.derived {
            set.push_str(&format!(", {column} = {expression}"));
        }
        let (now, by, id) = (N + 1, N + 2, N + 3);
        format!(
            "UPDATE {} SET {set}, updated_at = ?{now}, updated_by = ?{by} WHERE id = ?{id}",
            self.table
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_insert_binds_the_listed_columns_then_the_source_and_tracking() {
        let columns = Columns::new("customers", ["name", "email"]);
        assert_eq!(
            columns.insert_sql(),
            "INSERT INTO customers (name, email, source_kind, source_integration_id, \
             source_external_id, created_at, updated_at, updated_by) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7)",
            "each listed column takes the value at its place in the list; created_at and updated_at share one"
        );
    }

    #[test]
    fn a_derived_column_is_written_from_the_others_on_insert_and_update() {
        let columns = Columns::new("t", ["a", "b"]).deriving("c", "(?1 + ?2)");
        assert_eq!(
            (columns.insert_sql(), columns.update_sql()),
            (
                "INSERT INTO t (a, b, c, source_kind, source_integration_id, source_external_id, \
                 created_at, updated_at, updated_by) VALUES (?1, ?2, (?1 + ?2), ?3, ?4, ?5, ?6, \
                 ?6, ?7)"
                    .to_owned(),
                "UPDATE t SET a = ?1, b = ?2, c = (?1 + ?2), updated_at = ?3, updated_by = ?4 \
                 WHERE id = ?5"
                    .to_owned()
            ),
            "the derived column takes its expression, and binds nothing of its own"
        );
    }

    #[test]
    fn the_update_sets_the_listed_columns_then_the_stamp() {
        let columns = Columns::new("customers", ["name", "email"]);
        assert_eq!(
            columns.update_sql(),
            "UPDATE customers SET name = ?1, email = ?2, updated_at = ?3, updated_by = ?4 WHERE id = ?5",
            "each listed column takes the value at its place in the list, the record's id last"
        );
    }
}

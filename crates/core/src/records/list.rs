//! Listing records: the page a list asks for ([`ListQuery`]: page, sort,
//! search, source, job), the page it gets ([`Page`]), and the SQL behind every
//! kind's list, built in one place so each kind only names its table, the
//! columns it shows beside its stored ones, and its sort keys.

use std::fmt::{self, Display};

use rusqlite::types::Value;
use rusqlite::{Connection, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{META_COLUMNS, RecordKind};
use crate::error::{Error, Result};

/// Which records a list shows, by where they came from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SourceFilter {
    #[default]
    All,
    Manual,
    /// Imported from any integration.
    Imported,
    /// Imported from one integration.
    Integration {
        integration_id: i64,
    },
}

/// A page of a list: which page, how it is sorted, searched and filtered.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct ListQuery<S> {
    /// 1-based.
    pub page: u32,
    /// At most [`MAX_PAGE_SIZE`].
    pub page_size: u32,
    /// `None` sorts by the kind's natural order (name, or date for time).
    pub sort: Option<S>,
    pub descending: bool,
    /// Words that must each appear in one of the kind's searchable columns.
    pub search: Option<String>,
    pub source: SourceFilter,
    /// Include deactivated records (voided time entries).
    pub include_inactive: bool,
    /// Only the records of this job: its time entries, budgets and own
    /// tasks. Refused for kinds that have no job.
    #[ts(optional = nullable)]
    pub job_id: Option<i64>,
}

impl<S> Default for ListQuery<S> {
    fn default() -> Self {
        ListQuery {
            page: 1,
            page_size: DEFAULT_PAGE_SIZE,
            sort: None,
            descending: false,
            search: None,
            source: SourceFilter::All,
            include_inactive: false,
            job_id: None,
        }
    }
}

pub const DEFAULT_PAGE_SIZE: u32 = 50;
pub const MAX_PAGE_SIZE: u32 = 500;

/// One page of rows, with the total the filter matches.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Page<T> {
    pub rows: Vec<T>,
    pub total: i64,
    pub page: u32,
    pub page_size: u32,
}

/// Page number at least 1; page size between 1 and [`MAX_PAGE_SIZE`].
pub(crate) fn clamp_page(page: u32, page_size: u32) -> (u32, u32) {
    let page_size = if page_size == 0 {
        DEFAULT_PAGE_SIZE
    } else {
        page_size.min(MAX_PAGE_SIZE)
    };
    (page.max(1), page_size)
}

/// A WHERE clause built from parts, with its parameters in order.
#[derive(Debug, Default)]
pub(crate) struct Filter {
    clauses: Vec<String>,
    params: Vec<Value>,
}

impl Filter {
    /// Adds `sql` (with `?` placeholders) and its parameters.
    pub fn clause(&mut self, sql: &str, params: impl IntoIterator<Item = Value>) {
        self.clauses.push(format!("({sql})"));
        self.params.extend(params);
    }

    /// Every whitespace-separated word of `text` must appear (case-insensitive)
    /// in at least one of `columns`.
    pub fn search(&mut self, text: Option<&str>, columns: &[&str]) {
        let Some(text) = text else { return };
        for word in text.split_whitespace().take(8) {
            let pattern = format!("%{}%", escape_like(word));
            let any_column = columns
                .iter()
                .map(|c| format!("{c} LIKE ? ESCAPE '\\'"))
                .collect::<Vec<_>>()
                .join(" OR ");
            self.clause(&any_column, columns.iter().map(|_| pattern.clone().into()));
        }
    }

    /// Limits to records from `source`; the table is aliased `r`.
    pub fn source(&mut self, source: &SourceFilter) {
        match source {
            SourceFilter::All => {}
            SourceFilter::Manual => self.clause("r.source_kind = 'manual'", []),
            SourceFilter::Imported => self.clause("r.source_kind = 'imported'", []),
            SourceFilter::Integration { integration_id } => self.clause(
                "r.source_kind = 'imported' AND r.source_integration_id = ?",
                [(*integration_id).into()],
            ),
        }
    }

    pub fn where_sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", self.clauses.join(" AND "))
        }
    }

    pub fn params(&self) -> &[Value] {
        &self.params
    }
}

fn escape_like(word: &str) -> String {
    let mut escaped = String::with_capacity(word.len());
    for c in word.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// The SQL expressions a sort key orders by (ties broken by id).
pub(crate) trait SortColumns: Copy {
    fn columns(self) -> &'static [&'static str];
}

/// How one kind is listed.
pub(crate) struct ListSpec {
    /// `table r LEFT JOIN integrations si ON … [more joins]`
    pub from: &'static str,
    /// The kind's stored columns ([`super::Columns::names`]), selected as
    /// `r.<name>`.
    pub stored: &'static [&'static str],
    /// What the list shows beside them: joined names, counts, whether the
    /// record is active.
    pub shown: &'static str,
    pub search_columns: &'static [&'static str],
    /// The condition for "active" rows, left out when inactive ones are asked for.
    pub active_condition: &'static str,
    /// The column naming a record's job, for [`ListQuery::job_id`]; `None`
    /// for kinds that have no job.
    pub job_column: Option<&'static str>,
}

impl ListSpec {
    /// The select list: the id, the stored columns, what is shown beside
    /// them, and the source and change tracking ([`RecordMeta`]).
    fn select(&self) -> Select<'_> {
        Select(self)
    }
}

/// Writes a [`ListSpec`]'s select list straight into its statement.
struct Select<'a>(&'a ListSpec);

impl Display for Select<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("r.id")?;
        for name in self.0.stored {
            write!(f, ", r.{name}")?;
        }
        write!(f, ", {}, {META_COLUMNS}", self.0.shown)
    }
}

pub(crate) fn run_list<T, S: SortColumns>(
    conn: &Connection,
    spec: &ListSpec,
    query: &ListQuery<S>,
    default_sort: S,
    mut filter: Filter,
    map: impl Fn(&Row<'_>) -> rusqlite::Result<T>,
) -> Result<Page<T>> {
    let (page, page_size) = clamp_page(query.page, query.page_size);
    if !query.include_inactive {
        filter.clause(spec.active_condition, []);
    }
    if let Some(job_id) = query.job_id {
        let Some(column) = spec.job_column else {
            return Err(Error::invalid(
                "job_id",
                "These records are not listed by job.",
            ));
        };
        filter.clause(&format!("{column} = ?"), [job_id.into()]);
    }
    filter.source(&query.source);
    filter.search(query.search.as_deref(), spec.search_columns);
    let where_sql = filter.where_sql();

    let total: i64 = conn
        .prepare_cached(&format!("SELECT count(*) FROM {} {where_sql}", spec.from))?
        .query_row(rusqlite::params_from_iter(filter.params()), |row| {
            row.get(0)
        })?;

    let direction = if query.descending { "DESC" } else { "ASC" };
    let order_by = query
        .sort
        .unwrap_or(default_sort)
        .columns()
        .iter()
        .chain(std::iter::once(&"r.id"))
        .map(|column| format!("{column} {direction}"))
        .collect::<Vec<_>>()
        .join(", ");
    let offset = (i64::from(page) - 1) * i64::from(page_size);
    let sql = format!(
        "SELECT {} FROM {} {where_sql} ORDER BY {order_by} LIMIT {page_size} OFFSET {offset}",
        spec.select(),
        spec.from
    );
    let mut statement = conn.prepare_cached(&sql)?;
    let rows = statement
        .query_map(rusqlite::params_from_iter(filter.params()), map)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Page {
        rows,
        total,
        page,
        page_size,
    })
}

/// Reads one record by id, or [`RecordKind::not_found`].
pub(crate) fn get_one<T>(
    conn: &Connection,
    kind: RecordKind,
    spec: &ListSpec,
    id: i64,
    map: impl FnOnce(&Row<'_>) -> rusqlite::Result<T>,
) -> Result<T> {
    let sql = format!(
        "SELECT {} FROM {} WHERE r.id = ?1",
        spec.select(),
        spec.from
    );
    let mut statement = conn.prepare_cached(&sql)?;
    let mut rows = statement.query([id])?;
    match rows.next()? {
        Some(row) => Ok(map(row)?),
        None => Err(kind.not_found(id)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_wildcards_typed_by_the_user_match_literally() {
        assert_eq!(
            escape_like("50%_off\\"),
            "50\\%\\_off\\\\",
            "a % typed in the search box must not match everything"
        );
    }

    #[test]
    fn page_size_is_kept_within_limits() {
        assert_eq!(
            clamp_page(0, 100_000),
            (1, MAX_PAGE_SIZE),
            "a huge page size must not load a whole table"
        );
        assert_eq!(
            clamp_page(3, 0),
            (3, DEFAULT_PAGE_SIZE),
            "0 means the default"
        );
    }
}

//! Running a validated query against the organisation: each root list's
//! filter, sort and cursor page (`BB-PAGE-*`, `BB-FILTER-*`), then the
//! selection of every record, computed fields (`cursor`, a project's
//! `children` and `ancestors`) included. A list that cannot be answered is
//! an execution error: `data` is null and the error names its path.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::convert::Infallible;

use async_graphql_parser::Pos;
use async_graphql_parser::types::{ExecutableDocument, Field, Selection, SelectionSet};
use async_graphql_value::{ConstValue, Name};
use serde_json::{Map, Value};

use super::company::{Organization, busy_time};
use super::schema;
use super::validate::{Problem, named, ty};

/// The most records one page may ask for (`BB-PAGE-1`).
pub const MAX_PAGE: i64 = 1000;
/// A page's size when `first` is not given (*assumed*).
pub const DEFAULT_PAGE: i64 = 100;

/// The records of one list, filtered and sorted, kept while the
/// organisation is unchanged so paging a large list does not filter it
/// again for every page.
#[derive(Default)]
pub struct Matches {
    key: String,
    indices: Vec<usize>,
    /// Each matched record's id → its place in `indices`, for `after`.
    places: HashMap<String, usize>,
}

/// Who is asking: whether they hold every permission (`BB-AUTH-5`).
pub struct Asking {
    pub admin: bool,
}

/// An execution error: what, where in the document, and the path of the
/// field it belongs to.
pub struct Failure {
    pub problem: Problem,
    pub path: String,
}

pub struct Run<'a> {
    pub org: &'a Organization,
    pub document: &'a ExecutableDocument,
    pub variables: &'a HashMap<Name, ConstValue>,
    pub asking: Asking,
    /// The organisation's version, for [`Matches`].
    pub version: u64,
}

impl Run<'_> {
    /// The `data` of the answer, or the first list that failed.
    pub fn query(&self, set: &SelectionSet, cache: &mut Matches) -> Result<Value, Failure> {
        let mut data = Map::new();
        for field in self.fields(set) {
            let key = field.response_key().node.to_string();
            let name = field.name.node.as_str();
            let value = if name == "__typename" {
                Value::String("Query".to_owned())
            } else {
                self.list(field, cache)?
            };
            data.insert(key, value);
        }
        Ok(Value::Object(data))
    }

    /// The fields of a selection, fragments spread (validation has held
    /// them to the type already).
    fn fields<'s>(&'s self, set: &'s SelectionSet) -> Vec<&'s Field> {
        let mut out = Vec::new();
        for item in &set.items {
            match &item.node {
                Selection::Field(field) => out.push(&field.node),
                Selection::FragmentSpread(spread) => {
                    if let Some(fragment) =
                        self.document.fragments.get(&spread.node.fragment_name.node)
                    {
                        out.extend(self.fields(&fragment.node.selection_set.node));
                    }
                }
                Selection::InlineFragment(inline) => {
                    out.extend(self.fields(&inline.node.selection_set.node));
                }
            }
        }
        out
    }

    fn argument(&self, field: &Field, name: &str) -> Value {
        field
            .get_argument(name)
            .and_then(|value| {
                value
                    .node
                    .clone()
                    .into_const_with(|var| {
                        Ok::<_, Infallible>(
                            self.variables
                                .get(&var)
                                .cloned()
                                .unwrap_or(ConstValue::Null),
                        )
                    })
                    .ok()
            })
            .and_then(|value| value.into_json().ok())
            .unwrap_or(Value::Null)
    }

    fn list(&self, field: &Field, cache: &mut Matches) -> Result<Value, Failure> {
        let root = field.name.node.as_str();
        let fail = |message: String, at: Pos| Failure {
            problem: Problem::new(message, Some(at)),
            path: field.response_key().node.to_string(),
        };
        let filter = normalized(self.argument(field, "filter"));
        let sort = self.argument(field, "sort");
        if root == "timeEntries" && !bounded(&filter) {
            return Err(fail(
                "timeEntries needs a filter on startTime or updatedOn from a time (greaterThan or greaterThanOrEqual)".to_owned(),
                field.name.pos,
            ));
        }
        let first = match self.argument(field, "first") {
            Value::Null => DEFAULT_PAGE,
            value => value.as_i64().unwrap_or(0),
        };
        if !(1..=MAX_PAGE).contains(&first) {
            return Err(fail(
                format!("first must be from 1 to {MAX_PAGE}; it was {first}"),
                field.name.pos,
            ));
        }
        let records = self.org.list(root);
        let key = format!(
            "{}|{root}|{filter}|{sort}|{}",
            self.version, self.asking.admin
        );
        if cache.key != key {
            let mut indices: Vec<usize> = (0..records.len())
                .filter(|&i| self.matches(&records[i], &filter))
                .collect();
            let order = sort_keys(&sort);
            if !order.is_empty() {
                indices.sort_by(|&a, &b| compare(&records[a], &records[b], &order));
            }
            let places = indices
                .iter()
                .enumerate()
                .filter_map(|(place, &i)| Some((records[i]["id"].as_str()?.to_owned(), place)))
                .collect();
            *cache = Matches {
                key,
                indices,
                places,
            };
        }
        let start = match self.argument(field, "after") {
            Value::String(cursor) => {
                let id = decode_cursor(root, &cursor);
                let at = id.and_then(|id| cache.places.get(&id).copied());
                match at {
                    Some(at) => at + 1,
                    None => {
                        return Err(fail(
                            format!("Invalid cursor: {cursor}"),
                            field
                                .get_argument("after")
                                .map_or(field.name.pos, |a| a.pos),
                        ));
                    }
                }
            }
            _ => 0,
        };
        let type_name = schema::field("Query", root)
            .map(|f| named(&ty(f.ty)).to_owned())
            .unwrap_or_default();
        let page: Vec<Value> = cache
            .indices
            .iter()
            .skip(start)
            .take(usize::try_from(first).unwrap_or(0))
            .map(|&i| self.select(&records[i], &type_name, &field.selection_set.node, root))
            .collect();
        Ok(Value::Array(page))
    }

    fn matches(&self, record: &Value, filter: &Value) -> bool {
        let Value::Object(fields) = filter else {
            return true;
        };
        fields.iter().all(|(name, ops)| {
            if name == "permissions" {
                return self.asking.admin;
            }
            let value = &record[name.as_str()];
            let Value::Object(ops) = ops else {
                return true;
            };
            ops.iter().all(|(op, arg)| compare_op(value, op, arg))
        })
    }

    fn select(&self, record: &Value, on: &str, set: &SelectionSet, root: &str) -> Value {
        let mut out = Map::new();
        for field in self.fields(set) {
            let name = field.name.node.as_str();
            let value = match name {
                "__typename" => Value::String(on.to_owned()),
                "cursor" => Value::String(encode_cursor(root, record["id"].as_str().unwrap_or(""))),
                "children" if on == "Project" => Value::Array(
                    self.org
                        .projects
                        .iter()
                        .filter(|p| p["parentProjectId"] == record["id"])
                        .map(|p| self.select(p, on, &field.selection_set.node, root))
                        .collect(),
                ),
                "ancestors" if on == "Project" => {
                    let mut chain = Vec::new();
                    let mut parent = record["parentProjectId"].clone();
                    while let Some(project) = self
                        .org
                        .projects
                        .iter()
                        .find(|p| p["id"] == parent && !parent.is_null())
                    {
                        chain.push(self.select(project, on, &field.selection_set.node, root));
                        parent = project["parentProjectId"].clone();
                    }
                    chain.reverse();
                    Value::Array(chain)
                }
                _ => {
                    let value = &record[name];
                    let inner = schema::field(on, name)
                        .map(|f| named(&ty(f.ty)).to_owned())
                        .unwrap_or_default();
                    if field.selection_set.node.items.is_empty() {
                        value.clone()
                    } else {
                        match value {
                            Value::Array(items) => Value::Array(
                                items
                                    .iter()
                                    .map(|item| {
                                        self.select(item, &inner, &field.selection_set.node, root)
                                    })
                                    .collect(),
                            ),
                            Value::Object(_) => {
                                self.select(value, &inner, &field.selection_set.node, root)
                            }
                            _ => Value::Null,
                        }
                    }
                }
            };
            out.insert(field.response_key().node.to_string(), value);
        }
        Value::Object(out)
    }
}

/// A filter whose timestamps are written as busybusy stores them, so they
/// compare as text.
fn normalized(filter: Value) -> Value {
    match filter {
        Value::Object(fields) => Value::Object(
            fields
                .into_iter()
                .map(|(name, ops)| (name, normalized(ops)))
                .collect(),
        ),
        Value::String(text) => match chrono::DateTime::parse_from_rfc3339(&text) {
            Ok(at) => Value::String(busy_time(at.to_utc())),
            Err(_) => Value::String(text),
        },
        other => other,
    }
}

/// Whether a time entry filter starts somewhere (`BB-FILTER-2`).
fn bounded(filter: &Value) -> bool {
    ["startTime", "updatedOn"].iter().any(|field| {
        ["greaterThan", "greaterThanOrEqual"]
            .iter()
            .any(|op| filter[*field][*op].is_string())
    })
}

fn compare_op(value: &Value, op: &str, arg: &Value) -> bool {
    match op {
        "equal" => value == arg,
        "isNull" => arg.as_bool().is_none_or(|null| value.is_null() == null),
        "contains" => arg.as_array().is_some_and(|items| items.contains(value)),
        _ => {
            let (Some(have), Some(bound)) = (value.as_str(), arg.as_str()) else {
                return false;
            };
            match op {
                "greaterThan" => have > bound,
                "greaterThanOrEqual" => have >= bound,
                "lessThan" => have < bound,
                "lessThanOrEqual" => have <= bound,
                _ => false,
            }
        }
    }
}

/// `[{"firstName": "asc"}, {"projectInfo": {"projectId": "desc"}}]` as
/// paths and whether each is descending.
fn sort_keys(sort: &Value) -> Vec<(Vec<String>, bool)> {
    fn walk(value: &Value, path: &mut Vec<String>, out: &mut Vec<(Vec<String>, bool)>) {
        match value {
            Value::Object(fields) => {
                for (name, inner) in fields {
                    path.push(name.clone());
                    walk(inner, path, out);
                    path.pop();
                }
            }
            Value::String(order) => out.push((path.clone(), order == "desc")),
            _ => {}
        }
    }
    let mut out = Vec::new();
    let items = match sort {
        Value::Array(items) => items.clone(),
        Value::Null => Vec::new(),
        single => vec![single.clone()],
    };
    for item in &items {
        walk(item, &mut Vec::new(), &mut out);
    }
    out
}

fn compare(a: &Value, b: &Value, order: &[(Vec<String>, bool)]) -> Ordering {
    for (path, descending) in order {
        let pick = |record: &Value| {
            path.iter()
                .fold(record.clone(), |v, p| v[p.as_str()].clone())
        };
        let (x, y) = (pick(a), pick(b));
        let ordering = match (&x, &y) {
            (Value::Number(x), Value::Number(y)) => x
                .as_f64()
                .partial_cmp(&y.as_f64())
                .unwrap_or(Ordering::Equal),
            (Value::String(x), Value::String(y)) => x.cmp(y),
            (Value::Null, Value::Null) => Ordering::Equal,
            (Value::Null, _) => Ordering::Less,
            (_, Value::Null) => Ordering::Greater,
            _ => Ordering::Equal,
        };
        let ordering = if *descending {
            ordering.reverse()
        } else {
            ordering
        };
        if ordering != Ordering::Equal {
            return ordering;
        }
    }
    Ordering::Equal
}

/// A record's cursor: opaque to clients, naming its list and id.
pub fn encode_cursor(root: &str, id: &str) -> String {
    format!("{root}:{id}")
        .bytes()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn decode_cursor(root: &str, cursor: &str) -> Option<String> {
    if !cursor.len().is_multiple_of(2) || !cursor.is_ascii() {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..cursor.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&cursor[i..i + 2], 16).ok())
        .collect();
    let text = String::from_utf8(bytes?).ok()?;
    text.strip_prefix(root)?
        .strip_prefix(':')
        .map(str::to_owned)
}

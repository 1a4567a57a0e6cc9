//! A list's OData query, read as Aspire reads it: which options it takes
//! (`ASP-QUERY-1`, `ASP-QUERY-2`), paging (`ASP-PAGE-1..3`), `$filter`
//! (`ASP-FILTER-1..4`), `$orderby` (`ASP-ORDER-1`), `$select` and
//! `$expand` (`ASP-SELECT-1`), each checked against the entity's fields.
//! A problem is a message for an OData error body, answered 400.

use std::cmp::Ordering;

use chrono::{DateTime, NaiveDate, NaiveDateTime};
use serde_json::{Map, Value};

use super::schema::{Entity, Kind};

/// The query options every list takes (the OpenAPI document's parameters).
const OPTIONS: [&str; 9] = [
    "$select",
    "$filter",
    "$expand",
    "$orderby",
    "$skip",
    "$top",
    "$pageNumber",
    "$limit",
    "api-version",
];

/// Records a page holds when `$limit` is not given.
pub(crate) const DEFAULT_LIMIT: usize = 25;
/// The largest `$limit` Aspire answers.
pub(crate) const MAX_LIMIT: usize = 1000;

/// Which records of the matching list a request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Page {
    Numbered { number: usize, limit: usize },
    TopSkip { top: Option<usize>, skip: usize },
}

/// A list request's query, checked.
#[derive(Debug)]
pub(crate) struct ListQuery {
    filter: Option<Expr>,
    order: Option<(String, bool)>,
    select: Option<Vec<String>>,
    pub page: Page,
}

/// The options of a query string, each at most once.
fn options(query: &str) -> Result<Vec<(String, String)>, String> {
    let mut seen: Vec<(String, String)> = Vec::new();
    for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
        if !OPTIONS.contains(&key.as_ref()) {
            return Err(format!(
                "The query parameter '{key}' is not supported. The supported query options are {}.",
                OPTIONS.join(", ")
            ));
        }
        if seen.iter().any(|(k, _)| *k == key) {
            return Err(format!(
                "The query option '{key}' was specified more than once; it must be specified at most once."
            ));
        }
        seen.push((key.into_owned(), value.into_owned()));
    }
    Ok(seen)
}

fn whole(name: &str, value: &str, least: usize, most: Option<usize>) -> Result<usize, String> {
    let text = value.trim();
    let number = (!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse::<usize>().ok())
        .flatten()
        .filter(|n| *n >= least && most.is_none_or(|m| *n <= m));
    number.ok_or_else(|| match most {
        Some(most) => {
            format!("Invalid value '{value}' for {name}: a whole number from {least} to {most}.")
        }
        None => format!("Invalid value '{value}' for {name}: a whole number from {least}."),
    })
}

impl ListQuery {
    /// Reads `query` (the raw query string) for a list of `entity`.
    pub fn parse(query: &str, entity: &Entity) -> Result<ListQuery, String> {
        let options = options(query)?;
        let get = |name: &str| {
            options
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        let numbered = get("$pageNumber").is_some() || get("$limit").is_some();
        let top_skip = get("$top").is_some() || get("$skip").is_some();
        if numbered && top_skip {
            return Err(
                "$top and $skip cannot be combined with $pageNumber and $limit; page one way."
                    .into(),
            );
        }
        let page = if top_skip {
            Page::TopSkip {
                top: get("$top").map(|v| whole("$top", v, 0, None)).transpose()?,
                skip: get("$skip")
                    .map(|v| whole("$skip", v, 0, None))
                    .transpose()?
                    .unwrap_or(0),
            }
        } else {
            Page::Numbered {
                number: get("$pageNumber")
                    .map(|v| whole("$pageNumber", v, 1, None))
                    .transpose()?
                    .unwrap_or(1),
                limit: get("$limit")
                    .map(|v| whole("$limit", v, 1, Some(MAX_LIMIT)))
                    .transpose()?
                    .unwrap_or(DEFAULT_LIMIT),
            }
        };
        let filter = get("$filter")
            .map(|f| Parser::new(f, entity)?.whole())
            .transpose()?;
        let order = get("$orderby").map(|o| order_by(o, entity)).transpose()?;
        let select = get("$select")
            .map(|s| fields(s, "$select", entity, |_| true))
            .transpose()?;
        if let Some(expand) = get("$expand") {
            fields(expand, "$expand", entity, |k| {
                matches!(k, Kind::Collection | Kind::Object)
            })?;
        }
        Ok(ListQuery {
            filter,
            order,
            select,
            page,
        })
    }

    /// The records of `all` this query answers, in order, paged, projected.
    pub fn answer(&self, all: &[Value], entity: &Entity) -> Vec<Value> {
        let mut matched: Vec<&Value> = all
            .iter()
            .filter(|r| self.filter.as_ref().is_none_or(|f| f.test(r, entity)))
            .collect();
        if let Some((field, descending)) = &self.order {
            let kind = entity.kind(field).unwrap_or(Kind::Text);
            matched.sort_by(|a, b| {
                let ordering =
                    Scalar::of(a.get(field), kind).order(&Scalar::of(b.get(field), kind));
                if *descending {
                    ordering.reverse()
                } else {
                    ordering
                }
            });
        }
        let (skip, take) = match self.page {
            Page::Numbered { number, limit } => ((number - 1).saturating_mul(limit), limit),
            Page::TopSkip { top, skip } => (skip, top.unwrap_or(usize::MAX)),
        };
        matched
            .into_iter()
            .skip(skip)
            .take(take)
            .map(|record| match (&self.select, record) {
                (Some(names), Value::Object(fields)) => Value::Object(
                    names
                        .iter()
                        .map(|n| (n.clone(), fields.get(n).cloned().unwrap_or(Value::Null)))
                        .collect::<Map<_, _>>(),
                ),
                _ => record.clone(),
            })
            .collect()
    }
}

fn unknown_property(name: &str, entity: &Entity) -> String {
    format!(
        "Could not find a property named '{name}' on type 'Aspire.{}'.",
        entity.model
    )
}

/// A comma-separated list of property names, each `allowed`.
fn fields(
    list: &str,
    option: &str,
    entity: &Entity,
    allowed: impl Fn(Kind) -> bool,
) -> Result<Vec<String>, String> {
    list.split(',')
        .map(|name| {
            let name = name.trim();
            match entity.kind(name) {
                Some(kind) if allowed(kind) => Ok(name.to_owned()),
                Some(_) => Err(format!(
                    "The property '{name}' cannot be used in {option} on type 'Aspire.{}'.",
                    entity.model
                )),
                None => Err(unknown_property(name, entity)),
            }
        })
        .collect()
}

/// `$orderby`: one property, `asc` (the default) or `desc`.
fn order_by(text: &str, entity: &Entity) -> Result<(String, bool), String> {
    if text.contains(',') {
        return Err("Only one property can be given in $orderby.".into());
    }
    let mut words = text.split_whitespace();
    let field = words.next().ok_or("$orderby names no property.")?;
    let descending = match words.next() {
        None | Some("asc") => false,
        Some("desc") => true,
        Some(other) => {
            return Err(format!(
                "Syntax error in $orderby: '{other}' is neither 'asc' nor 'desc'."
            ));
        }
    };
    if words.next().is_some() {
        return Err(format!("Syntax error in $orderby '{text}'."));
    }
    match entity.kind(field) {
        Some(Kind::Collection | Kind::Object) => Err(format!(
            "The property '{field}' cannot be used in $orderby on type 'Aspire.{}'.",
            entity.model
        )),
        Some(_) => Ok((field.to_owned(), descending)),
        None => Err(unknown_property(field, entity)),
    }
}

/// A value a comparison works with.
#[derive(Debug, Clone, PartialEq)]
enum Scalar {
    Null,
    Text(String),
    Number(f64),
    Boolean(bool),
    Time(NaiveDateTime),
}

/// An ISO 8601 date or date-time; one with an offset is taken to UTC.
fn date_time(text: &str) -> Option<NaiveDateTime> {
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return date.and_hms_opt(0, 0, 0);
    }
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(at.naive_utc());
    }
    ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
}

impl Scalar {
    /// A record's field as a value of its kind.
    fn of(value: Option<&Value>, kind: Kind) -> Scalar {
        match (value, kind) {
            (None | Some(Value::Null), _) => Scalar::Null,
            (Some(Value::Bool(b)), _) => Scalar::Boolean(*b),
            (Some(Value::Number(n)), _) => n.as_f64().map_or(Scalar::Null, Scalar::Number),
            (Some(Value::String(s)), Kind::DateTime) => {
                date_time(s).map_or_else(|| Scalar::Text(s.clone()), Scalar::Time)
            }
            (Some(Value::String(s)), _) => Scalar::Text(s.clone()),
            (Some(other), _) => Scalar::Text(other.to_string()),
        }
    }

    /// Nulls first, then by value.
    fn order(&self, other: &Scalar) -> Ordering {
        match (self, other) {
            (Scalar::Null, Scalar::Null) => Ordering::Equal,
            (Scalar::Null, _) => Ordering::Less,
            (_, Scalar::Null) => Ordering::Greater,
            (a, b) => a.compare(b).unwrap_or(Ordering::Equal),
        }
    }

    fn compare(&self, other: &Scalar) -> Option<Ordering> {
        match (self, other) {
            (Scalar::Text(a), Scalar::Text(b)) => Some(a.cmp(b)),
            (Scalar::Number(a), Scalar::Number(b)) => a.partial_cmp(b),
            (Scalar::Boolean(a), Scalar::Boolean(b)) => Some(a.cmp(b)),
            (Scalar::Time(a), Scalar::Time(b)) => Some(a.cmp(b)),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
}

impl Op {
    fn parse(word: &str) -> Option<Op> {
        Some(match word {
            "eq" => Op::Eq,
            "ne" => Op::Ne,
            "gt" => Op::Gt,
            "ge" => Op::Ge,
            "lt" => Op::Lt,
            "le" => Op::Le,
            _ => return None,
        })
    }
}

/// A parsed `$filter`.
#[derive(Debug)]
enum Expr {
    Compare {
        field: String,
        op: Op,
        value: Scalar,
    },
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
}

impl Expr {
    fn test(&self, record: &Value, entity: &Entity) -> bool {
        match self {
            Expr::And(a, b) => a.test(record, entity) && b.test(record, entity),
            Expr::Or(a, b) => a.test(record, entity) || b.test(record, entity),
            Expr::Compare { field, op, value } => {
                let kind = entity.kind(field).unwrap_or(Kind::Text);
                let have = Scalar::of(record.get(field), kind);
                // OData: null equals only null, and orders against nothing.
                if have == Scalar::Null || *value == Scalar::Null {
                    let both = have == *value;
                    return match op {
                        Op::Eq => both,
                        Op::Ne => !both,
                        _ => false,
                    };
                }
                let Some(ordering) = have.compare(value) else {
                    return false;
                };
                match op {
                    Op::Eq => ordering == Ordering::Equal,
                    Op::Ne => ordering != Ordering::Equal,
                    Op::Gt => ordering == Ordering::Greater,
                    Op::Ge => ordering != Ordering::Less,
                    Op::Lt => ordering == Ordering::Less,
                    Op::Le => ordering != Ordering::Greater,
                }
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Open,
    Close,
    Word(String),
    Quoted(String),
}

fn tokens(text: &str) -> Result<Vec<Token>, String> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            '(' => {
                chars.next();
                out.push(Token::Open);
            }
            ')' => {
                chars.next();
                out.push(Token::Close);
            }
            '\'' => {
                chars.next();
                let mut quoted = String::new();
                loop {
                    match chars.next() {
                        Some('\'') if chars.peek() == Some(&'\'') => {
                            chars.next();
                            quoted.push('\'');
                        }
                        Some('\'') => break,
                        Some(c) => quoted.push(c),
                        None => {
                            return Err(format!(
                                "Syntax error in $filter: unterminated string literal in '{text}'."
                            ));
                        }
                    }
                }
                out.push(Token::Quoted(quoted));
            }
            _ => {
                let mut word = String::new();
                while let Some(&c) = chars.peek() {
                    if c.is_whitespace() || c == '(' || c == ')' || c == '\'' {
                        break;
                    }
                    word.push(c);
                    chars.next();
                }
                out.push(Token::Word(word));
            }
        }
    }
    Ok(out)
}

/// `or` of `and`s of comparisons or parenthesised groups.
struct Parser<'a> {
    tokens: Vec<Token>,
    at: usize,
    entity: &'a Entity,
    text: &'a str,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str, entity: &'a Entity) -> Result<Parser<'a>, String> {
        Ok(Parser {
            tokens: tokens(text)?,
            at: 0,
            entity,
            text,
        })
    }

    fn syntax(&self, what: &str) -> String {
        format!("Syntax error in $filter '{}': {what}.", self.text)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.at).cloned();
        self.at += 1;
        token
    }

    fn peek_word(&self, word: &str) -> bool {
        matches!(self.tokens.get(self.at), Some(Token::Word(w)) if w == word)
    }

    fn whole(mut self) -> Result<Expr, String> {
        let expr = self.or()?;
        match self.tokens.get(self.at) {
            None => Ok(expr),
            Some(token) => Err(self.syntax(&format!("unexpected {token:?}"))),
        }
    }

    fn or(&mut self) -> Result<Expr, String> {
        let mut left = self.and()?;
        while self.peek_word("or") {
            self.at += 1;
            left = Expr::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, String> {
        let mut left = self.primary()?;
        while self.peek_word("and") {
            self.at += 1;
            left = Expr::And(Box::new(left), Box::new(self.primary()?));
        }
        Ok(left)
    }

    fn primary(&mut self) -> Result<Expr, String> {
        match self.next() {
            Some(Token::Open) => {
                let inner = self.or()?;
                match self.next() {
                    Some(Token::Close) => Ok(inner),
                    _ => Err(self.syntax("a '(' is not closed")),
                }
            }
            Some(Token::Word(field)) => self.comparison(field),
            Some(other) => Err(self.syntax(&format!("expected a property, found {other:?}"))),
            None => Err(self.syntax("the expression ends too soon")),
        }
    }

    fn comparison(&mut self, field: String) -> Result<Expr, String> {
        let kind = self
            .entity
            .kind(&field)
            .ok_or_else(|| unknown_property(&field, self.entity))?;
        let op = match self.next() {
            Some(Token::Word(word)) => Op::parse(&word).ok_or_else(|| {
                self.syntax(&format!(
                    "'{word}' is not a comparison operator (eq, ne, gt, ge, lt, le)"
                ))
            })?,
            _ => return Err(self.syntax(&format!("'{field}' is compared with nothing"))),
        };
        let token = self
            .next()
            .ok_or_else(|| self.syntax(&format!("'{field}' has no value to compare with")))?;
        let value = self.value(&field, kind, token)?;
        Ok(Expr::Compare { field, op, value })
    }

    /// A literal of the field's kind (`ASP-FILTER-3`, `ASP-FILTER-4`).
    fn value(&self, field: &str, kind: Kind, token: Token) -> Result<Scalar, String> {
        let mismatch = |text: &str, wanted: &str| {
            format!(
                "A binary operator with incompatible types was detected: the property '{field}' \
                 is {wanted}, and '{text}' is not."
            )
        };
        let (text, quoted) = match token {
            Token::Word(w) if w == "null" => return Ok(Scalar::Null),
            Token::Word(w) => (w, false),
            Token::Quoted(q) => (q, true),
            other => return Err(self.syntax(&format!("expected a value, found {other:?}"))),
        };
        match kind {
            Kind::Text if quoted => Ok(Scalar::Text(text)),
            Kind::Text => Err(mismatch(&text, "text, in single quotes")),
            Kind::Integer => text
                .parse::<i64>()
                .map(|n| Scalar::Number(n as f64))
                .map_err(|_| mismatch(&text, "a whole number")),
            Kind::Number => text
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .map(Scalar::Number)
                .ok_or_else(|| mismatch(&text, "a number")),
            Kind::Boolean => match text.as_str() {
                "true" => Ok(Scalar::Boolean(true)),
                "false" => Ok(Scalar::Boolean(false)),
                _ => Err(mismatch(&text, "true or false")),
            },
            Kind::DateTime => date_time(&text).map(Scalar::Time).ok_or_else(|| {
                format!(
                    "The date-time '{text}' given for '{field}' is not valid: \
                     use 2024-06-01 or 2024-06-01T08:00:00 (with an optional Z or offset)."
                )
            }),
            Kind::Collection | Kind::Object => Err(format!(
                "The property '{field}' is a collection or an object and cannot be compared."
            )),
        }
    }
}

//! The QuickBooks Time contract as a table: for each list endpoint
//! Timebridge reads, the parameters QuickBooks Time's reference lists, the
//! form of each, which are required and in which combinations, and whether
//! it pages. `docs/contracts/quickbooks-time.md` is the same contract in
//! words, with a source for every rule; the rule ids here name its rows.
//!
//! The emulator refuses every request [`check`] refuses, with the status and
//! message it gives, and tests hold recorded requests to it.

use chrono::{DateTime, NaiveDate};

/// The form a parameter's value must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// Comma-separated integers (QBT-LIST-8).
    Ids,
    /// `YYYY-MM-DD` (QBT-LIST-5).
    Date,
    /// `YYYY-MM-DDThh:mm:ss±hh:mm` (QBT-LIST-4).
    DateTime,
    /// 1..=200 (QBT-LIST-2).
    Limit,
    /// 1 or more (QBT-LIST-3).
    Page,
    /// One of these words; the contract rule that lists them.
    OneOf(&'static [&'static str], &'static str),
    /// Free text (names, with `*` wildcards).
    Text,
}

const ACTIVE: Form = Form::OneOf(&["yes", "no", "both"], "QBT-LIST-6");
const ON_THE_CLOCK: Form = Form::OneOf(&["yes", "no", "both"], "QBT-TS-3");
const YES_NO: Form = Form::OneOf(&["yes", "no"], "QBT-LIST-7");
const TRUE_FALSE: Form = Form::OneOf(&["true", "false"], "QBT-LIST-1");
const JOBCODE_TYPE: Form = Form::OneOf(
    &["regular", "pto", "paid_break", "unpaid_break", "all"],
    "QBT-JOB-2",
);

/// One list endpoint.
#[derive(Debug)]
pub struct Endpoint {
    pub path: &'static str,
    /// Every parameter the reference lists, and its form.
    pub params: &'static [(&'static str, Form)],
    /// When non-empty, a request needs every parameter of at least one of
    /// these groups (the rule saying so follows).
    pub required: &'static [&'static [&'static str]],
    pub required_rule: &'static str,
    /// Parameters that only come together.
    pub together: &'static [&'static [&'static str]],
    /// Whether answers page with `page`, `limit` and `more`.
    pub paged: bool,
    /// The contract rule listing the parameters.
    pub rule: &'static str,
}

const PAGING: [(&str, Form); 2] = [("limit", Form::Limit), ("page", Form::Page)];

/// Every list endpoint Timebridge reads.
pub static ENDPOINTS: &[Endpoint] = &[
    Endpoint {
        path: "/current_user",
        params: &[],
        required: &[],
        required_rule: "",
        together: &[],
        paged: false,
        rule: "QBT-CUR-1",
    },
    Endpoint {
        path: "/users",
        params: &[
            ("ids", Form::Ids),
            ("not_ids", Form::Ids),
            ("employee_numbers", Form::Ids),
            ("usernames", Form::Text),
            ("group_ids", Form::Ids),
            ("not_group_ids", Form::Ids),
            ("payroll_ids", Form::Text),
            ("active", ACTIVE),
            ("first_name", Form::Text),
            ("last_name", Form::Text),
            ("modified_before", Form::DateTime),
            ("modified_since", Form::DateTime),
            ("supplemental_data", YES_NO),
            PAGING[0],
            PAGING[1],
        ],
        required: &[],
        required_rule: "",
        together: &[],
        paged: true,
        rule: "QBT-USR-1",
    },
    Endpoint {
        path: "/jobcodes",
        params: &[
            ("ids", Form::Ids),
            ("parent_ids", Form::Text),
            ("name", Form::Text),
            ("type", JOBCODE_TYPE),
            ("active", ACTIVE),
            ("customfields", TRUE_FALSE),
            ("modified_before", Form::DateTime),
            ("modified_since", Form::DateTime),
            ("supplemental_data", YES_NO),
            PAGING[0],
            PAGING[1],
        ],
        required: &[],
        required_rule: "",
        together: &[],
        paged: true,
        rule: "QBT-JOB-1",
    },
    Endpoint {
        path: "/timesheets",
        params: &[
            ("ids", Form::Ids),
            ("start_date", Form::Date),
            ("end_date", Form::Date),
            ("jobcode_ids", Form::Ids),
            ("payroll_ids", Form::Text),
            ("user_ids", Form::Ids),
            ("group_ids", Form::Ids),
            ("on_the_clock", ON_THE_CLOCK),
            ("jobcode_type", JOBCODE_TYPE),
            ("modified_before", Form::DateTime),
            ("modified_since", Form::DateTime),
            ("supplemental_data", YES_NO),
            PAGING[0],
            PAGING[1],
        ],
        required: &[
            &["ids"],
            &["start_date"],
            &["modified_since"],
            &["modified_before"],
        ],
        required_rule: "QBT-TS-2",
        together: &[],
        paged: true,
        rule: "QBT-TS-1",
    },
    Endpoint {
        path: "/timesheets_deleted",
        params: &[
            ("start_date", Form::Date),
            ("end_date", Form::Date),
            ("ids", Form::Ids),
            ("modified_since", Form::DateTime),
            ("modified_before", Form::DateTime),
            ("group_ids", Form::Ids),
            ("user_ids", Form::Ids),
            ("username", Form::Text),
            ("jobcode_ids", Form::Ids),
            ("jobcode_type", JOBCODE_TYPE),
            (
                "type",
                Form::OneOf(&["manual", "regular", "both"], "QBT-TSD-1"),
            ),
            (
                "order_results_by",
                Form::OneOf(&["fname", "lname", "username", "date"], "QBT-TSD-1"),
            ),
            (
                "order_results_reverse",
                Form::OneOf(&["0", "1"], "QBT-TSD-1"),
            ),
            ("supplemental_data", YES_NO),
            PAGING[0],
            PAGING[1],
        ],
        required: &[
            &["ids"],
            &["modified_since"],
            &["modified_before"],
            &["start_date", "end_date"],
        ],
        required_rule: "QBT-TSD-2",
        together: &[&["start_date", "end_date"]],
        paged: true,
        rule: "QBT-TSD-1",
    },
    Endpoint {
        path: "/projects",
        params: &[
            ("ids", Form::Ids),
            ("jobcode_ids", Form::Ids),
            ("parent_jobcode_id", Form::Ids),
            ("name", Form::Text),
            ("active", ACTIVE),
            ("by_jobcode_assignment", TRUE_FALSE),
        ],
        required: &[],
        required_rule: "",
        together: &[],
        paged: false,
        rule: "QBT-PRJ-1",
    },
    Endpoint {
        path: "/estimates",
        params: &[
            ("ids", Form::Ids),
            ("active", ACTIVE),
            ("modified_before", Form::DateTime),
            ("modified_since", Form::DateTime),
            ("supplemental_data", YES_NO),
            PAGING[0],
            PAGING[1],
        ],
        required: &[],
        required_rule: "",
        together: &[],
        paged: true,
        rule: "QBT-EST-1",
    },
    Endpoint {
        path: "/estimate_items",
        params: &[
            ("ids", Form::Ids),
            ("estimate_ids", Form::Ids),
            ("active", ACTIVE),
            ("modified_before", Form::DateTime),
            ("modified_since", Form::DateTime),
            ("supplemental_data", YES_NO),
            PAGING[0],
            PAGING[1],
        ],
        required: &[],
        required_rule: "",
        together: &[],
        paged: true,
        rule: "QBT-ESI-1",
    },
];

/// The endpoint at `path` (under `/api/v1`), if Timebridge reads it.
pub fn endpoint(path: &str) -> Option<&'static Endpoint> {
    ENDPOINTS.iter().find(|e| e.path == path)
}

/// Why QuickBooks Time refuses a request: its status, the message of its
/// error body, and the contract rule broken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub status: u16,
    pub message: String,
    pub rule: &'static str,
}

fn refuse(rule: &'static str, message: String) -> Violation {
    Violation {
        status: 417,
        message,
        rule,
    }
}

/// `YYYY-MM-DDThh:mm:ss±hh:mm`, exactly (QBT-LIST-4).
fn is_offset_date_time(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 25
        && bytes[10] == b'T'
        && matches!(bytes[19], b'+' | b'-')
        && bytes[22] == b':'
        && DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%:z").is_ok()
}

fn check_form(name: &str, value: &str, form: Form) -> Result<(), Violation> {
    let bad = |rule: &'static str, what: &str| {
        Err(refuse(
            rule,
            format!("Invalid value for {name}: '{value}'. {what}"),
        ))
    };
    match form {
        Form::Ids => {
            let ok = !value.is_empty()
                && value
                    .split(',')
                    .all(|id| !id.trim().is_empty() && id.trim().parse::<i64>().is_ok());
            if ok {
                Ok(())
            } else {
                bad("QBT-LIST-8", "Expected a comma-separated list of ids.")
            }
        }
        Form::Date => {
            if value.len() == 10 && NaiveDate::parse_from_str(value, "%Y-%m-%d").is_ok() {
                Ok(())
            } else {
                bad("QBT-LIST-5", "Expected a date formatted YYYY-MM-DD.")
            }
        }
        Form::DateTime => {
            if is_offset_date_time(value) {
                Ok(())
            } else {
                bad(
                    "QBT-LIST-4",
                    "Expected an ISO 8601 date and time, YYYY-MM-DDThh:mm:ss±hh:mm.",
                )
            }
        }
        Form::Limit => match value.parse::<u32>() {
            Ok(n) if (1..=200).contains(&n) => Ok(()),
            _ => bad(
                "QBT-LIST-2",
                "limit must be an integer greater than zero and not greater than 200.",
            ),
        },
        Form::Page => match value.parse::<u32>() {
            Ok(n) if n >= 1 => Ok(()),
            _ => bad("QBT-LIST-3", "page must be an integer from 1."),
        },
        Form::OneOf(words, rule) => {
            if words.contains(&value) {
                Ok(())
            } else {
                bad(rule, &format!("Expected one of: {}.", words.join(", ")))
            }
        }
        Form::Text => Ok(()),
    }
}

/// Checks one GET of a list against the contract. `None` when Timebridge
/// does not read that path (the emulator answers those on its own terms).
pub fn check(path: &str, query: &[(String, String)]) -> Option<Result<(), Violation>> {
    let endpoint = endpoint(path)?;
    Some(check_endpoint(endpoint, query))
}

fn check_endpoint(endpoint: &Endpoint, query: &[(String, String)]) -> Result<(), Violation> {
    let has = |name: &str| query.iter().any(|(k, _)| k == name);
    for (name, value) in query {
        let Some((_, form)) = endpoint.params.iter().find(|(p, _)| p == name) else {
            return Err(refuse(
                endpoint.rule,
                format!(
                    "Unknown parameter '{name}' for {}. Accepted: {}.",
                    endpoint.path,
                    accepted(endpoint)
                ),
            ));
        };
        check_form(name, value, *form)?;
    }
    for group in endpoint.together {
        let present = group.iter().filter(|p| has(p)).count();
        if present != 0 && present != group.len() {
            return Err(refuse(
                "QBT-TSD-3",
                format!(
                    "{} must be given together on {}.",
                    group.join(" and "),
                    endpoint.path
                ),
            ));
        }
    }
    if !endpoint.required.is_empty()
        && !endpoint
            .required
            .iter()
            .any(|group| group.iter().all(|p| has(p)))
    {
        let rule = endpoint.required_rule;
        let choices: Vec<String> = endpoint.required.iter().map(|g| g.join(" and ")).collect();
        return Err(refuse(
            rule,
            format!(
                "Missing required parameter: one of {} is required.",
                choices.join(", ")
            ),
        ));
    }
    Ok(())
}

fn accepted(endpoint: &Endpoint) -> String {
    if endpoint.params.is_empty() {
        return "none".to_owned();
    }
    endpoint
        .params
        .iter()
        .map(|(p, _)| *p)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn rule_of(path: &str, pairs: &[(&str, &str)]) -> Option<&'static str> {
        check(path, &q(pairs))
            .expect("a path Timebridge reads")
            .err()
            .map(|v| v.rule)
    }

    #[test]
    fn every_endpoint_names_its_contract_rule_and_paging_params_only_where_it_pages() {
        for endpoint in ENDPOINTS {
            let pages = endpoint.params.iter().any(|(p, _)| *p == "page");
            assert_eq!(
                pages, endpoint.paged,
                "{} lists page exactly when it pages",
                endpoint.path
            );
            assert!(endpoint.rule.starts_with("QBT-"), "{}", endpoint.path);
        }
    }

    #[test]
    fn an_offset_date_time_must_have_seconds_and_a_numeric_offset() {
        assert!(is_offset_date_time("2026-11-20T08:00:00+00:00"));
        assert!(is_offset_date_time("2026-11-20T08:00:00-06:00"));
        assert!(
            !is_offset_date_time("2026-11-20T08:00:00Z"),
            "the reference's form has ±hh:mm, not Z"
        );
        assert!(!is_offset_date_time("2026-11-20T08:00+00:00"), "seconds");
        assert!(!is_offset_date_time("2026-11-20"), "a date is not a time");
    }

    #[test]
    fn each_refusal_names_the_rule_it_breaks() {
        assert_eq!(
            rule_of("/timesheets_deleted", &[("start_date", "2026-11-01")]),
            Some("QBT-TSD-3"),
            "start_date without end_date"
        );
        assert_eq!(
            rule_of("/timesheets", &[("on_the_clock", "no")]),
            Some("QBT-TS-2")
        );
        assert_eq!(
            rule_of("/projects", &[("page", "1")]),
            Some("QBT-PRJ-1"),
            "projects does not page"
        );
        assert_eq!(rule_of("/users", &[("limit", "0")]), Some("QBT-LIST-2"));
        assert_eq!(rule_of("/users", &[("page", "0")]), Some("QBT-LIST-3"));
        assert_eq!(rule_of("/jobcodes", &[("type", "job")]), Some("QBT-JOB-2"));
        assert_eq!(
            rule_of(
                "/timesheets_deleted",
                &[("start_date", "2026-11-01"), ("end_date", "2026-11-02")]
            ),
            None,
            "a date range is enough"
        );
    }
}

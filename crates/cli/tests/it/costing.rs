//! `timebridge jobs costing`, `jobs burden` and `wages`, over the Sandbox's
//! imported jobs, budgets and time.

use serde_json::Value;

use crate::common::{self, Db};

/// A database with the Sandbox's time and budgets imported.
fn imported() -> Db {
    let db = common::db();
    db.json(&["connect", "sandbox"]);
    db.json(&["sync", "sandbox"]);
    db.json(&["import", "sandbox", "time-entries", "--status", "new"]);
    db.json(&["import", "sandbox", "budgets", "--status", "new"]);
    db
}

fn job_of<'a>(report: &'a Value, job_id: &Value) -> &'a Value {
    report["jobs"]
        .as_array()
        .expect("jobs")
        .iter()
        .find(|j| &j["job_id"] == job_id)
        .expect("the job is listed")
}

#[test]
fn imported_time_is_costed_at_the_wages_set_with_the_burden() {
    let db = imported();
    let report = db.json(&["jobs", "costing"]);
    let job = report["jobs"][0].clone();
    assert!(
        job["figures"]["budget_seconds"]
            .as_i64()
            .is_some_and(|s| s > 0)
            && job["figures"]["actual_seconds"]
                .as_i64()
                .is_some_and(|s| s > 0),
        "a Sandbox job has its budget and its hours: {job}"
    );
    assert_eq!(
        job["figures"]["labour_cents"], 0,
        "no wages yet: the hours cost nothing and are unpriced"
    );
    let detail = db.json(&["jobs", "costing", "--job", &job["job_id"].to_string()]);
    let worker = &detail["workers"][0];
    let number = db.json(&["records", "list", "employees"])["rows"]
        .as_array()
        .expect("employees")
        .iter()
        .find(|e| e["id"] == worker["employee_id"])
        .expect("the worker is an employee")["employee_number"]
        .as_str()
        .expect("a number")
        .to_owned();
    db.ok(&[
        "wages",
        "set",
        &number,
        "--from",
        "2000-01-01",
        "--rate",
        "36.00",
    ]);
    db.ok(&["jobs", "burden", "50"]);
    let detail = db.json(&["jobs", "costing", "--job", &job["job_id"].to_string()]);
    let costed = detail["workers"]
        .as_array()
        .expect("workers")
        .iter()
        .find(|w| w["employee_id"] == worker["employee_id"])
        .expect("still there");
    let seconds = costed["seconds"].as_i64().expect("seconds");
    assert_eq!(
        costed["labour_cents"].as_i64(),
        Some((seconds * 5400 + 1800) / 3600),
        "hours × $36.00 × 1.5, rounded once to the cent: {costed}"
    );
    let after = db.json(&["jobs", "costing"]);
    assert!(
        job_of(&after, &job["job_id"])["figures"]["labour_cents"]
            .as_i64()
            .is_some_and(|c| c > 0),
        "the job's labour cost follows the wage"
    );
}

#[test]
fn the_table_names_each_job_and_its_status() {
    let db = imported();
    let table = db.ok(&["jobs", "costing"]);
    assert!(
        table.contains("Status") && table.contains("on track") && table.contains("jobs,"),
        "a table with a status per job and the counts: {table}"
    );
}

#[test]
fn bad_wages_and_unknown_names_are_refused_saying_what_to_do() {
    let db = imported();
    let rate = db.fails(&[
        "wages",
        "set",
        "100",
        "--from",
        "2026-01-01",
        "--rate",
        "lots",
    ]);
    assert!(
        rate.contains("dollars an hour"),
        "how to write a wage: {rate}"
    );
    let nobody = db.fails(&["wages", "list", "nobody"]);
    assert!(
        nobody.contains("records list employees"),
        "where to find employees: {nobody}"
    );
    let job = db.fails(&["jobs", "costing", "--job", "no such job"]);
    assert!(
        job.contains("records list jobs"),
        "where to find jobs: {job}"
    );
    let burden = db.fails(&["jobs", "burden", "900"]);
    assert!(burden.contains("0 to 500"), "the range: {burden}");
}

#[test]
fn a_bonus_is_set_up_approved_once_and_its_statements_written_as_a_pdf() {
    let db = imported();
    let job = db.json(&["jobs", "costing"])["jobs"][0]["job_id"].to_string();
    db.ok(&[
        "bonus",
        "plan-save",
        "Crew half",
        "--share",
        "50",
        "--loss",
        "carry",
        "--pay-id",
        "BONUS",
    ]);
    let open = db.json(&["bonus", "add", "--plan", "Crew half", "--job", &job]);
    assert_eq!(open["state"], "open", "a new bonus is open: {open}");
    let id = open["id"].to_string();
    let approved = db.json(&["bonus", "approve", &id]);
    assert!(
        approved["state"] == "approved" && approved["approved_on"].is_string(),
        "approved and dated for its pay period: {approved}"
    );
    let again = db.fails(&["bonus", "approve", &id]);
    assert!(again.contains("approved already"), "approved once: {again}");
    let pdf = db.dir.path().join("statements.pdf");
    let said = db.ok(&[
        "bonus",
        "statement",
        &id,
        "--out",
        &pdf.display().to_string(),
    ]);
    let bytes = std::fs::read(&pdf).expect("the PDF is written");
    assert!(
        bytes.starts_with(b"%PDF-") && said.contains("statements"),
        "a PDF of the crew's statements: {said}"
    );
}

//! Payroll → Tools → Import Time, as Sage reads a file: comma-delimited,
//! no header, each line's values in the order of the chosen Time Entry
//! View; each line's employee, job, extra, cost code, category and pay ID
//! must exist in the company (a job's extra when the job has extras), the
//! employee be employed and the job open; dates `M/D/YYYY`; units a
//! number. A line that breaks a rule is rejected (Sage writes it to the
//! error file) and the others are imported.

use super::company::Company;

/// A line Sage imported.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportLine {
    pub date: String,
    pub employee: String,
    pub job: String,
    pub extra: String,
    pub cost_code: String,
    pub category: String,
    pub pay_id: String,
    pub units: f64,
}

/// A line Sage rejected, and why (what its error file says).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRejection {
    pub line: usize,
    pub reason: String,
}

fn is_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('/').collect();
    let number = |p: &str, max: u32| p.parse::<u32>().is_ok_and(|n| (1..=max).contains(&n));
    matches!(parts.as_slice(), [m, d, y] if number(m, 12) && number(d, 31) && y.len() == 4 && y.parse::<u32>().is_ok())
}

/// Why `line` would be rejected, if it would.
fn reject(company: &Company, line: &ImportLine) -> Option<String> {
    let employee = company.employees.iter().find(|e| e.number == line.employee);
    match employee {
        None => return Some(format!("Employee {} does not exist", line.employee)),
        Some(e) if e.status != "Active" => {
            return Some(format!("Employee {} is {}", line.employee, e.status));
        }
        Some(_) => {}
    }
    if !company.pay_ids.iter().any(|p| p.pay_id == line.pay_id) {
        return Some(format!("Pay ID {} does not exist", line.pay_id));
    }
    if line.job.is_empty() {
        if !(line.extra.is_empty() && line.cost_code.is_empty() && line.category.is_empty()) {
            return Some("An extra, cost code or category needs a job".into());
        }
        return None;
    }
    match company.jobs.iter().find(|j| j.job == line.job) {
        None => return Some(format!("Job {} does not exist", line.job)),
        Some(j) if j.status == "Closed" => return Some(format!("Job {} is closed", line.job)),
        Some(_) => {}
    }
    let has_extras = company.extras.iter().any(|e| e.job == line.job);
    if has_extras && line.extra.is_empty() {
        return Some(format!("Job {} requires an extra", line.job));
    }
    if !line.extra.is_empty()
        && !company
            .extras
            .iter()
            .any(|e| e.job == line.job && e.extra == line.extra)
    {
        return Some(format!(
            "Extra {} does not exist for job {}",
            line.extra, line.job
        ));
    }
    if line.cost_code.is_empty() {
        return (!line.category.is_empty()).then(|| "A category needs a cost code".into());
    }
    if !company
        .cost_codes
        .iter()
        .any(|c| c.job == line.job && c.extra == line.extra && c.cost_code == line.cost_code)
    {
        return Some(format!(
            "Cost code {} does not exist for job {} extra {}",
            line.cost_code, line.job, line.extra
        ));
    }
    if !line.category.is_empty()
        && !company.categories.iter().any(|c| {
            c.job == line.job
                && c.extra == line.extra
                && c.cost_code == line.cost_code
                && c.category == line.category
        })
    {
        return Some(format!(
            "Category {} does not exist for cost code {}",
            line.category, line.cost_code
        ));
    }
    None
}

/// Reads an Import Time file with the Time Entry View `view` (its column
/// names in order: `Date`, `Period End Date`, `Employee`, `Job`, `Extra`,
/// `Cost Code`, `Category`, `Pay ID`, `Units`; others are read and not
/// kept). Returns the lines imported and the lines rejected.
pub fn import_time(
    company: &Company,
    view: &[&str],
    bytes: &[u8],
) -> (Vec<ImportLine>, Vec<ImportRejection>) {
    let mut imported = Vec::new();
    let mut rejected = Vec::new();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    for (i, record) in reader.records().enumerate() {
        let line_no = i + 1;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                rejected.push(ImportRejection {
                    line: line_no,
                    reason: format!("The line could not be read ({e})"),
                });
                continue;
            }
        };
        if record.len() != view.len() {
            rejected.push(ImportRejection {
                line: line_no,
                reason: format!(
                    "The line has {} values; the Time Entry View has {} columns",
                    record.len(),
                    view.len()
                ),
            });
            continue;
        }
        let get = |name: &str| {
            view.iter()
                .position(|c| *c == name)
                .and_then(|at| record.get(at))
                .unwrap_or("")
                .trim()
                .to_owned()
        };
        let (date, end, units) = (get("Date"), get("Period End Date"), get("Units"));
        let Ok(units_value) = units.parse::<f64>() else {
            rejected.push(ImportRejection {
                line: line_no,
                reason: format!("Units “{units}” is not a number"),
            });
            continue;
        };
        let bad_date = [&date, &end]
            .into_iter()
            .find(|d| !d.is_empty() && !is_date(d));
        if let Some(bad) = bad_date {
            rejected.push(ImportRejection {
                line: line_no,
                reason: format!("“{bad}” is not a date (M/D/YYYY)"),
            });
            continue;
        }
        let line = ImportLine {
            date,
            employee: get("Employee"),
            job: get("Job"),
            extra: get("Extra"),
            cost_code: get("Cost Code"),
            category: get("Category"),
            pay_id: get("Pay ID"),
            units: units_value,
        };
        match reject(company, &line) {
            Some(reason) => rejected.push(ImportRejection {
                line: line_no,
                reason,
            }),
            None => imported.push(line),
        }
    }
    (imported, rejected)
}

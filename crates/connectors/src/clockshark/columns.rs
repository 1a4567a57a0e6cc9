//! An export's header: which column holds what, found by name in any
//! order (`CSK-COL-1`), which kind of export it is (`CSK-KIND-1`, else
//! skipped: `CSK-KIND-2`), the columns each kind must have (`CSK-COL-2`,
//! `CSK-COL-3`, `CSK-LIST-1`) and one column of each kind (`CSK-COL-4`).

use std::collections::BTreeMap;

/// The columns Timebridge reads, by what they hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Column {
    Employee,
    FirstName,
    LastName,
    EmployeeId,
    Email,
    Date,
    ClockIn,
    ClockOut,
    EndDate,
    Hours,
    Break,
    Job,
    JobNumber,
    Customer,
    Task,
    TaskCode,
    Notes,
    TimeOff,
    UnpaidTimeOff,
    Id,
    Phone,
    Status,
    Address,
    BudgetHours,
    BudgetCost,
}

/// The kinds of export a folder holds, each told by its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Kind {
    /// One row per shift.
    Timesheets,
    /// One row per employee: the whole list.
    Employees,
    /// One row per job, with its budget: the whole list.
    Jobs,
    /// One row per task: the whole list.
    Tasks,
}

impl Kind {
    /// The kind as the admin says it.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Timesheets => "timesheet export",
            Kind::Employees => "employee list",
            Kind::Jobs => "job list",
            Kind::Tasks => "task list",
        }
    }
}

impl Column {
    /// The column's name in messages.
    fn name(self) -> &'static str {
        match self {
            Column::Employee => "Employee",
            Column::FirstName => "First Name",
            Column::LastName => "Last Name",
            Column::EmployeeId => "Employee ID",
            Column::Email => "Email",
            Column::Date => "Date",
            Column::ClockIn => "Clock In",
            Column::ClockOut => "Clock Out",
            Column::EndDate => "End Date",
            Column::Hours => "Hours",
            Column::Break => "Break",
            Column::Job => "Job",
            Column::JobNumber => "Job Number",
            Column::Customer => "Customer",
            Column::Task => "Task",
            Column::TaskCode => "Task Code",
            Column::Notes => "Notes",
            Column::TimeOff => "Time Off",
            Column::UnpaidTimeOff => "Unpaid Time Off",
            Column::Id => "Timesheet ID",
            Column::Phone => "Phone",
            Column::Status => "Status",
            Column::Address => "Address",
            Column::BudgetHours => "Total Hours Budgeted",
            Column::BudgetCost => "Budget Cost",
        }
    }
}

/// A header as it is compared: lower case, letters and digits only, `#`
/// read as "number".
fn key(header: &str) -> String {
    header
        .replace('#', "number")
        .to_ascii_lowercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

/// The columns of a payroll summary (not read, `CSK-COL-5`): they make a
/// file a timesheet export, refused without its dates (`CSK-COL-3`).
const SUMMARY: [&str; 6] = [
    "regular",
    "overtime",
    "doubletime",
    "total",
    "totaltime",
    "totalminutes",
];

/// A header as a column.
fn column(header: &str) -> Option<Column> {
    Some(match key(header).as_str() {
        "employee" | "employeename" | "name" | "worker" | "employeefullname" => Column::Employee,
        "firstname" => Column::FirstName,
        "lastname" => Column::LastName,
        "employeeid" | "employeenumber" | "employeeno" | "employeecode" => Column::EmployeeId,
        "email" | "employeeemail" | "emailaddress" => Column::Email,
        "date" | "workdate" | "shiftdate" | "startdate" | "clockindate" => Column::Date,
        "clockin" | "clockintime" | "timein" | "start" | "starttime" => Column::ClockIn,
        "clockout" | "clockouttime" | "timeout" | "end" | "endtime" => Column::ClockOut,
        "enddate" | "clockoutdate" => Column::EndDate,
        "hours" | "totalhours" | "paidhours" | "duration" => Column::Hours,
        "break" | "breaks" | "breakminutes" | "minutesbreak" | "breakmins" | "unpaidbreak"
        | "unpaidbreakminutes" => Column::Break,
        "job" | "jobname" => Column::Job,
        "jobnumber" | "jobno" | "jobcode" => Column::JobNumber,
        "customer" | "customername" | "client" => Column::Customer,
        "task" | "taskname" => Column::Task,
        "taskcode" | "tasknumber" | "costcode" => Column::TaskCode,
        "notes" | "note" | "comments" | "comment" | "description" | "timesheetnotes"
        | "shiftnotes" => Column::Notes,
        "timeoff" | "paidtimeoff" | "pto" => Column::TimeOff,
        "unpaidtimeoff" => Column::UnpaidTimeOff,
        "timesheetid" | "timeentryid" | "entryid" | "shiftid" | "id" => Column::Id,
        "phone" | "phonenumber" | "mobile" | "mobilephone" => Column::Phone,
        "status" => Column::Status,
        "address" | "jobaddress" | "jobsiteaddress" => Column::Address,
        "totalhoursbudgeted" | "hoursbudgeted" | "budgetedhours" | "budgethours"
        | "laborbudget" | "laborbudgethours" => Column::BudgetHours,
        "budgetcost" | "budgetedcost" | "costbudget" | "laborbudgetcost" | "budgetamount"
        | "budget" => Column::BudgetCost,
        _ => return None,
    })
}

/// A column's letter as a spreadsheet shows it: A, B, … Z, AA, AB, …
pub(super) fn letter(at: usize) -> String {
    let mut n = at + 1;
    let mut out = Vec::new();
    while n > 0 {
        let digit = (n - 1) % 26;
        out.push(char::from(b'A' + digit as u8));
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

/// Where each known column is in a file, and what kind of export it is.
pub(super) struct Layout {
    columns: BTreeMap<Column, usize>,
    /// The header's text, for messages naming a column.
    headers: Vec<String>,
    /// How many values the header has: every row has as many.
    pub width: usize,
    pub kind: Kind,
}

/// The kind of a header's columns (`CSK-KIND-1`); `None` is none of them.
fn kind(columns: &BTreeMap<Column, usize>, headers: &[String]) -> Option<Kind> {
    use Column::*;
    let any = |cs: &[Column]| cs.iter().any(|c| columns.contains_key(c));
    let summary = headers.iter().any(|h| SUMMARY.contains(&key(h).as_str()));
    Some(
        if summary
            || any(&[
                Date,
                ClockIn,
                ClockOut,
                EndDate,
                Hours,
                Break,
                TimeOff,
                UnpaidTimeOff,
            ])
        {
            Kind::Timesheets
        } else if any(&[Employee, FirstName, LastName, EmployeeId]) {
            if any(&[Job, JobNumber, Task, TaskCode]) {
                return None;
            }
            Kind::Employees
        } else if any(&[Job, JobNumber]) {
            Kind::Jobs
        } else if any(&[Task, TaskCode]) {
            Kind::Tasks
        } else {
            return None;
        },
    )
}

/// The message skipping a file of no kind Timebridge reads (`CSK-KIND-2`).
pub(super) fn unknown(file: &str, headers: &[String]) -> String {
    let shown: Vec<String> = headers
        .iter()
        .enumerate()
        .take(6)
        .map(|(at, h)| format!("{} “{}”", letter(at), h.trim()))
        .collect();
    let more = if headers.len() > shown.len() {
        ", …"
    } else {
        ""
    };
    format!(
        "“{file}” was skipped: its columns ({}{more}) are not those of a ClockShark timesheet \
         export, employee list, job list or task list. Nothing of it was read; move it out of the \
         folder if it is not an export.",
        shown.join(", ")
    )
}

impl Layout {
    /// The layout of `headers`; `Ok(None)` for a file of no kind read, or
    /// the message refusing the file.
    pub fn of(file: &str, headers: &[String]) -> Result<Option<Layout>, String> {
        if let [only] = headers {
            for (separator, name) in [(';', "semicolons"), ('\t', "tabs")] {
                if only.contains(separator) {
                    return Err(format!(
                        "“{file}” is separated by {name}, not commas. ClockShark's export is \
                         comma-separated: export it again, or save it from your spreadsheet as \
                         “CSV (comma delimited)”."
                    ));
                }
            }
        }
        let mut columns: BTreeMap<Column, usize> = BTreeMap::new();
        for (at, header) in headers.iter().enumerate() {
            let Some(c) = column(header) else { continue };
            if let Some(first) = columns.insert(c, at) {
                return Err(format!(
                    "“{file}” has two {} columns ({} “{}” and {} “{}”): Timebridge cannot tell \
                     which to read. Remove one of them, or export the file again from ClockShark.",
                    c.name(),
                    letter(first),
                    headers[first].trim(),
                    letter(at),
                    header.trim()
                ));
            }
        }
        let Some(kind) = kind(&columns, headers) else {
            return Ok(None);
        };
        let layout = Layout {
            columns,
            headers: headers.to_vec(),
            width: headers.len(),
            kind,
        };
        let has = |c| layout.columns.contains_key(&c);
        let named = has(Column::Employee) || (has(Column::FirstName) && has(Column::LastName));
        if kind == Kind::Employees && !named {
            return Err(format!(
                "“{file}” is an employee list without Employee (or First Name and Last Name). \
                 Export the employee list again from ClockShark, or move this file out of the folder."
            ));
        }
        if kind != Kind::Timesheets {
            return Ok(Some(layout));
        }
        let mut missing = Vec::new();
        if !named {
            missing.push("Employee (or First Name and Last Name)");
        }
        if !has(Column::Date) && !has(Column::ClockIn) {
            missing.push("Date");
        }
        if !(has(Column::Hours) || (has(Column::ClockIn) && has(Column::ClockOut))) {
            missing.push("Clock In and Clock Out (or Hours)");
        }
        if !missing.is_empty() {
            return Err(format!(
                "“{file}” is not a ClockShark timesheet export: it lacks {}. Export the timesheets \
                 again from ClockShark (TimeSheets → Export, as CSV), or move this file out of the folder.",
                missing.join("; ")
            ));
        }
        Ok(Some(layout))
    }

    /// Whether the file has column `c`.
    pub fn has(&self, c: Column) -> bool {
        self.columns.contains_key(&c)
    }

    /// Where column `c` is, as a message names it: "column C (Status)".
    pub fn place(&self, c: Column) -> String {
        match self.columns.get(&c) {
            Some(at) => format!("column {} ({})", letter(*at), self.headers[*at].trim()),
            None => format!("column {}", c.name()),
        }
    }

    /// The row's value in column `c`, trimmed; `None` when empty or absent.
    pub fn get<'r>(&self, row: &'r [String], c: Column) -> Option<&'r str> {
        let value = row.get(*self.columns.get(&c)?)?.trim();
        (!value.is_empty()).then_some(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_past_z_are_lettered_as_a_spreadsheet_does() {
        assert_eq!(
            [letter(0), letter(25), letter(26), letter(27)],
            ["A", "Z", "AA", "AB"],
            "the 27th column is AA"
        );
    }
}

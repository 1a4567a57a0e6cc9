//! An export's header: which column holds what, found by name in any
//! order (`CSK-COL-1`), with the columns a timesheet export must have
//! (`CSK-COL-2`, `CSK-COL-3`) and one column of each kind (`CSK-COL-4`).

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
        }
    }
}

/// A header as a column: lower case, letters and digits only, `#` read as
/// "number".
fn column(header: &str) -> Option<Column> {
    let key: String = header
        .replace('#', "number")
        .to_ascii_lowercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    Some(match key.as_str() {
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
        _ => return None,
    })
}

/// A column's letter as a spreadsheet shows it: A, B, … Z, AA, AB, …
fn letter(at: usize) -> String {
    let mut n = at + 1;
    let mut out = Vec::new();
    while n > 0 {
        let digit = (n - 1) % 26;
        out.push(char::from(b'A' + digit as u8));
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

/// Where each known column is in a file.
pub(super) struct Layout {
    columns: BTreeMap<Column, usize>,
    /// How many values the header has: every row has as many.
    pub width: usize,
}

impl Layout {
    /// The layout of `headers`, or the message refusing the file.
    pub fn of(file: &str, headers: &[String]) -> Result<Layout, String> {
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
                     which to read. Remove one of them, or export the timesheets again from ClockShark.",
                    c.name(),
                    letter(first),
                    headers[first].trim(),
                    letter(at),
                    header.trim()
                ));
            }
        }
        let layout = Layout {
            columns,
            width: headers.len(),
        };
        let has = |c| layout.columns.contains_key(&c);
        let mut missing = Vec::new();
        if !(has(Column::Employee) || (has(Column::FirstName) && has(Column::LastName))) {
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
        Ok(layout)
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

//! A generated Sage 300 CRE company, and its lists written as Sage's
//! tables (a SQLite database file) or as CSV exports.

use std::path::Path;

use rusqlite::{Connection, params_from_iter};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Employee {
    pub number: String,
    pub first: String,
    pub last: String,
    /// `Active`, `Inactive` or `Terminated`.
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub job: String,
    pub description: String,
    /// `In Progress`, `Unstarted` or `Closed`.
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extra {
    pub job: String,
    pub extra: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CostCode {
    pub job: String,
    /// Empty for a cost code of the job itself.
    pub extra: String,
    pub cost_code: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub job: String,
    pub extra: String,
    pub cost_code: String,
    pub category: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayId {
    pub pay_id: String,
    pub description: String,
    pub pay_type: String,
}

/// The size of a generated company.
#[derive(Debug, Clone)]
pub struct CompanySpec {
    pub employees: usize,
    /// Former employees (Terminated), after the others.
    pub terminated_employees: usize,
    pub jobs: usize,
    /// Jobs with extras (`01`, `02`): the first this many.
    pub jobs_with_extras: usize,
    /// Closed jobs, after the others.
    pub closed_jobs: usize,
    /// Cost codes of each job (or of each of its extras).
    pub cost_codes: usize,
    /// Each written with a column of another name: (table, column, its
    /// name instead), to show the driver refusing a query of it.
    pub renamed_columns: Vec<(&'static str, &'static str, &'static str)>,
}

impl Default for CompanySpec {
    fn default() -> Self {
        CompanySpec {
            employees: 4,
            terminated_employees: 1,
            jobs: 2,
            jobs_with_extras: 1,
            closed_jobs: 1,
            cost_codes: 2,
            renamed_columns: Vec::new(),
        }
    }
}

const FIRST: [&str; 6] = ["Maria", "James", "Aisha", "Tomasz", "Lena", "Omar"];
const LAST: [&str; 5] = ["Garcia", "O'Neil", "Okafor", "Nowak", "Fischer"];
const JOBS: [&str; 4] = [
    "Harbor View Condos",
    "Elm Street School",
    "Northgate Mall",
    "Old Mill Renovation",
];
const COST_CODES: [(&str, &str); 4] = [
    ("1-065", "Masonry"),
    ("2-100", "Framing"),
    ("3-200", "Drywall"),
    ("9-900", "Cleanup"),
];
/// Each cost code's categories: labor and material.
const CATEGORIES: [(&str, &str); 2] = [("L", "Labor"), ("M", "Material")];
const PAY_IDS: [(&str, &str, &str); 4] = [
    ("REG", "Regular hours", "Regular"),
    ("OT", "Overtime", "Overtime"),
    ("DT", "Double time", "Double Time"),
    ("VAC", "Vacation", "Vacation"),
];

/// A table as Sage has it: its name, its columns, its rows.
type SageTable = (&'static str, Vec<&'static str>, Vec<Vec<String>>);

/// The company: each of Sage's lists.
#[derive(Debug, Clone, Default)]
pub struct Company {
    pub employees: Vec<Employee>,
    pub jobs: Vec<Job>,
    pub extras: Vec<Extra>,
    pub cost_codes: Vec<CostCode>,
    pub categories: Vec<Category>,
    pub pay_ids: Vec<PayId>,
    pub renamed_columns: Vec<(&'static str, &'static str, &'static str)>,
}

impl Company {
    pub fn generate(spec: &CompanySpec) -> Company {
        let mut company = Company {
            renamed_columns: spec.renamed_columns.clone(),
            ..Company::default()
        };
        for i in 0..spec.employees + spec.terminated_employees {
            company.employees.push(Employee {
                number: (101 + i).to_string(),
                first: FIRST[i % FIRST.len()].into(),
                last: LAST[i % LAST.len()].into(),
                status: if i < spec.employees {
                    "Active"
                } else {
                    "Terminated"
                }
                .into(),
            });
        }
        for j in 0..spec.jobs + spec.closed_jobs {
            let job = format!("{:02}-{:03}", 3 + j / 10, j % 10 + 1);
            company.jobs.push(Job {
                job: job.clone(),
                description: JOBS[j % JOBS.len()].into(),
                status: if j < spec.jobs {
                    "In Progress"
                } else {
                    "Closed"
                }
                .into(),
            });
            let extras: Vec<String> = if j < spec.jobs_with_extras {
                vec!["01".into(), "02".into()]
            } else {
                vec![String::new()]
            };
            for extra in extras {
                if !extra.is_empty() {
                    company.extras.push(Extra {
                        job: job.clone(),
                        extra: extra.clone(),
                        description: format!("Phase {}", extra.trim_start_matches('0')),
                    });
                }
                for (code, description) in COST_CODES.iter().take(spec.cost_codes) {
                    company.cost_codes.push(CostCode {
                        job: job.clone(),
                        extra: extra.clone(),
                        cost_code: (*code).into(),
                        description: (*description).into(),
                    });
                    for (category, name) in CATEGORIES {
                        company.categories.push(Category {
                            job: job.clone(),
                            extra: extra.clone(),
                            cost_code: (*code).into(),
                            category: category.into(),
                            description: name.into(),
                        });
                    }
                }
            }
        }
        for (pay_id, description, pay_type) in PAY_IDS {
            company.pay_ids.push(PayId {
                pay_id: pay_id.into(),
                description: description.into(),
                pay_type: pay_type.into(),
            });
        }
        company
    }

    /// Each table as Sage has it: its name, its columns (more than
    /// Timebridge reads) and its rows.
    fn tables(&self) -> Vec<SageTable> {
        let s = |v: &str| v.to_owned();
        vec![
            (
                "MASTER_PRM_EMPLOYEE",
                vec![
                    "Employee",
                    "First_Name",
                    "Last_Name",
                    "Status",
                    "Address_1",
                    "City",
                    "State",
                ],
                self.employees
                    .iter()
                    .map(|e| {
                        vec![
                            s(&e.number),
                            s(&e.first),
                            s(&e.last),
                            s(&e.status),
                            s(""),
                            s("Portland"),
                            s("OR"),
                        ]
                    })
                    .collect(),
            ),
            (
                "MASTER_JCM_JOB_1",
                vec![
                    "Job",
                    "Description",
                    "Status",
                    "Address_1",
                    "City",
                    "State",
                    "ZIP_Code",
                ],
                self.jobs
                    .iter()
                    .map(|j| {
                        vec![
                            s(&j.job),
                            s(&j.description),
                            s(&j.status),
                            s(""),
                            s("Portland"),
                            s("OR"),
                            s("97201"),
                        ]
                    })
                    .collect(),
            ),
            (
                "MASTER_JCM_EXTRA",
                vec!["Job", "Extra", "Description", "Short_Name"],
                self.extras
                    .iter()
                    .map(|e| vec![s(&e.job), s(&e.extra), s(&e.description), s("")])
                    .collect(),
            ),
            (
                "MASTER_JCM_COST_CODE",
                vec![
                    "Job",
                    "Extra",
                    "Cost_Code",
                    "Description",
                    "Short_Description",
                ],
                self.cost_codes
                    .iter()
                    .map(|c| {
                        vec![
                            s(&c.job),
                            s(&c.extra),
                            s(&c.cost_code),
                            s(&c.description),
                            s(""),
                        ]
                    })
                    .collect(),
            ),
            (
                "MASTER_JCM_CATEGORY",
                vec![
                    "Job",
                    "Extra",
                    "Cost_Code",
                    "Category",
                    "Description",
                    "Original_Estimate",
                ],
                self.categories
                    .iter()
                    .map(|c| {
                        vec![
                            s(&c.job),
                            s(&c.extra),
                            s(&c.cost_code),
                            s(&c.category),
                            s(&c.description),
                            s("0"),
                        ]
                    })
                    .collect(),
            ),
            (
                "MASTER_PRM_PAY",
                vec!["Pay_ID", "Description", "Pay_Type", "Rate"],
                self.pay_ids
                    .iter()
                    .map(|p| vec![s(&p.pay_id), s(&p.description), s(&p.pay_type), s("0")])
                    .collect(),
            ),
        ]
    }

    /// A column's name as this company writes it (renamed, or as Sage has it).
    fn column_name(&self, table: &str, column: &'static str) -> &'static str {
        self.renamed_columns
            .iter()
            .find(|(t, c, _)| *t == table && *c == column)
            .map_or(column, |(_, _, to)| to)
    }

    /// Writes the company as a SQLite database at `path`, replacing what
    /// is there: the tables the Timberline driver shows.
    pub fn write_database(&self, path: &Path) -> rusqlite::Result<()> {
        let _ = std::fs::remove_file(path);
        let mut conn = Connection::open(path)?;
        let tx = conn.transaction()?;
        for (table, columns, rows) in self.tables() {
            let names: Vec<String> = columns
                .iter()
                .map(|c| format!("\"{}\" TEXT", self.column_name(table, c)))
                .collect();
            tx.execute(&format!("CREATE TABLE {table} ({})", names.join(", ")), [])?;
            let marks = vec!["?"; columns.len()].join(", ");
            let mut insert = tx.prepare(&format!("INSERT INTO {table} VALUES ({marks})"))?;
            for row in rows {
                insert.execute(params_from_iter(row.iter()))?;
            }
        }
        tx.commit()
    }

    /// Writes each list as a CSV file in `folder` (its header the table's
    /// columns), named for the list: `employees.csv`, `jobs.csv`, …
    pub fn write_exports(&self, folder: &Path) -> std::io::Result<()> {
        let names = [
            "employees",
            "jobs",
            "extras",
            "cost_codes",
            "categories",
            "pay_ids",
        ];
        for ((table, columns, rows), name) in self.tables().into_iter().zip(names) {
            let mut writer = csv::Writer::from_path(folder.join(format!("{name}.csv")))?;
            let header: Vec<&str> = columns.iter().map(|c| self.column_name(table, c)).collect();
            writer.write_record(&header)?;
            for row in rows {
                writer.write_record(&row)?;
            }
            writer.flush()?;
        }
        Ok(())
    }
}

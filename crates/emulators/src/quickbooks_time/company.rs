//! A generated QuickBooks Time company: users, a customer/job/task jobcode
//! tree, PTO jobcodes, projects with estimates, and timesheets over a date
//! range. Deterministic for a given seed.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, TimeZone, Utc, Weekday};
use serde_json::{Value, json};

#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub employee_number: i64,
    pub email: String,
    pub active: bool,
    pub payroll_id: String,
    pub hire_date: Option<NaiveDate>,
    /// Hours offset of the user's time zone.
    pub tz: i32,
    pub last_modified: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Jobcode {
    pub id: i64,
    pub parent_id: i64,
    pub name: String,
    pub short_code: String,
    /// regular, pto, paid_break, unpaid_break
    pub kind: String,
    pub active: bool,
    pub last_modified: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Timesheet {
    pub id: i64,
    pub user_id: i64,
    pub jobcode_id: i64,
    /// regular: start and end with offset; manual: date and duration.
    pub start: Option<DateTime<FixedOffset>>,
    pub end: Option<DateTime<FixedOffset>>,
    pub date: NaiveDate,
    pub duration: i64,
    pub manual: bool,
    pub notes: String,
    pub last_modified: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Project {
    pub id: i64,
    pub jobcode_id: i64,
    pub name: String,
    pub active: bool,
    pub last_modified: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    pub id: i64,
    pub project_id: i64,
    pub active: bool,
    pub last_modified: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EstimateItem {
    pub id: i64,
    pub estimate_id: i64,
    pub estimated_seconds: i64,
    pub active: bool,
    pub last_modified: DateTime<Utc>,
}

/// How big a company to make.
#[derive(Debug, Clone)]
pub struct CompanySpec {
    pub employees: usize,
    pub customers: usize,
    pub jobs_per_customer: usize,
    pub tasks_per_job: usize,
    /// Timesheets are made on weekdays from here…
    pub from: NaiveDate,
    /// …for this many calendar days.
    pub days: u32,
    /// 1 (a whole day) or 2 (morning and afternoon).
    pub entries_per_day: u32,
    pub seed: u64,
}

impl CompanySpec {
    /// A small crew for demos and tests: 12 people, 4 customers, two weeks.
    pub fn demo(today: NaiveDate) -> CompanySpec {
        CompanySpec {
            employees: 12,
            customers: 4,
            jobs_per_customer: 3,
            tasks_per_job: 3,
            from: today - Duration::days(20),
            days: 20,
            entries_per_day: 2,
            seed: 7,
        }
    }

    /// About `timesheets` timesheets, over a year of weekdays.
    pub fn sized(timesheets: usize, today: NaiveDate) -> CompanySpec {
        let days = 365;
        let weekdays = 261;
        let employees = timesheets.div_ceil(weekdays * 2).max(1);
        CompanySpec {
            employees,
            customers: (employees / 10).max(2),
            jobs_per_customer: 4,
            tasks_per_job: 5,
            from: today - Duration::days(days),
            days: days as u32,
            entries_per_day: 2,
            seed: 42,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Company {
    pub users: BTreeMap<i64, User>,
    pub jobcodes: BTreeMap<i64, Jobcode>,
    pub timesheets: BTreeMap<i64, Timesheet>,
    /// Deleted timesheets: id → (date, when deleted).
    pub deleted: BTreeMap<i64, (NaiveDate, DateTime<Utc>)>,
    pub projects: BTreeMap<i64, Project>,
    pub estimates: BTreeMap<i64, Estimate>,
    pub estimate_items: BTreeMap<i64, EstimateItem>,
    /// The Sandbox's payroll receiver (see `payroll`).
    pub payroll: super::payroll::PayrollInbox,
    next_id: i64,
}

const FIRST: [&str; 24] = [
    "Marcus", "Priya", "Tom", "Lena", "Diego", "Rosa", "Sam", "Aisha", "Ben", "Chloe", "Dmitri",
    "Elena", "Farid", "Grace", "Hugo", "Ines", "Jamal", "Kate", "Luis", "Mei", "Nate", "Olga",
    "Pedro", "Quinn",
];
const LAST: [&str; 20] = [
    "Bell", "Nair", "Okafor", "Fischer", "Ramos", "Diaz", "Lee", "Khan", "Moreau", "Walsh",
    "Petrov", "Silva", "Haddad", "Kim", "Larsen", "Costa", "Brooks", "Tanaka", "Vega", "Young",
];
const CUSTOMERS: [&str; 10] = [
    "Acme Builders",
    "Riverside Health",
    "Oakwood HOA",
    "Summit Retail",
    "Harbor Schools",
    "Greenline Logistics",
    "Maple Property Group",
    "Northgate Church",
    "Bluewater Hotels",
    "Cedar County",
];
const SITES: [&str; 8] = [
    "Main St",
    "Oak Ave",
    "Riverside",
    "Hilltop",
    "Lakeview",
    "Depot Rd",
    "Elm Court",
    "Westfield",
];
const TASKS: [(&str, &str); 8] = [
    ("01-100", "Site prep"),
    ("02-200", "Framing"),
    ("03-300", "Concrete"),
    ("04-400", "Electrical"),
    ("05-500", "Plumbing"),
    ("06-600", "Drywall"),
    ("07-700", "Painting"),
    ("08-800", "Cleanup"),
];

/// A small deterministic generator (xorshift*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

impl Company {
    /// A fresh id, as QuickBooks Time hands them out.
    pub fn next_id(&mut self) -> i64 {
        self.next_id += 1;
        self.next_id
    }

    pub fn generate(spec: &CompanySpec, now: DateTime<Utc>) -> Company {
        let mut company = Company {
            next_id: 1_000,
            ..Default::default()
        };
        let mut rng = Rng(spec.seed.max(1));
        for n in 0..spec.employees {
            let id = company.next_id();
            let first = FIRST[n % FIRST.len()];
            let last = LAST[(n / FIRST.len() + n * 7) % LAST.len()];
            let suffix = if n >= FIRST.len() {
                format!("{}", n / FIRST.len())
            } else {
                String::new()
            };
            company.users.insert(
                id,
                User {
                    id,
                    first_name: first.to_owned(),
                    last_name: format!("{last}{suffix}"),
                    employee_number: 100 + n as i64,
                    email: format!(
                        "{}.{}{}@example.com",
                        first.to_lowercase(),
                        last.to_lowercase(),
                        suffix
                    ),
                    active: true,
                    payroll_id: format!("P{:04}", n + 1),
                    hire_date: NaiveDate::from_ymd_opt(
                        2020 + (n % 5) as i32,
                        1 + (n % 12) as u32,
                        1 + (n % 27) as u32,
                    ),
                    tz: -6,
                    last_modified: now,
                },
            );
        }
        let mut jobs = Vec::new();
        let mut tasks_of: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
        for c in 0..spec.customers {
            let customer = company.next_id();
            let name = if c < CUSTOMERS.len() {
                CUSTOMERS[c].to_owned()
            } else {
                format!(
                    "{} {}",
                    CUSTOMERS[c % CUSTOMERS.len()],
                    c / CUSTOMERS.len() + 1
                )
            };
            company.add_jobcode(customer, 0, &name, "", "regular", now);
            for j in 0..spec.jobs_per_customer {
                let job = company.next_id();
                let site = SITES[(c + j) % SITES.len()];
                company.add_jobcode(
                    job,
                    customer,
                    &format!("{site} #{}", j + 1),
                    &format!("J-{job}"),
                    "regular",
                    now,
                );
                jobs.push(job);
                for t in 0..spec.tasks_per_job {
                    let task = company.next_id();
                    let (code, task_name) = TASKS[t % TASKS.len()];
                    company.add_jobcode(task, job, task_name, code, "regular", now);
                    tasks_of.entry(job).or_default().push(task);
                }
                let project = company.next_id();
                company.projects.insert(
                    project,
                    Project {
                        id: project,
                        jobcode_id: job,
                        name: format!("{name}: {site}"),
                        active: true,
                        last_modified: now,
                    },
                );
                let estimate = company.next_id();
                company.estimates.insert(
                    estimate,
                    Estimate {
                        id: estimate,
                        project_id: project,
                        active: true,
                        last_modified: now,
                    },
                );
                for k in 0..2 {
                    let item = company.next_id();
                    let seconds = 3600 * (40 + 20 * k + (rng.below(80) as i64));
                    company.estimate_items.insert(
                        item,
                        EstimateItem {
                            id: item,
                            estimate_id: estimate,
                            estimated_seconds: seconds,
                            active: true,
                            last_modified: now,
                        },
                    );
                }
            }
        }
        for (name, code) in [("Vacation", "VAC"), ("Sick", "SICK"), ("Holiday", "HOL")] {
            let id = company.next_id();
            company.add_jobcode(id, 0, name, code, "pto", now);
        }
        let lunch = company.next_id();
        company.add_jobcode(lunch, 0, "Lunch", "", "unpaid_break", now);

        let users: Vec<(i64, i32)> = company.users.values().map(|u| (u.id, u.tz)).collect();
        for day in 0..spec.days {
            let date = spec.from + Duration::days(i64::from(day));
            if matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
                continue;
            }
            for (index, (user, tz)) in users.iter().enumerate() {
                if jobs.is_empty() {
                    break;
                }
                let job = jobs[(index + day as usize) % jobs.len()];
                let jobcode = match tasks_of.get(&job) {
                    Some(tasks) if !tasks.is_empty() => tasks[(day as usize + index) % tasks.len()],
                    _ => job,
                };
                let offset = FixedOffset::east_opt(tz * 3600)
                    .unwrap_or(FixedOffset::east_opt(0).expect("UTC"));
                let start_minute = 6 * 60 + 30 + rng.below(60) as i64;
                let blocks: Vec<(i64, i64)> = if spec.entries_per_day >= 2 {
                    vec![
                        (start_minute, 11 * 60 + 30),
                        (12 * 60, 15 * 60 + 30 + rng.below(60) as i64),
                    ]
                } else {
                    vec![(start_minute, 15 * 60 + 30 + rng.below(60) as i64)]
                };
                for (from, to) in blocks {
                    let id = company.next_id();
                    let midnight = offset
                        .from_local_datetime(&date.and_hms_opt(0, 0, 0).expect("midnight"))
                        .single()
                        .expect("fixed offsets have no gaps");
                    let start = midnight + Duration::minutes(from);
                    let end = midnight + Duration::minutes(to);
                    company.timesheets.insert(
                        id,
                        Timesheet {
                            id,
                            user_id: *user,
                            jobcode_id: jobcode,
                            start: Some(start),
                            end: Some(end),
                            date,
                            duration: (to - from) * 60,
                            manual: false,
                            notes: String::new(),
                            last_modified: now,
                        },
                    );
                }
            }
        }
        // Ids of their own, so the rest of the company is as it always was.
        company.payroll = super::payroll::PayrollInbox::demo(900_001);
        company
    }

    fn add_jobcode(
        &mut self,
        id: i64,
        parent: i64,
        name: &str,
        code: &str,
        kind: &str,
        now: DateTime<Utc>,
    ) {
        self.jobcodes.insert(
            id,
            Jobcode {
                id,
                parent_id: parent,
                name: name.to_owned(),
                short_code: code.to_owned(),
                kind: kind.to_owned(),
                active: true,
                last_modified: now,
            },
        );
    }

    /// A round of everyday activity at the source, for the Sandbox demo:
    /// an employee's e-mail changes, a timesheet is corrected (30 minutes
    /// longer, with a note) and another is deleted. The same `round` always
    /// makes the same changes, so rounds can be replayed after a restart.
    /// Returns what was done, in words.
    pub fn simulate_activity(&mut self, round: u32, now: DateTime<Utc>) -> Vec<String> {
        let mut done = Vec::new();
        let r = round as usize;
        if !self.users.is_empty() {
            let key = *self.users.keys().nth(r % self.users.len()).unwrap_or(&0);
            if let Some(user) = self.users.get_mut(&key) {
                user.email = format!(
                    "{}.{}{}@example.com",
                    user.first_name.to_lowercase(),
                    user.last_name.to_lowercase(),
                    round
                );
                user.last_modified = now;
                done.push(format!(
                    "changed {} {}'s e-mail",
                    user.first_name, user.last_name
                ));
            }
        }
        // The newest timesheets: the ones a sync window surely covers.
        let recent: Vec<i64> = self.timesheets.keys().rev().take(40).copied().collect();
        if let Some(&id) = recent.get((r * 3) % recent.len().max(1))
            && let Some(sheet) = self.timesheets.get_mut(&id)
        {
            sheet.duration += 1800;
            if let Some(end) = sheet.end {
                sheet.end = Some(end + chrono::Duration::minutes(30));
            }
            sheet.notes = format!("Corrected: 30 minutes added (round {round})");
            sheet.last_modified = now;
            done.push("corrected a timesheet".to_owned());
        }
        if let Some(&id) = recent.get((r * 3 + 1) % recent.len().max(1))
            && self.delete_timesheet(id, now)
        {
            done.push("deleted a timesheet".to_owned());
        }
        done
    }

    /// Deletes a timesheet, as QuickBooks Time does: gone from `timesheets`,
    /// listed in `timesheets_deleted`.
    pub fn delete_timesheet(&mut self, id: i64, now: DateTime<Utc>) -> bool {
        match self.timesheets.remove(&id) {
            Some(sheet) => {
                self.deleted.insert(id, (sheet.date, now));
                true
            }
            None => false,
        }
    }
}

fn stamp(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S+00:00").to_string()
}

impl User {
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id, "first_name": self.first_name, "last_name": self.last_name,
            "display_name": "", "group_id": 0, "active": self.active,
            "employee_number": self.employee_number, "salaried": false, "exempt": false,
            "username": self.email, "email": self.email, "email_verified": false,
            "payroll_id": self.payroll_id,
            "hire_date": self.hire_date.map_or("0000-00-00".to_owned(), |d| d.to_string()),
            "term_date": "0000-00-00", "last_modified": stamp(self.last_modified), "last_active": "",
            "created": stamp(self.last_modified), "client_url": "timebridge", "company_name": "Emulated Co",
            "profile_image_url": "", "mobile_number": "", "pto_balances": [], "submitted_to": "2000-01-01",
            "approved_to": "2000-01-01", "manager_of_group_ids": [], "require_password_change": false,
            "pay_rate": 0, "pay_interval": "hour", "permissions": [], "customfields": ""
        })
    }
}

impl Jobcode {
    pub fn to_json(&self, has_children: bool) -> Value {
        json!({
            "id": self.id, "parent_id": self.parent_id, "assigned_to_all": true, "billable": false,
            "active": self.active, "type": self.kind, "has_children": has_children, "billable_rate": 0,
            "short_code": self.short_code, "name": self.name, "last_modified": stamp(self.last_modified),
            "created": stamp(self.last_modified), "filtered_customfielditems": "", "required_customfields": [],
            "locations": [], "geofence_config_id": null, "project_id": 0
        })
    }
}

impl Timesheet {
    pub fn to_json(&self) -> Value {
        let instant = |t: &Option<DateTime<FixedOffset>>| {
            t.map_or(String::new(), |t| {
                t.format("%Y-%m-%dT%H:%M:%S%:z").to_string()
            })
        };
        json!({
            "id": self.id, "user_id": self.user_id, "jobcode_id": self.jobcode_id,
            "start": instant(&self.start), "end": instant(&self.end), "duration": self.duration,
            "date": self.date.to_string(), "tz": self.start.map_or(0, |s| s.offset().local_minus_utc() / 3600),
            "tz_str": "tsCT", "type": if self.manual { "manual" } else { "regular" },
            "location": "(Eagle, ID?)", "on_the_clock": false, "locked": 0, "notes": self.notes,
            "customfields": "", "attached_files": [], "last_modified": stamp(self.last_modified)
        })
    }
}

impl Timesheet {
    /// Appends this timesheet's JSON to `out`, as [`Timesheet::to_json`]
    /// would render it, without building a JSON tree (the emulator serves
    /// many of these).
    pub fn write_json(&self, out: &mut String) {
        use std::fmt::Write as _;
        let instant =
            |t: &Option<DateTime<FixedOffset>>| t.map_or(String::new(), |t| t.to_rfc3339());
        let _ = write!(
            out,
            r#"{{"id":{},"user_id":{},"jobcode_id":{},"start":"{}","end":"{}","duration":{},"date":"{}","tz":{},"tz_str":"tsCT","type":"{}","location":"(Eagle, ID?)","on_the_clock":false,"locked":0,"notes":{},"customfields":"","attached_files":[],"last_modified":"{}"}}"#,
            self.id,
            self.user_id,
            self.jobcode_id,
            instant(&self.start),
            instant(&self.end),
            self.duration,
            self.date,
            self.start
                .map_or(0, |s| s.offset().local_minus_utc() / 3600),
            if self.manual { "manual" } else { "regular" },
            serde_json::Value::String(self.notes.clone()),
            stamp(self.last_modified),
        );
    }
}

impl Project {
    pub fn to_json(&self) -> Value {
        json!({"id": self.id, "jobcode_id": self.jobcode_id, "parent_jobcode_id": 0, "name": self.name,
               "status": "in_progress", "description": "", "start_date": "", "due_date": "", "completed_date": "",
               "active": self.active, "last_modified": stamp(self.last_modified), "created": stamp(self.last_modified),
               "linked_objects": []})
    }
}

impl Estimate {
    pub fn to_json(&self) -> Value {
        json!({"id": self.id, "project_id": self.project_id, "estimate_by": "none", "estimate_by__id": 0,
               "active": self.active, "last_modified": stamp(self.last_modified), "created": stamp(self.last_modified)})
    }
}

impl EstimateItem {
    pub fn to_json(&self) -> Value {
        json!({"id": self.id, "estimate_id": self.estimate_id, "estimated_seconds": self.estimated_seconds,
               "type": "none", "type_id": 0, "active": self.active, "last_modified": stamp(self.last_modified),
               "created": stamp(self.last_modified)})
    }
}

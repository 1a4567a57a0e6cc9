//! The emulated busybusy organisation: its lists as busybusy's GraphQL API
//! sends them (camelCase fields, UUID ids, UTC timestamps), the members who
//! can sign in, and a generated construction company to serve.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc, Weekday};
use serde_json::{Value, json};

/// A member who can sign in, with the password they type.
#[derive(Debug, Clone)]
pub struct Account {
    pub username: String,
    pub password: String,
    pub member_id: String,
    /// Holds every permission (`BB-AUTH-5`): an owner or admin.
    pub admin: bool,
}

/// One organisation's lists: records as busybusy sends them. `cursor`,
/// `children` and `ancestors` are computed when asked for.
#[derive(Debug, Clone, Default)]
pub struct Organization {
    pub accounts: Vec<Account>,
    pub members: Vec<Value>,
    pub projects: Vec<Value>,
    pub cost_codes: Vec<Value>,
    pub time_entries: Vec<Value>,
    pub budget_hours: Vec<Value>,
    pub budget_costs: Vec<Value>,
}

/// The size of a generated organisation.
#[derive(Debug, Clone)]
pub struct OrganizationSpec {
    /// Members, the first of them the admin; the last is archived when
    /// there are more than three.
    pub members: usize,
    /// Top-level projects, each with a line of sub-projects under it.
    pub projects: usize,
    /// How deep each project's sub-projects go: 1 (none) to 7.
    pub depth: usize,
    pub cost_codes: usize,
    /// Weekdays of time, ending the day before `today`; each active member
    /// works one entry a weekday, and the first one's entry of `today` is
    /// still running.
    pub days: i64,
    pub today: NaiveDate,
    /// When the records were created and last updated.
    pub modified: DateTime<Utc>,
}

/// The admin's sign-in.
pub const ADMIN_USERNAME: &str = "alex.admin";
/// A member without the admin's permissions.
pub const WORKER_USERNAME: &str = "ben.worker";
/// Every generated account's password.
pub const PASSWORD: &str = "busy-emulator-password";

const FIRST: [&str; 8] = [
    "Alex", "Ben", "Carla", "Dev", "Elena", "Femi", "Grace", "Hugo",
];
const LAST: [&str; 6] = ["Admin", "Worker", "Brooks", "Kowalski", "Haddad", "Lund"];
const CUSTOMERS: [&str; 4] = [
    "Harbor Dental",
    "Cedar Ridge HOA",
    "Riverside Office Park",
    "Summit Medical",
];
const PHASES: [&str; 6] = ["Phase", "Building", "Floor", "Area", "Room", "Wall"];
const CODES: [(&str, &str); 5] = [
    ("01-100", "Site prep"),
    ("03-300", "Concrete"),
    ("06-100", "Framing"),
    ("09-250", "Drywall"),
    ("09-900", "Painting"),
];

/// A UUID, from a record kind and its number: stable across runs.
pub fn uuid(kind: u16, n: usize) -> String {
    format!("00000000-0000-4000-8{kind:03x}-{n:012x}")
}

/// An instant as busybusy writes timestamps (*assumed*: JavaScript's
/// `toISOString`, UTC with milliseconds).
pub fn busy_time(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

impl OrganizationSpec {
    /// The in-app Sandbox's organization, as a Sandbox created at
    /// `created_at` serves it every time it starts: twelve members (the
    /// last archived), four customers' projects with two levels of
    /// sub-projects, five cost codes, budgets, and the two weeks of weekdays
    /// of time before that day (a default pull date's worth).
    pub fn demo(created_at: DateTime<Utc>) -> OrganizationSpec {
        OrganizationSpec {
            members: 12,
            projects: 4,
            depth: 3,
            cost_codes: 5,
            days: 14,
            today: created_at.date_naive(),
            modified: created_at,
        }
    }
}

impl Organization {
    /// A construction company: members with two wage histories each (the
    /// raise dated a month before `modified`), projects with sub-projects,
    /// cost codes, budgets of hours and cost per top-level project (an older
    /// budget superseded by the latest), and time: 14:00–22:30 UTC each
    /// weekday, every other entry with a half-hour break.
    pub fn generate(spec: &OrganizationSpec) -> Organization {
        let stamp = busy_time(spec.modified);
        let mut org = Organization::default();
        for n in 0..spec.members {
            let (first, last) = (FIRST[n % FIRST.len()], LAST[n % LAST.len()]);
            let id = uuid(1, n);
            let username = match n {
                0 => ADMIN_USERNAME.to_owned(),
                1 => WORKER_USERNAME.to_owned(),
                _ => format!("{}.{}{n}", first.to_lowercase(), last.to_lowercase()),
            };
            if n < 2 {
                org.accounts.push(Account {
                    username: username.clone(),
                    password: PASSWORD.to_owned(),
                    member_id: id.clone(),
                    admin: n == 0,
                });
            }
            let archived = spec.members > 3 && n == spec.members - 1;
            let wage = 22.0 + (n % 5) as f64;
            let raise = busy_time(spec.modified - Duration::days(30));
            org.members.push(json!({
                "id": id,
                "firstName": first,
                "lastName": last,
                "username": username,
                "email": format!("{username}@example.com"),
                "phone": format!("+1555010{:04}", n % 10_000),
                "memberNumber": format!("E{}", 1001 + n),
                "position": {"id": uuid(2, usize::from(n != 0)), "title": if n == 0 { "Admin" } else { "Laborer" }},
                "memberGroup": {"id": uuid(3, n % 2), "groupName": if n % 2 == 0 { "Crew A" } else { "Crew B" }},
                "wageHistories": [
                    {"id": uuid(4, 2 * n), "memberId": id, "wage": wage, "wageRate": 10, "overburden": 0.0, "effectiveRate": wage,
                     "changeDate": busy_time(spec.modified - Duration::days(400)), "createdOn": stamp, "updatedOn": stamp, "deletedOn": null},
                    {"id": uuid(4, 2 * n + 1), "memberId": id, "wage": wage + 1.5, "wageRate": 10, "overburden": 0.0, "effectiveRate": wage + 1.5,
                     "changeDate": raise, "createdOn": stamp, "updatedOn": stamp, "deletedOn": null},
                ],
                "isSubContractor": false,
                "timeLocationRequired": "AUTO",
                "createdOn": stamp,
                "updatedOn": stamp,
                "archivedOn": if archived { Value::String(stamp.clone()) } else { Value::Null },
                "deletedOn": null,
            }));
        }
        org.add_projects(spec, &stamp);
        for (n, (code, title)) in CODES.iter().cycle().take(spec.cost_codes).enumerate() {
            org.cost_codes.push(json!({
                "id": uuid(6, n),
                "costCode": if n < CODES.len() { (*code).to_owned() } else { format!("{code}.{n}") },
                "title": title,
                "unitTitle": null,
                "costCodeGroup": {"id": uuid(7, 0), "groupName": "Labor"},
                "createdOn": stamp,
                "updatedOn": stamp,
                "archivedOn": null,
            }));
        }
        org.add_budgets(spec, &stamp);
        org.add_time(spec, &stamp);
        org
    }

    fn add_projects(&mut self, spec: &OrganizationSpec, stamp: &str) {
        let depth = spec.depth.clamp(1, 7);
        for root in 0..spec.projects {
            let root_id = uuid(5, root * 7);
            let customer = CUSTOMERS[root % CUSTOMERS.len()];
            let mut parent: Option<String> = None;
            for level in 1..=depth {
                let id = uuid(5, root * 7 + level - 1);
                let title = if level == 1 {
                    format!("{customer} {}", 100 + root)
                } else {
                    format!("{} {}", PHASES[(level - 2) % PHASES.len()], level - 1)
                };
                self.projects.push(json!({
                    "id": id,
                    "title": title,
                    "depth": level,
                    "parentProjectId": parent,
                    "rootProjectId": root_id,
                    "projectInfo": {
                        "id": uuid(8, root * 7 + level - 1),
                        "projectId": id,
                        "number": format!("{}-{level}", 2400 + root),
                        "customer": if level == 1 { Value::String(customer.to_owned()) } else { Value::Null },
                        "address1": format!("{} Main St", 100 + root),
                        "address2": null,
                        "city": "Provo",
                        "state": "UT",
                        "postalCode": "84601",
                        "phone": null,
                        "reminder": false,
                        "requireTimeEntryGps": "self",
                        "additionalInfo": null,
                        "latitude": 40.23,
                        "longitude": -111.66,
                        "locationRadius": 200,
                    },
                    "projectGroup": {"id": uuid(9, root % 2), "groupName": "Commercial"},
                    "createdOn": stamp,
                    "updatedOn": stamp,
                    "archivedOn": null,
                }));
                parent = Some(id);
            }
        }
    }

    fn add_budgets(&mut self, spec: &OrganizationSpec, stamp: &str) {
        let older = busy_time(spec.modified - Duration::days(60));
        for root in 0..spec.projects {
            let project = uuid(5, root * 7);
            let hours = 400 + 40 * root;
            for (n, (latest, at, scale)) in [(false, &older, 0.8), (true, &stamp.to_owned(), 1.0)]
                .into_iter()
                .enumerate()
            {
                let seconds = (hours as f64 * scale) as i64 * 3600;
                self.budget_hours.push(json!({
                    "id": uuid(10, root * 2 + n),
                    "projectId": project,
                    "memberId": null,
                    "costCodeId": null,
                    "equipmentId": null,
                    "budgetSeconds": seconds,
                    "equipmentBudgetSeconds": null,
                    "isLatest": latest,
                    "createdOn": at,
                }));
                self.budget_costs.push(json!({
                    "id": uuid(11, root * 2 + n),
                    "projectId": project,
                    "memberId": null,
                    "costCodeId": null,
                    "equipmentId": null,
                    "costBudget": hours as f64 * scale * 45.0,
                    "equipmentCostBudget": null,
                    "isLatest": latest,
                    "createdOn": at,
                }));
            }
        }
    }

    fn add_time(&mut self, spec: &OrganizationSpec, stamp: &str) {
        let ids = |records: &[Value]| -> Vec<String> {
            records
                .iter()
                .filter(|r| r["archivedOn"].is_null())
                .filter_map(|r| r["id"].as_str().map(str::to_owned))
                .collect()
        };
        let active = ids(&self.members);
        let time = Time {
            projects: ids(&self.projects),
            codes: ids(&self.cost_codes),
            stamp,
        };
        let mut n = 0usize;
        for back in (1..=spec.days).rev() {
            let day = spec.today - Duration::days(back);
            if matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
                continue;
            }
            for member in &active {
                let breaks = if n.is_multiple_of(2) {
                    json!([{"id": uuid(13, n), "startTime": busy_time(at(day, 18, 0)), "endTime": busy_time(at(day, 18, 30)), "deletedOn": null}])
                } else {
                    json!([])
                };
                let span = (at(day, 14, 0), Some(at(day, 22, 30)));
                self.time_entries.push(time.entry(n, member, span, breaks));
                n += 1;
            }
        }
        if let Some(member) = active.first() {
            let span = (at(spec.today, 14, 0), None);
            self.time_entries
                .push(time.entry(n, member, span, json!([])));
        }
    }

    /// The list a root field reads.
    pub fn list(&self, root: &str) -> &[Value] {
        match root {
            "members" => &self.members,
            "projects" => &self.projects,
            "costCodes" => &self.cost_codes,
            "timeEntries" => &self.time_entries,
            "budgetHours" => &self.budget_hours,
            "budgetCosts" => &self.budget_costs,
            _ => &[],
        }
    }

    /// Deletes a time entry as busybusy does: `deletedOn` set and
    /// `updatedOn` moved, the record kept (`BB-DEL-1`). False when no entry
    /// has that id.
    pub fn delete_time_entry(&mut self, id: &str, at: DateTime<Utc>) -> bool {
        let Some(entry) = self.time_entries.iter_mut().find(|e| e["id"] == id) else {
            return false;
        };
        entry["deletedOn"] = Value::String(busy_time(at));
        entry["updatedOn"] = Value::String(busy_time(at));
        true
    }

    /// Round `round` of everyday changes, made at `now`, as the Sandbox's
    /// "simulate changes at the source" asks: an active member's e-mail
    /// changed, one of the newest finished time entries corrected (30
    /// minutes more) and another deleted, each with `updatedOn` moved so a
    /// sync reads them. Returns what changed, in words.
    pub fn simulate_activity(&mut self, round: u32, now: DateTime<Utc>) -> Vec<String> {
        let mut done = Vec::new();
        let r = round as usize;
        let stamp = Value::String(busy_time(now));
        let active: Vec<usize> = (0..self.members.len())
            .filter(|&i| self.members[i]["archivedOn"].is_null())
            .collect();
        if let Some(&i) = active.get(r % active.len().max(1)) {
            let member = &mut self.members[i];
            let username = member["username"].as_str().unwrap_or("member").to_owned();
            member["email"] = Value::String(format!("{username}.{round}@example.com"));
            member["updatedOn"] = stamp.clone();
            done.push(format!(
                "changed {} {}'s e-mail",
                member["firstName"].as_str().unwrap_or_default(),
                member["lastName"].as_str().unwrap_or_default()
            ));
        }
        // The newest finished entries: the ones a sync window surely covers.
        let recent: Vec<usize> = (0..self.time_entries.len())
            .rev()
            .filter(|&i| {
                let entry = &self.time_entries[i];
                entry["deletedOn"].is_null() && !entry["endTime"].is_null()
            })
            .take(40)
            .collect();
        let end = |entry: &Value| {
            entry["endTime"]
                .as_str()
                .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
                .map(|t| t.with_timezone(&Utc))
        };
        if let Some(&i) = recent.get((r * 3) % recent.len().max(1))
            && let Some(ended) = end(&self.time_entries[i])
        {
            let entry = &mut self.time_entries[i];
            entry["endTime"] = Value::String(busy_time(ended + Duration::minutes(30)));
            entry["description"] =
                Value::String(format!("Corrected: 30 minutes added (round {round})"));
            entry["updatedOn"] = stamp.clone();
            done.push("corrected a time entry".to_owned());
        }
        if let Some(&i) = recent.get((r * 3 + 1) % recent.len().max(1)) {
            let id = self.time_entries[i]["id"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            if self.delete_time_entry(&id, now) {
                done.push("deleted a time entry".to_owned());
            }
        }
        done
    }

    /// Archives a member, project or cost code (`archivedOn` and
    /// `updatedOn` set). False when none has that id.
    pub fn archive(&mut self, id: &str, at: DateTime<Utc>) -> bool {
        let record = self
            .members
            .iter_mut()
            .chain(self.projects.iter_mut())
            .chain(self.cost_codes.iter_mut())
            .find(|r| r["id"] == id);
        let Some(record) = record else {
            return false;
        };
        record["archivedOn"] = Value::String(busy_time(at));
        record["updatedOn"] = Value::String(busy_time(at));
        true
    }
}

fn at(day: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(hour, minute, 0).unwrap_or_default())
}

/// What generated time entries name: the projects and cost codes they
/// rotate through, and when they were written.
struct Time<'a> {
    projects: Vec<String>,
    codes: Vec<String>,
    stamp: &'a str,
}

impl Time<'_> {
    /// The `n`th entry: `member`'s, from the start to the end of `span`
    /// (none while running).
    fn entry(
        &self,
        n: usize,
        member: &str,
        span: (DateTime<Utc>, Option<DateTime<Utc>>),
        breaks: Value,
    ) -> Value {
        json!({
            "id": uuid(12, n),
            "memberId": member,
            "projectId": pick(&self.projects, n),
            "costCodeId": pick(&self.codes, n),
            "equipmentId": null,
            "startTime": busy_time(span.0),
            "endTime": span.1.map(busy_time),
            "breaks": breaks,
            "actionType": 10,
            "description": null,
            "createdOn": self.stamp,
            "updatedOn": self.stamp,
            "deletedOn": null,
            "submittedOn": null,
        })
    }
}

fn pick(ids: &[String], n: usize) -> Value {
    if ids.is_empty() {
        Value::Null
    } else {
        Value::String(ids[n % ids.len()].clone())
    }
}

//! Seeds for the real-window tests: a small company as an office would
//! have entered it by hand, its budgets and wages, and a bonus pay ID,
//! written straight to a [`Sandbox`]'s database before the app starts.

use timebridge_core::audit::Actor;

use crate::{Result, Sandbox};

impl Sandbox {
    /// A small crew with jobs and a week of clocked time (before today), as
    /// an office would have entered it by hand.
    pub fn seed_company(&self) -> Result {
        use chrono::{Datelike, Duration as Days, FixedOffset, TimeZone};
        use timebridge_core::records::NewRecordSource;
        use timebridge_core::records::employees::{self, EmployeeDraft};
        use timebridge_core::records::jobs::{self, JobDraft};
        use timebridge_core::records::time_entries::{self, TimeEntryDraft, TimeSpan};

        let store = self.store()?;
        let actor = Actor::system();
        let now = chrono::Utc::now();
        let crew = [
            ("Marcus", "Bell", "101", "marcus.bell@example.com"),
            ("Priya", "Nair", "102", "priya.nair@example.com"),
            ("Tom", "Okafor", "103", "tom.okafor@example.com"),
            ("Lena", "Fischer", "105", "lena.fischer@example.com"),
            ("Diego", "Ramos", "106", "diego.ramos@example.com"),
        ];
        let sites = ["Main St Remodel", "Oak Ave Duplex", "Riverside Clinic"];
        store.write(|tx| {
            let source = NewRecordSource::Manual;
            let mut people = Vec::new();
            for (first, last, number, email) in crew {
                let draft = EmployeeDraft {
                    first_name: first.into(),
                    last_name: last.into(),
                    employee_number: Some(number.into()),
                    email: Some(email.into()),
                    phone: Some(format!("(512) 555-0{number}")),
                    hire_date: chrono::NaiveDate::from_ymd_opt(2023, 3, 6),
                };
                people.push(employees::create(tx, &draft, &source, &actor, now)?);
            }
            let mut places = Vec::new();
            for (i, name) in sites.into_iter().enumerate() {
                let draft = JobDraft {
                    name: name.into(),
                    job_number: Some(format!("J-{}", 2401 + i)),
                    ..Default::default()
                };
                places.push(jobs::create(tx, &draft, &source, &actor, now)?);
            }
            let central = FixedOffset::west_opt(6 * 3600).expect("valid offset");
            let today = now.with_timezone(&central).date_naive();
            for back in 2..7 {
                let day = today - Days::days(back);
                if day.weekday().number_from_monday() > 5 {
                    continue;
                }
                for (i, person) in people.iter().enumerate() {
                    let start = central
                        .from_local_datetime(&day.and_hms_opt(7, 0, 0).expect("valid time"))
                        .single()
                        .expect("no gap at 07:00");
                    let end = start + Days::minutes(480 + 15 * i as i64);
                    let draft = TimeEntryDraft {
                        employee_id: person.id,
                        job_id: Some(places[i % places.len()].id),
                        task_id: None,
                        pay_id: None,
                        span: TimeSpan::Clock {
                            start,
                            end: Some(end),
                        },
                        notes: String::new(),
                    };
                    time_entries::create(tx, &draft, &source, &actor, now)?;
                }
            }
            Ok(())
        })?;
        Ok(())
    }
}

impl Sandbox {
    /// Budgets for [`Sandbox::seed_company`]'s jobs, set from the hours
    /// worked so each stands somewhere known: Main St Remodel (J-2401) at
    /// risk at 90 % used, Oak Ave Duplex (J-2402) on track at 50 %, and
    /// Riverside Clinic (J-2403) over at 125 %. Main St has a $5,000 cost
    /// budget too.
    pub fn seed_budgets(&self) -> Result {
        use timebridge_core::costing::{self, CostingQuery};
        use timebridge_core::records::NewRecordSource;
        use timebridge_core::records::budgets::{self, BudgetDraft};

        let store = self.store()?;
        let (actor, now) = (Actor::system(), chrono::Utc::now());
        store.write(|tx| {
            let report = costing::report(tx, &CostingQuery::default())?;
            for job in &report.jobs {
                let worked = job.figures.actual_seconds;
                let (budget_seconds, amount_cents) = match job.job_number.as_deref() {
                    Some("J-2401") => (worked * 10 / 9, Some(500_000)),
                    Some("J-2402") => (worked * 2, None),
                    Some("J-2403") => (worked * 4 / 5, None),
                    _ => continue,
                };
                let draft = BudgetDraft {
                    job_id: job.job_id,
                    task_id: None,
                    budget_seconds: Some(budget_seconds),
                    amount_cents,
                    notes: String::new(),
                };
                budgets::create(tx, &draft, &NewRecordSource::Manual, &actor, now)?;
            }
            Ok(())
        })?;
        Ok(())
    }

    /// Wages for [`Sandbox::seed_company`]'s crew from their hire date,
    /// all but Marcus Bell's (his hours are in the jobs' figures but not
    /// costed), and a 22.5 % labour burden. Lena Fischer, Marcus's crew
    /// mate on Main St Remodel, is paid $30.00 an hour.
    pub fn seed_wages(&self) -> Result {
        use timebridge_core::costing::wages::{self, WageDraft};
        use timebridge_core::costing::{self, CostingSettings};
        use timebridge_core::records::ListQuery;
        use timebridge_core::records::employees;

        let store = self.store()?;
        let (actor, now) = (Actor::system(), chrono::Utc::now());
        let hired = chrono::NaiveDate::from_ymd_opt(2023, 3, 6).ok_or("a valid date")?;
        store.write(|tx| {
            for employee in employees::list(tx, &ListQuery::default())?.rows {
                let cents_per_hour = match employee.employee_number.as_deref() {
                    Some("102") => 2650,
                    Some("103") => 3100,
                    Some("105") => 3000,
                    Some("106") => 2800,
                    _ => continue,
                };
                let draft = WageDraft {
                    employee_id: employee.id,
                    from: hired,
                    cents_per_hour,
                };
                wages::set(tx, &draft, &actor, now)?;
            }
            let settings = CostingSettings {
                burden_percent: rust_decimal::Decimal::new(225, 1),
            };
            costing::save_settings(tx, settings, &actor, now)?;
            Ok(())
        })?;
        Ok(())
    }
}

impl Sandbox {
    /// The pay ID crew bonuses are paid as (BONUS, "Production bonus"),
    /// which a new bonus plan picks by default.
    pub fn seed_bonus_pay_id(&self) -> Result {
        use timebridge_core::records::NewRecordSource;
        use timebridge_core::records::pay_ids::{self, PayCategory, PayIdDraft};

        let store = self.store()?;
        let (actor, now) = (Actor::system(), chrono::Utc::now());
        store.write(|tx| {
            let draft = PayIdDraft {
                code: "BONUS".into(),
                name: "Production bonus".into(),
                category: PayCategory::Other,
                multiplier: 1.0,
            };
            pay_ids::create(tx, &draft, &NewRecordSource::Manual, &actor, now)
        })?;
        Ok(())
    }
}

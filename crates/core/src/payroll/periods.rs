//! Pay periods: which days one payroll covers.

use chrono::{Datelike, Duration, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::settings::{PayFrequency, PayrollSettings};

/// The days one payroll covers, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub struct PayPeriod {
    #[ts(type = "string")]
    pub start: NaiveDate,
    #[ts(type = "string")]
    pub end: NaiveDate,
}

impl PayPeriod {
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && date <= self.end
    }

    /// The days, in order.
    pub fn days(&self) -> impl Iterator<Item = NaiveDate> + use<> {
        let (start, end) = (self.start, self.end);
        start.iter_days().take_while(move |d| *d <= end)
    }

    /// The period that ends the day before this one starts.
    pub fn previous(&self, settings: &PayrollSettings) -> PayPeriod {
        containing(settings, self.start - Duration::days(1))
    }

    /// The period that starts the day after this one ends.
    pub fn next(&self, settings: &PayrollSettings) -> PayPeriod {
        containing(settings, self.end + Duration::days(1))
    }
}

/// The pay period `date` falls in.
pub fn containing(settings: &PayrollSettings, date: NaiveDate) -> PayPeriod {
    let every_days = |length: i64| {
        let offset = (date - settings.anchor).num_days().div_euclid(length);
        let start = settings.anchor + Duration::days(offset * length);
        PayPeriod {
            start,
            end: start + Duration::days(length - 1),
        }
    };
    match settings.frequency {
        PayFrequency::Weekly => every_days(7),
        PayFrequency::Biweekly => every_days(14),
        PayFrequency::SemiMonthly => {
            let first = date.with_day(1).unwrap_or(date);
            if date.day() <= 15 {
                PayPeriod {
                    start: first,
                    end: first + Duration::days(14),
                }
            } else {
                PayPeriod {
                    start: first + Duration::days(15),
                    end: last_of_month(date),
                }
            }
        }
        PayFrequency::Monthly => {
            // Settings keep the anchor day at 28 or less, so it exists in
            // every month.
            let day = settings.anchor.day().min(28);
            let this_month = date.with_day(day).unwrap_or(date);
            let start = if date >= this_month {
                this_month
            } else {
                this_month - Months::new(1)
            };
            PayPeriod {
                start,
                end: start + Months::new(1) - Duration::days(1),
            }
        }
    }
}

fn last_of_month(date: NaiveDate) -> NaiveDate {
    let first = date.with_day(1).unwrap_or(date);
    first + Months::new(1) - Duration::days(1)
}

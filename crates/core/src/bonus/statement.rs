//! Each worker's bonus statement: the job, its budget, the hours worked and
//! saved, the crew pool, and the worker's hours and share; viewable in the
//! app and written as a PDF, one page per worker.
//!
//! The PDF uses Helvetica, one of the fonts every PDF reader has, so no font
//! is embedded; text is written in WinAnsi (Windows-1252), and a character
//! it lacks is written as "?".

use chrono::NaiveDate;
use pdf_writer::{Content, Name, Pdf, Rect, Ref, Str, TextStr};
use rust_decimal::Decimal;
use serde::Serialize;
use ts_rs::TS;

use super::SplitMethod;
use super::crews::{Bonus, BonusState};
use crate::error::{Error, Result};

/// One worker's statement of one bonus.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Statement {
    pub bonus_id: i64,
    pub plan: String,
    /// "Riverside Clinic (Harbor Homes)", with the task where it has one.
    pub job: String,
    pub state: BonusState,
    #[ts(type = "string | null")]
    pub approved_on: Option<NaiveDate>,
    pub budget_seconds: i64,
    pub worked_seconds: i64,
    pub saved_seconds: i64,
    /// The crew's share of the saved value, in percent.
    #[ts(type = "string")]
    pub share_percent: Decimal,
    pub split: SplitMethod,
    pub pool_cents: i64,
    pub carried_in_loss_cents: i64,
    pub employee_id: i64,
    pub name: String,
    pub seconds: i64,
    pub wage_cents_per_hour: i64,
    pub amount_cents: i64,
}

/// The statements of a bonus: every worker's, or `employee`'s alone.
/// Refused while the bonus cannot be computed (the reason is said).
pub fn statements(
    bonus: &Bonus,
    share_percent: Decimal,
    split: SplitMethod,
    employee: Option<i64>,
) -> Result<Vec<Statement>> {
    let (Some(outcome), Some(budget)) = (&bonus.outcome, bonus.budget_seconds) else {
        return Err(Error::Conflict(format!(
            "Bonus {} has no statements yet. {}",
            bonus.id,
            bonus.problem.as_deref().unwrap_or_default()
        )));
    };
    let mut job = match &bonus.customer {
        Some(customer) => format!("{} ({customer})", bonus.job),
        None => bonus.job.clone(),
    };
    if let Some(task) = &bonus.task {
        job.push_str(&format!(", {task}"));
    }
    let all: Vec<Statement> = bonus
        .workers
        .iter()
        .filter(|w| employee.is_none_or(|e| e == w.employee_id))
        .map(|w| Statement {
            bonus_id: bonus.id,
            plan: bonus.plan.clone(),
            job: job.clone(),
            state: bonus.state,
            approved_on: bonus.approved_on,
            budget_seconds: budget,
            worked_seconds: outcome.worked_seconds,
            saved_seconds: outcome.saved_seconds,
            share_percent,
            split,
            pool_cents: outcome.pool_cents,
            carried_in_loss_cents: bonus.carried_in_loss_cents,
            employee_id: w.employee_id,
            name: w.name.clone(),
            seconds: w.seconds,
            wage_cents_per_hour: w.wage_cents_per_hour,
            amount_cents: w.amount_cents,
        })
        .collect();
    if all.is_empty() {
        return Err(Error::NotFound(match employee {
            Some(e) => format!("Employee {e} has no time on bonus {}'s job.", bonus.id),
            None => format!("Bonus {} has no workers yet.", bonus.id),
        }));
    }
    Ok(all)
}

/// "1,234.5 h" (hours to a tenth).
fn hours(seconds: i64) -> String {
    let tenths = (seconds.abs() * 10 + 1800) / 3600;
    let sign = if seconds < 0 { "-" } else { "" };
    format!("{sign}{}.{} h", grouped(tenths / 10), tenths % 10)
}

fn grouped(n: i64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// "$1,234.56".
pub fn dollars(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    format!(
        "{sign}${}.{:02}",
        grouped(cents.abs() / 100),
        cents.abs() % 100
    )
}

fn split_said(split: SplitMethod) -> &'static str {
    match split {
        SplitMethod::ByHours => "by hours worked",
        SplitMethod::ByWageHours => "by wage x hours",
        SplitMethod::Equal => "equally",
    }
}

/// The lines of one statement, as printed: (label, value).
pub fn lines(s: &Statement) -> Vec<(String, String)> {
    let state = match (s.state, s.approved_on) {
        (BonusState::Open, _) => "Projected: the job is still open".to_owned(),
        (BonusState::Approved, Some(day)) => {
            format!("Approved {day}, to be paid with that pay period")
        }
        (BonusState::Paid, Some(day)) => format!("Approved {day}, paid"),
        (_, None) => "Approved".to_owned(),
    };
    let mut out = vec![
        ("Employee".to_owned(), s.name.clone()),
        ("Job".to_owned(), s.job.clone()),
        ("Bonus plan".to_owned(), s.plan.clone()),
        ("Status".to_owned(), state),
        ("Budgeted hours".to_owned(), hours(s.budget_seconds)),
        ("Crew's hours".to_owned(), hours(s.worked_seconds)),
        (
            if s.saved_seconds >= 0 {
                "Hours saved"
            } else {
                "Hours over budget"
            }
            .to_owned(),
            hours(s.saved_seconds.abs()),
        ),
        (
            "Crew's share".to_owned(),
            format!(
                "{} % of the saved value, split {}",
                s.share_percent,
                split_said(s.split)
            ),
        ),
    ];
    if s.carried_in_loss_cents > 0 {
        out.push((
            "Loss carried in".to_owned(),
            dollars(s.carried_in_loss_cents),
        ));
    }
    out.push(("Crew pool".to_owned(), dollars(s.pool_cents)));
    out.push(("Your hours".to_owned(), hours(s.seconds)));
    out.push(("Your bonus".to_owned(), dollars(s.amount_cents)));
    out
}

/// Text as WinAnsi bytes, "?" for what it lacks.
fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            ' '..='~' => c as u8,
            '\u{a0}'..='\u{ff}' => c as u32 as u8,
            '€' => 0x80,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '•' => 0x95,
            '–' => 0x96,
            '—' => 0x97,
            _ => b'?',
        })
        .collect()
}

/// The statements as a PDF: a US Letter page each.
pub fn pdf(statements: &[Statement]) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let font = Ref::new(3);
    let bold = Ref::new(4);
    let info = Ref::new(5);
    let first_page = 10;
    let pages: Vec<Ref> = (0..statements.len())
        .map(|n| Ref::new(first_page + 2 * n as i32))
        .collect();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(pages.iter().copied())
        .count(statements.len() as i32);
    pdf.type1_font(font)
        .base_font(Name(b"Helvetica"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold)
        .base_font(Name(b"Helvetica-Bold"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.document_info(info)
        .title(TextStr("Crew bonus statements"))
        .producer(TextStr("Timebridge"));
    for (s, page_id) in statements.iter().zip(&pages) {
        let content_id = Ref::new(page_id.get() + 1);
        let mut page = pdf.page(*page_id);
        page.media_box(Rect::new(0.0, 0.0, 612.0, 792.0));
        page.parent(tree);
        page.contents(content_id);
        page.resources()
            .fonts()
            .pair(Name(b"F1"), font)
            .pair(Name(b"F2"), bold);
        drop(page);
        let mut content = Content::new();
        content.begin_text();
        content.set_font(Name(b"F2"), 18.0);
        content.next_line(72.0, 710.0);
        content.show(Str(&win_ansi("Crew bonus statement")));
        content.end_text();
        let mut y = 660.0;
        for (label, value) in lines(s) {
            let strong = label == "Your bonus";
            content.begin_text();
            content.set_font(Name(if strong { b"F2" } else { b"F1" }), 11.0);
            content.next_line(72.0, y);
            content.show(Str(&win_ansi(&label)));
            content.end_text();
            content.begin_text();
            content.set_font(Name(if strong { b"F2" } else { b"F1" }), 11.0);
            content.next_line(220.0, y);
            content.show(Str(&win_ansi(&value)));
            content.end_text();
            y -= 22.0;
        }
        content.begin_text();
        content.set_font(Name(b"F1"), 8.0);
        content.next_line(72.0, 72.0);
        content.show(Str(&win_ansi(&format!(
            "Bonus {} - amounts in whole cents; the crew's shares add up to the pool exactly.",
            s.bonus_id
        ))));
        content.end_text();
        pdf.stream(content_id, &content.finish());
    }
    pdf.finish()
}

//! One Web Connector update, as a plan of qbXML requests: the company
//! first, then each list, page by page where the list's query has an
//! iterator. The session only reads and remembers; what it read is handed
//! over whole when every list is done. A list QuickBooks will not give
//! (payroll not turned on, no permission) is left out of what is handed
//! over, so what was staged of it stays as it was.

use std::collections::BTreeMap;

use serde_json::Value;
use timebridge_core::middleware::{Incoming, Module};

use super::map_list;
use super::qbxml::{self, Iterator, LIST_NOT_AVAILABLE, List, Request};

/// Where a session is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Company,
    List(List),
}

/// A list QuickBooks did not give, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotRead {
    pub list: List,
    pub status_code: i64,
    /// QuickBooks' own words.
    pub status_message: String,
}

impl NotRead {
    /// What the admin is told: which list, why, and what stays.
    pub fn explain(&self) -> String {
        let list = self.list.describe();
        let quickbooks = self.status_message.trim().trim_end_matches('.');
        let why = match (self.status_code, self.list) {
            (3250, List::PayrollWageItems) => {
                "payroll is not turned on in this company file".to_owned()
            }
            (3250, _) => "that feature is not turned on in this company file".to_owned(),
            (3260, _) => format!(
                "the QuickBooks user the Web Connector signs in as may not see the {list} \
                 (give that user access in QuickBooks, or choose a user in Edit → Preferences → \
                 Integrated Applications)"
            ),
            _ => "QuickBooks did not give them".to_owned(),
        };
        format!(
            "The {list} were not read: {why} (QuickBooks: “{quickbooks}”, status {}). \
             The {list} read before are kept as they were.",
            self.status_code
        )
    }
}

/// What an update read, ready to stage.
#[derive(Debug, Default)]
pub struct Read {
    pub company: String,
    /// Every module of every list read, whole (possibly empty). The
    /// modules of a list not read are absent.
    pub modules: Vec<(Module, Vec<Incoming>)>,
    /// Records that could not be read (no ListID).
    pub skipped: usize,
    /// Answers received.
    pub pages: u64,
    /// Lists QuickBooks did not give.
    pub not_read: Vec<NotRead>,
}

impl Read {
    /// The lists not read, in plain words; `None` when every list was read.
    pub fn note(&self) -> Option<String> {
        let notes: Vec<String> = self.not_read.iter().map(NotRead::explain).collect();
        (!notes.is_empty()).then(|| notes.join(" "))
    }
}

/// What QuickBooks offers, from `sendRequestXML`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Offer<'a> {
    /// `qbXMLCountry`: `US`, `CA`, `UK` or `AU`.
    pub country: &'a str,
    /// `qbXMLMajorVers`, `qbXMLMinorVers`.
    pub major: u32,
    pub minor: u32,
    /// `strHCPResponse` (first call of an update only).
    pub hcp_response: &'a str,
}

#[derive(Debug)]
pub struct Session {
    steps: Vec<Step>,
    position: usize,
    iterator: Iterator,
    /// The request id sent and not yet answered.
    awaiting: Option<u32>,
    next_id: u32,
    /// The qbXML version chosen on the first `sendRequestXML`.
    version: Option<(u32, u32)>,
    iterators: bool,
    company: Option<String>,
    raw: BTreeMap<List, Vec<Value>>,
    not_read: Vec<NotRead>,
    /// Records still to come in the list being read, as QuickBooks said.
    remaining: Option<u64>,
    pages: u64,
}

impl Session {
    /// A session that asks who the company is, then reads `lists`.
    pub fn new(lists: &[List]) -> Session {
        let mut steps = vec![Step::Company];
        steps.extend(lists.iter().map(|l| Step::List(*l)));
        Session {
            steps,
            position: 0,
            iterator: Iterator::None,
            awaiting: None,
            next_id: 1,
            version: None,
            iterators: false,
            company: None,
            raw: BTreeMap::new(),
            not_read: Vec::new(),
            remaining: None,
            pages: 0,
        }
    }

    /// Reads `lists` too, after what is planned.
    pub fn then_read(&mut self, lists: &[List]) {
        self.steps.extend(lists.iter().map(|l| Step::List(*l)));
    }

    /// What QuickBooks offers, from `sendRequestXML`. The first call
    /// chooses the qbXML version (see [`qbxml::choose_version`]); an error
    /// says, in plain words, that this QuickBooks is too old.
    pub fn offered(&mut self, offer: &Offer<'_>) -> Result<(), String> {
        if self.version.is_none() {
            let listed = qbxml::listed_versions(offer.hcp_response);
            let reported = (offer.major, offer.minor);
            let Some(version) = qbxml::choose_version(reported, listed.as_deref()) else {
                let newest = listed
                    .as_deref()
                    .and_then(|l| l.iter().max().copied())
                    .unwrap_or(reported);
                return Err(format!(
                    "This QuickBooks reads qbXML up to {}.{}; Timebridge needs QuickBooks 2009 \
                     (qbXML {}.{}) or newer. Update QuickBooks, then click Update Selected in the \
                     Web Connector.",
                    newest.0,
                    newest.1,
                    qbxml::OLDEST.0,
                    qbxml::OLDEST.1
                ));
            };
            self.version = Some(version);
            // Iterators exist in US editions only.
            self.iterators = offer.country.is_empty() || offer.country.eq_ignore_ascii_case("US");
        }
        Ok(())
    }

    /// The qbXML version written, once chosen.
    pub fn version(&self) -> Option<(u32, u32)> {
        self.version
    }

    pub fn step(&self) -> Option<Step> {
        self.steps.get(self.position).copied()
    }

    pub fn is_finished(&self) -> bool {
        self.position >= self.steps.len()
    }

    /// The company's name, once QuickBooks has answered the company query.
    pub fn company(&self) -> Option<&str> {
        self.company.as_deref()
    }

    /// Records read so far of `list`.
    pub fn fetched(&self, list: List) -> usize {
        self.raw.get(&list).map_or(0, Vec::len)
    }

    pub fn pages(&self) -> u64 {
        self.pages
    }

    /// The next request, or `None` when everything planned was read (or
    /// before QuickBooks' offer chose a version).
    pub fn next_request(&mut self) -> Option<String> {
        let version = self.version?;
        let request = match self.step()? {
            Step::Company => Request::Company,
            Step::List(list) => {
                if self.iterator == Iterator::None && self.iterators && list.iterates() {
                    self.iterator = Iterator::Start;
                }
                Request::List {
                    list,
                    iterator: self.iterator.clone(),
                }
            }
        };
        let id = self.next_id;
        self.next_id += 1;
        self.awaiting = Some(id);
        Some(qbxml::render(&request, id, version))
    }

    /// Takes QuickBooks' answer to the last request. Returns how far the
    /// update is, 0–100 (100: everything planned was read).
    pub fn receive(&mut self, answer: &str) -> Result<i32, String> {
        let step = self
            .step()
            .ok_or("QuickBooks answered after everything was read")?;
        let what = match step {
            Step::Company => "the company",
            Step::List(list) => list.describe(),
        };
        let responses = qbxml::parse(answer)
            .map_err(|e| format!("QuickBooks' answer about {what} could not be read: {e}"))?;
        let expected = self.awaiting.take().map(|id| id.to_string());
        let response = responses
            .into_iter()
            .find(|r| expected.is_none() || r.request_id == expected)
            .ok_or_else(|| {
                format!(
                    "QuickBooks' answer about {what} does not answer the request Timebridge sent"
                )
            })?;
        if response.is_error() {
            if let Step::List(list) = step
                && LIST_NOT_AVAILABLE.contains(&response.status_code)
            {
                // This list is left as it was; the others are read.
                self.raw.remove(&list);
                self.not_read.push(NotRead {
                    list,
                    status_code: response.status_code,
                    status_message: response.status_message,
                });
                self.pages += 1;
                self.advance();
                return Ok(self.percent());
            }
            return Err(format!(
                "QuickBooks refused the request for {what}: {} (status {}).",
                response.status_message.trim_end_matches('.'),
                response.status_code
            ));
        }
        self.pages += 1;
        match step {
            Step::Company => {
                let name = response
                    .records
                    .first()
                    .and_then(|c| c.get("CompanyName"))
                    .and_then(Value::as_str)
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .unwrap_or("QuickBooks company");
                self.company = Some(name.to_owned());
                self.advance();
            }
            Step::List(list) => {
                self.raw.entry(list).or_default().extend(response.records);
                match (&self.iterator, response.iterator_id, response.remaining) {
                    (Iterator::Start | Iterator::Continue(_), Some(id), Some(left)) if left > 0 => {
                        self.iterator = Iterator::Continue(id);
                        self.remaining = Some(left);
                    }
                    _ => self.advance(),
                }
            }
        }
        Ok(self.percent())
    }

    fn advance(&mut self) {
        self.position += 1;
        self.iterator = Iterator::None;
        self.remaining = None;
    }

    /// How far the update is: whole steps, and the part of the list being
    /// read that has come. Never 100 until everything was read.
    pub fn percent(&self) -> i32 {
        if self.is_finished() {
            return 100;
        }
        let mut done = self.position as f64;
        if let (Some(Step::List(list)), Some(left)) = (self.step(), self.remaining) {
            let fetched = self.fetched(list) as f64;
            done += fetched / (fetched + left as f64);
        }
        ((done / self.steps.len() as f64) * 100.0).clamp(1.0, 99.0) as i32
    }

    /// Everything read, as staged records per module; lists QuickBooks did
    /// not give are left out (their modules are absent).
    pub fn into_read(self) -> Read {
        let mut read = Read {
            company: self.company.unwrap_or_default(),
            pages: self.pages,
            ..Read::default()
        };
        for step in &self.steps {
            if let Step::List(list) = step {
                if self.not_read.iter().any(|n| n.list == *list) {
                    continue;
                }
                let records = self.raw.get(list).map_or(&[][..], Vec::as_slice);
                let (modules, skipped) = map_list(*list, records);
                read.modules.extend(modules);
                read.skipped += skipped;
            }
        }
        read.not_read = self.not_read;
        read
    }
}

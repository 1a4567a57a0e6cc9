//! The QuickBooks Web Connector, emulated: the SOAP client that calls a
//! Timebridge over HTTP in the Web Connector's order — `serverVersion`,
//! `clientVersion`, `authenticate`, then `sendRequestXML` /
//! `receiveResponseXML` until 100 %, `getLastError` on an empty request or
//! a negative percentage, `connectionError` when QuickBooks cannot be
//! opened, and `closeConnection` — each request as the WSDL writes it.
//! An answer the real Web Connector could not use (another element or
//! namespace, a fault, a percentage that is not a number, …) stops the
//! update with the error it would log (QBWC-SOAP-1, QBWC-CV-1,
//! QBWC-AUTH-1, QBWC-RECV-1). Faults on demand: QuickBooks closed,
//! QuickBooks failing a request, a garbled answer, the Web Connector
//! vanishing mid-update or closed by the admin.

use std::sync::{Arc, Mutex};

use super::{Company, escape};
use crate::serve::lock;

/// The Web Connector version the emulated one reports.
pub const WEB_CONNECTOR_VERSION: &str = "2.3.0.215";

/// The calls of the Web Connector's WSDL (interactive mode aside).
pub const METHODS: [&str; 8] = [
    "serverVersion",
    "clientVersion",
    "authenticate",
    "sendRequestXML",
    "receiveResponseXML",
    "getLastError",
    "connectionError",
    "closeConnection",
];

const SOAP_ENVELOPE: &str = "http://schemas.xmlsoap.org/soap/envelope/";
const INTUIT: &str = "http://developer.intuit.com/";

/// Faults the emulated Web Connector or QuickBooks produce on demand.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    /// QuickBooks is not open: `connectionError` instead of requests.
    pub quickbooks_closed: bool,
    /// QuickBooks fails the n-th request (1-based) with this HRESULT.
    pub fail_request: Option<(usize, String, String)>,
    /// The n-th answer is cut off mid-document.
    pub garble_answer: Option<usize>,
    /// The Web Connector stops calling after answering n requests
    /// (closed, crashed, network cut): no `closeConnection`.
    pub vanish_after: Option<usize>,
    /// The admin stops the update after n answers: `closeConnection` at once.
    pub close_after: Option<usize>,
}

/// What one update did, as the Web Connector's log would show it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Update {
    pub server_version: String,
    /// `authenticate`'s status: "" (go), "nvu", "none", "busy"…
    pub auth_status: String,
    /// Each `receiveResponseXML` result.
    pub percents: Vec<i32>,
    /// What `getLastError` said, if it was asked.
    pub last_error: Option<String>,
    /// What `connectionError` answered last, if it was called.
    pub connection_error_reply: Option<String>,
    /// `closeConnection`'s message; `None` when it was never called.
    pub closed_with: Option<String>,
}

/// One SOAP call and its answer, as sent and received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SoapExchange {
    pub method: String,
    pub request: String,
    pub answer: String,
}

/// How many times the Web Connector tries another company file that
/// `connectionError` named before it gives up (*assumed*).
const COMPANY_FILE_TRIES: usize = 3;

/// The QuickBooks Web Connector, calling a Timebridge over HTTP.
#[derive(Clone)]
pub struct WebConnector {
    url: String,
    http: reqwest::Client,
    pub company: Arc<Mutex<Company>>,
    pub faults: Arc<Mutex<Faults>>,
    /// Every SOAP call of every update, in order.
    pub transcript: Arc<Mutex<Vec<SoapExchange>>>,
}

/// The SOAP request for `method` with `fields` (in the WSDL's order), as
/// the Web Connector writes it.
pub fn soap_request(method: &str, fields: &[(&str, &str)]) -> String {
    let fields: String = fields
        .iter()
        .map(|(name, value)| format!("<{name}>{}</{name}>", escape(value)))
        .collect();
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="{SOAP_ENVELOPE}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soap:Body><{method} xmlns="{INTUIT}">{fields}</{method}></soap:Body></soap:Envelope>"#
    )
}

/// Reads the answer to `method` the way the Web Connector does
/// (QBWC-SOAP-1): HTTP 200, a SOAP 1.1 envelope, `<methodResponse>` in
/// Intuit's namespace holding `<methodResult>`. Returns the result's
/// strings (`ArrayOfString`) or its text; `None` when the result is absent
/// (a null string).
pub fn read_answer(method: &str, status: u16, body: &str) -> Result<Option<Vec<String>>, String> {
    let failed = |why: String| {
        if method == "receiveResponseXML" {
            format!("QBWC1042: ReceiveResponseXML failed. Error message: {why}")
        } else {
            format!("{method}() failed: {why}")
        }
    };
    let doc = roxmltree::Document::parse(body)
        .map_err(|_| failed("Response is not well-formed XML.".into()))?;
    let envelope = doc.root_element();
    if !envelope.has_tag_name((SOAP_ENVELOPE, "Envelope")) {
        return Err(failed("the answer is not a SOAP 1.1 envelope.".into()));
    }
    let body_node = element_children(envelope)
        .into_iter()
        .find(|c| c.has_tag_name((SOAP_ENVELOPE, "Body")))
        .ok_or_else(|| failed("the SOAP envelope has no Body.".into()))?;
    let content = element_children(body_node);
    let Some(response) = content.first() else {
        return Err(failed("the SOAP Body is empty.".into()));
    };
    if response.has_tag_name((SOAP_ENVELOPE, "Fault")) {
        let reason = response
            .descendants()
            .find(|n| n.has_tag_name("faultstring"))
            .and_then(|n| n.text())
            .unwrap_or("a SOAP fault");
        return Err(failed(format!(
            "the web service answered a fault: {reason}"
        )));
    }
    if status != 200 {
        return Err(failed(format!("the web service answered HTTP {status}.")));
    }
    let expected = format!("{method}Response");
    if !response.has_tag_name((INTUIT, expected.as_str())) {
        return Err(failed(format!(
            "expected <{expected}> in {INTUIT}, got <{}> in {}.",
            response.tag_name().name(),
            response.tag_name().namespace().unwrap_or("no namespace")
        )));
    }
    let result_name = format!("{method}Result");
    let result = element_children(*response)
        .into_iter()
        .find(|c| c.has_tag_name((INTUIT, result_name.as_str())));
    let Some(result) = result else {
        return if method == "receiveResponseXML" {
            Err(failed(format!("<{result_name}> is missing.")))
        } else {
            Ok(None)
        };
    };
    let strings: Vec<String> = element_children(result)
        .into_iter()
        .filter(|c| c.has_tag_name((INTUIT, "string")))
        .map(|c| c.text().unwrap_or_default().to_owned())
        .collect();
    Ok(Some(if strings.is_empty() {
        vec![result.text().unwrap_or_default().to_owned()]
    } else {
        strings
    }))
}

fn element_children<'a, 'i>(node: roxmltree::Node<'a, 'i>) -> Vec<roxmltree::Node<'a, 'i>> {
    node.children().filter(|c| c.is_element()).collect()
}

/// What `clientVersion` answered (QBWC-CV-1; an absent result reads as
/// empty): `Ok(None)` go on,
/// `Ok(Some(message))` stop (`E:`); a warning (`W:`) or an upgrade notice
/// (`O:`) goes on (the user agrees).
pub fn client_version_verdict(result: &str) -> Result<Option<String>, String> {
    match result {
        "" => Ok(None),
        text if text.starts_with("E:") => Ok(Some(text.to_owned())),
        text if text.starts_with("W:") || text.starts_with("O:") => Ok(None),
        other => Err(format!(
            "clientVersion() failed: “{other}” is not an answer the Web Connector knows (\"\", W:, E: or O:)."
        )),
    }
}

/// The ticket and status `authenticate` answered (QBWC-AUTH-1).
pub fn authenticate_verdict(result: Option<Vec<String>>) -> Result<(String, String), String> {
    let strings = result.unwrap_or_default();
    match strings.as_slice() {
        [ticket, status, ..] if !ticket.is_empty() => Ok((ticket.clone(), status.clone())),
        _ => Err(
            "authenticate() failed: the web service must answer a ticket and a status.".to_owned(),
        ),
    }
}

/// The percentage `receiveResponseXML` answered (QBWC-RECV-1).
pub fn percent_verdict(result: Option<Vec<String>>) -> Result<i32, String> {
    let text = result
        .and_then(|r| r.into_iter().next())
        .unwrap_or_default();
    text.trim().parse().map_err(|_| {
        format!("QBWC1042: ReceiveResponseXML failed. Error message: “{text}” is not a number.")
    })
}

fn first(result: Option<Vec<String>>) -> String {
    result
        .and_then(|r| r.into_iter().next())
        .unwrap_or_default()
}

impl WebConnector {
    /// A Web Connector with the AppURL of a `.qwc` file, in front of `company`.
    pub fn new(url: &str, company: Company) -> WebConnector {
        WebConnector {
            url: url.to_owned(),
            http: reqwest::Client::new(),
            company: Arc::new(Mutex::new(company)),
            faults: Arc::new(Mutex::new(Faults::default())),
            transcript: Arc::new(Mutex::new(Vec::new())),
        }
    }

    pub fn update_company<T>(&self, change: impl FnOnce(&mut Company) -> T) -> T {
        change(&mut lock(&self.company))
    }

    pub fn set_faults(&self, faults: Faults) {
        *lock(&self.faults) = faults;
    }

    /// One SOAP call; its result (see [`read_answer`]).
    async fn call(
        &self,
        method: &str,
        fields: &[(&str, &str)],
    ) -> Result<Option<Vec<String>>, String> {
        let body = soap_request(method, fields);
        let answer = self
            .http
            .post(&self.url)
            .header("Content-Type", "text/xml; charset=utf-8")
            .header("SOAPAction", format!("\"{INTUIT}{method}\""))
            .body(body.clone())
            .send()
            .await
            .map_err(|e| format!("{method}: {e}"))?;
        let status = answer.status().as_u16();
        let text = answer.text().await.map_err(|e| format!("{method}: {e}"))?;
        lock(&self.transcript).push(SoapExchange {
            method: method.to_owned(),
            request: body,
            answer: text.clone(),
        });
        read_answer(method, status, &text)
    }

    async fn last_error(&self, ticket: &str) -> Result<String, String> {
        Ok(first(
            self.call("getLastError", &[("ticket", ticket)]).await?,
        ))
    }

    /// One update, as *Update Selected* runs it, signing in with `username`
    /// and `password`. An answer the Web Connector cannot use is an error.
    pub async fn update(&self, username: &str, password: &str) -> Result<Update, String> {
        let faults = lock(&self.faults).clone();
        let result = self.run(username, password, &faults).await;
        // The session with QuickBooks ends with the update.
        lock(&self.company).end_session();
        result
    }

    async fn run(&self, username: &str, password: &str, faults: &Faults) -> Result<Update, String> {
        let mut update = Update {
            server_version: first(self.call("serverVersion", &[]).await?),
            ..Update::default()
        };
        let client = self
            .call("clientVersion", &[("strVersion", WEB_CONNECTOR_VERSION)])
            .await?;
        if let Some(stop) = client_version_verdict(&first(client))? {
            update.last_error = Some(stop);
            return Ok(update);
        }
        let auth = self
            .call(
                "authenticate",
                &[("strUserName", username), ("strPassword", password)],
            )
            .await?;
        let (ticket, status) = authenticate_verdict(auth)?;
        update.auth_status = status;
        if matches!(update.auth_status.as_str(), "nvu" | "busy") {
            return Ok(update);
        }
        if update.auth_status != "none" {
            self.exchange(&ticket, faults, &mut update).await?;
            if faults.vanish_after.is_some() && update.closed_with.is_none() {
                return Ok(update);
            }
        }
        update.closed_with = Some(first(
            self.call("closeConnection", &[("ticket", &ticket)]).await?,
        ));
        Ok(update)
    }

    /// QuickBooks could not be opened: `connectionError`, then the company
    /// file it names, until `done` (QBWC-CONN-1).
    async fn connection_error(&self, ticket: &str, update: &mut Update) -> Result<(), String> {
        for _ in 0..COMPANY_FILE_TRIES {
            let reply = first(
                self.call(
                    "connectionError",
                    &[
                        ("ticket", ticket),
                        ("hresult", "0x80040408"),
                        ("message", "Could not start QuickBooks."),
                    ],
                )
                .await?,
            );
            let done = reply.eq_ignore_ascii_case("done");
            update.connection_error_reply = Some(reply);
            if done {
                break;
            }
        }
        Ok(())
    }

    async fn exchange(
        &self,
        ticket: &str,
        faults: &Faults,
        update: &mut Update,
    ) -> Result<(), String> {
        if faults.quickbooks_closed {
            return self.connection_error(ticket, update).await;
        }
        let (hcp, file, country, (major, minor)) = {
            let company = lock(&self.company);
            (
                company.hcp_response(),
                format!("C:\\Company Files\\{}.QBW", company.name),
                company.edition.country.clone(),
                company.edition.newest(),
            )
        };
        let (major, minor) = (major.to_string(), minor.to_string());
        for n in 1..=100_000 {
            let request = first(
                self.call(
                    "sendRequestXML",
                    &[
                        ("ticket", ticket),
                        ("strHCPResponse", if n == 1 { &hcp } else { "" }),
                        ("strCompanyFileName", &file),
                        ("qbXMLCountry", &country),
                        ("qbXMLMajorVers", &major),
                        ("qbXMLMinorVers", &minor),
                    ],
                )
                .await?,
            );
            if request.is_empty() {
                update.last_error = Some(self.last_error(ticket).await?);
                return Ok(());
            }
            let answer = match &faults.fail_request {
                Some((at, hresult, message)) if *at == n => Err((hresult.clone(), message.clone())),
                _ => lock(&self.company).answer(&request),
            };
            let (mut response, hresult, message) = match answer {
                Ok(response) => (response, String::new(), String::new()),
                Err((hresult, message)) => (String::new(), hresult, message),
            };
            if faults.garble_answer == Some(n) {
                response.truncate(response.len() / 2);
            }
            if faults.vanish_after == Some(n) {
                return Ok(());
            }
            let percent = percent_verdict(
                self.call(
                    "receiveResponseXML",
                    &[
                        ("ticket", ticket),
                        ("response", &response),
                        ("hresult", &hresult),
                        ("message", &message),
                    ],
                )
                .await?,
            )?;
            update.percents.push(percent);
            if percent < 0 {
                update.last_error = Some(self.last_error(ticket).await?);
                return Ok(());
            }
            if percent >= 100 || faults.close_after == Some(n) {
                return Ok(());
            }
        }
        Err("the update never finished".into())
    }
}

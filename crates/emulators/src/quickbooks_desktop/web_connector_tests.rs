//! The emulated Web Connector refuses answers the real one cannot use and
//! calls in the real one's order: tests against a scripted web service.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;

use super::web_connector::{
    METHODS, authenticate_verdict, client_version_verdict, percent_verdict, read_answer,
};
use super::*;
use crate::serve::{Server, lock};

/// A SOAP answer to `method` whose result is `result` (already XML).
fn soap(method: &str, result: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><{method}Response xmlns="http://developer.intuit.com/"><{method}Result>{result}</{method}Result></{method}Response></soap:Body></soap:Envelope>"#
    )
}

fn strings(items: &[&str]) -> String {
    items
        .iter()
        .map(|s| format!("<string>{s}</string>"))
        .collect()
}

/// A web service answering each method with a scripted result, counting
/// the calls.
struct Scripted {
    _server: Server,
    url: String,
    calls: Arc<Mutex<Vec<String>>>,
}

async fn scripted(results: &[(&str, String)]) -> Scripted {
    let results: Arc<HashMap<String, String>> = Arc::new(
        results
            .iter()
            .map(|(m, r)| ((*m).to_owned(), soap(m, r)))
            .collect(),
    );
    let calls = Arc::new(Mutex::new(Vec::new()));
    let seen = calls.clone();
    let router = Router::new().fallback(move |body: Bytes| {
        let results = results.clone();
        let seen = seen.clone();
        async move {
            let text = String::from_utf8_lossy(&body).into_owned();
            let method = METHODS
                .into_iter()
                .find(|m| text.contains(&format!("<{m} ")))
                .unwrap_or("unknown");
            lock(&seen).push(method.to_owned());
            results
                .get(method)
                .cloned()
                .unwrap_or_else(|| soap(method, ""))
        }
    });
    let server = Server::start(router, "scripted web service")
        .await
        .expect("a loopback port");
    Scripted {
        url: format!("http://{}/qbwc", server.addr),
        _server: server,
        calls,
    }
}

fn go() -> Vec<(&'static str, String)> {
    vec![
        ("serverVersion", "Test 1".into()),
        ("clientVersion", String::new()),
        ("authenticate", strings(&["T1", ""])),
        ("closeConnection", "OK".into()),
    ]
}

#[test]
fn an_answer_outside_intuits_namespace_or_not_soap_is_refused() {
    // contract: QBWC-SOAP-1
    let good = soap("serverVersion", "Timebridge 1");
    assert_eq!(
        read_answer("serverVersion", 200, &good),
        Ok(Some(vec!["Timebridge 1".to_owned()]))
    );
    let other_namespace = good.replace("http://developer.intuit.com/", "http://example.com/");
    let wrong_element = soap("clientVersion", "");
    let fault = r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault><faultcode>soap:Server</faultcode><faultstring>boom</faultstring></soap:Fault></soap:Body></soap:Envelope>"#;
    let soap12 = good.replace(
        "http://schemas.xmlsoap.org/soap/envelope/",
        "http://www.w3.org/2003/05/soap-envelope",
    );
    for (body, status, why) in [
        (other_namespace.as_str(), 200, "another namespace"),
        (wrong_element.as_str(), 200, "the answer to another call"),
        (fault, 500, "a SOAP fault"),
        (soap12.as_str(), 200, "a SOAP 1.2 envelope"),
        ("<html>oops", 200, "not XML"),
        (good.as_str(), 500, "an HTTP error"),
    ] {
        assert!(
            read_answer("serverVersion", status, body).is_err(),
            "{why} is refused"
        );
    }
    let not_xml = read_answer("receiveResponseXML", 200, "<html>").expect_err("not XML");
    assert!(
        not_xml.starts_with("QBWC1042"),
        "the Web Connector's own words: {not_xml}"
    );
}

#[tokio::test]
async fn client_version_answers_empty_w_e_or_o() {
    // contract: QBWC-CV-1
    assert_eq!(client_version_verdict(""), Ok(None), "go on");
    assert_eq!(client_version_verdict("W:old"), Ok(None), "warn, go on");
    assert_eq!(client_version_verdict("O:2.3.0.215"), Ok(None));
    assert_eq!(
        client_version_verdict("E:upgrade"),
        Ok(Some("E:upgrade".to_owned())),
        "stop"
    );
    assert!(client_version_verdict("OK").is_err(), "no such answer");

    let mut script = go();
    script[1].1 = "E:Upgrade the Web Connector".into();
    let service = scripted(&script).await;
    let wc = WebConnector::new(&service.url, Company::generate(&CompanySpec::default()));
    let update = wc.update("u", "p").await.expect("answered");
    assert_eq!(
        update.last_error.as_deref(),
        Some("E:Upgrade the Web Connector")
    );
    assert!(
        !lock(&service.calls).contains(&"authenticate".to_owned()),
        "E: stops before signing in"
    );
}

#[tokio::test]
async fn authenticate_answers_a_ticket_and_a_status() {
    // contract: QBWC-AUTH-1
    assert!(
        authenticate_verdict(Some(vec!["T1".into()])).is_err(),
        "one string"
    );
    assert!(
        authenticate_verdict(Some(vec![String::new(), String::new()])).is_err(),
        "an empty ticket"
    );
    assert!(authenticate_verdict(None).is_err(), "no result");
    assert_eq!(
        authenticate_verdict(Some(vec!["T1".into(), "nvu".into()])),
        Ok(("T1".to_owned(), "nvu".to_owned()))
    );

    for (status, sends) in [("nvu", false), ("busy", false), ("none", false)] {
        let mut script = go();
        script[2].1 = strings(&["T1", status]);
        let service = scripted(&script).await;
        let wc = WebConnector::new(&service.url, Company::generate(&CompanySpec::default()));
        let update = wc.update("u", "p").await.expect("answered");
        assert_eq!(update.auth_status, status);
        let calls = lock(&service.calls).clone();
        assert_eq!(
            calls.contains(&"sendRequestXML".to_owned()),
            sends,
            "{status}: no requests asked ({calls:?})"
        );
        assert_eq!(
            calls.contains(&"closeConnection".to_owned()),
            status == "none",
            "{status}: only none closes the connection ({calls:?})"
        );
    }
}

#[tokio::test]
async fn an_empty_request_makes_the_web_connector_ask_get_last_error() {
    // contract: QBWC-SEND-1
    let mut script = go();
    script.push(("sendRequestXML", String::new()));
    script.push(("getLastError", "Nothing to do".into()));
    let service = scripted(&script).await;
    let wc = WebConnector::new(&service.url, Company::generate(&CompanySpec::default()));
    let update = wc.update("u", "p").await.expect("answered");
    assert_eq!(update.last_error.as_deref(), Some("Nothing to do"));
    let calls = lock(&service.calls).clone();
    assert!(
        !calls.contains(&"receiveResponseXML".to_owned()),
        "nothing to hand QuickBooks: {calls:?}"
    );
    let transcript = lock(&wc.transcript).clone();
    let first = transcript
        .iter()
        .find(|e| e.method == "sendRequestXML")
        .expect("sendRequestXML was called");
    assert!(
        first.request.contains("&lt;HostQueryRs"),
        "the first call carries the HCP response"
    );
}

#[tokio::test]
async fn a_percentage_that_is_not_a_number_stops_the_update() {
    // contract: QBWC-RECV-1
    assert_eq!(percent_verdict(Some(vec!["100".into()])), Ok(100));
    assert_eq!(percent_verdict(Some(vec!["-101".into()])), Ok(-101));
    let refused = percent_verdict(Some(vec!["done".into()])).expect_err("not a number");
    assert!(refused.starts_with("QBWC1042"), "{refused}");

    let request = r#"<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError"><CompanyQueryRq/></QBXMLMsgsRq></QBXML>"#;
    let mut script = go();
    script.push(("sendRequestXML", super::escape(request)));
    script.push(("receiveResponseXML", "fifty".into()));
    let service = scripted(&script).await;
    let wc = WebConnector::new(&service.url, Company::generate(&CompanySpec::default()));
    let error = wc.update("u", "p").await.expect_err("the update stops");
    assert!(error.contains("QBWC1042"), "{error}");
}

#[tokio::test]
async fn a_quickbooks_error_comes_with_an_empty_response_and_its_hresult() {
    // contract: QBWC-RECV-2
    let mut script = go();
    script.push(("sendRequestXML", "not qbXML at all".into()));
    script.push(("receiveResponseXML", "-1".into()));
    script.push(("getLastError", "refused".into()));
    let service = scripted(&script).await;
    let wc = WebConnector::new(&service.url, Company::generate(&CompanySpec::default()));
    let update = wc.update("u", "p").await.expect("answered");
    assert_eq!(update.percents, vec![-1]);
    let transcript = lock(&wc.transcript).clone();
    let received = transcript
        .iter()
        .find(|e| e.method == "receiveResponseXML")
        .expect("receiveResponseXML was called");
    assert!(
        received.request.contains("<response></response>")
            && received.request.contains("<hresult>0x80040400</hresult>"),
        "QuickBooks' parse error, no response: {}",
        received.request
    );
}

/// An update with QuickBooks closed, `connectionError` answered `reply`.
async fn with_quickbooks_closed(reply: &str) -> (Scripted, Update) {
    let mut script = go();
    script.push(("connectionError", reply.to_owned()));
    let service = scripted(&script).await;
    let wc = WebConnector::new(&service.url, Company::generate(&CompanySpec::default()));
    wc.set_faults(Faults {
        quickbooks_closed: true,
        ..Faults::default()
    });
    let update = wc.update("u", "p").await.expect("answered");
    (service, update)
}

#[tokio::test]
async fn a_company_file_named_by_connection_error_is_tried_until_done() {
    // contract: QBWC-CONN-1
    let (service, update) = with_quickbooks_closed(r"C:\Other\Company.QBW").await;
    let tries = lock(&service.calls)
        .iter()
        .filter(|c| *c == "connectionError")
        .count();
    assert_eq!(
        tries, 3,
        "each named file is tried, then the Web Connector gives up"
    );
    assert_eq!(
        update.connection_error_reply.as_deref(),
        Some(r"C:\Other\Company.QBW")
    );

    let (service, _) = with_quickbooks_closed("DONE").await;
    assert_eq!(
        lock(&service.calls)
            .iter()
            .filter(|c| *c == "connectionError")
            .count(),
        1,
        "done, in any case, ends it"
    );
}

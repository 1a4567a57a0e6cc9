//! The Web Connector's SOAP envelopes: every call it makes, as the server
//! reads it (`soap::parse`, which the Web Connector server calls on each
//! POST body), and every answer, as a test client reads it
//! (`soap::read_result`). Seeds: each call and answer as the Web
//! Connector and Timebridge write them, a qbXML answer escaped inside.

use proptest::prelude::*;
use timebridge_connectors::quickbooks_desktop::soap::{self, Call, Reply};

use super::qbxml::XML;
use super::{assert_refusal, config, text_input, timed};

const PASSWORD: &str = "S3cr3t-Pa55word";

const SOAP: &[&str] = &[
    "<soap:Body>",
    "</soap:Body>",
    "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\">",
    "</soap:Envelope>",
    "<Body>",
    "<authenticate>",
    "<sendRequestXML>",
    "<receiveResponseXML>",
    "<qbXMLMajorVers>99999999999999</qbXMLMajorVers>",
    "<qbXMLMinorVers>-1</qbXMLMinorVers>",
    "<strPassword>",
    "</strPassword>",
    "<string>",
    "</string>",
    "&lt;QBXML&gt;",
    "<faultstring>",
];

fn seeds() -> Vec<Vec<u8>> {
    let qbxml = r#"<?xml version="1.0" ?><QBXML><QBXMLMsgsRs><EmployeeQueryRs requestID="1" statusCode="0" statusSeverity="Info"><EmployeeRet><ListID>8-1</ListID><Name>Ana &amp; Bo</Name></EmployeeRet></EmployeeQueryRs></QBXMLMsgsRs></QBXML>"#;
    let calls = [
        soap::request("serverVersion", &[]),
        soap::request("clientVersion", &[("strVersion", "2.3.0.36")]),
        soap::request(
            "authenticate",
            &[("strUserName", "office"), ("strPassword", PASSWORD)],
        ),
        soap::request(
            "sendRequestXML",
            &[
                ("ticket", "T-1"),
                ("strHCPResponse", qbxml),
                ("strCompanyFileName", r"C:\Company.qbw"),
                ("qbXMLCountry", "US"),
                ("qbXMLMajorVers", "13"),
                ("qbXMLMinorVers", "0"),
            ],
        ),
        soap::request(
            "receiveResponseXML",
            &[
                ("ticket", "T-1"),
                ("response", qbxml),
                ("hresult", ""),
                ("message", ""),
            ],
        ),
        soap::request(
            "connectionError",
            &[
                ("ticket", "T-1"),
                ("hresult", "0x80040400"),
                ("message", "x"),
            ],
        ),
        soap::request("getLastError", &[("ticket", "T-1")]),
        soap::request("closeConnection", &[("ticket", "T-1")]),
        soap::respond(
            "authenticate",
            &Reply::Strings(vec!["T-1".into(), String::new()]),
        ),
        soap::respond("sendRequestXML", &Reply::Text(qbxml.into())),
        soap::respond("receiveResponseXML", &Reply::Number(100)),
        soap::fault("Timebridge could not read this request"),
    ];
    calls.into_iter().map(String::into_bytes).collect()
}

fn dictionary() -> &'static [&'static str] {
    static BOTH: std::sync::LazyLock<Vec<&'static str>> =
        std::sync::LazyLock::new(|| [SOAP, XML].concat());
    &BOTH
}

proptest! {
    #![proptest_config(config("soap_calls", 1))]

    #[test]
    fn any_request_body_is_a_call_or_refused_in_words(body in text_input(seeds(), dictionary())) {
        match timed("soap::parse", || soap::parse(&body)) {
            Ok(call) => {
                prop_assert!(!call.method().is_empty(), "a call names its method");
                if let Call::ReceiveResponseXml { response, .. } = &call {
                    prop_assert!(response.len() <= body.len(), "unescaping never grows the payload");
                }
            }
            Err(why) => assert_refusal(&why, &[PASSWORD]),
        }
    }

    #[test]
    fn any_answer_reads_its_result_or_is_refused_in_words(body in text_input(seeds(), dictionary())) {
        for method in ["authenticate", "sendRequestXML", "receiveResponseXML"] {
            match timed("soap::read_result", || soap::read_result(method, &body)) {
                Ok(strings) => prop_assert!(strings.len() <= body.len() + 1, "each string takes bytes"),
                Err(why) => assert_refusal(&why, &[PASSWORD]),
            }
        }
    }
}

#[test]
fn a_password_sent_unescaped_is_not_repeated_in_the_refusal() {
    // Found writing this target: a client that does not escape `&` sends
    // `&S3cr3t-Pa55word;`, an unknown entity the XML parser's message
    // quoted, so the refusal (logged, and sent back) held the password.
    let body = soap::request("authenticate", &[("strUserName", "office")]).replace(
        "</strUserName>",
        &format!("</strUserName><strPassword>&{PASSWORD};</strPassword>"),
    );
    let why = soap::parse(&body).expect_err("an unknown entity is not well-formed");
    assert_refusal(&why, &[PASSWORD]);
    assert!(
        why.contains("unknown entity reference"),
        "the refusal still says what is wrong: {why}"
    );
}

#[test]
fn a_call_nested_beyond_any_soap_depth_is_refused_not_overflowed() {
    let depth = 200_000;
    let body = format!(
        "<Envelope><Body><authenticate>{}{}</authenticate></Body></Envelope>",
        "<a>".repeat(depth),
        "</a>".repeat(depth)
    );
    let why = soap::parse(&body).expect_err("too deep");
    assert!(
        why.contains("nested"),
        "the refusal says the elements nest too deeply: {why}"
    );
}

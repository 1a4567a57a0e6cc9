//! The Web Connector's SOAP calls (document/literal, namespace
//! `http://developer.intuit.com/`), read from the request body, and their
//! answers. The Web Connector is the client; Timebridge answers.

use timebridge_core::Sensitive;

use super::xml::{self, child_text, escape};

pub const NAMESPACE: &str = "http://developer.intuit.com/";

/// One call from the Web Connector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Call {
    ServerVersion,
    ClientVersion {
        version: String,
    },
    Authenticate {
        username: String,
        password: Sensitive<String>,
    },
    SendRequestXml {
        ticket: String,
        /// The Host, Company and Preferences answer (first call only).
        hcp_response: String,
        company_file: String,
        country: String,
        major: u32,
        minor: u32,
    },
    ReceiveResponseXml {
        ticket: String,
        response: String,
        hresult: String,
        message: String,
    },
    GetLastError {
        ticket: String,
    },
    ConnectionError {
        ticket: String,
        hresult: String,
        message: String,
    },
    CloseConnection {
        ticket: String,
    },
    /// A call Timebridge does not take part in (interactive mode).
    Other {
        method: String,
    },
}

impl Call {
    /// The SOAP method, for the answer's element and the logs.
    pub fn method(&self) -> &str {
        match self {
            Call::ServerVersion => "serverVersion",
            Call::ClientVersion { .. } => "clientVersion",
            Call::Authenticate { .. } => "authenticate",
            Call::SendRequestXml { .. } => "sendRequestXML",
            Call::ReceiveResponseXml { .. } => "receiveResponseXML",
            Call::GetLastError { .. } => "getLastError",
            Call::ConnectionError { .. } => "connectionError",
            Call::CloseConnection { .. } => "closeConnection",
            Call::Other { method } => method,
        }
    }
}

/// Reads a SOAP request.
pub fn parse(body: &str) -> Result<Call, String> {
    let doc = xml::parse(body.trim_start_matches('\u{feff}').trim())?;
    let envelope = doc.root_element();
    let soap_body = envelope
        .children()
        .find(|c| c.is_element() && c.tag_name().name() == "Body")
        .ok_or("it has no SOAP Body")?;
    let call = soap_body
        .children()
        .find(|c| c.is_element())
        .ok_or("its SOAP Body is empty")?;
    let text = |name: &str| child_text(call, name).unwrap_or_default().to_owned();
    let number = |name: &str| text(name).trim().parse().unwrap_or(0);
    Ok(match call.tag_name().name() {
        "serverVersion" => Call::ServerVersion,
        "clientVersion" => Call::ClientVersion {
            version: text("strVersion"),
        },
        "authenticate" => Call::Authenticate {
            username: text("strUserName"),
            password: Sensitive::new(text("strPassword")),
        },
        "sendRequestXML" => Call::SendRequestXml {
            ticket: text("ticket"),
            hcp_response: text("strHCPResponse"),
            company_file: text("strCompanyFileName"),
            country: text("qbXMLCountry"),
            major: number("qbXMLMajorVers"),
            minor: number("qbXMLMinorVers"),
        },
        "receiveResponseXML" => Call::ReceiveResponseXml {
            ticket: text("ticket"),
            response: text("response"),
            hresult: text("hresult"),
            message: text("message"),
        },
        "getLastError" => Call::GetLastError {
            ticket: text("ticket"),
        },
        "connectionError" => Call::ConnectionError {
            ticket: text("ticket"),
            hresult: text("hresult"),
            message: text("message"),
        },
        "closeConnection" => Call::CloseConnection {
            ticket: text("ticket"),
        },
        other => Call::Other {
            method: other.to_owned(),
        },
    })
}

/// What a call returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    Text(String),
    Number(i32),
    /// `authenticate`'s array of strings.
    Strings(Vec<String>),
}

fn envelope(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soap:Body>{body}</soap:Body></soap:Envelope>"#
    )
}

/// The answer to `method`.
pub fn respond(method: &str, reply: &Reply) -> String {
    let result = match reply {
        Reply::Text(text) => escape(text),
        Reply::Number(n) => n.to_string(),
        Reply::Strings(items) => items
            .iter()
            .map(|s| format!("<string>{}</string>", escape(s)))
            .collect(),
    };
    envelope(&format!(
        r#"<{method}Response xmlns="{NAMESPACE}"><{method}Result>{result}</{method}Result></{method}Response>"#
    ))
}

/// A SOAP fault, for a request that could not be read.
pub fn fault(message: &str) -> String {
    envelope(&format!(
        "<soap:Fault><faultcode>soap:Client</faultcode><faultstring>{}</faultstring></soap:Fault>",
        escape(message)
    ))
}

/// A SOAP request for `method` with `fields`, as the Web Connector sends it
/// (used by the emulated Web Connector).
pub fn request(method: &str, fields: &[(&str, &str)]) -> String {
    let fields: String = fields
        .iter()
        .map(|(name, value)| format!("<{name}>{}</{name}>", escape(value)))
        .collect();
    envelope(&format!(
        r#"<{method} xmlns="{NAMESPACE}">{fields}</{method}>"#
    ))
}

/// Reads the result of an answer to `method`: its text, or its strings.
pub fn read_result(method: &str, body: &str) -> Result<Vec<String>, String> {
    let doc = xml::parse(body)?;
    let element = format!("{method}Result");
    let result = doc
        .descendants()
        .find(|n| n.is_element() && n.tag_name().name() == element)
        .ok_or_else(|| {
            let fault = doc
                .descendants()
                .find(|n| n.is_element() && n.tag_name().name() == "faultstring")
                .and_then(|n| n.text())
                .unwrap_or("no result");
            format!("the answer to {method} holds {fault}")
        })?;
    let strings: Vec<String> = result
        .children()
        .filter(|c| c.is_element() && c.tag_name().name() == "string")
        .map(|c| c.text().unwrap_or_default().to_owned())
        .collect();
    if strings.is_empty() {
        Ok(vec![result.text().unwrap_or_default().to_owned()])
    } else {
        Ok(strings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_authenticate_call_reads_its_username_and_password() {
        let body = request(
            "authenticate",
            &[("strUserName", "office"), ("strPassword", "p&ss<1>")],
        );
        let call = parse(&body).expect("a well-formed call");
        assert_eq!(
            call,
            Call::Authenticate {
                username: "office".into(),
                password: Sensitive::new("p&ss<1>".into()),
            },
            "the escaped password reads back whole"
        );
    }

    #[test]
    fn the_answer_to_authenticate_is_an_array_of_strings() {
        let answer = respond(
            "authenticate",
            &Reply::Strings(vec!["T1".into(), "nvu".into()]),
        );
        assert_eq!(
            read_result("authenticate", &answer).expect("readable"),
            vec!["T1".to_owned(), "nvu".to_owned()],
            "ticket then status"
        );
    }

    #[test]
    fn receive_response_xml_keeps_its_qbxml_payload() {
        let qbxml = r#"<?xml version="1.0"?><QBXML><QBXMLMsgsRs/></QBXML>"#;
        let body = request(
            "receiveResponseXML",
            &[
                ("ticket", "T"),
                ("response", qbxml),
                ("hresult", ""),
                ("message", ""),
            ],
        );
        match parse(&body).expect("well-formed") {
            Call::ReceiveResponseXml { response, .. } => {
                assert_eq!(response, qbxml, "the escaped qbXML is unescaped whole");
            }
            other => panic!("read as {other:?}"),
        }
    }

    #[test]
    fn a_body_that_is_not_soap_is_refused() {
        assert!(parse("<html/>").is_err(), "no SOAP Body");
        assert!(parse("not xml").is_err(), "not XML");
    }
}

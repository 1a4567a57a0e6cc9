//! The little XML the Web Connector needs: escaping what Timebridge writes,
//! and reading an element tree as JSON (what staged records keep raw).

use serde_json::{Map, Value};

/// Text escaped for an XML element or attribute.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// An element as JSON: an element with child elements becomes an object
/// (a repeated child becomes an array), any other its text.
pub fn to_json(node: roxmltree::Node<'_, '_>) -> Value {
    let children: Vec<_> = node.children().filter(|c| c.is_element()).collect();
    if children.is_empty() {
        return Value::String(node.text().unwrap_or_default().to_owned());
    }
    let mut map = Map::new();
    for child in children {
        let name = child.tag_name().name().to_owned();
        let value = to_json(child);
        match map.get_mut(&name) {
            Some(Value::Array(items)) => items.push(value),
            Some(existing) => {
                let first = existing.take();
                *existing = Value::Array(vec![first, value]);
            }
            None => {
                map.insert(name, value);
            }
        }
    }
    Value::Object(map)
}

/// The text of `node`'s first child element named `name`.
pub fn child_text<'a>(node: roxmltree::Node<'a, '_>, name: &str) -> Option<&'a str> {
    node.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
        .and_then(|c| c.text())
}

/// The deepest elements may nest: qbXML and SOAP nest a dozen deep; a
/// deeper document is refused before anything walks it (recursively).
pub const MAX_DEPTH: usize = 64;

/// Parses a document, saying in plain words what is wrong with a bad one.
/// The words never quote the document (a password may be in it): names
/// the parser would quote are left out.
pub fn parse(text: &str) -> Result<roxmltree::Document<'_>, String> {
    let doc = roxmltree::Document::parse_with_options(
        text,
        roxmltree::ParsingOptions {
            allow_dtd: false,
            ..Default::default()
        },
    )
    .map_err(|e| format!("it is not well-formed XML ({})", unquoted(&e.to_string())))?;
    // Nodes come in document order, each after its parent.
    let mut depths = vec![0usize; doc.descendants().count() + 1];
    for node in doc.descendants() {
        let depth = node.parent().map_or(0, |p| depths[p.id().get_usize()] + 1);
        if depth > MAX_DEPTH {
            return Err(format!(
                "its elements are nested more than {MAX_DEPTH} deep, deeper than any QuickBooks \
                 or Web Connector document"
            ));
        }
        depths[node.id().get_usize()] = depth;
    }
    Ok(doc)
}

/// A parser's message with what it quotes (`'…'`) left out.
fn unquoted(message: &str) -> String {
    message
        .split('\'')
        .enumerate()
        .map(|(i, part)| if i % 2 == 0 { part } else { "…" })
        .collect::<Vec<_>>()
        .join("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaped_text_reads_back_unchanged() {
        let text = r#"Smith & Sons <"North"> 'yard'"#;
        let xml = format!("<a>{}</a>", escape(text));
        let doc = parse(&xml).expect("escaped text makes well-formed XML");
        assert_eq!(
            doc.root_element().text(),
            Some(text),
            "every special character survives the round trip"
        );
    }

    #[test]
    fn repeated_children_become_an_array() {
        let doc = parse("<r><E><N>a</N></E><E><N>b</N></E><One>x</One></r>").expect("valid");
        let json = to_json(doc.root_element());
        assert_eq!(
            json,
            serde_json::json!({"E": [{"N": "a"}, {"N": "b"}], "One": "x"}),
            "two E children are both kept, in order"
        );
    }
}

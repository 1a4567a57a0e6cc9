//! Validating documents against Intuit's qbXML schema and the Web
//! Connector's WSDL, for tests: `xmllint` (libxml2-utils) reads the vendor
//! files where they are kept, `../shared/vendor/` beside the workspace (or
//! `$TIMEBRIDGE_VENDOR`), never copied into the project. When the folder
//! or `xmllint` is missing, [`Validator::find`] says why, and a test skips
//! with that note.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Where the vendor folder is looked for.
pub fn vendor_folder() -> PathBuf {
    if let Some(dir) = std::env::var_os("TIMEBRIDGE_VENDOR") {
        return PathBuf::from(dir);
    }
    // crates/emulators → the workspace root → its sibling `shared`.
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join("../shared/vendor")
}

/// One document's verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub name: String,
    /// `None` when it validates; otherwise what `xmllint` said.
    pub errors: Option<String>,
}

/// `xmllint` and the vendor files.
#[derive(Debug, Clone)]
pub struct Validator {
    vendor: PathBuf,
}

impl Validator {
    /// The validator, or why tests cannot validate here.
    pub fn find() -> Result<Validator, String> {
        let vendor = vendor_folder();
        let xsd = vendor.join("qbxml/qbxmlops130.xsd");
        if !xsd.is_file() {
            return Err(format!(
                "the vendor folder is absent ({} not found; set TIMEBRIDGE_VENDOR to the folder holding qbxml/ and qbwc/)",
                xsd.display()
            ));
        }
        let runs = Command::new("xmllint")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        if !runs {
            return Err("xmllint is not installed (apt-get install libxml2-utils)".into());
        }
        Ok(Validator { vendor })
    }

    pub fn vendor(&self) -> &Path {
        &self.vendor
    }

    /// Intuit's qbXML 13.0 schema.
    pub fn qbxml13(&self) -> PathBuf {
        self.vendor.join("qbxml/qbxmlops130.xsd")
    }

    /// Intuit's qbXML 12.0 schema.
    pub fn qbxml12(&self) -> PathBuf {
        self.vendor.join("qbxml/v12/qbxmlops120.xsd")
    }

    pub fn sample(&self, name: &str) -> PathBuf {
        self.vendor.join("qbxml/samples").join(name)
    }

    /// The `<types>` schema of the Web Connector's WSDL, written as a
    /// schema file in `dir` (its namespace prefixes declared on it).
    pub fn wsdl_schema(&self, dir: &Path) -> Result<PathBuf, String> {
        let wsdl = self.vendor.join("qbwc/TroubleshootWebServiceFS.wsdl");
        let text =
            std::fs::read_to_string(&wsdl).map_err(|e| format!("{}: {e}", wsdl.display()))?;
        let start = text.find("<s:schema").ok_or("the WSDL has no <s:schema>")?;
        let end = text[start..]
            .find("</s:schema>")
            .map(|at| start + at + "</s:schema>".len())
            .ok_or("the WSDL's <s:schema> is not closed")?;
        let schema = text[start..end].replacen(
            "<s:schema",
            r#"<s:schema xmlns:s="http://www.w3.org/2001/XMLSchema" xmlns:tns="http://developer.intuit.com/""#,
            1,
        );
        let path = dir.join("qbwc-types.xsd");
        std::fs::write(
            &path,
            format!("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n{schema}\n"),
        )
        .map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(path)
    }

    /// Validates every document against `xsd` in one `xmllint` run; the
    /// documents are written to `dir` under their names.
    pub fn validate(
        &self,
        xsd: &Path,
        dir: &Path,
        documents: &[(String, String)],
    ) -> Result<Vec<Verdict>, String> {
        let mut paths = Vec::with_capacity(documents.len());
        for (name, text) in documents {
            let path = dir.join(name);
            std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
            paths.push(path);
        }
        self.validate_files(xsd, &paths)
    }

    /// Validates every document against `xsd`; the error names each one
    /// that does not validate, with `xmllint`'s words and the document.
    pub fn check(
        &self,
        xsd: &Path,
        dir: &Path,
        documents: &[(String, String)],
    ) -> Result<(), String> {
        let verdicts = self.validate(xsd, dir, documents)?;
        let invalid: Vec<String> = verdicts
            .iter()
            .zip(documents)
            .filter_map(|(v, (_, text))| {
                v.errors
                    .as_ref()
                    .map(|e| format!("{}:\n{e}\n{text}\n", v.name))
            })
            .collect();
        if invalid.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "{} of {} documents break {}:\n{}",
                invalid.len(),
                documents.len(),
                xsd.display(),
                invalid.join("\n")
            ))
        }
    }

    /// Validates files already on disk against `xsd`, in one run.
    pub fn validate_files(&self, xsd: &Path, files: &[PathBuf]) -> Result<Vec<Verdict>, String> {
        if files.is_empty() {
            return Ok(Vec::new());
        }
        let output = Command::new("xmllint")
            .arg("--noout")
            .arg("--schema")
            .arg(xsd)
            .args(files)
            .output()
            .map_err(|e| format!("xmllint did not run: {e}"))?;
        let said = String::from_utf8_lossy(&output.stderr);
        let lines: Vec<&str> = said.lines().collect();
        if lines.iter().any(|l| l.contains("failed to compile")) {
            return Err(format!("xmllint could not read the schema: {said}"));
        }
        Ok(files
            .iter()
            .map(|file| {
                let shown = file.display().to_string();
                let ok = lines.iter().any(|l| *l == format!("{shown} validates"));
                let errors: Vec<&str> = lines
                    .iter()
                    .copied()
                    .filter(|l| {
                        l.starts_with(&format!("{shown}:"))
                            || **l == format!("{shown} fails to validate")
                    })
                    .collect();
                Verdict {
                    name: file
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                    errors: (!ok).then(|| {
                        if errors.is_empty() {
                            "xmllint gave no verdict".to_owned()
                        } else {
                            errors.join("\n")
                        }
                    }),
                }
            })
            .collect())
    }
}

/// The SOAP Body's first element of a SOAP message, as a document of its
/// own (for validating against the WSDL's types). Its namespace must be
/// declared on it, as Timebridge and the Web Connector write it.
pub fn soap_body_content(message: &str) -> Result<String, String> {
    let doc = roxmltree::Document::parse(message).map_err(|e| format!("not XML: {e}"))?;
    let body = doc
        .descendants()
        .find(|n| n.is_element() && n.tag_name().name() == "Body")
        .ok_or("no SOAP Body")?;
    let content = body
        .children()
        .find(|n| n.is_element())
        .ok_or("an empty SOAP Body")?;
    Ok(format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n{}",
        &message[content.range()]
    ))
}

//! Every rule of every platform contract (`docs/contracts/*.md`) has a test
//! that shows it enforced, marked `// contract: ID`; no two rules share an
//! id; and no test names a rule no contract has.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("the emulators crate sits two levels below the workspace")
        .to_path_buf()
}

/// `PREFIX-AREA-N`: capitals, capitals, digits.
fn is_rule_id(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    parts.len() == 3
        && (2..=5).contains(&parts[0].len())
        && parts[0].chars().all(|c| c.is_ascii_uppercase())
        && !parts[1].is_empty()
        && parts[1]
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && !parts[2].is_empty()
        && parts[2].chars().all(|c| c.is_ascii_digit())
}

/// The ids of the rules rows of a contract: table rows whose first cell is
/// an id in backticks.
fn rules_of(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| {
            let cell = line.trim().strip_prefix('|')?.split('|').next()?.trim();
            let id = cell.strip_prefix('`')?.strip_suffix('`')?;
            is_rule_id(id).then(|| id.to_owned())
        })
        .collect()
}

/// Every id a `// contract: A, B` comment names in the file.
fn markers_of(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| line.trim().strip_prefix("// contract:"))
        .flat_map(|ids| ids.split(','))
        .map(|id| id.trim().to_owned())
        .filter(|id| !id.is_empty())
        .collect()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

struct Contracts {
    /// Rule id → the contract file it is written in.
    rules: BTreeMap<String, String>,
    duplicates: Vec<String>,
}

fn read_contracts() -> Contracts {
    let dir = workspace().join("docs").join("contracts");
    let mut contracts = Contracts {
        rules: BTreeMap::new(),
        duplicates: Vec::new(),
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{} must exist: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        // The README explains the form, with an example row.
        .filter(|p| !p.ends_with("README.md"))
        .collect();
    files.sort();
    for file in files {
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = std::fs::read_to_string(&file).expect("a contract is readable text");
        for id in rules_of(&text) {
            if let Some(first) = contracts.rules.insert(id.clone(), name.clone()) {
                contracts
                    .duplicates
                    .push(format!("{id} (in {first} and {name})"));
            }
        }
    }
    contracts
}

fn read_markers() -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    rust_files(&workspace().join("crates"), &mut files);
    let mut markers: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        for id in markers_of(&text) {
            markers
                .entry(id)
                .or_default()
                .insert(file.display().to_string());
        }
    }
    markers
}

#[test]
fn every_contract_rule_has_a_test_that_enforces_it() {
    let contracts = read_contracts();
    assert!(
        contracts.rules.len() >= 10,
        "the contracts hold rules (found {}); is docs/contracts read?",
        contracts.rules.len()
    );
    let markers = read_markers();
    let untested: Vec<String> = contracts
        .rules
        .iter()
        .filter(|(id, _)| !markers.contains_key(*id))
        .map(|(id, file)| format!("{id} ({file})"))
        .collect();
    assert!(
        untested.is_empty(),
        "each rule needs a test marked `// contract: ID` showing it enforced; none for: {}",
        untested.join(", ")
    );
}

#[test]
fn no_two_contract_rules_share_an_id() {
    let contracts = read_contracts();
    assert!(
        contracts.duplicates.is_empty(),
        "a rule id names one rule: {}",
        contracts.duplicates.join(", ")
    );
}

#[test]
fn every_test_marker_names_a_rule_of_a_contract() {
    let contracts = read_contracts();
    let unknown: Vec<String> = read_markers()
        .into_iter()
        .filter(|(id, _)| !contracts.rules.contains_key(id))
        .map(|(id, files)| {
            format!(
                "{id} (in {})",
                files.into_iter().collect::<Vec<_>>().join(", ")
            )
        })
        .collect();
    assert!(
        unknown.is_empty(),
        "a `// contract:` marker must name a rule of docs/contracts: {}",
        unknown.join(", ")
    );
}

#[test]
fn rule_ids_are_read_from_rules_rows_only() {
    let text = "| rule | what |\n|---|---|\n| `QBT-TSD-1` | a rule |\n| `limit` | a parameter |\n| plain | text |\n";
    assert_eq!(
        rules_of(text),
        vec!["QBT-TSD-1".to_owned()],
        "only an id-shaped first cell makes a row a rule"
    );
    assert_eq!(
        markers_of("    // contract: QBT-TSD-1, QBT-PAGE-2\nlet x = 1;"),
        vec!["QBT-TSD-1".to_owned(), "QBT-PAGE-2".to_owned()],
        "a marker may name several rules"
    );
}

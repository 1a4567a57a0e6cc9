//! The engine's modules depend downwards only: a check that reads each
//! source file's `use crate::…`, `use super::…` and `use self::…` lines
//! and finds no circle among the modules they name.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every module of the crate (by path, like `web_connector::host`) with
/// the modules its `use` lines name.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    collect(&src, &mut files);
    let modules: BTreeSet<String> = files.iter().map(|f| module_of(&src, f)).collect();
    let mut graph = BTreeMap::new();
    for file in &files {
        let module = module_of(&src, file);
        let text = std::fs::read_to_string(file).expect("a readable source file");
        // Tests may reach anywhere.
        let text = text.split("#[cfg(test)]").next().unwrap_or_default();
        let parent = module.rsplit_once("::").map_or("", |(p, _)| p);
        let mut named = BTreeSet::new();
        for line in text.lines().map(str::trim) {
            let path = if let Some(rest) = line.strip_prefix("use crate::") {
                rest.to_owned()
            } else if let Some(rest) = line.strip_prefix("use self::") {
                format!("{module}::{rest}")
            } else if let Some(rest) = line.strip_prefix("use super::") {
                if parent.is_empty() {
                    rest.to_owned()
                } else {
                    format!("{parent}::{rest}")
                }
            } else {
                continue;
            };
            // The longest module the path starts with.
            let parts: Vec<&str> = path
                .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .next()
                .unwrap_or_default()
                .split("::")
                .collect();
            let target = (1..=parts.len())
                .rev()
                .map(|n| parts[..n].join("::"))
                .find(|m| modules.contains(m))
                .unwrap_or_else(|| "lib".to_owned());
            if target != module {
                named.insert(target);
            }
        }
        graph.insert(module, named);
    }
    graph
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("the source folder") {
        let path = entry.expect("a folder entry").path();
        if path.is_dir() {
            collect(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

fn module_of(src: &Path, file: &Path) -> String {
    let relative = file
        .strip_prefix(src)
        .expect("inside src")
        .with_extension("");
    let parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .filter(|p| p != "mod")
        .collect();
    parts.join("::")
}

/// A circle through `module`, if there is one.
fn circle_from(
    graph: &BTreeMap<String, BTreeSet<String>>,
    module: &str,
    path: &mut Vec<String>,
) -> Option<Vec<String>> {
    if let Some(start) = path.iter().position(|m| m == module) {
        let mut circle = path[start..].to_vec();
        circle.push(module.to_owned());
        return Some(circle);
    }
    path.push(module.to_owned());
    for next in graph.get(module).into_iter().flatten() {
        if let Some(circle) = circle_from(graph, next, path) {
            return Some(circle);
        }
    }
    path.pop();
    None
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let graph = imports();
    assert!(graph.len() > 10, "every module was read: {graph:?}");
    for module in graph.keys() {
        let circle = circle_from(&graph, module, &mut Vec::new());
        assert_eq!(circle, None, "the modules import each other in a circle");
    }
}

#[test]
fn nothing_below_the_engine_imports_it() {
    let graph = imports();
    let importers: Vec<&String> = graph
        .iter()
        .filter(|(m, named)| *m != "lib" && *m != "scheduler" && named.contains("engine"))
        .map(|(m, _)| m)
        .collect();
    assert!(
        importers.is_empty(),
        "the engine's parts stand on their own: {importers:?}"
    );
}

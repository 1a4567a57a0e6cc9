//! The QuickBooks Time jobcode tree, and where each jobcode lands in
//! Timebridge: customer, job, task or pay item.

use std::collections::{HashMap, HashSet};

use serde_json::Value;
use timebridge_core::middleware::{
    Incoming, Module, PlatformField, StagedCustomer, StagedJob, StagedPayItem, StagedTask,
};
use timebridge_core::records::pay_ids::PayCategory;

use crate::lenient;

#[derive(Debug, Clone)]
struct Node {
    parent: Option<String>,
    name: String,
    short_code: Option<String>,
    kind: String,
    active: bool,
}

/// Where a jobcode lands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    Customer,
    Job {
        customer: Option<String>,
    },
    Task {
        job: String,
    },
    PayItem,
    /// Breaks, and ids not in the tree.
    Other,
}

#[derive(Debug, Default)]
pub struct JobcodeTree {
    nodes: HashMap<String, Node>,
    parents: HashSet<String>,
}

impl JobcodeTree {
    pub fn from_cache(records: &[(String, Value)]) -> JobcodeTree {
        let mut tree = JobcodeTree::default();
        for (id, raw) in records {
            let node = Node {
                parent: lenient::id(raw.get("parent_id")),
                name: lenient::text(raw.get("name")).unwrap_or_else(|| format!("Jobcode {id}")),
                short_code: lenient::text(raw.get("short_code")),
                kind: raw
                    .get("type")
                    .and_then(Value::as_str)
                    .unwrap_or("regular")
                    .to_owned(),
                active: lenient::boolean(raw.get("active"), true),
            };
            if node.kind == "regular"
                && let Some(parent) = &node.parent
            {
                tree.parents.insert(parent.clone());
            }
            tree.nodes.insert(id.clone(), node);
        }
        tree
    }

    /// The jobcode and its ancestors, nearest first (cycles and broken
    /// links end the chain).
    fn chain(&self, id: &str) -> Vec<&str> {
        let mut chain = vec![];
        let mut next = Some(id);
        while let Some(current) = next {
            if chain.contains(&current) || chain.len() > 32 {
                break;
            }
            let Some((key, node)) = self.nodes.get_key_value(current) else {
                break;
            };
            chain.push(key.as_str());
            next = node.parent.as_deref();
        }
        chain
    }

    pub fn place(&self, id: &str) -> Placement {
        let Some(node) = self.nodes.get(id) else {
            return Placement::Other;
        };
        match node.kind.as_str() {
            "pto" => return Placement::PayItem,
            "regular" => {}
            _ => return Placement::Other,
        }
        let chain = self.chain(id);
        match chain.len() {
            0 => Placement::Other,
            1 if self.parents.contains(id) => Placement::Customer,
            1 => Placement::Job { customer: None },
            2 => Placement::Job {
                customer: Some(chain[1].to_owned()),
            },
            depth => Placement::Task {
                job: chain[depth - 2].to_owned(),
            },
        }
    }

    fn full_name(&self, id: &str) -> String {
        let mut names: Vec<&str> = self
            .chain(id)
            .iter()
            .filter_map(|i| self.nodes.get(*i))
            .map(|n| n.name.as_str())
            .collect();
        names.reverse();
        names.join(":")
    }

    /// Every jobcode as the record it becomes, per module.
    pub fn derive(&self) -> Vec<(Module, Vec<Incoming>)> {
        let mut out: HashMap<Module, Vec<Incoming>> = HashMap::new();
        for (id, node) in &self.nodes {
            let code = node.short_code.clone().unwrap_or_else(|| node.name.clone());
            let (module, record) = match self.place(id) {
                Placement::Customer => {
                    let customer = StagedCustomer {
                        name: node.name.clone(),
                        email: PlatformField::NotOnPlatform,
                        phone: PlatformField::NotOnPlatform,
                        active: node.active,
                    };
                    let record = Incoming::new(id.clone(), node.name.clone(), customer, None);
                    (Module::Customers, record)
                }
                Placement::Job { customer } => {
                    let job = StagedJob {
                        name: node.name.clone(),
                        customer_external_id: customer,
                        job_number: node.short_code.clone(),
                        address: PlatformField::NotOnPlatform,
                        property: PlatformField::NotOnPlatform,
                        status: PlatformField::NotOnPlatform,
                        active: node.active,
                    };
                    (
                        Module::Jobs,
                        Incoming::new(id.clone(), self.full_name(id), job, None),
                    )
                }
                Placement::Task { job } => {
                    let label = format!("{code} {}", node.name);
                    let task = StagedTask {
                        code,
                        name: node.name.clone(),
                        job_external_id: Some(job),
                        pay_item_external_id: PlatformField::NotOnPlatform,
                        active: node.active,
                    };
                    (Module::Tasks, Incoming::new(id.clone(), label, task, None))
                }
                Placement::PayItem => {
                    let pay_item = StagedPayItem {
                        code,
                        name: node.name.clone(),
                        category: PayCategory::Pto,
                        multiplier: PlatformField::NotOnPlatform,
                        active: node.active,
                    };
                    let record = Incoming::new(id.clone(), node.name.clone(), pay_item, None);
                    (Module::PayItems, record)
                }
                Placement::Other => continue,
            };
            out.entry(module).or_default().push(record);
        }
        [
            Module::Customers,
            Module::Jobs,
            Module::Tasks,
            Module::PayItems,
        ]
        .into_iter()
        .map(|m| (m, out.remove(&m).unwrap_or_default()))
        .collect()
    }
}

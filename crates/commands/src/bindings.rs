//! The TypeScript bindings, generated from the command table.
//!
//! The output is one file (`ui/src/lib/bindings.ts`): a type declaration for
//! every type any command takes or returns (found by walking the types'
//! dependencies), a typed function per command, and the access each command
//! needs, so the UI hides exactly what the backend would refuse. A test
//! fails when the committed file differs from what this produces.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use timebridge_core::ApiError;
use ts_rs::{Config, TS, TypeVisitor};

use crate::Access;
use crate::registry::{CommandSpec, SignatureVisitor, visit_signatures};

/// Where the generated file lives, relative to the repository root.
pub const BINDINGS_PATH: &str = "ui/src/lib/bindings.ts";

struct Collector {
    cfg: Config,
    declarations: BTreeMap<String, String>,
    functions: String,
    access: String,
}

impl TypeVisitor for Collector {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        if T::output_path().is_some() {
            let ident = T::ident(&self.cfg);
            let docs = T::docs().unwrap_or_default();
            let declaration = <T::WithoutGenerics as TS>::decl(&self.cfg);
            let declaration = format!("{docs}export {declaration}\n");
            match self.declarations.get(&ident) {
                None => {
                    self.declarations.insert(ident, declaration);
                    T::visit_dependencies(self);
                }
                // Two Rust types of one name would leave one of them
                // declared as the other.
                Some(first) => assert!(
                    *first == declaration,
                    "two Rust types are named `{ident}` in TypeScript: give one its own name with #[ts(rename = \"…\")]"
                ),
            }
        } else {
            T::visit_dependencies(self);
        }
        // Always: `ListQuery<JobSort>` must declare `JobSort` even when
        // `ListQuery` was declared for another kind already.
        T::visit_generics(self);
    }
}

impl SignatureVisitor for Collector {
    fn command<A: TS + 'static, O: TS + 'static>(&mut self, spec: &CommandSpec) {
        self.visit::<A>();
        self.visit::<O>();
        let args = A::name(&self.cfg);
        let output = O::name(&self.cfg);
        let function = camel_case(spec.name);
        let doc = spec.doc.trim();
        if !doc.is_empty() {
            let _ = writeln!(self.functions, "/** {} */", doc.replace('\n', " "));
        }
        let (params, passed) = if args == "null" {
            (String::new(), "null")
        } else {
            (format!("args: {args}"), "args")
        };
        let _ = writeln!(
            self.functions,
            "export function {function}({params}): Promise<{output}> {{\n  return call(\"{}\", {passed});\n}}\n",
            spec.name
        );
        let access = match spec.access {
            Access::Public => "\"public\"".to_owned(),
            Access::SignedIn => "\"signed_in\"".to_owned(),
            Access::Requires(permission) => format!("\"{}\"", permission.as_str()),
        };
        let _ = writeln!(self.access, "  {}: {access},", spec.name);
    }
}

fn camel_case(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The whole generated file.
pub fn typescript_bindings() -> String {
    let mut collector = Collector {
        cfg: Config::new().with_large_int("number"),
        declarations: BTreeMap::new(),
        functions: String::new(),
        access: String::new(),
    };
    visit_signatures(&mut collector);
    // Errors cross as ApiError, though no command returns one as its result;
    // sync progress arrives as events. CSV previews and layouts are declared
    // for the mapping screen whichever commands carry them.
    collector.visit::<ApiError>();
    collector.visit::<timebridge_sync::Progress>();
    collector.visit::<timebridge_core::middleware::csv_layouts::CsvPreview>();

    let mut out = String::from(
        "// Generated from the Rust command table (crates/commands/src/registry.rs).\n\
         // Do not edit: change the Rust types, then run `cargo xtask bindings`.\n\
         /* eslint-disable */\n\n\
         import { call } from \"./transport\";\n\n",
    );
    for declaration in collector.declarations.values() {
        out.push_str(declaration);
        out.push('\n');
    }
    out.push_str(
        "/** Who may run each command: anyone, any signed-in operator, or a permission. */\n\
         export type CommandAccess = \"public\" | \"signed_in\" | Permission;\n\n\
         export const COMMAND_ACCESS = {\n",
    );
    out.push_str(&collector.access);
    out.push_str("} as const satisfies Record<string, CommandAccess>;\n\n");
    out.push_str("export type CommandName = keyof typeof COMMAND_ACCESS;\n\n");
    out.push_str(&collector.functions);
    out.push_str(&format!(
        "/** The event a running sync sends its progress on (payload: Progress). */\nexport const SYNC_PROGRESS_EVENT = \"{}\";\n",
        SYNC_PROGRESS_EVENT
    ));
    out.push_str(&format!(
        "/** Where a browser sign-in comes back, unless another port is given; admins register it with the platform. */\nexport const DEFAULT_REDIRECT_URI = \"http://127.0.0.1:{}{}\";\n",
        timebridge_connectors::oauth::DEFAULT_LOOPBACK_PORT,
        timebridge_connectors::oauth::CALLBACK_PATH
    ));
    out
}

/// The Tauri event carrying [`timebridge_sync::Progress`].
pub const SYNC_PROGRESS_EVENT: &str = "sync-progress";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_names_become_camel_case_functions() {
        assert_eq!(
            camel_case("set_time_entry_active"),
            "setTimeEntryActive",
            "TypeScript functions are camelCase"
        );
    }

    // Two types only ever declared in TypeScript.
    #[allow(dead_code)]
    mod payroll {
        #[derive(ts_rs::TS)]
        pub enum Column {
            Hours,
        }
    }

    #[allow(dead_code)]
    mod layouts {
        #[derive(ts_rs::TS)]
        pub struct Column {
            pub header: String,
        }
    }

    #[test]
    #[should_panic(expected = "two Rust types are named `Column`")]
    fn two_types_of_one_typescript_name_are_refused() {
        let mut collector = Collector {
            cfg: Config::new(),
            declarations: BTreeMap::new(),
            functions: String::new(),
            access: String::new(),
        };
        collector.visit::<payroll::Column>();
        collector.visit::<layouts::Column>();
    }
}

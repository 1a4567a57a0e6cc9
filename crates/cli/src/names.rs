//! The names of modules and kinds of record on the command line. Each is
//! shown one way everywhere (`time-entries`, `pay-items`, `pay-ids`) and
//! accepted that way or with underscores (`time_entries`), in any case, in
//! `records`, `staged` and `import` alike.

use timebridge_core::Error;
use timebridge_core::middleware::Module;
use timebridge_core::records::RecordKind;

/// How the command line shows a module: `time-entries`.
pub fn module_slug(module: Module) -> String {
    module.as_str().replace('_', "-")
}

/// One record of a module, in a sentence: "time entry", "pay item".
pub fn one_of(module: Module) -> &'static str {
    match module {
        Module::Employees => "employee",
        Module::Customers => "customer",
        Module::Jobs => "job",
        Module::Tasks => "task",
        Module::TimeEntries => "time entry",
        Module::Budgets => "budget",
        Module::PayItems => "pay item",
    }
}

/// How many records of a module: "1 time entry", "3 time entries".
pub fn count_of(n: usize, module: Module) -> String {
    if n == 1 {
        format!("1 {}", one_of(module))
    } else {
        format!("{n} {}", module.label().to_lowercase())
    }
}

/// A module named either way.
pub fn module(text: &str) -> Result<Module, Error> {
    Module::parse(&text.trim().to_lowercase()).ok_or_else(|| {
        let known: Vec<_> = Module::ALL.into_iter().map(module_slug).collect();
        Error::invalid(
            "module",
            format!(
                "There is no module “{text}”. Use one of: {}.",
                known.join(", ")
            ),
        )
    })
}

/// A kind of record named either way.
pub fn record_kind(text: &str) -> Result<RecordKind, Error> {
    RecordKind::from_plural_slug(&text.trim().to_lowercase().replace('_', "-")).ok_or_else(|| {
        let known: Vec<_> = RecordKind::ALL.iter().map(|k| k.plural_slug()).collect();
        Error::invalid(
            "kind",
            format!(
                "There is no kind of record called “{text}”. Use one of: {}.",
                known.join(", ")
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_module_is_accepted_as_shown_and_with_underscores() {
        for m in Module::ALL {
            let shown = module_slug(m);
            assert_eq!(
                (
                    module(&shown).ok(),
                    module(&shown.replace('-', "_")).ok(),
                    module(&shown.to_uppercase()).ok()
                ),
                (Some(m), Some(m), Some(m)),
                "{shown} is accepted in every spelling"
            );
        }
    }

    #[test]
    fn every_kind_of_record_is_accepted_as_shown_and_with_underscores() {
        for kind in RecordKind::ALL {
            let shown = kind.plural_slug();
            assert_eq!(
                (
                    record_kind(shown).ok(),
                    record_kind(&shown.replace('-', "_")).ok()
                ),
                (Some(kind), Some(kind)),
                "{shown} is accepted in both spellings"
            );
        }
    }
}

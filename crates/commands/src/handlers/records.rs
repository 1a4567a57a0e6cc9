//! Listing and editing local records. Every kind has the same four commands
//! (list, create, update, set active), generated here over the core's module
//! for that kind. Records created here are always manual.

use timebridge_core::Result;
use timebridge_core::records::NewRecordSource;

use crate::Ctx;
use timebridge_core::records::RecordSourceOption;

macro_rules! record_handlers {
    ($module:ident) => {
        pub mod $module {
            use timebridge_core::Result;
            use timebridge_core::records::$module as core;
            use timebridge_core::records::{ListQuery, Page};

            use super::super::types::{SetActiveArgs, UpdateArgs};
            use super::NewRecordSource;
            use crate::Ctx;

            pub fn list(
                ctx: &mut Ctx<'_>,
                query: ListQuery<core::Sort>,
            ) -> Result<Page<core::Record>> {
                ctx.store().read(|conn| core::list(conn, &query))
            }

            pub fn create(ctx: &mut Ctx<'_>, draft: core::Draft) -> Result<core::Record> {
                let (actor, now) = (ctx.actor()?, ctx.now);
                ctx.store()
                    .write(|tx| core::create(tx, &draft, &NewRecordSource::Manual, &actor, now))
            }

            pub fn update(
                ctx: &mut Ctx<'_>,
                args: UpdateArgs<core::Draft>,
            ) -> Result<core::Record> {
                let (actor, now) = (ctx.actor()?, ctx.now);
                ctx.store()
                    .write(|tx| core::update(tx, args.id, &args.draft, &actor, now))
            }

            pub fn set_active(ctx: &mut Ctx<'_>, args: SetActiveArgs) -> Result<core::Record> {
                let (actor, now) = (ctx.actor()?, ctx.now);
                ctx.store()
                    .write(|tx| core::set_active(tx, args.id, args.active, &actor, now))
            }
        }
    };
}

record_handlers!(employees);
record_handlers!(customers);
record_handlers!(jobs);
record_handlers!(tasks);
record_handlers!(time_entries);
record_handlers!(budgets);
record_handlers!(pay_ids);

/// One time entry, by id.
pub fn get_time_entry(
    ctx: &mut Ctx<'_>,
    args: super::types::IdArgs,
) -> Result<timebridge_core::records::time_entries::Record> {
    ctx.store()
        .read(|conn| timebridge_core::records::time_entries::get(conn, args.id))
}

/// The integrations records have been imported from, for the Source filter.
pub fn list_record_sources(ctx: &mut Ctx<'_>, (): ()) -> Result<Vec<RecordSourceOption>> {
    ctx.store().read(timebridge_core::records::source_options)
}

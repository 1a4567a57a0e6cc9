//! Sage 300 CRE's lists exported as CSV: the whole folder read, one of its
//! six exports mutated in each case. Seeds: each list as the emulated
//! company exports it.

use proptest::prelude::*;
use timebridge_connectors::lists::ListsAt;
use timebridge_connectors::sage300_cre;

use super::clockshark::CSV;
use super::{assert_refusal, config, input, timed};
use crate::sage300_cre::company;

const LISTS: [&str; 6] = [
    "employees",
    "jobs",
    "extras",
    "cost_codes",
    "categories",
    "pay_ids",
];

fn seeds() -> Vec<Vec<u8>> {
    let dir = tempfile::tempdir().expect("a temp folder");
    company()
        .write_exports(dir.path())
        .expect("exports written");
    LISTS
        .iter()
        .map(|name| std::fs::read(dir.path().join(format!("{name}.csv"))).expect("exported"))
        .collect()
}

proptest! {
    #![proptest_config(config("sage300_cre_exports", 1))]

    #[test]
    fn any_export_in_the_folder_is_read_or_refused_in_words(
        bytes in input(seeds(), CSV),
        replaced in 0..LISTS.len(),
    ) {
        let dir = tempfile::tempdir().expect("a temp folder");
        company().write_exports(dir.path()).expect("exports written");
        std::fs::write(dir.path().join(format!("{}.csv", LISTS[replaced])), &bytes)
            .expect("the mutated export is written");
        match timed("sage300_cre::read", || sage300_cre::read(&ListsAt::Folder(dir.path().to_path_buf()))) {
            Ok(read) => {
                let records: usize = read.modules.iter().map(|(_, r)| r.len()).sum();
                prop_assert!(records <= 64 + 8 * bytes.len(), "records in proportion to the files: {records}");
            }
            Err(error) => assert_refusal(&error.message, &[]),
        }
    }
}

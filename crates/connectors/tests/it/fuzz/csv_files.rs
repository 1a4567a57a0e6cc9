//! CSV files from any tracker: the preview (delimiter sniffed, layout
//! guessed), the folder check, and a read with the guessed layout. Seeds:
//! the tracker-shaped fixtures (US 12-hour, European, daily hours, no
//! header).

use proptest::prelude::*;
use timebridge_connectors::csv_files::{CsvFiles, preview, preview_as};
use timebridge_connectors::folder::{FolderOptions, FolderSource};

use super::clockshark::{CSV, assert_bounded};
use super::{assert_refusal, config, input, timed};

fn seeds() -> Vec<Vec<u8>> {
    ["us_12h", "european", "daily_hours", "no_header"]
        .iter()
        .map(|name| {
            let path = format!(
                "{}/tests/fixtures/csv/{name}.csv",
                env!("CARGO_MANIFEST_DIR")
            );
            std::fs::read(path).expect("the fixture is there")
        })
        .collect()
}

proptest! {
    #![proptest_config(config("csv_files", 1))]

    #[test]
    fn any_file_previews_and_reads_or_is_refused_in_words(
        bytes in input(seeds(), CSV),
        delimiter in prop_oneof![Just(None), Just(Some(b',')), Just(Some(b';')), Just(Some(b'\t'))],
    ) {
        let dir = tempfile::tempdir().expect("a temp folder");
        let path = dir.path().join("hours.csv");
        std::fs::write(&path, &bytes).expect("the file is written");
        let guess = match timed("preview_as", || preview_as(&path, delimiter)) {
            Ok(preview) => Some(preview.guess),
            Err(error) => {
                assert_refusal(&error.message, &[]);
                None
            }
        };
        if let Err(error) = timed("preview", || preview(&path)) {
            assert_refusal(&error.message, &[]);
        }
        let options = FolderOptions { layout: guess, ..FolderOptions::any() };
        if let Err(error) = timed("check_file", || CsvFiles.check_file(&path, &options)) {
            assert_refusal(&error.message, &[]);
        }
        match timed("read", || CsvFiles.read(std::slice::from_ref(&path), &options)) {
            Ok(read) => assert_bounded(&read, bytes.len()),
            Err(error) => assert_refusal(&error.message, &[]),
        }
    }
}

//! The committed TypeScript bindings match the Rust command table.
//!
//! Run with `UPDATE_BINDINGS=1` (or `cargo xtask bindings`) to rewrite them.

use std::path::PathBuf;

use timebridge_commands::{BINDINGS_PATH, typescript_bindings};

#[test]
fn the_committed_typescript_bindings_are_up_to_date() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(BINDINGS_PATH);
    let generated = typescript_bindings();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &generated).expect("bindings written");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{BINDINGS_PATH} is stale: the Rust types or commands changed. Run `cargo xtask bindings` and commit the result."
    );
}

//! The encrypted secrets file: what it keeps, what it refuses, and that
//! nothing in it reads without its key.

use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;

use timebridge_connectors::secret_file::{FileSecrets, SecretKey};
use timebridge_connectors::secrets::SecretStore;
use timebridge_core::Sensitive;

const TOKEN: &str = "tok-4f1c9e-very-secret";

fn store(dir: &Path, key_file: &str) -> FileSecrets {
    let key = SecretKey::key_file(&dir.join(key_file)).expect("a key");
    FileSecrets::new(dir.join("secrets.enc"), key)
}

/// A store in `dir` keyed by `secret.key`, holding `TOKEN` as `integration-1`.
fn saved(dir: &Path) -> FileSecrets {
    let secrets = store(dir, "secret.key");
    secrets
        .set("integration-1", &Sensitive::new(TOKEN.to_owned()))
        .expect("saved");
    secrets
}

#[test]
fn a_secret_saved_reads_back_and_the_file_holds_no_plain_text() {
    let dir = tempfile::tempdir().expect("temp folder");
    let secrets = saved(dir.path());
    let read = secrets.get("integration-1").expect("read");
    assert_eq!(
        read.as_ref().map(|s| s.expose().as_str()),
        Some(TOKEN),
        "the secret comes back as it was saved"
    );
    let file = std::fs::read_to_string(dir.path().join("secrets.enc")).expect("the file");
    assert!(
        !file.contains(TOKEN) && !file.contains("very-secret"),
        "the file holds the secret sealed, never in plain text: {file}"
    );
}

#[test]
fn the_secrets_file_and_a_made_key_file_are_readable_by_their_owner_only() {
    let dir = tempfile::tempdir().expect("temp folder");
    saved(dir.path());
    let mode = |name: &str| {
        std::fs::metadata(dir.path().join(name))
            .expect("the file")
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(
        (mode("secret.key"), mode("secrets.enc")),
        (0o600, 0o600),
        "no other user may read the key or the sealed secrets"
    );
}

#[test]
fn another_key_does_not_open_the_file_and_says_so() {
    let dir = tempfile::tempdir().expect("temp folder");
    saved(dir.path());
    let error = store(dir.path(), "other.key")
        .get("integration-1")
        .expect_err("the wrong key opens nothing");
    assert!(
        error.0.contains("does not open") && !error.0.contains(TOKEN),
        "the message says the key is not the one it was saved with, and shows no secret: {}",
        error.0
    );
}

#[test]
fn a_sealed_value_moved_under_another_name_does_not_open() {
    let dir = tempfile::tempdir().expect("temp folder");
    let secrets = saved(dir.path());
    let path = dir.path().join("secrets.enc");
    let text = std::fs::read_to_string(&path).expect("the file");
    std::fs::write(&path, text.replace("integration-1", "integration-2")).expect("moved");
    assert!(
        secrets.get("integration-2").is_err(),
        "each value is bound to its entry's name, so one integration's sign-in cannot be given to another"
    );
}

#[test]
fn a_key_file_other_users_may_read_is_refused_with_how_to_fix_it() {
    let dir = tempfile::tempdir().expect("temp folder");
    let path = dir.path().join("secret.key");
    SecretKey::key_file(&path).expect("made");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let error = SecretKey::key_file(&path).expect_err("refused");
    assert!(
        error.0.contains("chmod 600"),
        "the message says how to make the key the owner's only: {}",
        error.0
    );
}

#[test]
fn a_deleted_secret_is_gone_and_the_others_stay() {
    let dir = tempfile::tempdir().expect("temp folder");
    let secrets = store(dir.path(), "secret.key");
    for key in ["integration-1", "integration-2"] {
        secrets
            .set(key, &Sensitive::new(format!("{TOKEN}-{key}")))
            .expect("saved");
    }
    secrets.delete("integration-1").expect("deleted");
    assert_eq!(
        (
            secrets.get("integration-1").expect("read").is_none(),
            secrets.get("integration-2").expect("read").is_some()
        ),
        (true, true),
        "only the deleted entry leaves the file"
    );
}

#[test]
fn a_damaged_file_is_named_and_nothing_panics() {
    let dir = tempfile::tempdir().expect("temp folder");
    let secrets = store(dir.path(), "secret.key");
    std::fs::write(dir.path().join("secrets.enc"), "{not json").expect("damaged");
    let error = secrets.get("integration-1").expect_err("refused");
    assert!(
        error.0.contains("damaged"),
        "the message says the file is damaged and what to do: {}",
        error.0
    );
}

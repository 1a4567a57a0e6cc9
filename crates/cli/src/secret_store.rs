//! Where the command line keeps sign-ins. The system keyring, as the app
//! does, when one answers; an encrypted file in the data folder when a key
//! is given for it (`TIMEBRIDGE_SECRET_KEY`, or the systemd credential of
//! the background service) or when no keyring answers (a server with no
//! desktop session), its key then in the data folder's key file
//! (`timebridge_connectors::secret_file`). Once sign-ins are in that file
//! it stays the store, keyring or not. `connect` says which it used.

use std::path::Path;
use std::sync::Arc;

use timebridge_connectors::secret_file::{FileSecrets, SecretKey};
use timebridge_connectors::secrets::{KEYRING_SERVICE, KeyringSecrets, SecretError, SecretStore};
use timebridge_core::Sensitive;

/// The store sign-ins are kept in, and how `connect` says it.
pub(crate) struct Secrets {
    pub store: Arc<dyn SecretStore>,
    pub described: String,
}

/// A store that could not be opened: every use says why, so the command
/// that needs a sign-in fails with the reason and the others run.
struct Unopened(String);

impl SecretStore for Unopened {
    fn get(&self, _key: &str) -> Result<Option<Sensitive<String>>, SecretError> {
        Err(SecretError(self.0.clone()))
    }
    fn set(&self, _key: &str, _secret: &Sensitive<String>) -> Result<(), SecretError> {
        Err(SecretError(self.0.clone()))
    }
    fn delete(&self, _key: &str) -> Result<(), SecretError> {
        Err(SecretError(self.0.clone()))
    }
}

fn file(data_dir: &Path, key: Result<SecretKey, SecretError>) -> Secrets {
    match key {
        Ok(key) => {
            let file = FileSecrets::new(
                data_dir.join(timebridge_connectors::secret_file::SECRETS_FILE),
                key,
            );
            Secrets {
                described: file.describe(),
                store: Arc::new(file),
            }
        }
        Err(SecretError(why)) => Secrets {
            described: "nowhere yet".to_owned(),
            store: Arc::new(Unopened(why)),
        },
    }
}

/// The store for the database at `database` (its folder is the data
/// folder).
pub(crate) fn for_database(database: &Path) -> Secrets {
    let data_dir = database.parent().unwrap_or(Path::new("."));
    match SecretKey::given() {
        Ok(Some(key)) => return file(data_dir, Ok(key)),
        Ok(None) => {}
        Err(error) => return file(data_dir, Err(error)),
    }
    // Sign-ins already sealed in the data folder stay there: a keyring that
    // answers later (a desktop session, or a D-Bus that starts a locked one
    // on demand, as a background service's user manager may) does not have
    // them. The background service relies on this.
    if data_dir
        .join(timebridge_connectors::secret_file::SECRETS_FILE)
        .exists()
    {
        return file(data_dir, SecretKey::find(data_dir));
    }
    let keyring = KeyringSecrets::new(KEYRING_SERVICE);
    if keyring.reachable() {
        return Secrets {
            store: Arc::new(keyring),
            described: "the system keyring".to_owned(),
        };
    }
    file(data_dir, SecretKey::find(data_dir))
}

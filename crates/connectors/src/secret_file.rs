//! Secrets in an encrypted file, for a computer with no system keyring: an
//! office server or the background service, with no desktop session and so
//! no Secret Service.
//!
//! The file (`secrets.enc` in the data folder) maps each entry's name to
//! its secret sealed with XChaCha20-Poly1305 (the `chacha20poly1305`
//! crate, RustCrypto): a fresh random 24-byte nonce per write, and the
//! entry's name as associated data, so a sealed value moved under another
//! name does not open. Nothing in it is readable without the key, and it is
//! replaced whole (written beside, flushed, renamed), so a crash mid-write
//! leaves the previous file. The key is 32 bytes, found in this order
//! ([`SecretKey::find`]):
//! 1. the environment variable `TIMEBRIDGE_SECRET_KEY` (64 hex digits);
//! 2. the systemd credential `timebridge-secret-key` (a unit's
//!    `LoadCredentialEncrypted=`, decrypted by systemd into
//!    `$CREDENTIALS_DIRECTORY`), the same 64 hex digits;
//! 3. the key file `secret.key` in the data folder, which must be readable
//!    by its owner only (mode 0600 on Unix); made, random, on first use.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use timebridge_core::Sensitive;

use crate::secrets::{SecretError, SecretStore};

/// The environment variable a key can be given in.
pub const KEY_ENV: &str = "TIMEBRIDGE_SECRET_KEY";
/// The systemd credential's name.
pub const SYSTEMD_CREDENTIAL: &str = "timebridge-secret-key";
/// The key file's and the secrets file's names in the data folder.
pub const KEY_FILE: &str = "secret.key";
pub const SECRETS_FILE: &str = "secrets.enc";

const NONCE_BYTES: usize = 24;
const FILE_VERSION: u32 = 1;

/// Where the key came from, as `connect` says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    Environment,
    SystemdCredential,
    KeyFile(PathBuf),
}

impl std::fmt::Display for KeySource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeySource::Environment => write!(f, "the environment variable {KEY_ENV}"),
            KeySource::SystemdCredential => {
                write!(f, "the systemd credential {SYSTEMD_CREDENTIAL}")
            }
            KeySource::KeyFile(path) => {
                write!(
                    f,
                    "the key file {} (readable by its owner only)",
                    path.display()
                )
            }
        }
    }
}

/// The 32-byte key the file is sealed with.
pub struct SecretKey {
    bytes: Sensitive<[u8; 32]>,
    source: KeySource,
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretKey")
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

fn problem(message: String) -> SecretError {
    SecretError(message)
}

/// 64 hex digits as 32 bytes; `None` for anything else.
fn from_hex(text: &str) -> Option<[u8; 32]> {
    let text = text.trim();
    if text.len() != 64 || !text.is_ascii() {
        return None;
    }
    let mut bytes = [0u8; 32];
    for (i, byte) in bytes.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(bytes)
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl SecretKey {
    /// Where the key came from.
    pub fn source(&self) -> &KeySource {
        &self.source
    }

    /// The key given outside the data folder: the environment variable,
    /// else the systemd credential. `None` when neither is set.
    pub fn given() -> Result<Option<SecretKey>, SecretError> {
        if let Some(value) = std::env::var_os(KEY_ENV).filter(|v| !v.is_empty()) {
            let bytes = value.to_str().and_then(from_hex).ok_or_else(|| {
                problem(format!(
                    "{KEY_ENV} is not a key: it must be 64 hex digits (32 random bytes, e.g. from \
                     `openssl rand -hex 32`)."
                ))
            })?;
            return Ok(Some(SecretKey {
                bytes: Sensitive::new(bytes),
                source: KeySource::Environment,
            }));
        }
        let Some(dir) = std::env::var_os("CREDENTIALS_DIRECTORY").filter(|v| !v.is_empty()) else {
            return Ok(None);
        };
        let path = Path::new(&dir).join(SYSTEMD_CREDENTIAL);
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                let bytes = from_hex(&text).ok_or_else(|| {
                    problem(format!(
                        "The systemd credential {SYSTEMD_CREDENTIAL} is not a key: it must hold \
                         64 hex digits (`openssl rand -hex 32 | systemd-creds encrypt \
                         --name={SYSTEMD_CREDENTIAL} - key.cred`)."
                    ))
                })?;
                Ok(Some(SecretKey {
                    bytes: Sensitive::new(bytes),
                    source: KeySource::SystemdCredential,
                }))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(problem(format!(
                "The systemd credential {SYSTEMD_CREDENTIAL} could not be read ({e})."
            ))),
        }
    }

    /// The key: given (see [`SecretKey::given`]), else the data folder's key
    /// file, made with a random key if there is none.
    pub fn find(data_dir: &Path) -> Result<SecretKey, SecretError> {
        match SecretKey::given()? {
            Some(key) => Ok(key),
            None => SecretKey::key_file(&data_dir.join(KEY_FILE)),
        }
    }

    /// The key in `path`, refused when others may read it; made if missing.
    pub fn key_file(path: &Path) -> Result<SecretKey, SecretError> {
        let shown = path.display();
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut bytes = [0u8; 32];
                getrandom::fill(&mut bytes)
                    .map_err(|e| problem(format!("No random key could be made ({e}).")))?;
                write_private(path, to_hex(&bytes).as_bytes())?;
                return Ok(SecretKey {
                    bytes: Sensitive::new(bytes),
                    source: KeySource::KeyFile(path.to_path_buf()),
                });
            }
            Err(e) => {
                return Err(problem(format!(
                    "The key file {shown} could not be read ({e})."
                )));
            }
        };
        owner_only(path)?;
        let bytes = from_hex(&text).ok_or_else(|| {
            problem(format!(
                "The key file {shown} does not hold a key (64 hex digits). Restore it from your \
                 backup: without it the saved sign-ins cannot be read."
            ))
        })?;
        Ok(SecretKey {
            bytes: Sensitive::new(bytes),
            source: KeySource::KeyFile(path.to_path_buf()),
        })
    }
}

#[cfg(unix)]
fn owner_only(path: &Path) -> Result<(), SecretError> {
    use std::os::unix::fs::PermissionsExt as _;
    let mode = std::fs::metadata(path)
        .map_err(|e| {
            problem(format!(
                "The key file {} could not be read ({e}).",
                path.display()
            ))
        })?
        .permissions()
        .mode();
    if mode & 0o077 != 0 {
        return Err(problem(format!(
            "The key file {} may be read by other users (mode {:o}). Make it yours only with \
             `chmod 600 {}`, then try again.",
            path.display(),
            mode & 0o777,
            path.display()
        )));
    }
    Ok(())
}

#[cfg(not(unix))]
fn owner_only(_path: &Path) -> Result<(), SecretError> {
    // The data folder is in the user's profile, which Windows keeps to the
    // user by its ACL.
    Ok(())
}

/// Writes `bytes` to `path` whole, readable by its owner only: into a file
/// beside it, flushed, then renamed over it.
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), SecretError> {
    let failed = |e: std::io::Error| {
        problem(format!(
            "{} could not be written ({e}). Check the data folder is writable and the disk has room.",
            path.display()
        ))
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(failed)?;
    let temporary = path.with_extension("writing");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = options.open(&temporary).map_err(failed)?;
    file.write_all(bytes).map_err(failed)?;
    file.sync_all().map_err(failed)?;
    drop(file);
    std::fs::rename(&temporary, path).map_err(failed)
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct SealedFile {
    version: u32,
    /// Each entry's name → base64(nonce ‖ ciphertext).
    entries: BTreeMap<String, String>,
}

/// Secrets sealed in one file with a [`SecretKey`].
pub struct FileSecrets {
    path: PathBuf,
    cipher: XChaCha20Poly1305,
    source: KeySource,
    /// One read-modify-write at a time in this process.
    lock: Mutex<()>,
}

impl std::fmt::Debug for FileSecrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileSecrets")
            .field("path", &self.path)
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

impl FileSecrets {
    /// The secrets file `path`, sealed with `key`.
    pub fn new(path: PathBuf, key: SecretKey) -> FileSecrets {
        FileSecrets {
            cipher: XChaCha20Poly1305::new(key.bytes.expose().into()),
            source: key.source,
            path,
            lock: Mutex::new(()),
        }
    }

    /// The data folder's secrets file, with the key [`SecretKey::find`] finds.
    pub fn in_data_dir(data_dir: &Path) -> Result<FileSecrets, SecretError> {
        Ok(FileSecrets::new(
            data_dir.join(SECRETS_FILE),
            SecretKey::find(data_dir)?,
        ))
    }

    /// Where the secrets are and what opens them, as `connect` says it.
    pub fn describe(&self) -> String {
        format!(
            "an encrypted file, {} (its key: {})",
            self.path.display(),
            self.source
        )
    }

    fn load(&self) -> Result<SealedFile, SecretError> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(SealedFile {
                    version: FILE_VERSION,
                    entries: BTreeMap::new(),
                });
            }
            Err(e) => {
                return Err(problem(format!(
                    "The secrets file {} could not be read ({e}).",
                    self.path.display()
                )));
            }
        };
        let file: SealedFile = serde_json::from_str(&text).map_err(|_| self.damaged())?;
        if file.version != FILE_VERSION {
            return Err(problem(format!(
                "The secrets file {} was written by a newer Timebridge (version {}). Update \
                 Timebridge to read it.",
                self.path.display(),
                file.version
            )));
        }
        Ok(file)
    }

    fn damaged(&self) -> SecretError {
        problem(format!(
            "The secrets file {} is damaged. Restore it from a backup, or connect the \
             integrations again.",
            self.path.display()
        ))
    }

    fn save(&self, file: &SealedFile) -> Result<(), SecretError> {
        let text = serde_json::to_vec_pretty(file).map_err(|_| self.damaged())?;
        write_private(&self.path, &text)
    }

    fn seal(&self, name: &str, secret: &str) -> Result<String, SecretError> {
        let mut nonce = [0u8; NONCE_BYTES];
        getrandom::fill(&mut nonce)
            .map_err(|e| problem(format!("No random nonce could be made ({e}).")))?;
        let sealed = self
            .cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: secret.as_bytes(),
                    aad: name.as_bytes(),
                },
            )
            .map_err(|_| problem("A secret could not be sealed.".to_owned()))?;
        let mut bytes = nonce.to_vec();
        bytes.extend(sealed);
        Ok(BASE64.encode(bytes))
    }

    fn open(&self, name: &str, sealed: &str) -> Result<Sensitive<String>, SecretError> {
        let wrong_key = || {
            problem(format!(
                "The saved sign-in “{name}” in {} does not open with {}: the key is not the one \
                 it was saved with. Give Timebridge that key again, or connect the integration \
                 again.",
                self.path.display(),
                self.source
            ))
        };
        let bytes = BASE64.decode(sealed).map_err(|_| self.damaged())?;
        if bytes.len() < NONCE_BYTES {
            return Err(self.damaged());
        }
        let (nonce, ciphertext) = bytes.split_at(NONCE_BYTES);
        let plain = self
            .cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: name.as_bytes(),
                },
            )
            .map_err(|_| wrong_key())?;
        String::from_utf8(plain)
            .map(Sensitive::new)
            .map_err(|_| self.damaged())
    }

    fn locked(&self) -> std::sync::MutexGuard<'_, ()> {
        self.lock.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl SecretStore for FileSecrets {
    fn get(&self, key: &str) -> Result<Option<Sensitive<String>>, SecretError> {
        let _one = self.locked();
        match self.load()?.entries.get(key) {
            Some(sealed) => self.open(key, sealed).map(Some),
            None => Ok(None),
        }
    }

    fn set(&self, key: &str, secret: &Sensitive<String>) -> Result<(), SecretError> {
        let _one = self.locked();
        let mut file = self.load()?;
        file.entries
            .insert(key.to_owned(), self.seal(key, secret.expose())?);
        self.save(&file)
    }

    fn delete(&self, key: &str) -> Result<(), SecretError> {
        let _one = self.locked();
        let mut file = self.load()?;
        if file.entries.remove(key).is_some() {
            self.save(&file)?;
        }
        Ok(())
    }
}

//! One window per data folder.
//!
//! The first start on a data folder holds an exclusive lock on
//! `instance.lock` in that folder for as long as it runs, and listens on a
//! Unix domain socket `instance.sock` next to it. A second start on the same
//! folder finds the lock taken, sends its arguments through the socket (so
//! the first window comes to the front) and exits; it never opens a second
//! writer on the database. Starts on different data folders do not see each
//! other. `tauri-plugin-single-instance` keys on the app identifier, not on
//! the data folder, so it cannot tell two offices' folders apart.
//!
//! On platforms without Unix domain sockets (Windows) the lock still stops a
//! second writer, but the second start cannot bring the first to the front.

use std::fs::{File, OpenOptions, TryLockError};
use std::io;
#[cfg(unix)]
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;

/// The lock file's name inside the data folder.
pub const LOCK_FILE: &str = "instance.lock";
/// The socket's name inside the data folder.
pub const SOCKET_FILE: &str = "instance.sock";

/// Who this start is on its data folder.
pub enum Claim {
    /// The first: it holds the folder until the [`Instance`] is dropped.
    First(Instance),
    /// Another start holds the folder. `asked` says whether it could be
    /// asked to show its window; either way this start must not open the
    /// database.
    Second { asked: bool },
}

/// The first start's hold on its data folder.
pub struct Instance {
    _lock: File,
    socket: Option<PathBuf>,
    /// One entry per later start: the arguments it was started with.
    pub show_requests: mpsc::Receiver<Vec<String>>,
}

impl Drop for Instance {
    fn drop(&mut self) {
        if let Some(socket) = &self.socket {
            let _ = std::fs::remove_file(socket);
        }
    }
}

/// Claims `data_dir` for this start, or asks the start that holds it to show
/// its window (passing `args`).
pub fn claim(data_dir: &Path, args: &[String]) -> io::Result<Claim> {
    std::fs::create_dir_all(data_dir)?;
    let lock = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(data_dir.join(LOCK_FILE))?;
    match lock.try_lock() {
        Ok(()) => {
            let (sender, show_requests) = mpsc::channel();
            let socket = listen(data_dir, sender)?;
            Ok(Claim::First(Instance {
                _lock: lock,
                socket,
                show_requests,
            }))
        }
        Err(TryLockError::WouldBlock) => Ok(Claim::Second {
            asked: ask_to_show(data_dir, args).is_ok(),
        }),
        Err(TryLockError::Error(error)) => Err(error),
    }
}

#[cfg(unix)]
fn listen(data_dir: &Path, sender: mpsc::Sender<Vec<String>>) -> io::Result<Option<PathBuf>> {
    use std::os::unix::net::UnixListener;
    let path = data_dir.join(SOCKET_FILE);
    // A socket file left by a start that crashed: we hold the lock, so nobody
    // listens on it.
    match std::fs::remove_file(&path) {
        Err(error) if error.kind() != io::ErrorKind::NotFound => return Err(error),
        _ => {}
    }
    let listener = UnixListener::bind(&path)?;
    std::thread::Builder::new()
        .name("instance".into())
        .spawn(move || {
            for stream in listener.incoming().flatten() {
                let args: Vec<String> = BufReader::new(stream)
                    .lines()
                    .map_while(Result::ok)
                    .collect();
                if sender.send(args).is_err() {
                    break;
                }
            }
        })?;
    Ok(Some(path))
}

#[cfg(not(unix))]
fn listen(_: &Path, _: mpsc::Sender<Vec<String>>) -> io::Result<Option<PathBuf>> {
    Ok(None)
}

#[cfg(unix)]
fn ask_to_show(data_dir: &Path, args: &[String]) -> io::Result<()> {
    let mut stream = std::os::unix::net::UnixStream::connect(data_dir.join(SOCKET_FILE))?;
    for arg in args {
        // One argument a line; a newline inside one cannot be sent whole.
        writeln!(stream, "{}", arg.replace('\n', " "))?;
    }
    stream.flush()
}

#[cfg(not(unix))]
fn ask_to_show(_: &Path, _: &[String]) -> io::Result<()> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "no Unix domain sockets on this platform",
    ))
}

#[cfg(test)]
mod tests {
    use super::{Claim, claim};
    use std::time::Duration;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn a_second_start_on_the_same_folder_asks_the_first_to_show_with_its_args() {
        let dir = tempfile::tempdir().expect("a temp folder");
        let Claim::First(first) = claim(dir.path(), &[]).expect("claiming a writable temp folder")
        else {
            panic!("the first start on an empty folder must hold it");
        };
        let second = claim(dir.path(), &args(&["--data-dir", "x"]))
            .expect("claiming a writable temp folder");
        assert!(
            matches!(second, Claim::Second { asked: true }),
            "a second start must not become a second writer, and must ask the first to show"
        );
        let request = first
            .show_requests
            .recv_timeout(Duration::from_secs(5))
            .expect("the first start hears from the second within 5 s");
        assert_eq!(
            request,
            args(&["--data-dir", "x"]),
            "the first start receives the second's args"
        );
    }

    #[test]
    fn starts_on_different_folders_both_hold_their_own() {
        let (a, b) = (
            tempfile::tempdir().expect("a temp folder"),
            tempfile::tempdir().expect("a temp folder"),
        );
        let first = claim(a.path(), &[]).expect("claiming a writable temp folder");
        assert!(
            matches!(
                claim(b.path(), &[]).expect("claiming a writable temp folder"),
                Claim::First(_)
            ),
            "another office's folder is not blocked by this one"
        );
        drop(first);
    }

    #[test]
    fn the_folder_is_free_again_once_the_first_start_ends() {
        let dir = tempfile::tempdir().expect("a temp folder");
        drop(claim(dir.path(), &[]).expect("claiming a writable temp folder"));
        assert!(
            matches!(
                claim(dir.path(), &[]).expect("claiming a writable temp folder"),
                Claim::First(_)
            ),
            "a closed window must not leave the folder locked (a stale socket is replaced)"
        );
    }
}

//! A real ODBC data source over the emulated company's database: the
//! SQLite3 ODBC driver registered with unixODBC in a folder of its own
//! (`odbcinst.ini`, `odbc.ini`), found through `ODBCSYSINI` and `ODBCINI`
//! by a process started with [`DataSource::env`], or opened in this
//! process by its connection string naming the driver file.

use std::path::{Path, PathBuf};

/// Where Debian (and Ubuntu) install the SQLite3 ODBC driver.
const DRIVER_PATHS: [&str; 4] = [
    "/usr/lib/x86_64-linux-gnu/odbc/libsqlite3odbc.so",
    "/usr/lib/aarch64-linux-gnu/odbc/libsqlite3odbc.so",
    "/usr/lib/odbc/libsqlite3odbc.so",
    "/usr/local/lib/libsqlite3odbc.so",
];

/// The SQLite3 ODBC driver's file, if it is installed.
pub fn driver_path() -> Option<PathBuf> {
    DRIVER_PATHS.iter().map(PathBuf::from).find(|p| p.exists())
}

/// A data source named `name` over the database file `database`.
#[derive(Debug, Clone)]
pub struct DataSource {
    pub name: String,
    pub database: PathBuf,
    /// The folder holding `odbcinst.ini` and `odbc.ini`.
    pub config: PathBuf,
    pub driver: PathBuf,
}

impl DataSource {
    /// Registers the driver and the data source in `config` (a folder).
    /// `Err`: the driver is not installed (`apt-get install libsqliteodbc`)
    /// or the files could not be written.
    pub fn create(config: &Path, name: &str, database: &Path) -> Result<DataSource, String> {
        let driver = driver_path().ok_or_else(|| {
            "the SQLite3 ODBC driver is not installed (Debian: apt-get install libsqliteodbc)"
                .to_owned()
        })?;
        let write = |file: &str, text: String| {
            std::fs::write(config.join(file), text).map_err(|e| format!("{file}: {e}"))
        };
        write(
            "odbcinst.ini",
            format!(
                "[SQLite3]\nDescription=SQLite3 ODBC Driver\nDriver={}\nSetup={}\n",
                driver.display(),
                driver.display()
            ),
        )?;
        write(
            "odbc.ini",
            format!(
                "[{name}]\nDescription=Sage 300 CRE (emulated)\nDriver=SQLite3\nDatabase={}\n",
                database.display()
            ),
        )?;
        Ok(DataSource {
            name: name.to_owned(),
            database: database.to_owned(),
            config: config.to_owned(),
            driver,
        })
    }

    /// The environment a process needs to find the data source by name.
    pub fn env(&self) -> [(&'static str, PathBuf); 2] {
        [
            ("ODBCSYSINI", self.config.clone()),
            ("ODBCINI", self.config.join("odbc.ini")),
        ]
    }

    /// A connection string that opens the data source without the ini
    /// files (for this process, whose environment is not changed).
    pub fn connection_string(&self) -> String {
        format!(
            "Driver={};Database={};",
            self.driver.display(),
            self.database.display()
        )
    }
}

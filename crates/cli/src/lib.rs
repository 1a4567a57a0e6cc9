//! `timebridge`: Timebridge without a window, for scripts and scheduled
//! tasks on an office server. It opens the same database the app uses (or
//! the one `--db` names) and works through the same core crate, so the same
//! checks apply. Changes it makes are recorded in the audit log as made by
//! the command line.
//!
//! Exit codes: 0 success, 1 the action failed (the message says why),
//! 2 the command line itself was wrong.

mod backup;
mod bonus;
mod costing;
mod csv;
mod import;
mod integrations;
mod names;
mod payroll;
mod payroll_settings;
mod quickbooks_desktop;
mod records;
mod secret_store;
mod service;
mod table;

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use timebridge_core::operators::{self, FirstAdministrator};
use timebridge_core::{ApiError, Error, Sensitive, Store, paths};

#[derive(Debug, Parser)]
#[command(name = "timebridge", version, about = "Timebridge on the command line")]
struct Cli {
    /// The database file. Default: timebridge.db in TIMEBRIDGE_DATA_DIR, or
    /// in the app's data folder.
    #[arg(long, global = true, env = "TIMEBRIDGE_DB", value_name = "PATH")]
    db: Option<PathBuf>,

    /// Print results and errors as JSON.
    #[arg(long, global = true)]
    json: bool,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create the database (if needed) and its first administrator.
    Init {
        #[arg(long, value_name = "USERNAME")]
        admin_username: String,
        /// The administrator's name as shown in the app and the audit log.
        #[arg(long, value_name = "NAME")]
        admin_name: String,
        /// Read the password from this environment variable.
        #[arg(long, value_name = "VAR", conflicts_with = "admin_password_stdin")]
        admin_password_env: Option<String>,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        admin_password_stdin: bool,
    },
    /// Read the company's records.
    Records {
        #[command(subcommand)]
        command: records::RecordsCommand,
    },
    /// Connected integrations.
    Integrations {
        #[command(subcommand)]
        command: integrations::IntegrationsCommand,
    },
    /// Connect an integration (its sign-in goes to the system keyring).
    Connect {
        #[command(subcommand)]
        command: integrations::ConnectCommand,
    },
    /// Disconnect an integration (by id, name or platform) and delete its
    /// saved sign-in.
    Disconnect { integration: String },
    /// Sync an integration now: by its id, its name, or its platform
    /// (quickbooks-time) where one of that platform is connected.
    /// QuickBooks Desktop syncs when the Web Connector updates: this
    /// answers it until its next update has ended.
    Sync {
        integration: String,
        /// QuickBooks Desktop: stop waiting for the Web Connector's update
        /// after this many minutes.
        #[arg(long, value_name = "N", default_value_t = 30)]
        wait_minutes: u64,
    },
    /// What integrations brought in, staged for review.
    Staged {
        #[command(subcommand)]
        command: integrations::StagedCommand,
    },
    /// Import staged records into the company's records.
    Import(import::ImportCommand),
    /// Saved CSV layouts: how a tracker's CSV export's columns map to
    /// Timebridge's fields.
    #[command(name = "csv-layout")]
    CsvLayout {
        #[command(subcommand)]
        command: csv::CsvLayoutCommand,
    },
    /// Payroll: a pay period's hours, its file, publishing it, and the
    /// payroll settings.
    Payroll {
        #[command(subcommand)]
        command: payroll::PayrollCommand,
    },
    /// Job costing: each job's hours and labour cost against its budget.
    Jobs {
        #[command(subcommand)]
        command: costing::JobsCommand,
    },
    /// Crew production bonuses: plans, bonuses on jobs, approval, statements.
    Bonus {
        #[command(subcommand)]
        command: bonus::BonusCommand,
    },
    /// The dated wages labour is costed at: list, set, remove.
    Wages {
        #[command(subcommand)]
        command: costing::WagesCommand,
    },
    /// Save a checked backup of the database: `--out FILE`, or today's
    /// backup in the backups folder beside it; `backup list` shows the kept
    /// backups.
    Backup(backup::BackupCommand),
    /// Replace the database with a backup, after checking that it is a
    /// sound Timebridge database. The current database is kept in the
    /// backups folder. Close the app and stop the service first.
    Restore {
        /// The backup file to restore.
        file: PathBuf,
        /// Restore without asking.
        #[arg(long)]
        yes: bool,
    },
    /// Run scheduled syncs unattended, with no window: install, remove,
    /// check or run the background service.
    Service {
        #[command(subcommand)]
        command: service::ServiceCommand,
    },
}

/// The command line: parses the arguments, runs, prints, and says how it
/// ended. The `timebridge` binary is this; so is the app's own binary when
/// it is run by that name (the Linux packages ship one binary for both).
pub fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let json = cli.json;
    match run(cli) {
        Ok(output) => {
            // A reader that stopped early (`| head`) is not an error.
            if !output.is_empty() {
                let _ = writeln!(std::io::stdout(), "{output}");
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            if json {
                let api = ApiError::from(&error);
                eprintln!("{}", serde_json::to_string(&api).unwrap_or(api.message));
            } else if let Error::Validation(problems) = &error
                && problems.len() > 1
            {
                // Every problem, not the first and a count.
                for problem in problems {
                    eprintln!("error: {}", problem.message);
                }
            } else {
                eprintln!("error: {error}");
            }
            ExitCode::from(1)
        }
    }
}

fn database_path(explicit: Option<PathBuf>) -> Result<PathBuf, Error> {
    if let Some(path) = explicit {
        return Ok(path);
    }
    paths::data_dir(None)
        .map(|dir| paths::database_path(&dir))
        .ok_or_else(|| {
            Error::Internal("no home folder to find the database in; pass --db PATH".to_owned())
        })
}

/// Opens the database for a command, warning on standard error when it
/// failed its check (it is then read-only: writes are refused with the
/// backup to restore).
pub(crate) fn open_store(path: &std::path::Path) -> Result<Store, Error> {
    let store = Store::open(path)?;
    backup::warn_if_damaged(&store);
    Ok(store)
}

fn run(cli: Cli) -> Result<String, Error> {
    let path = database_path(cli.db)?;
    match cli.command {
        Command::Init {
            admin_username,
            admin_name,
            admin_password_env,
            admin_password_stdin,
        } => {
            let password = read_password(admin_password_env.as_deref(), admin_password_stdin)?;
            let store = open_store(&path)?;
            let admin = store.write(|tx| {
                operators::create_first_administrator(
                    tx,
                    &FirstAdministrator {
                        username: admin_username,
                        display_name: admin_name,
                        password,
                    },
                    chrono::Utc::now(),
                )
            })?;
            Ok(if cli.json {
                serde_json::json!({ "database": path, "administrator": admin }).to_string()
            } else {
                format!(
                    "Created {} with administrator {} ({}).",
                    path.display(),
                    admin.display_name,
                    admin.username
                )
            })
        }
        Command::Records { command } => {
            let store = open_store(&path)?;
            records::run(&store, command, cli.json)
        }
        Command::Integrations {
            command: integrations::IntegrationsCommand::List,
        } => integrations::list(&open_store(&path)?, cli.json),
        Command::Integrations {
            command: integrations::IntegrationsCommand::Set(args),
        } => integrations::set(&open_store(&path)?, args),
        Command::Connect { command } => {
            integrations::connect(std::sync::Arc::new(open_store(&path)?), command, cli.json)
        }
        Command::Disconnect { integration } => {
            integrations::disconnect(&open_store(&path)?, &integration)
        }
        Command::Sync {
            integration,
            wait_minutes,
        } => integrations::sync(
            std::sync::Arc::new(open_store(&path)?),
            &integration,
            std::time::Duration::from_secs(wait_minutes * 60),
            cli.json,
        ),
        Command::Staged { command } => integrations::staged(&open_store(&path)?, command, cli.json),
        Command::Import(command) => import::run(&open_store(&path)?, command, cli.json),
        Command::Payroll { command } => {
            payroll::run(std::sync::Arc::new(open_store(&path)?), command, cli.json)
        }
        Command::CsvLayout { command } => csv::run(&open_store(&path)?, command, cli.json),
        Command::Jobs { command } => costing::run_jobs(&open_store(&path)?, command, cli.json),
        Command::Bonus { command } => bonus::run(&open_store(&path)?, command, cli.json),
        Command::Wages { command } => costing::run_wages(&open_store(&path)?, command, cli.json),
        Command::Backup(command) => backup::run(&path, command, cli.json),
        Command::Restore { file, yes } => backup::restore(&path, &file, yes),
        Command::Service { command } => service::run(&path, command),
    }
}

/// The password comes from an environment variable or standard input, never
/// from a flag (flags show in the process list and the shell history).
fn read_password(env: Option<&str>, stdin: bool) -> Result<Sensitive<String>, Error> {
    if let Some(var) = env {
        return std::env::var(var).map(Sensitive::new).map_err(|_| {
            Error::invalid(
                "admin_password_env",
                format!("The environment variable {var} is not set."),
            )
        });
    }
    if stdin {
        let mut input = String::new();
        std::io::stdin()
            .read_to_string(&mut input)
            .map_err(|e| Error::io("Could not read the password from standard input", e))?;
        let line = input.lines().next().unwrap_or_default().to_owned();
        return Ok(Sensitive::new(line));
    }
    Err(Error::invalid(
        "admin_password",
        "Give the administrator's password with --admin-password-env VAR or --admin-password-stdin.",
    ))
}

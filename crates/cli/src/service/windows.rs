//! The Windows service that runs `timebridge service run`: installed,
//! removed and asked about through the service control manager (the
//! `windows-service` crate), started at boot as LocalSystem, and stopped
//! by the manager's Stop or Shutdown. `service run` started by the manager
//! hands control to its dispatcher; started from a terminal, it runs until
//! Ctrl-C instead.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use timebridge_core::Error;
use tokio_util::sync::CancellationToken;
use windows_service::service::{
    Service, ServiceAccess, ServiceControl, ServiceControlAccept, ServiceErrorControl,
    ServiceExitCode, ServiceInfo, ServiceStartType, ServiceState, ServiceStatus, ServiceType,
};
use windows_service::service_control_handler::{self, ServiceControlHandlerResult};
use windows_service::service_manager::{ServiceManager, ServiceManagerAccess};
use windows_service::{define_windows_service, service_dispatcher};

/// The service's name in the service control manager.
const NAME: &str = "Timebridge";

/// `ERROR_FAILED_SERVICE_CONTROLLER_CONNECT`: not started by the manager.
const NOT_STARTED_BY_THE_MANAGER: i32 = 1063;
/// `ERROR_SERVICE_DOES_NOT_EXIST`.
const NO_SUCH_SERVICE: i32 = 1060;

/// The database `service run` was given, for the dispatcher's thread.
static DATABASE: OnceLock<PathBuf> = OnceLock::new();

define_windows_service!(ffi_service_main, service_main);

fn os_error(error: &windows_service::Error) -> Option<i32> {
    match error {
        windows_service::Error::Winapi(io) => io.raw_os_error(),
        _ => None,
    }
}

fn failed(what: &str, error: windows_service::Error) -> Error {
    Error::Source(format!(
        "The Windows service manager could not {what}: {error}. Installing and removing the \
         service needs a terminal opened as administrator."
    ))
}

/// `service run`: the service's body when the manager started it, else the
/// scheduler until Ctrl-C.
pub(crate) fn run(database: &Path) -> Result<String, Error> {
    let _ = DATABASE.set(database.to_path_buf());
    match service_dispatcher::start(NAME, ffi_service_main) {
        Ok(()) => Ok("Stopped.".to_owned()),
        Err(error) if os_error(&error) == Some(NOT_STARTED_BY_THE_MANAGER) => {
            super::run_scheduler(database, super::stopped())
        }
        Err(error) => Err(failed("start the service", error)),
    }
}

fn service_main(_arguments: Vec<OsString>) {
    if let Err(error) = serve() {
        tracing::error!(%error, "the Windows service stopped with an error");
    }
}

/// The state reported to the service manager.
fn reported(state: ServiceState, accepts: ServiceControlAccept) -> ServiceStatus {
    ServiceStatus {
        service_type: ServiceType::OWN_PROCESS,
        current_state: state,
        controls_accepted: accepts,
        exit_code: ServiceExitCode::Win32(0),
        checkpoint: 0,
        wait_hint: Duration::from_secs(30),
        process_id: None,
    }
}

/// Reports running, schedules until the manager says Stop or Shutdown, then
/// reports stopped.
fn serve() -> Result<(), Error> {
    let stop = CancellationToken::new();
    let on_stop = stop.clone();
    let handle = service_control_handler::register(NAME, move |control| match control {
        ServiceControl::Stop | ServiceControl::Shutdown => {
            on_stop.cancel();
            ServiceControlHandlerResult::NoError
        }
        ServiceControl::Interrogate => ServiceControlHandlerResult::NoError,
        _ => ServiceControlHandlerResult::NotImplemented,
    })
    .map_err(|e| failed("register the service's stop handler", e))?;
    handle
        .set_service_status(reported(
            ServiceState::Running,
            ServiceControlAccept::STOP | ServiceControlAccept::SHUTDOWN,
        ))
        .map_err(|e| failed("mark the service running", e))?;
    let result = match DATABASE.get() {
        Some(database) => super::run_scheduler(database, stop.cancelled_owned()).map(drop),
        None => Err(Error::Internal(
            "the service started with no database".to_owned(),
        )),
    };
    handle
        .set_service_status(reported(
            ServiceState::Stopped,
            ServiceControlAccept::empty(),
        ))
        .map_err(|e| failed("mark the service stopped", e))?;
    result
}

fn manager(access: ServiceManagerAccess) -> Result<ServiceManager, Error> {
    ServiceManager::local_computer(None::<&str>, access).map_err(|e| failed("be reached", e))
}

pub(crate) fn install(executable: &Path, database: &Path) -> Result<String, Error> {
    let manager = manager(ServiceManagerAccess::CONNECT | ServiceManagerAccess::CREATE_SERVICE)?;
    let info = ServiceInfo {
        name: OsString::from(NAME),
        display_name: OsString::from("Timebridge scheduled syncs"),
        service_type: ServiceType::OWN_PROCESS,
        start_type: ServiceStartType::AutoStart,
        error_control: ServiceErrorControl::Normal,
        executable_path: executable.to_path_buf(),
        launch_arguments: vec![
            OsString::from("--db"),
            database.as_os_str().to_owned(),
            OsString::from("service"),
            OsString::from("run"),
        ],
        dependencies: vec![],
        account_name: None,
        account_password: None,
    };
    let service = manager
        .create_service(&info, ServiceAccess::CHANGE_CONFIG | ServiceAccess::START)
        .map_err(|e| failed("create the service", e))?;
    service
        .set_description(
            "Runs Timebridge's scheduled syncs and answers the QuickBooks Web Connector with no \
             one signed in.",
        )
        .map_err(|e| failed("describe the service", e))?;
    service
        .start::<&str>(&[])
        .map_err(|e| failed("start the service", e))?;
    Ok(format!("Installed and started the Windows service {NAME}."))
}

/// The installed service opened with `access`, and its state; `None` when
/// it is not installed.
fn installed(access: ServiceAccess) -> Result<Option<(Service, ServiceState)>, Error> {
    let manager = manager(ServiceManagerAccess::CONNECT)?;
    let service = match manager.open_service(NAME, access | ServiceAccess::QUERY_STATUS) {
        Ok(service) => service,
        Err(error) if os_error(&error) == Some(NO_SUCH_SERVICE) => return Ok(None),
        Err(error) => return Err(failed("open the service", error)),
    };
    let state = service
        .query_status()
        .map_err(|e| failed("read the service's state", e))?
        .current_state;
    Ok(Some((service, state)))
}

pub(crate) fn uninstall() -> Result<String, Error> {
    let Some((service, state)) = installed(ServiceAccess::STOP | ServiceAccess::DELETE)? else {
        return Ok(super::NOT_INSTALLED.to_owned());
    };
    if state != ServiceState::Stopped {
        service.stop().map_err(|e| failed("stop the service", e))?;
    }
    service
        .delete()
        .map_err(|e| failed("remove the service", e))?;
    Ok(format!("Stopped and removed the Windows service {NAME}."))
}

pub(crate) fn status() -> Result<String, Error> {
    let Some((_, state)) = installed(ServiceAccess::QUERY_STATUS)? else {
        return Ok(super::NOT_INSTALLED.to_owned());
    };
    let state = match state {
        ServiceState::Running => "running",
        ServiceState::Stopped => "stopped",
        ServiceState::StartPending => "starting",
        ServiceState::StopPending => "stopping",
        ServiceState::Paused => "paused",
        ServiceState::PausePending | ServiceState::ContinuePending => "changing state",
    };
    Ok(format!("Installed as the Windows service {NAME}; {state}."))
}

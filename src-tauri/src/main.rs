//! The Timebridge desktop app.

// No console window next to the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

/// mimalloc: staging a sync allocates and frees millions of small JSON
/// values, where glibc's allocator spent a third of the time (see the sync
/// benches, which use the same allocator as the app).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    if timebridge_desktop::run_as_command_line(std::env::args_os().next().as_deref()) {
        return timebridge_cli::main();
    }
    timebridge_desktop::run();
    std::process::ExitCode::SUCCESS
}

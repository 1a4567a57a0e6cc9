//! `timebridge`: the command line (see the library for what it does).

/// mimalloc: staging a sync allocates and frees millions of small JSON
/// values, where glibc's allocator spent a third of the time (see the sync
/// benches, which use the same allocator as the app).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    timebridge_cli::main()
}

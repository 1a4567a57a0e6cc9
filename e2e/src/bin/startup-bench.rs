//! Cold start to a usable sign-in screen, and the memory it takes.
//!
//! Starts the app (TIMEBRIDGE_APP; `cargo xtask bench-startup` builds the
//! release binary and runs this under Xvfb) five times, each on a fresh data
//! folder with an administrator, and measures from the moment the WebDriver
//! session asks for the app until the username field is on screen and
//! enabled. Memory is the resident set of the app process and, separately,
//! of the app with its WebKit web and network processes, read from /proc.

use std::time::Duration;

use fantoccini::Locator;
use timebridge_e2e::{App, Result, Sandbox};

const RUNS: usize = 5;

/// (pid, parent pid, command name, resident KiB) of every process.
fn processes() -> Vec<(u32, u32, String, u64)> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return out;
    };
    for entry in entries.flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(status) = std::fs::read_to_string(entry.path().join("status")) else {
            continue;
        };
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .map(|v| v.trim().to_owned())
                .unwrap_or_default()
        };
        let rss = field("VmRSS:")
            .trim_end_matches(" kB")
            .trim()
            .parse()
            .unwrap_or(0);
        out.push((
            pid,
            field("PPid:").parse().unwrap_or(0),
            field("Name:"),
            rss,
        ));
    }
    out
}

/// Resident memory (MiB) of the app alone, and of the app plus its WebKit
/// processes, among the descendants of `root`.
fn memory(root: u32) -> (f64, f64) {
    let all = processes();
    let mut family = vec![root];
    let mut i = 0;
    while i < family.len() {
        let parent = family[i];
        family.extend(all.iter().filter(|p| p.1 == parent).map(|p| p.0));
        i += 1;
    }
    let (mut app, mut total) = (0u64, 0u64);
    for (pid, _, name, rss) in &all {
        if !family.contains(pid) {
            continue;
        }
        if name.starts_with("timebridge-desk") {
            app += rss;
            total += rss;
        } else if name.starts_with("WebKit") {
            total += rss;
        }
    }
    (app as f64 / 1024.0, total as f64 / 1024.0)
}

#[tokio::main]
async fn main() -> Result {
    let binary = std::env::var("TIMEBRIDGE_APP").unwrap_or_else(|_| "(debug build)".into());
    println!("Cold start to a usable sign-in screen: {binary}");
    println!("run  start_ms  app_rss_mib  app+webkit_rss_mib");
    let mut starts = Vec::new();
    let mut totals = Vec::new();
    let mut apps = Vec::new();
    for run in 1..=RUNS {
        let sandbox = Sandbox::new()?;
        sandbox.seed_admin()?;
        let app = App::launch(&sandbox).await?;
        let field = app
            .client
            .wait()
            .at_most(Duration::from_secs(30))
            .every(Duration::from_millis(5))
            .for_element(Locator::Css("input[name='username']"))
            .await?;
        while !field.is_enabled().await? {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let elapsed = app.started.elapsed().as_secs_f64() * 1000.0;
        tokio::time::sleep(Duration::from_millis(500)).await;
        let (app_mib, total_mib) = memory(app.driver_pid);
        println!("{run:>3}  {elapsed:>8.0}  {app_mib:>11.1}  {total_mib:>18.1}");
        starts.push(elapsed);
        apps.push(app_mib);
        totals.push(total_mib);
        app.quit().await?;
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    println!(
        "median: start {:.0} ms, app {:.1} MiB, app+WebKit {:.1} MiB",
        median(&mut starts),
        median(&mut apps),
        median(&mut totals)
    );
    Ok(())
}

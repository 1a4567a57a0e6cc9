//! The window's Content Security Policy allows nothing but the app's own
//! origin (`docs/security.md`): its pages, scripts, styles and images, and
//! Tauri's IPC (`ipc:` on Linux and macOS, `http://ipc.localhost` on
//! Windows), which is how the app's own UI reaches its backend. No other
//! host, scheme, inline code or `eval`.
//!
//! The UI needs no more: Vite emits the scripts and styles as files, and
//! Svelte's `style:` directives set styles through the CSSOM, which a CSP
//! does not restrict.

use serde_json::Value;

/// Sources allowed in any directive.
const OWN: &[&str] = &["'self'", "'none'"];
/// Tauri's IPC, allowed only where the UI calls the backend.
const IPC: &[&str] = &["ipc:", "http://ipc.localhost"];

fn csp() -> Vec<(String, Vec<String>)> {
    let config: Value = serde_json::from_str(include_str!("../../../tauri.conf.json"))
        .expect("tauri.conf.json is JSON");
    let csp = config["app"]["security"]["csp"]
        .as_str()
        .expect("the window has a CSP, written as one string");
    csp.split(';')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(|directive| {
            let mut words = directive.split_whitespace().map(str::to_owned);
            let name = words.next().unwrap_or_default().to_ascii_lowercase();
            (name, words.collect())
        })
        .collect()
}

#[test]
fn the_window_csp_allows_only_the_apps_own_origin() {
    let csp = csp();
    for (directive, sources) in &csp {
        for source in sources {
            let allowed = OWN.contains(&source.as_str())
                || (directive == "connect-src" && IPC.contains(&source.as_str()));
            assert!(
                allowed,
                "the CSP's {directive} allows {source}: only the app's own origin (and Tauri's IPC in connect-src) may be named"
            );
        }
    }
    let default = csp.iter().find(|(d, _)| d == "default-src");
    assert_eq!(
        default.map(|(_, s)| s.as_slice()),
        Some(&["'self'".to_owned()][..]),
        "default-src 'self' covers every directive not named"
    );
    for needed in ["object-src", "base-uri", "form-action"] {
        assert!(
            csp.iter().any(|(d, _)| d == needed),
            "{needed} does not fall back to default-src, so it must be named"
        );
    }
}

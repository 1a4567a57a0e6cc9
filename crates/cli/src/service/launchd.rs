//! The macOS launchd agent's plist
//! (~/Library/LaunchAgents/app.timebridge.service.plist) that runs
//! `timebridge service run` at sign-in and again if it exits with an error.

use std::path::Path;

/// The agent's label, also its file name.
pub(crate) const LABEL: &str = "app.timebridge.service";

/// The plist text for this binary and database.
pub(crate) fn plist(executable: &Path, database: &Path) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>Label</key><string>{LABEL}</string>
  <key>ProgramArguments</key>
  <array>
    <string>{}</string>
    <string>--db</string>
    <string>{}</string>
    <string>service</string>
    <string>run</string>
  </array>
  <key>RunAtLoad</key><true/>
  <key>KeepAlive</key><dict><key>SuccessfulExit</key><false/></dict>
</dict>
</plist>
"#,
        escape(&executable.display().to_string()),
        escape(&database.display().to_string()),
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plist_runs_the_service_with_the_database_escaped() {
        let text = plist(Path::new("/opt/tb/timebridge"), Path::new("/data/a&b.db"));
        assert!(
            text.contains("<string>/data/a&amp;b.db</string>"),
            "an & in a path must be escaped or launchd refuses the plist: {text}"
        );
        assert!(
            text.contains("<string>service</string>\n    <string>run</string>"),
            "the agent must run `service run`: {text}"
        );
    }
}

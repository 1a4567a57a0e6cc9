//! The AppImage when tauri-bundler cannot build its own: tauri-bundler's
//! bundles GTK and WebKitGTK with linuxdeploy, which it downloads from GitHub
//! (the release workflow's runners can; an offline builder cannot). This one
//! packs the same binaries, desktop entry and icon into an AppDir and then an
//! AppImage with the `appimage` crate (AppImageKit's runtime, from crates.io,
//! and `mksquashfs` from squashfs-tools). It uses the system's GTK and
//! WebKitGTK 4.1, the same libraries the .deb depends on, and FUSE 2 to
//! mount itself (`libfuse2`).

use std::path::{Path, PathBuf};

use crate::Result;

/// The AppImage's name inside the AppDir, its binary and icon.
const NAME: &str = "timebridge-desktop";

fn desktop_entry() -> String {
    format!(
        "[Desktop Entry]\nType=Application\nName=Timebridge\n\
         Comment=Connects time tracking and payroll systems\nExec={NAME}\nIcon={NAME}\n\
         Categories=Office;\nTerminal=false\nMimeType=application/x-qbwc;application/x-iif;\n"
    )
}

/// The AppRun: the app, from inside the mounted image, with the arguments.
const APP_RUN: &str = "#!/bin/sh\nHERE=\"$(dirname \"$(readlink -f \"$0\")\")\"\n\
exec \"$HERE/usr/bin/timebridge-desktop\" \"$@\"\n";

/// Builds `Timebridge_<version>_amd64.AppImage` in `out/bundle/appimage`
/// from the binaries in `out`; its path.
pub fn build(root: &Path, out: &Path, version: &str) -> Result<PathBuf> {
    let dir = out.join("bundle").join("appimage");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let image = appimage::AppImage::new(&dir, NAME.to_owned())
        .map_err(|e| format!("cannot make the AppDir: {e}"))?;
    let add = |from: &Path, to: &str| {
        image
            .add_file(from, Path::new(to))
            .map_err(|e| format!("cannot put {} in the AppDir: {e}", from.display()))
    };
    add(&out.join(NAME), &format!("usr/bin/{NAME}"))?;
    // The command line is the app's binary run by this name.
    #[cfg(unix)]
    std::os::unix::fs::symlink(NAME, image.appdir().join("usr/bin/timebridge"))
        .map_err(|e| format!("cannot link the command line in the AppDir: {e}"))?;
    let icon = root.join("icons").join("128x128.png");
    add(
        &icon,
        &format!("usr/share/icons/hicolor/128x128/apps/{NAME}.png"),
    )?;
    image
        .add_icon(&icon)
        .map_err(|e| format!("cannot add the icon: {e}"))?;
    write(
        image.appdir(),
        &format!("{NAME}.desktop"),
        &desktop_entry(),
        0o644,
    )?;
    write(image.appdir(), "AppRun", APP_RUN, 0o755)?;
    let path = dir.join(format!("Timebridge_{version}_amd64.AppImage"));
    image
        .build(&path, None)
        .map_err(|e| format!("cannot build the AppImage (is squashfs-tools installed?): {e}"))?;
    Ok(path)
}

fn write(dir: &Path, name: &str, text: &str, mode: u32) -> Result {
    let path = dir.join(name);
    std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode))
            .map_err(|e| format!("cannot make {} executable: {e}", path.display()))?;
    }
    #[cfg(not(unix))]
    let _ = mode;
    Ok(())
}

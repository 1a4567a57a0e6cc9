//! Reads the top-level `tauri.conf.json`, checks the capabilities, and makes
//! a new UI build (`ui/dist`, embedded into the binary) rebuild the app.

fn main() {
    println!("cargo:rerun-if-changed=../ui/dist");
    let attributes = tauri_build::Attributes::new().config_path("../tauri.conf.json");
    if let Err(error) = tauri_build::try_build(attributes) {
        panic!("tauri build step failed: {error:#}");
    }
}

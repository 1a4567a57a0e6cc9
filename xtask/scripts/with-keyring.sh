#!/bin/sh
# Runs a command with a Secret Service available: inside `dbus-run-session`,
# start GNOME Keyring with a throwaway, unlocked login keyring (an empty
# password creates no default collection), then run "$@".
# Used by `cargo xtask test` for the one test against the real keyring.
set -eu
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"
KEYRING_HOME="$(mktemp -d)"
export XDG_DATA_HOME="$KEYRING_HOME"
eval "$(printf 'timebridge-test\n' | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)"
eval "$(gnome-keyring-daemon --start --components=secrets 2>/dev/null)"
exec "$@"

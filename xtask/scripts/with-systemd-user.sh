#!/bin/sh
# Runs a command beside a throwaway systemd user manager, on a computer
# whose PID 1 is not systemd (a container): in a private mount namespace,
# an empty /run/systemd/system (so systemctl believes systemd is running)
# with the inaccessible nodes PID 1 would make (ProtectKernelTunables=
# mounts /run/systemd/inaccessible/reg over /proc/kcore and the like), and
# `systemd --user` with its own XDG_RUNTIME_DIR, XDG_CONFIG_HOME and HOME
# in a fresh folder under /var/lib (not /tmp or /var/tmp, which a unit's
# PrivateTmp= hides from the service, nor /run, which the manager gives
# each sandboxed unit afresh). Runs "$@" with those, then stops the manager
# and its units and removes the folder, whatever happens.
# Needs root (for the mount namespace), util-linux's unshare and systemd.
# Used by `cargo xtask test` for the background service's test.
set -eu

if [ -z "${TIMEBRIDGE_SYSTEMD_ROOT:-}" ]; then
    work="$(mktemp -d /var/lib/timebridge-systemd-test.XXXXXX)"
    trap 'rm -rf "$work"' EXIT
    trap 'exit 130' INT TERM
    status=0
    TIMEBRIDGE_SYSTEMD_ROOT="$work" unshare --mount --propagation private \
        sh "$0" "$@" || status=$?
    exit "$status"
fi
root="$TIMEBRIDGE_SYSTEMD_ROOT"
unset TIMEBRIDGE_SYSTEMD_ROOT

# Cargo and rustup find their homes through HOME, which changes below.
export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
export RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}"

# This tmpfs is seen only in this namespace and goes with it.
mkdir -p /run/systemd
mount -t tmpfs -o mode=755 tmpfs /run/systemd
mkdir -p /run/systemd/system /run/systemd/inaccessible/dir
(
    cd /run/systemd/inaccessible
    touch reg
    mkfifo fifo
    mknod chr c 0 0
    mknod blk b 0 0
    chmod 0000 reg dir fifo chr blk
)

export XDG_RUNTIME_DIR="$root/runtime"
export XDG_CONFIG_HOME="$root/config"
export HOME="$root/home"
mkdir -p "$XDG_RUNTIME_DIR" "$XDG_CONFIG_HOME" "$HOME"
chmod 700 "$XDG_RUNTIME_DIR"
unset DBUS_SESSION_BUS_ADDRESS

/lib/systemd/systemd --user >"$root/manager.log" 2>&1 &
manager=$!
stop() {
    systemctl --user stop default.target >/dev/null 2>&1 || true
    kill "$manager" 2>/dev/null || true
    wait "$manager" 2>/dev/null || true
}
trap stop EXIT
trap 'exit 130' INT TERM

tries=0
until state="$(systemctl --user is-system-running 2>/dev/null)" ||
    [ "$state" = degraded ]; do
    tries=$((tries + 1))
    if [ "$tries" -gt 150 ] || ! kill -0 "$manager" 2>/dev/null; then
        echo "with-systemd-user: the user manager did not start (state: ${state:-none}):" >&2
        cat "$root/manager.log" >&2
        exit 1
    fi
    sleep 0.2
done

"$@"

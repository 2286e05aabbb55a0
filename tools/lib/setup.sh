# Shared set-up steps for tools/test and tools/devshard: install what is missing, idempotently; start zfs-fuse.
# Sourced, not run. Every function is safe to call twice.

DUGONG_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PG_BIN=/usr/lib/postgresql/15/bin
# bindfs: a FUSE layer the storage-stall tests can pause (test/helpers/stallable-mount.ts).
DEBIAN_PACKAGES=(postgresql-15 zookeeper zfs-fuse bindfs)

say() { printf '%s %s\n' "[$(date +%H:%M:%S)]" "$*" >&2; }
source "$DUGONG_ROOT/tools/lib/zfs-fuse.sh"

require_root() {
  if [ "$(id -u)" -ne 0 ]; then
    say "this must run as root (it installs packages, runs zfs-fuse and PostgreSQL as the postgres user)"
    exit 2
  fi
}

ensure_debian_packages() {
  local missing=() pkg
  for pkg in "${DEBIAN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    say "Debian packages present: ${DEBIAN_PACKAGES[*]}"
    return 0
  fi
  say "installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  # The package's own cluster is not ours: Dugong runs its own PostgreSQL instances.
  if command -v pg_lsclusters >/dev/null && pg_lsclusters -h 2>/dev/null | grep -q '^15 main .* online'; then
    pg_ctlcluster 15 main stop || true
  fi
}

ensure_node_modules() {
  local lock_sum stamp="$DUGONG_ROOT/node_modules/.dugong-lock.sha256"
  lock_sum=$(sha256sum "$DUGONG_ROOT/package-lock.json" | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$lock_sum" ]; then
    say "node_modules up to date"
    return 0
  fi
  say "npm ci"
  (cd "$DUGONG_ROOT" && npm ci --no-audit --no-fund --loglevel=error 2>&1 | grep -v 'Unknown user config' || true)
  [ -d "$DUGONG_ROOT/node_modules/vitest" ] || { say "npm ci failed"; exit 1; }
  printf '%s\n' "$lock_sum" >"$stamp"
}

ensure_build() {
  say "building (tsc)"
  (cd "$DUGONG_ROOT" && npx --no-install tsc -p tsconfig.build.json)
}

zfs_fuse_running() {
  timeout -s KILL 10 zpool list >/dev/null 2>&1
}

# Starts zfs-fuse unless one already answers; records the PID in $1 only when this call started it.
start_zfs_fuse() {
  local pidfile=$1
  if zfs_fuse_running; then
    say "zfs-fuse already running"
    return 0
  fi
  [ -e /dev/fuse ] || { say "/dev/fuse is missing: zfs-fuse cannot run here"; exit 1; }
  ensure_fusectl || true
  say "starting zfs-fuse"
  zfs-fuse --pidfile "$pidfile" --no-kstat-mount
  local i
  for i in $(seq 1 100); do
    zfs_fuse_running && return 0
    sleep 0.1
  done
  say "zfs-fuse did not answer within 10 s"
  exit 1
}

# Stops the zfs-fuse started by start_zfs_fuse (by PID, only if we started it), within about 10 s.
stop_zfs_fuse() {
  local pidfile=$1 pid
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    say "stopping zfs-fuse (pid $pid)"
    kill_zfs_fuse_pid "$pid"
    # Mounts whose daemon is gone answer ENOTCONN; leave no dead mountpoints behind.
    detach_fuse_mounts ""
  fi
  rm -f "$pidfile"
}

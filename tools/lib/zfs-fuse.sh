# zfs-fuse health for set-up and teardown: check that mounts answer, recover a wedged daemon, export under a deadline.
# Sourced by setup.sh, not run. Why a mount can stop answering: src/zfs/mount-lock.ts; docs/troubleshooting.md.

# The lock every Dugong process takes around commands that mount (src/zfs/mount-lock.ts DEFAULT_MOUNT_LOCK_FILE).
ZFS_MOUNT_LOCK=/run/lock/dugong-zfs-mount.lock
# A file call on a healthy zfs-fuse mount answers in milliseconds, a busy one within a second or two; 10 s means never.
MOUNT_ANSWER_TIMEOUT_S=10

# True when the daemon lists pool $1 within 10 s (a stopped daemon never answers).
zpool_has() {
  timeout -s KILL 10 zpool list -H -o name "$1" >/dev/null 2>&1
}

# "minor mountpoint" for every zfs-fuse mount of pool $1 (every pool when $1 is empty), from mountinfo.
zfs_fuse_mounts() {
  local pool=${1:-}
  awk -v pool="$pool" '{
    for (i = 7; i <= NF; i++) if ($i == "-") break
    fstype = $(i + 1); source = $(i + 2)
    if (fstype !~ /^fuse/ || source ~ /^\//) next
    if (pool != "" && source != pool && index(source, pool "/") != 1) next
    split($3, dev, ":"); print dev[2], $5
  }' /proc/self/mountinfo
}

# True when a file call on mountpoint $1 answers within the deadline (SIGKILL: a FUSE wait is killable).
mount_answers() {
  timeout -s KILL "$MOUNT_ANSWER_TIMEOUT_S" stat -f "$1" >/dev/null 2>&1 && timeout -s KILL "$MOUNT_ANSWER_TIMEOUT_S" ls "$1" >/dev/null 2>&1
}

# Prints the mountpoints of pool $1 (all pools if empty) that do not answer.
unanswering_mounts() {
  local minor mountpoint
  while read -r minor mountpoint; do
    [ -n "$mountpoint" ] || continue
    mount_answers "$mountpoint" || printf '%s\n' "$mountpoint"
  done < <(zfs_fuse_mounts "${1:-}")
}

# The FUSE control file system (where connections are aborted) is not always mounted.
ensure_fusectl() {
  [ -d /sys/fs/fuse/connections ] || return 1
  grep -q ' /sys/fs/fuse/connections ' /proc/self/mountinfo || mount -t fusectl none /sys/fs/fuse/connections 2>/dev/null || true
}

# Aborts the FUSE connection of every zfs-fuse mount of pool $1 (all if empty): blocked callers get ENOTCONN at once.
abort_fuse_connections() {
  local minor mountpoint
  ensure_fusectl || true
  while read -r minor mountpoint; do
    [ -n "$minor" ] && [ -w "/sys/fs/fuse/connections/$minor/abort" ] || continue
    say "aborting the FUSE connection of $mountpoint (connection $minor)"
    echo 1 >"/sys/fs/fuse/connections/$minor/abort" 2>/dev/null || true
  done < <(zfs_fuse_mounts "${1:-}")
}

# Lazily unmounts what is left of pool $1's mounts (all if empty) after their connection was aborted.
detach_fuse_mounts() {
  local minor mountpoint
  while read -r minor mountpoint; do
    [ -n "$mountpoint" ] && timeout -s KILL 10 umount -l "$mountpoint" 2>/dev/null || true
  done < <(zfs_fuse_mounts "${1:-}")
}

# The PID of the running zfs-fuse: from pidfile $1 when given, else the daemon's default pidfile.
zfs_fuse_pid() {
  local file
  for file in ${1:+"$1"} /var/run/zfs-fuse.pid; do
    [ -f "$file" ] && kill -0 "$(cat "$file")" 2>/dev/null && { cat "$file"; return 0; }
  done
  return 1
}

# Stops zfs-fuse PID $1 within 10 s: TERM, then KILL.
kill_zfs_fuse_pid() {
  local pid=$1 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  say "zfs-fuse (pid $pid) did not stop in 5 s: SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
}

# A wedged zfs-fuse: abort every connection, restart the daemon, import the pools in "dir:pool" pairs $2... again.
# $1 is the pidfile to record the new daemon in. A wedged daemon still answers `zpool list`, and one daemon serves
# every pool it lists: all their mounts are dead, so all are aborted.
recover_zfs_fuse() {
  local pidfile=$1 pid pair pool pools
  shift
  say "zfs-fuse mounts do not answer: aborting their FUSE connections, restarting zfs-fuse, importing the pools again"
  pools=$( (timeout -s KILL 10 zpool list -H -o name 2>/dev/null || true; for pair in "$@"; do echo "${pair#*:}"; done) | sort -u)
  for pool in $pools; do abort_fuse_connections "$pool"; done
  pid=$(zfs_fuse_pid "$pidfile") && kill_zfs_fuse_pid "$pid"
  # zfs-fuse will not start over a pidfile whose PID still exists (a killed daemon may linger as a zombie).
  rm -f "$pidfile" /var/run/zfs-fuse.pid
  for pool in $pools; do detach_fuse_mounts "$pool"; done
  start_zfs_fuse "$pidfile"
  for pair in "$@"; do
    zpool_has "${pair#*:}" && continue
    say "importing pool ${pair#*:} again"
    flock -w 60 "$ZFS_MOUNT_LOCK" timeout -s KILL 60 zpool import -d "${pair%%:*}" "${pair#*:}" || say "could not import ${pair#*:}"
  done
}

# Checks pool $1's mounts; when one does not answer, recovers (pidfile $2, pool dir $3) and checks again.
ensure_mounts_answer() {
  local pool=$1 pidfile=$2 dir=$3 stuck
  stuck=$(unanswering_mounts "$pool")
  [ -z "$stuck" ] && return 0
  say "not answering within ${MOUNT_ANSWER_TIMEOUT_S} s: $(tr '\n' ' ' <<<"$stuck")"
  recover_zfs_fuse "$pidfile" "$dir:$pool"
  stuck=$(unanswering_mounts "$pool")
  [ -z "$stuck" ] && { say "zfs-fuse recovered: every mount of $pool answers"; return 0; }
  say "still not answering after recovery: $(tr '\n' ' ' <<<"$stuck")"
  return 1
}

# Exports pool $1 within about 20 s whatever the storage does; forces (abort connections, export -f) and says so.
export_pool_bounded() {
  local pool=$1 i
  zpool_has "$pool" || return 0
  say "exporting pool $pool"
  for i in 1 2 3; do
    timeout -s KILL 5 zpool export "$pool" 2>/dev/null && return 0
    zpool_has "$pool" || return 0
    sleep 1
  done
  say "export of $pool did not finish: forcing (aborting its FUSE connections, zpool export -f)"
  abort_fuse_connections "$pool"
  timeout -s KILL 5 zpool export -f "$pool" 2>/dev/null && return 0
  detach_fuse_mounts "$pool"
  timeout -s KILL 5 zpool export -f "$pool" 2>/dev/null && return 0
  say "pool $pool could not be exported; it goes when zfs-fuse stops"
  return 1
}

# Shared helpers for infra.sh (sourced, not executed).

REPO_ROOT="$(cd "$HERE/../.." && pwd)"
INFRA_DIR="${MC_INFRA_DIR:-$REPO_ROOT/.data/infra}"
mkdir -p "$INFRA_DIR/run" "$INFRA_DIR/logs"
INFRA_DIR="$(cd "$INFRA_DIR" && pwd)" # absolute: it is how we recognise our processes
RUN="$INFRA_DIR/run"
LOGS="$INFRA_DIR/logs"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/mission-control"
TIMEOUT="${MC_INFRA_TIMEOUT:-120}"
STOP_TIMEOUT="${MC_INFRA_STOP_TIMEOUT:-30}"
JAVA_HOME_="${MC_JAVA_HOME:-${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java || echo /usr/bin/java)")")")}}"
read -r -a ENGINES <<<"${MC_INFRA_ENGINES:-postgres kafka elasticsearch influxdb}"
for e in "${ENGINES[@]}"; do
  case "$e" in postgres | kafka | elasticsearch | influxdb) ;;
    *) echo "[infra] unknown engine '$e' in MC_INFRA_ENGINES" >&2; exit 2 ;;
  esac
done

log() { echo "[infra] $*"; }
die() { echo "[infra] ERROR: $*" >&2; exit 1; }

# Microsecond timestamps from bash itself: no `date` forks in the wait loops.
now() { echo "${EPOCHREALTIME//[!0-9]/}"; }
since() { local d=$((($(now) - $1) / 100000)); printf '%d.%ds' $((d / 10)) $((d % 10)); }

# Concurrent `up`/`down` calls (several jest globalSetups) serialise here.
take_lock() {
  exec 9>>"$RUN/infra.lock"
  flock -n 9 || { log "waiting for another infra.sh to finish…"; flock 9; }
}

# --- processes ------------------------------------------------------------------------------------

# Pid of an engine we started, if it is still alive. The command line must mention INFRA_DIR, so
# a recycled pid of some unrelated process is never mistaken for ours.
engine_pid() {
  local pid
  pid="$(cat "$RUN/$1.pid" 2>/dev/null)" || return 1
  [ -n "$pid" ] && grep -qF "$INFRA_DIR" "/proc/$pid/cmdline" 2>/dev/null && echo "$pid"
}

# Closes every inherited descriptor beyond stdio (call it in a subshell). A daemon holding our lock
# would keep it taken for its whole life; one holding a caller's pipe (jest, a CI runner) would
# keep that caller waiting for EOF.
close_fds() {
  local fd
  for fd in "/proc/$BASHPID/fd/"*; do
    fd=${fd##*/}
    ((fd > 2)) && { exec {fd}>&-; } 2>/dev/null
  done
  return 0
}
# Runs a command that may leave daemons behind (pg_ctlcluster, apt's postinst scripts).
no_fds() { (close_fds && exec "$@"); }

# Runs "$@" detached in its own session (so it outlives the caller and `down` can signal the whole
# process group), with all output appended to the engine's log.
launch() {
  local e="$1"; shift
  echo "=== $(date -Is) infra.sh up: $*" >>"$LOGS/$e.log"
  (close_fds && cd "$INFRA_DIR/$e" && exec setsid nohup "$@" </dev/null >>"$LOGS/$e.log" 2>&1) &
  echo $! >"$RUN/$e.pid"
}

# Generic `<engine>_running` / `<engine>_stop` for the engines we launch ourselves.
pid_running() { engine_pid "$1" >/dev/null; }
pid_stop() {
  local e="$1" pid t0
  if ! pid="$(engine_pid "$e")"; then
    rm -f "$RUN/$e.pid"; log "$e: not running"; return 0
  fi
  t0=$(now)
  # SIGTERM to the leader only (Elasticsearch's launcher then stops its server cleanly); wait for
  # the whole process group to go.
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 -- "-$pid" 2>/dev/null; do
    if (($(now) - t0 > STOP_TIMEOUT * 1000000)); then
      log "$e: still alive after ${STOP_TIMEOUT}s, sending SIGKILL"
      kill -KILL -- "-$pid" 2>/dev/null || true
      sleep 1
      ! kill -0 -- "-$pid" 2>/dev/null || die "$e: process group $pid survived SIGKILL"
    fi
    sleep 0.2
  done
  rm -f "$RUN/$e.pid"
  log "$e: stopped (pid $pid, $(since "$t0"))"
}

# Polls `<engine>_probe` until it answers; on a timeout or an early exit shows the log and fails.
wait_ready() {
  local e="$1" t0="$2" pid
  until "${e}_probe"; do
    pid="$(cat "$RUN/$e.pid" 2>/dev/null || true)"
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      fail_with_log "$e" "process $pid exited before answering"
    fi
    (($(now) - t0 < TIMEOUT * 1000000)) || fail_with_log "$e" "no answer within ${TIMEOUT}s"
    sleep 0.25
  done
}

fail_with_log() {
  echo "[infra] ERROR: $1: $2. Last 40 lines of $LOGS/$1.log:" >&2
  tail -n 40 "$LOGS/$1.log" >&2 || true
  exit 1
}

# --- ports ----------------------------------------------------------------------------------------

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port_pid() { ss -ltnpH "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2; }
port_owner() {
  local line; line="$(ss -ltnpH "sport = :$1" 2>/dev/null | grep -o 'users:(("[^"]*",pid=[0-9]*' | head -1)"
  [ -n "$line" ] && echo "${line#users:((}" | sed 's/",pid=/ (pid /; s/^"//; s/$/)/' || echo "an unknown process"
}
ensure_ports_free() {
  local e="$1" p; shift
  for p in "$@"; do
    port_open "$p" && die "$e: port 127.0.0.1:$p is already in use by $(port_owner "$p"), which infra.sh did not start. Stop it or choose another port (see the MC_*_PORT variables)."
  done
  return 0
}

# Pid for `status`: ours from the pid file, otherwise whoever listens on the port.
engine_pid_label() {
  local e="$1" pid
  if pid="$(engine_pid "$e")"; then echo "$pid"; return; fi
  pid="$(port_pid "$(${e}_port)")"
  if [ -z "$pid" ]; then echo -
  elif [ -e "$RUN/$e.started" ]; then echo "$pid"
  else echo "$pid, not started by infra.sh"; fi
}

# --- installing and fetching ----------------------------------------------------------------------

apt_install() {
  local pkg="$1" t0=$(now)
  [ "$(id -u)" = 0 ] || die "$pkg is not installed; run: sudo apt-get install -y $pkg"
  log "$pkg: installing the Debian package…"
  # A fresh machine may have no package lists yet.
  if ! apt-cache policy "$pkg" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    no_fds apt-get update -q >>"$LOGS/apt.log" 2>&1 || fail_with_log apt "apt-get update failed"
  fi
  no_fds env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$pkg" >>"$LOGS/apt.log" 2>&1 ||
    fail_with_log apt "apt-get install $pkg failed"
  log "$pkg: installed ($(since "$t0"))"
}

# Runs Maven quietly in a scratch dir; its chatter goes to logs/maven.log, shown if it fails.
mvn_in() {
  local dir="$1"; shift
  command -v mvn >/dev/null || die "mvn is required to fetch artifacts from Maven Central"
  (cd "$dir" && mvn -q -B "$@") >"$LOGS/maven.log" 2>&1 || fail_with_log maven "mvn $* failed"
}

java_bin() { echo "$JAVA_HOME_/bin/java"; }

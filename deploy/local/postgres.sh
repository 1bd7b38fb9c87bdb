# PostgreSQL: the Debian cluster configured for MC_PG_PORT. It is a system service, so `down` only
# stops it when `up` had to start it (recorded in run/postgres.started).

PG_PORT="${MC_PG_PORT:-5432}"

postgres_port() { echo "$PG_PORT"; }
postgres_ports() { echo "$PG_PORT"; }
postgres_psql() { psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -w -X -Atq "$@" 2>/dev/null; }
postgres_probe() { command -v psql >/dev/null && [ "$(postgres_psql -c 'select 1')" = 1 ]; }
postgres_version() { postgres_psql -c "select split_part(version(), ' ', 2)"; }
postgres_ready() { command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p "$PG_PORT"; }
# "<version> <name> <log file>" of the Debian cluster on our port.
postgres_cluster() { pg_lsclusters -h 2>/dev/null | awk -v p="$PG_PORT" '$3 == p { print $1, $2, $7; exit }'; }

# Running = accepting connections, whoever started it (usually the Debian service).
postgres_running() { postgres_ready && { postgres_probe || postgres_trust_loopback; }; }

postgres_prepare() {
  command -v pg_ctlcluster >/dev/null || apt_install postgresql
  [ -n "$(postgres_cluster)" ] ||
    die "postgres: no Debian cluster is configured for port $PG_PORT (see pg_lsclusters); set MC_PG_PORT"
}

postgres_start() {
  local ver name logfile
  read -r ver name logfile <<<"$(postgres_cluster)"
  # The cluster logs where Debian puts it; link it so failures show it like the other engines'.
  ln -sfn "$logfile" "$LOGS/postgres.log"
  if ! postgres_ready; then # apt's postinst may have started it already
    log "postgres: starting Debian cluster $ver/$name…"
    no_fds pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" start ||
      fail_with_log postgres "pg_ctlcluster $ver $name start failed"
    echo "$ver $name" >"$RUN/postgres.started"
  fi
  postgres_probe || postgres_trust_loopback
}

# Tests log in as postgres over TCP without a password; a fresh Debian cluster asks for one there.
postgres_trust_loopback() {
  local ver name logfile hba
  read -r ver name logfile <<<"$(postgres_cluster)"
  hba="/etc/postgresql/$ver/$name/pg_hba.conf"
  [ -n "$ver" ] && [ -w "$hba" ] && ! grep -q '^# mission-control' "$hba" ||
    die "postgres: 127.0.0.1:$PG_PORT refuses a passwordless login as user postgres (check $hba)"
  sed -i '1i # mission-control deploy/local: passwordless loopback logins for dev/test\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
  pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" reload
  log "postgres: enabled trust authentication for loopback in $hba"
}

postgres_stop() {
  local ver name
  if ! read -r ver name 2>/dev/null <"$RUN/postgres.started"; then
    if postgres_ready; then log "postgres: left running (infra.sh did not start it)"; else log "postgres: not running"; fi
    return 0
  fi
  if postgres_ready; then
    pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" stop
    log "postgres: stopped Debian cluster $ver/$name (infra.sh had started it)"
  else
    log "postgres: not running"
  fi
  rm -f "$RUN/postgres.started"
}

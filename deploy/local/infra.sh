#!/usr/bin/env bash
# Real engines without Docker: PostgreSQL, Kafka (KRaft), Elasticsearch and InfluxDB on 127.0.0.1.
#   bash deploy/local/infra.sh up|down|status      (status exits 3 unless every engine answers)
# Environment (defaults):
#   MC_INFRA_ENGINES   "postgres kafka elasticsearch influxdb" (any subset)
#   MC_INFRA_DIR       <repo>/.data/infra: <engine>/ data, logs/<engine>.log, run/<engine>.pid
#   MC_INFRA_TIMEOUT   120 s per engine to answer; MC_INFRA_STOP_TIMEOUT 30 s before SIGKILL
#   MC_PG_PORT 5432    MC_KAFKA_PORT 9092  MC_KAFKA_CONTROLLER_PORT 9093
#   MC_ES_PORT 9200    MC_ES_TRANSPORT_PORT 9300  MC_INFLUX_PORT 8086  MC_INFLUX_RPC_PORT 8088
#   MC_KAFKA_HEAP "-Xms256m -Xmx512m"  MC_ES_HEAP 512m
#   MC_JAVA_HOME (JAVA_HOME, else the `java` on PATH), MC_ES_JAVA_HOME (MC_JAVA_HOME)
#   MC_INFRA_USER mcinfra: the unprivileged user Elasticsearch runs as when we are root
# Downloads are cached in ${XDG_CACHE_HOME:-~/.cache}/mission-control/.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$HERE/lib.sh"
for f in postgres kafka elasticsearch influxdb; do . "$HERE/$f.sh"; done

# Engines start one after the other: on two cores, overlapping the JVMs' start-up saves nothing.
cmd_up() {
  take_lock
  local e t t0=$(now)
  command -v curl >/dev/null || apt_install curl
  for e in "${ENGINES[@]}"; do
    if "${e}_running"; then
      log "$e: already running on 127.0.0.1:$(${e}_port) (pid $(engine_pid_label "$e"))"
      wait_ready "$e" "$(now)" # still starting, if an earlier `up` was interrupted
    else
      ensure_ports_free "$e" $(${e}_ports)
      "${e}_prepare"
      t=$(now)
      "${e}_start"
      wait_ready "$e" "$t"
      log "$e: ready on 127.0.0.1:$(${e}_port) ($(since "$t"))"
    fi
  done
  log "up: ${ENGINES[*]} ready ($(since "$t0"))"
}

cmd_down() {
  take_lock
  local i
  for ((i = ${#ENGINES[@]} - 1; i >= 0; i--)); do "${ENGINES[i]}_stop"; done
}

cmd_status() {
  local e state rc=0
  for e in "${ENGINES[@]}"; do
    if "${e}_probe"; then state=running
    elif engine_pid "$e" >/dev/null; then state=silent rc=3 # alive, not answering (yet)
    else state=stopped rc=3; fi
    printf '%-14s %-8s %-12s 127.0.0.1:%-6s pid %s\n' "$e" "$state" \
      "$([ "$state" = running ] && "${e}_version" || echo -)" "$(${e}_port)" "$(engine_pid_label "$e")"
  done
  return "$rc"
}

case "${1:-}" in
  up | down | status) "cmd_$1" ;;
  *) echo "usage: $0 {up|down|status}" >&2; exit 2 ;;
esac

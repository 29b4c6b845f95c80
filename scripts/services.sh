#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Installs, starts, health-checks and stops the real services the integration and e2e tests use, on
# loopback: Apache Kafka (single-node KRaft), ElasticMQ (SQS), moto (CloudWatch, Step Functions, SNS)
# and PostgreSQL. Installs only into the Maven cache (~/.m2), the project-local .services/ and, when
# PostgreSQL is missing, Debian's postgresql package; it never stops a process it did not start.
#
#   scripts/services.sh up     [service...]   install what is missing, start what is stopped, wait until healthy
#   scripts/services.sh down   [service...]   stop the services started from this .services/
#   scripts/services.sh status [service...]   one line per service; exit 0 only when all answer
#   scripts/services.sh env                   connection details as shell exports: eval "$(scripts/services.sh env)"
#
# Services: kafka, elasticmq (alias sqs), moto, postgres. Default: all. See docs/services.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HELPERS="$ROOT/scripts/services"
SVC_DIR="${REDRIVE_SERVICES_DIR:-$ROOT/.services}"
RUN_DIR="$SVC_DIR/run"
LOG_DIR="$SVC_DIR/logs"

KAFKA_PORT="${REDRIVE_KAFKA_PORT:-19092}"
KAFKA_CONTROLLER_PORT="${REDRIVE_KAFKA_CONTROLLER_PORT:-19093}"
ELASTICMQ_PORT="${REDRIVE_ELASTICMQ_PORT:-19324}"
MOTO_PORT="${REDRIVE_MOTO_PORT:-15000}"
POSTGRES_PORT="${REDRIVE_POSTGRES_PORT:-15433}"
KAFKA_VERSION="${REDRIVE_KAFKA_VERSION:-4.3.1}"
ELASTICMQ_VERSION="${REDRIVE_ELASTICMQ_VERSION:-1.7.1}"
# Seconds to wait for one service to answer its health check after it was started.
WAIT_S="${REDRIVE_SERVICES_WAIT_S:-120}"
# Small heaps: the machine (2 cores) is shared with the test processes.
KAFKA_JAVA_OPTS="${REDRIVE_KAFKA_JAVA_OPTS:--Xms128m -Xmx512m -XX:+UseSerialGC}"
ELASTICMQ_JAVA_OPTS="${REDRIVE_ELASTICMQ_JAVA_OPTS:--Xms64m -Xmx256m -XX:+UseSerialGC}"

AWS_REGION_FOR_TESTS="us-east-1"
SQS_ACCOUNT_ID="000000000000"
PG_USER="redrive"
PG_PASSWORD="redrive"
PG_DATABASE="redrive"
ALL_SERVICES=(kafka elasticmq moto postgres)

# shellcheck source=services/common.sh
source "$HELPERS/common.sh"
# shellcheck source=services/kafka/service.sh
source "$HELPERS/kafka/service.sh"
# shellcheck source=services/elasticmq/service.sh
source "$HELPERS/elasticmq/service.sh"
# shellcheck source=services/moto/service.sh
source "$HELPERS/moto/service.sh"
# shellcheck source=services/postgres/service.sh
source "$HELPERS/postgres/service.sh"

# ---------------------------------------------------------------------------------------------
# Generic up / down / status

port_env_name() {
  case "$1" in
    kafka) echo "REDRIVE_KAFKA_PORT / REDRIVE_KAFKA_CONTROLLER_PORT" ;;
    elasticmq) echo REDRIVE_ELASTICMQ_PORT ;;
    moto) echo REDRIVE_MOTO_PORT ;;
    postgres) echo REDRIVE_POSTGRES_PORT ;;
  esac
}

wait_healthy() { # wait_healthy NAME: bounded; fails fast when the process died
  local name="$1" deadline=$(( $(now_ms) + WAIT_S * 1000 ))
  while ! "${name}_healthy"; do
    if ! "${name}_running"; then
      log_tail "$LOG_DIR/$name.log"
      fail "$name: the process exited during start-up (log: $LOG_DIR/$name.log)"
    fi
    if [ "$name" = elasticmq ] && elasticmq_failed; then
      log_tail "$LOG_DIR/$name.log"
      elasticmq_stop
      fail "elasticmq: could not bind port $ELASTICMQ_PORT (log: $LOG_DIR/elasticmq.log)"
    fi
    if [ "$(now_ms)" -ge "$deadline" ]; then
      log_tail "$LOG_DIR/$name.log"
      fail "$name: no healthy answer within ${WAIT_S} s (REDRIVE_SERVICES_WAIT_S; log: $LOG_DIR/$name.log)"
    fi
    sleep 0.25
  done
}

service_up() {
  local name="$1" t0 port
  t0="$(now_ms)"
  if "${name}_running"; then
    local started_on
    started_on="$(cat "$RUN_DIR/$name.ports" 2>/dev/null || true)"
    if [ -n "$started_on" ] && [ "$started_on" != "$("${name}_ports")" ]; then
      fail "$name: already running on port(s) $started_on, not the $("${name}_ports") asked for now; run scripts/services.sh down $name first"
    fi
    wait_healthy "$name"
    say "$name: already running, reused: $("${name}_describe") ($(since "$t0"))"
    return 0
  fi
  for port in $("${name}_ports"); do
    if port_in_use "$port"; then
      if "${name}_healthy"; then
        say "$name: port $port already answers but was not started from $SVC_DIR; reusing it ($(since "$t0"))"
        return 0
      fi
      fail "$name: port $port is taken by another process; stop it or choose another port with $(port_env_name "$name")"
    fi
  done
  "${name}_install"
  local t1
  t1="$(now_ms)"
  "${name}_start"
  "${name}_ports" >"$RUN_DIR/$name.ports"
  wait_healthy "$name"
  say "$name: started in $(since "$t1"): $("${name}_describe") (total $(since "$t0"))"
}

service_down() {
  local name="$1" t0 port
  t0="$(now_ms)"
  if "${name}_running"; then
    "${name}_stop"
    say "$name: stopped in $(since "$t0")"
    return 0
  fi
  rm -f "$RUN_DIR/$name.pid"
  for port in $("${name}_ports"); do
    if port_in_use "$port"; then
      say "$name: port $port answers but was not started from $SVC_DIR; left alone"
      return 0
    fi
  done
  say "$name: not running"
}

service_status() { # prints one line; returns 0 when healthy
  local name="$1" pid=""
  if "${name}_running"; then
    pid="$(head -n1 "$RUN_DIR/$name.pid" 2>/dev/null || true)"
    if [ "$name" = postgres ]; then pid="$(head -n1 "$PG_DATA/postmaster.pid")"; fi
    if "${name}_healthy"; then
      printf '%-10s running  pid %-8s %s\n' "$name" "$pid" "$("${name}_describe")"
      return 0
    fi
    printf '%-10s starting pid %-8s %s (not answering yet)\n' "$name" "$pid" "$("${name}_describe")"
    return 1
  fi
  if "${name}_healthy"; then
    printf '%-10s running  (not started from %s) on port %s\n' "$name" "$SVC_DIR" "$("${name}_ports")"
    return 0
  fi
  printf '%-10s stopped\n' "$name"
  return 1
}

print_env() {
  cat <<EOF
export REDRIVE_KAFKA_BROKERS='127.0.0.1:$KAFKA_PORT'
export REDRIVE_SQS_ENDPOINT='http://127.0.0.1:$ELASTICMQ_PORT'
export REDRIVE_SQS_REGION='$AWS_REGION_FOR_TESTS'
export REDRIVE_SQS_ACCOUNT_ID='$SQS_ACCOUNT_ID'
export REDRIVE_MOTO_ENDPOINT='http://127.0.0.1:$MOTO_PORT'
export REDRIVE_MOTO_REGION='$AWS_REGION_FOR_TESTS'
export REDRIVE_POSTGRES_URL='$PG_URL'
EOF
}

select_services() { # maps arguments (or none: all) to service names
  local arg
  if [ "$#" -eq 0 ]; then
    echo "${ALL_SERVICES[*]}"
    return
  fi
  for arg in "$@"; do
    case "$arg" in
      kafka | elasticmq | moto | postgres) echo "$arg" ;;
      sqs) echo elasticmq ;;
      *) fail "unknown service '$arg' (kafka, elasticmq, moto, postgres)" ;;
    esac
  done
}

take_lock() { # one up/down at a time: vitest may run the global setup once per project
  exec 9>"$RUN_DIR/lock"
  if ! flock -n 9; then
    say "waiting for another scripts/services.sh up/down to finish"
    flock -w 900 9 || fail "another scripts/services.sh holds $RUN_DIR/lock for more than 15 minutes"
  fi
}

usage() { # the opening comment block of this file
  awk 'NR > 1 && /^# shellcheck/ { next } NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"
}

main() {
  local cmd="${1:-}"
  [ "$#" -gt 0 ] && shift
  case "$cmd" in
    env)
      print_env
      return 0
      ;;
    up | down | status) ;;
    -h | --help | help)
      usage
      return 0
      ;;
    *)
      usage >&2
      return 2
      ;;
  esac
  local services
  services="$(select_services "$@")" || exit 2
  need services python3 "apt-get install -y python3"
  need services flock "apt-get install -y util-linux"
  need services setsid "apt-get install -y util-linux"
  mkdir -p "$RUN_DIR" "$LOG_DIR"
  local t0 name failed=()
  t0="$(now_ms)"
  case "$cmd" in
    status)
      for name in $services; do service_status "$name" || failed+=("$name"); done
      [ "${#failed[@]}" -eq 0 ] || return 3
      ;;
    down)
      take_lock
      local pids=() i=0
      for name in $services; do
        (exec 9>&-; service_down "$name") &
        pids+=($!)
      done
      for name in $services; do
        wait "${pids[$i]}" || failed+=("$name")
        i=$(( i + 1 ))
      done
      say "down finished in $(since "$t0")"
      [ "${#failed[@]}" -eq 0 ] || return 1
      ;;
    up)
      take_lock
      # Each service in its own subshell, all at once: the JVM starts overlap the pip install.
      local pids=() i=0
      for name in $services; do
        # fd 9 holds the lock: no daemon started below may inherit it.
        (exec 9>&-; service_up "$name") &
        pids+=($!)
      done
      for name in $services; do
        wait "${pids[$i]}" || failed+=("$name")
        i=$(( i + 1 ))
      done
      if [ "${#failed[@]}" -gt 0 ]; then
        say "up FAILED for: ${failed[*]} after $(since "$t0"); logs in $LOG_DIR"
        return 1
      fi
      say "up finished in $(since "$t0"); connection details: scripts/services.sh env"
      ;;
  esac
}

main "$@"

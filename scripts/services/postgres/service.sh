# shellcheck shell=bash
# PostgreSQL for scripts/services.sh: Debian's server binaries, a cluster of our own in .services/postgres.
# Defines postgres_{ports,running,healthy,describe,install,start,stop}; starts nothing when sourced.

PG_HOME="$SVC_DIR/postgres"
PG_DATA="$PG_HOME/data"
PG_SOCKETS="$PG_HOME/run"
PG_URL="postgres://$PG_USER:$PG_PASSWORD@127.0.0.1:$POSTGRES_PORT/$PG_DATABASE"

pg_bin() { # newest installed server version
  local initdb
  initdb="$(printf '%s\n' /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n1)"
  [ -x "$initdb" ] && dirname "$initdb"
}

# The server refuses to run as root: as root, run its tools as the postgres user.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

postgres_ports() { echo "$POSTGRES_PORT"; }
postgres_running() { pid_alive "$PG_DATA/postmaster.pid" postgres; }
postgres_healthy() {
  local bin
  bin="$(pg_bin)" || return 1
  PGCONNECT_TIMEOUT=2 "$bin/psql" "$PG_URL" -X -q -t -A -c 'select 1' >/dev/null 2>&1
}
postgres_describe() {
  local bin
  bin="$(pg_bin)" || { echo "$PG_URL"; return; }
  echo "$PG_URL, PostgreSQL $("$bin/postgres" --version | awk '{print $3}')"
}

postgres_install() {
  if [ -z "$(pg_bin)" ]; then
    need postgres apt-get "install PostgreSQL by hand: its initdb was not found under /usr/lib/postgresql/*/bin"
    [ "$(id -u)" = 0 ] || fail "postgres: PostgreSQL is not installed; run as root: apt-get install -y postgresql"
    local t0
    t0="$(now_ms)"
    say "postgres: installing Debian's postgresql package (once)"
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >"$LOG_DIR/postgres-install.log" 2>&1; then
      DEBIAN_FRONTEND=noninteractive apt-get update -q >>"$LOG_DIR/postgres-install.log" 2>&1 || true
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >>"$LOG_DIR/postgres-install.log" 2>&1 \
        || { log_tail "$LOG_DIR/postgres-install.log"; fail "postgres: apt-get install -y postgresql failed (log: $LOG_DIR/postgres-install.log)"; }
    fi
    [ -n "$(pg_bin)" ] || fail "postgres: postgresql installed but no /usr/lib/postgresql/*/bin/initdb found"
    say "postgres: installed $(basename "$(dirname "$(pg_bin)")") from Debian in $(since "$t0")"
  fi
  if [ "$(id -u)" = 0 ]; then
    need postgres runuser "apt-get install -y util-linux"
    id postgres >/dev/null 2>&1 || fail "postgres: running as root needs the 'postgres' user (created by apt-get install -y postgresql)"
  fi
  mkdir -p "$PG_HOME" "$PG_SOCKETS"
  if [ "$(id -u)" = 0 ]; then chown -R postgres: "$PG_HOME"; fi
  as_pg test -w "$PG_HOME" \
    || fail "postgres: the postgres user cannot write $PG_HOME (every parent directory needs o+x)"
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    local t0
    t0="$(now_ms)"
    rm -rf "$PG_DATA"
    # trust on the private socket directory (setup only), passwords on TCP.
    if ! as_pg "$(pg_bin)/initdb" -D "$PG_DATA" -U postgres -E UTF8 --no-locale -N \
        --auth-local=trust --auth-host=scram-sha-256 >"$LOG_DIR/postgres-initdb.log" 2>&1; then
      log_tail "$LOG_DIR/postgres-initdb.log"
      fail "postgres: initdb failed (log: $LOG_DIR/postgres-initdb.log)"
    fi
    say "postgres: created cluster in $PG_DATA in $(since "$t0")"
  fi
}

postgres_start() {
  rotate_log "$LOG_DIR/postgres.log"
  touch "$LOG_DIR/postgres.log"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$LOG_DIR/postgres.log"; fi
  # Durability off: test data is throwaway and fsync is the slowest part of small transactions.
  local opts="-p $POSTGRES_PORT -k $PG_SOCKETS -c listen_addresses=127.0.0.1 -c fsync=off"
  opts="$opts -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
  if ! as_pg "$(pg_bin)/pg_ctl" -D "$PG_DATA" -l "$LOG_DIR/postgres.log" -w -t "$WAIT_S" -o "$opts" start \
      >"$LOG_DIR/postgres-ctl.log" 2>&1; then
    log_tail "$LOG_DIR/postgres.log"
    fail "postgres: pg_ctl start failed (log: $LOG_DIR/postgres.log)"
  fi
  head -n1 "$PG_DATA/postmaster.pid" >"$RUN_DIR/postgres.pid"
  postgres_ensure_database
}

postgres_ensure_database() {
  local psql=("$(pg_bin)/psql" -X -q -t -A -h "$PG_SOCKETS" -p "$POSTGRES_PORT" -U postgres -d postgres)
  if [ "$(as_pg "${psql[@]}" -c "select 1 from pg_roles where rolname = '$PG_USER'")" != 1 ]; then
    as_pg "${psql[@]}" -c "create role $PG_USER login createdb password '$PG_PASSWORD'" >/dev/null
  fi
  if [ "$(as_pg "${psql[@]}" -c "select 1 from pg_database where datname = '$PG_DATABASE'")" != 1 ]; then
    as_pg "${psql[@]}" -c "create database $PG_DATABASE owner $PG_USER" >/dev/null
  fi
}

postgres_stop() {
  as_pg "$(pg_bin)/pg_ctl" -D "$PG_DATA" -m fast -w -t 30 stop >/dev/null 2>&1 \
    || say "postgres: pg_ctl stop failed; see $LOG_DIR/postgres.log"
  rm -f "$RUN_DIR/postgres.pid"
}

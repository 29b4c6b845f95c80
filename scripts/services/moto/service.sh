# shellcheck shell=bash
# moto server (CloudWatch, Step Functions, SNS) for scripts/services.sh, from PyPI in a project-local venv.
# Defines moto_{ports,running,healthy,describe,install,start,stop}; starts nothing when sourced.

VENV="$SVC_DIR/venv"

moto_ports() { echo "$MOTO_PORT"; }
moto_running() { pid_alive "$RUN_DIR/moto.pid" moto_server; }
moto_healthy() { probe http "http://127.0.0.1:$MOTO_PORT/moto-api/"; }
moto_describe() { echo "http://127.0.0.1:$MOTO_PORT, moto $("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("moto"))' 2>/dev/null || echo '?')"; }

moto_install() {
  need moto python3 "apt-get install -y python3 python3-venv"
  local wanted t0
  wanted="$(sha256sum "$HELPERS/moto/requirements.txt" | cut -d' ' -f1)"
  # The stamp is written only after a successful install of exactly these requirements.
  if [ -x "$VENV/bin/moto_server" ] && [ "$(cat "$VENV/.requirements.sha256" 2>/dev/null)" = "$wanted" ]; then
    return 0
  fi
  t0="$(now_ms)"
  if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'pass' 2>/dev/null; then
    rm -rf "$VENV"
    python3 -m venv "$VENV" >"$LOG_DIR/moto-install.log" 2>&1 \
      || { log_tail "$LOG_DIR/moto-install.log"; fail "moto: 'python3 -m venv' failed (apt-get install -y python3-venv)"; }
  fi
  if ! "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$HELPERS/moto/requirements.txt" \
      >>"$LOG_DIR/moto-install.log" 2>&1; then
    log_tail "$LOG_DIR/moto-install.log" 20
    fail "moto: pip could not install $HELPERS/moto/requirements.txt (log: $LOG_DIR/moto-install.log)"
  fi
  echo "$wanted" >"$VENV/.requirements.sha256"
  say "moto: installed $(grep -v '^#' "$HELPERS/moto/requirements.txt" | xargs) into $VENV in $(since "$t0")"
}

moto_start() {
  rotate_log "$LOG_DIR/moto.log"
  launch "$RUN_DIR/moto.pid" "$LOG_DIR/moto.log" "$VENV/bin/moto_server" -H 127.0.0.1 -p "$MOTO_PORT"
}

moto_stop() { stop_pid moto "$RUN_DIR/moto.pid"; }

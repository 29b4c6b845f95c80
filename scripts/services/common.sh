# shellcheck shell=bash
# Helpers shared by scripts/services.sh and the per-service files it sources: timing, messages,
# tool checks, probes, pid files, daemon launch and stop, jar fetching. Defines functions only.

now_ms() { date +%s%3N; }
since() { # since START_MS -> "1.2 s"
  local ms=$(( $(now_ms) - $1 ))
  printf '%d.%d s' $(( ms / 1000 )) $(( (ms % 1000) / 100 ))
}
say() { printf 'services: %s\n' "$*" >&2; }
# Ends the current (sub)shell: in `up` each service runs in its own subshell, so one failure does not
# stop the others; the summary names every failed service.
fail() { printf 'services: ERROR: %s\n' "$*" >&2; exit 1; }

need() { # need SERVICE TOOL HOW-TO-GET-IT
  command -v "$2" >/dev/null 2>&1 || fail "$1 needs '$2' on PATH, which is missing ($3)"
}

need_java17() { # need_java17 SERVICE
  need "$1" java "apt-get install -y openjdk-17-jre-headless"
  local major
  major="$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1)"
  if [ -z "$major" ] || [ "$major" -lt 17 ]; then
    fail "$1 needs java 17 or newer, found '${major:-unknown}' (apt-get install -y openjdk-17-jre-headless)"
  fi
}

probe() { python3 "$HELPERS/probe.py" "$@" 2>/dev/null; }

port_in_use() { probe tcp 127.0.0.1 "$1"; }

pid_alive() { # pid_alive PIDFILE PATTERN: the pid in the file runs and its command line matches
  local pid
  [ -f "$1" ] || return 1
  pid="$(head -n1 "$1" 2>/dev/null)"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$2"
}

rotate_log() { # keep the previous run's log as NAME.log.1
  if [ -s "$1" ]; then mv -f "$1" "$1.1"; fi
}

log_tail() { # the last lines of a log, indented, for error messages
  if [ -f "$1" ]; then tail -n "${2:-15}" "$1" | sed 's/^/    | /' >&2; fi
}

# Starts a daemon in its own session with its standard descriptors on the log and /dev/null.
launch() { # launch PIDFILE LOGFILE CMD...
  local pidfile="$1" logfile="$2"
  shift 2
  setsid "$@" >>"$logfile" 2>&1 </dev/null &
  echo $! >"$pidfile"
}

stop_pid() { # stop_pid NAME PIDFILE: TERM, up to 30 s, then KILL
  local pid
  pid="$(head -n1 "$2")"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "$1: still running after 30 s, sending KILL to pid $pid"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$2"
}


# Fetches jars with a throwaway pom copied outside the source tree (Maven writes target/ beside it).
# One Maven at a time: parallel runs against one ~/.m2 can corrupt it.
fetch_jars() { # fetch_jars SERVICE POM VERSION_PROPERTY VERSION LIBDIR
  local name="$1" pom="$2" prop="$3" version="$4" lib="$5" build
  [ -f "$lib/.complete" ] && [ "$(cat "$lib/.complete")" = "$version" ] && return 0
  need "$name" mvn "apt-get install -y maven"
  build="$(dirname "$lib")/build"
  rm -rf "$lib" "$build"
  mkdir -p "$build"
  cp "$pom" "$build/pom.xml"
  local t0
  t0="$(now_ms)"
  if ! (cd "$build" && flock "$RUN_DIR/mvn.lock" mvn -q -B dependency:copy-dependencies \
      "-D$prop=$version" -DoutputDirectory="$lib" >"$LOG_DIR/$name-install.log" 2>&1); then
    log_tail "$LOG_DIR/$name-install.log" 20
    fail "$name: could not fetch jars for version $version with Maven (log: $LOG_DIR/$name-install.log)"
  fi
  rm -rf "$build"
  echo "$version" >"$lib/.complete"
  say "$name: fetched $(find "$lib" -name '*.jar' | wc -l) jars for $version into $lib in $(since "$t0")"
}

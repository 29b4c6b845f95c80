# shellcheck shell=bash
# Kafka for scripts/services.sh: a single-node KRaft broker + controller from Maven Central jars.
# Defines kafka_{ports,running,healthy,describe,install,start,stop}; starts nothing when sourced.

KAFKA_HOME="$SVC_DIR/kafka"
KAFKA_LIB="$KAFKA_HOME/$KAFKA_VERSION/lib"
KAFKA_DATA="$KAFKA_HOME/$KAFKA_VERSION/data"
KAFKA_PROPS="$KAFKA_HOME/server.properties"

kafka_ports() { echo "$KAFKA_PORT $KAFKA_CONTROLLER_PORT"; }
kafka_running() { pid_alive "$RUN_DIR/kafka.pid" kafka.Kafka; }
kafka_healthy() { probe kafka 127.0.0.1 "$KAFKA_PORT"; }
kafka_describe() { echo "127.0.0.1:$KAFKA_PORT (controller $KAFKA_CONTROLLER_PORT), Kafka $KAFKA_VERSION"; }

kafka_install() {
  need_java17 kafka
  fetch_jars kafka "$HELPERS/kafka/pom.xml" kafka.version "$KAFKA_VERSION" "$KAFKA_LIB"
}

kafka_start() {
  mkdir -p "$KAFKA_DATA"
  sed -e "s#@PORT@#$KAFKA_PORT#g" -e "s#@CONTROLLER_PORT@#$KAFKA_CONTROLLER_PORT#g" \
    -e "s#@DATA_DIR@#$KAFKA_DATA#g" "$HELPERS/kafka/server.properties.template" >"$KAFKA_PROPS"
  local log4j="-Dlog4j2.configurationFile=file:$HELPERS/kafka/log4j2.properties"
  if [ ! -f "$KAFKA_DATA/meta.properties" ]; then
    local t0 cluster_id
    t0="$(now_ms)"
    # A Kafka cluster id is a base64url UUID without padding (kafka.tools.StorageTool random-uuid).
    cluster_id="$(python3 -c 'import base64,uuid; u = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("="); print("A" + u[1:] if u.startswith("-") else u)')"
    # shellcheck disable=SC2086 # word splitting of the JVM options is intended
    if ! java $KAFKA_JAVA_OPTS "$log4j" -cp "$KAFKA_LIB/*" kafka.tools.StorageTool format \
        -t "$cluster_id" -c "$KAFKA_PROPS" --ignore-formatted >"$LOG_DIR/kafka-format.log" 2>&1; then
      log_tail "$LOG_DIR/kafka-format.log"
      fail "kafka: formatting the log directory $KAFKA_DATA failed (log: $LOG_DIR/kafka-format.log)"
    fi
    say "kafka: formatted $KAFKA_DATA (cluster $cluster_id) in $(since "$t0")"
  fi
  rotate_log "$LOG_DIR/kafka.log"
  # shellcheck disable=SC2086
  launch "$RUN_DIR/kafka.pid" "$LOG_DIR/kafka.log" java $KAFKA_JAVA_OPTS -XX:+ExitOnOutOfMemoryError \
    -Djava.awt.headless=true "$log4j" -cp "$KAFKA_LIB/*" kafka.Kafka "$KAFKA_PROPS"
}

kafka_stop() { stop_pid kafka "$RUN_DIR/kafka.pid"; }

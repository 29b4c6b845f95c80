# shellcheck shell=bash
# ElasticMQ (SQS-compatible) for scripts/services.sh, from Maven Central jars.
# Defines elasticmq_{ports,running,healthy,describe,install,start,stop,failed}; starts nothing when sourced.

ELASTICMQ_HOME="$SVC_DIR/elasticmq"
ELASTICMQ_LIB="$ELASTICMQ_HOME/$ELASTICMQ_VERSION/lib"
ELASTICMQ_CONF="$ELASTICMQ_HOME/elasticmq.conf"

elasticmq_ports() { echo "$ELASTICMQ_PORT"; }
elasticmq_running() { pid_alive "$RUN_DIR/elasticmq.pid" org.elasticmq.server.Main; }
elasticmq_healthy() { probe http "http://127.0.0.1:$ELASTICMQ_PORT/?Action=ListQueues"; }
elasticmq_describe() { echo "http://127.0.0.1:$ELASTICMQ_PORT, ElasticMQ $ELASTICMQ_VERSION"; }

elasticmq_install() {
  need_java17 elasticmq
  fetch_jars elasticmq "$HELPERS/elasticmq/pom.xml" elasticmq.version "$ELASTICMQ_VERSION" "$ELASTICMQ_LIB"
}

elasticmq_start() {
  sed -e "s#@PORT@#$ELASTICMQ_PORT#g" -e "s#@REGION@#$AWS_REGION_FOR_TESTS#g" \
    -e "s#@ACCOUNT_ID@#$SQS_ACCOUNT_ID#g" "$HELPERS/elasticmq/elasticmq.conf.template" >"$ELASTICMQ_CONF"
  rotate_log "$LOG_DIR/elasticmq.log"
  # shellcheck disable=SC2086
  launch "$RUN_DIR/elasticmq.pid" "$LOG_DIR/elasticmq.log" java $ELASTICMQ_JAVA_OPTS -XX:+ExitOnOutOfMemoryError \
    -Djava.awt.headless=true "-Dconfig.file=$ELASTICMQ_CONF" \
    "-Dlogback.configurationFile=$HELPERS/elasticmq/logback.xml" \
    -cp "$ELASTICMQ_LIB/*" org.elasticmq.server.Main
}

# ElasticMQ keeps running when it cannot bind its port; its log says so.
elasticmq_failed() { grep -q -E 'Bind failed|Cannot start SQS rest server' "$LOG_DIR/elasticmq.log" 2>/dev/null; }

elasticmq_stop() { stop_pid elasticmq "$RUN_DIR/elasticmq.pid"; }

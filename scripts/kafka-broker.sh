#!/usr/bin/env bash
# Runs a real single-node Apache Kafka broker (KRaft mode) from its Maven Central
# jars, for the hub's tests, CI and local development. See docs/KAFKA.md.
set -euo pipefail

readonly PROG=kafka-broker
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
readonly SCRIPT_DIR REPO_ROOT
readonly POM="$SCRIPT_DIR/kafka/pom.xml"
readonly LOG4J_CONFIG="$SCRIPT_DIR/kafka/log4j.properties"
readonly STOP_TIMEOUT=30
readonly MIN_JAVA=17

usage() {
  cat <<EOF
Usage: scripts/kafka-broker.sh <command>

Runs a single-node Apache Kafka broker (KRaft) on 127.0.0.1 from Maven Central jars.

Commands:
  start    Fetch the jars if missing, format storage once, start the broker in the
           background and wait until it answers metadata requests. No-op if it
           is already running.
  stop     Stop the broker (SIGTERM, SIGKILL after ${STOP_TIMEOUT}s). No-op if not running.
  status   Print state, pid, bootstrap address and log path.
           Exit status: 0 running, 3 stopped.
  -h, --help
           Show this help.

Environment (defaults in brackets):
  KAFKA_CACHE_DIR        jars and data  [\${XDG_CACHE_HOME:-\$HOME/.cache}/onestop-hub/kafka]
  KAFKA_PORT             client (PLAINTEXT) port  [9092]
  KAFKA_CONTROLLER_PORT  KRaft controller port  [9093]
  KAFKA_DATA_DIR         config, pid, broker.log and topic data  [<cache>/data-<port>]
  KAFKA_HEAP             JVM max heap  [512m]
  KAFKA_START_TIMEOUT    seconds to wait for readiness  [120]
  KAFKA_VERSION          Kafka release from Maven Central, 3.x only  [$(pom_kafka_version 2>/dev/null || echo '?')]
  KAFKA_JVM_OPTS         extra JVM options  []
  JAVA_HOME              JDK to use (Java ${MIN_JAVA}+); otherwise java from PATH
EOF
}

# One-line reason on stderr, then exit non-zero.
die() {
  echo "$PROG: error: $*" >&2
  exit 1
}

note() {
  echo "$PROG: $*" >&2
}

pom_kafka_version() {
  sed -n 's:.*<kafka\.version>\([^<]*\)</kafka\.version>.*:\1:p' "$POM" | head -n 1
}

abs_path() {
  case $1 in
    /*) printf '%s\n' "$1" ;;
    *) printf '%s\n' "$PWD/$1" ;;
  esac
}

is_uint() {
  [[ $1 =~ ^[0-9]+$ ]]
}

valid_port() {
  is_uint "$1" && ((10#$1 > 0 && 10#$1 < 65536))
}

load_settings() {
  CACHE_DIR=$(abs_path "${KAFKA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/onestop-hub/kafka}")
  PORT=${KAFKA_PORT:-9092}
  CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-9093}
  DATA_DIR=$(abs_path "${KAFKA_DATA_DIR:-$CACHE_DIR/data-$PORT}")
  HEAP=${KAFKA_HEAP:-512m}
  START_TIMEOUT=${KAFKA_START_TIMEOUT:-120}
  KAFKA_VERSION=${KAFKA_VERSION:-$(pom_kafka_version)}

  valid_port "$PORT" || die "KAFKA_PORT must be a TCP port number, got '$PORT'"
  valid_port "$CONTROLLER_PORT" || die "KAFKA_CONTROLLER_PORT must be a TCP port number, got '$CONTROLLER_PORT'"
  PORT=$((10#$PORT)) CONTROLLER_PORT=$((10#$CONTROLLER_PORT))
  ((PORT != CONTROLLER_PORT)) || die "KAFKA_PORT and KAFKA_CONTROLLER_PORT must differ (both are $PORT)"
  if ! is_uint "$START_TIMEOUT" || ((10#$START_TIMEOUT == 0)); then
    die "KAFKA_START_TIMEOUT must be a positive number of seconds, got '$START_TIMEOUT'"
  fi
  START_TIMEOUT=$((10#$START_TIMEOUT))
  [[ $HEAP =~ ^[0-9]+[kKmMgG]?$ ]] || die "KAFKA_HEAP must look like 512m or 1g, got '$HEAP'"
  [[ -n $KAFKA_VERSION ]] || die "cannot read <kafka.version> from $POM"
  # kafkajs 2.2.4 relies on protocol versions that Kafka 4 removed.
  [[ $KAFKA_VERSION == 3.* ]] || die "KAFKA_VERSION must be a 3.x release (kafkajs 2.2.4 cannot talk to Kafka 4+), got '$KAFKA_VERSION'"

  # Jars and topic data must never end up in the working tree (or in a commit).
  local dir
  for dir in "$CACHE_DIR" "$DATA_DIR"; do
    case "$dir/" in
      "$REPO_ROOT"/*) die "$dir is inside the repository; point KAFKA_CACHE_DIR / KAFKA_DATA_DIR elsewhere" ;;
    esac
  done

  LIBS_DIR="$CACHE_DIR/libs"
  MARKER="$LIBS_DIR/.kafka-version"
  CONFIG="$DATA_DIR/server.properties"
  LOG_DIRS="$DATA_DIR/logs"
  PID_FILE="$DATA_DIR/broker.pid"
  LOG_FILE="$DATA_DIR/broker.log"
  BOOTSTRAP="127.0.0.1:$PORT"
}

# --- prerequisites -----------------------------------------------------------

find_java() {
  if [[ -n ${JAVA_HOME:-} ]]; then
    [[ -x $JAVA_HOME/bin/java ]] || die "JAVA_HOME=$JAVA_HOME has no bin/java; fix JAVA_HOME or unset it"
    JAVA="$JAVA_HOME/bin/java"
  else
    JAVA=$(command -v java) || die "java not found: install a JDK ${MIN_JAVA}+ (Debian: apt-get install openjdk-17-jdk-headless) or set JAVA_HOME"
  fi
  local line major
  line=$("$JAVA" -version 2>&1 | grep -m 1 'version' || true)
  # 'openjdk version "17.0.15" ...' or legacy 'java version "1.8.0_392"'.
  major=$(sed -n 's/.*version "\([0-9][0-9]*\)\.\{0,1\}\([0-9]*\).*/\1 \2/p' <<<"$line")
  if [[ $major == "1 "* ]]; then major=${major#1 }; else major=${major%% *}; fi
  is_uint "${major:-}" || die "cannot tell the Java version of $JAVA (got: ${line:-nothing})"
  ((major >= MIN_JAVA)) || die "Java $major found at $JAVA, but Kafka needs Java ${MIN_JAVA}+; install a newer JDK or set JAVA_HOME"
}

# Exclusive lock on a file, when flock(1) exists (util-linux); serialises
# concurrent invocations (e.g. parallel test workers) around fetch and launch.
lock() {
  local fd=$1 file=$2
  command -v flock >/dev/null 2>&1 || return 0
  mkdir -p "$(dirname "$file")"
  eval "exec $fd>\"\$file\""
  flock -w 600 "$fd" || die "timed out waiting for lock $file"
}

unlock() {
  local fd=$1
  command -v flock >/dev/null 2>&1 || return 0
  eval "exec $fd>&-"
}

libs_marker_content() {
  echo "kafka_2.13 $KAFKA_VERSION pom $(cksum <"$POM" | cut -d' ' -f1,2)"
}

# Downloads the broker jars with Maven only when missing or when the version or
# POM changed (tracked by a marker file next to the jars).
ensure_libs() {
  local want
  want=$(libs_marker_content)
  [[ -f $MARKER && $(<"$MARKER") == "$want" ]] && return 0

  lock 8 "$CACHE_DIR/.fetch.lock"
  if [[ -f $MARKER && $(<"$MARKER") == "$want" ]]; then # fetched by a concurrent run
    unlock 8
    return 0
  fi
  command -v mvn >/dev/null 2>&1 ||
    die "mvn not found: it fetches the Kafka jars on first use (Debian: apt-get install maven)"

  local work="$CACHE_DIR/maven" tmp="$CACHE_DIR/libs.tmp.$$" mvn_log="$CACHE_DIR/maven.log"
  note "fetching Kafka $KAFKA_VERSION jars from Maven Central into $LIBS_DIR (once per version)..."
  rm -rf "$tmp"
  mkdir -p "$work"
  # Maven runs on a copy in the cache so it writes nothing inside the repository.
  cp "$POM" "$work/pom.xml"
  if ! (cd "$work" && mvn -B -ntp -f "$work/pom.xml" \
    -Dkafka.version="$KAFKA_VERSION" \
    dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$tmp") >"$mvn_log" 2>&1; then
    grep -m 1 -E '^\[ERROR\] .' "$mvn_log" >&2 || true
    rm -rf "$tmp"
    die "Maven could not fetch org.apache.kafka:kafka_2.13:$KAFKA_VERSION (full output: $mvn_log)"
  fi
  [[ -f $tmp/kafka_2.13-$KAFKA_VERSION.jar ]] || die "Maven finished but kafka_2.13-$KAFKA_VERSION.jar is missing (see $mvn_log)"
  rm -rf "$LIBS_DIR"
  mv "$tmp" "$LIBS_DIR"
  echo "$want" >"$MARKER"
  note "fetched $(find "$LIBS_DIR" -name '*.jar' | wc -l | tr -d ' ') jars"
  unlock 8
}

# --- process and port checks -------------------------------------------------

read_pid() {
  PID=
  [[ -f $PID_FILE ]] || return 1
  PID=$(tr -dc '0-9' <"$PID_FILE")
  [[ -n $PID ]]
}

# True when $PID is alive and is the broker of this data dir (guards against pid reuse).
pid_is_broker() {
  [[ -n ${PID:-} ]] && kill -0 "$PID" 2>/dev/null || return 1
  local args
  args=$(ps -ww -o args= -p "$PID" 2>/dev/null) || return 1
  [[ $args == *kafka.Kafka* && $args == *"$CONFIG"* ]]
}

# A broker of this data dir whose pid file went missing (removed by hand or by a concurrent stop):
# find it by its command line and write the pid file again, so start, status and stop agree.
adopt_orphan() {
  local found
  found=$(pgrep -f "kafka\.Kafka $CONFIG" 2>/dev/null | head -n 1 || true)
  [[ -n $found ]] || return 1
  PID=$found
  echo "$PID" >"$PID_FILE"
  note "adopted the running broker (pid $PID) whose pid file was missing"
}

port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

have_node_probe() {
  [[ -n ${NODE_PROBE:-} ]] && { [[ $NODE_PROBE == yes ]]; return; }
  if command -v node >/dev/null 2>&1 &&
    node -e 'require.resolve("kafkajs", { paths: [process.argv[1]] })' "$REPO_ROOT" >/dev/null 2>&1; then
    NODE_PROBE=yes
  else
    NODE_PROBE=no
    note "node/kafkajs not available: readiness is judged by the log and the open port only"
  fi
  [[ $NODE_PROBE == yes ]]
}

# A real metadata request through kafkajs: the broker is serving clients.
metadata_ok() {
  have_node_probe || return 0
  node -e '
    const [root, broker] = process.argv.slice(1);
    const { Kafka, logLevel } = require(require.resolve("kafkajs", { paths: [root] }));
    setTimeout(() => process.exit(2), 10000).unref();
    const admin = new Kafka({
      clientId: "kafka-broker-probe", brokers: [broker], logLevel: logLevel.NOTHING,
      connectionTimeout: 3000, requestTimeout: 5000, retry: { retries: 0 },
    }).admin();
    admin.connect()
      .then(() => admin.describeCluster())
      .then((c) => admin.disconnect().then(() => process.exit(c.brokers.length > 0 ? 0 : 1)))
      .catch(() => process.exit(1));
  ' "$REPO_ROOT" "$BOOTSTRAP" >/dev/null 2>&1
}

show_log_tail() {
  if [[ -f $LOG_FILE ]]; then
    echo "--- last 30 lines of $LOG_FILE ---" >&2
    tail -n 30 "$LOG_FILE" >&2
    echo "---" >&2
  fi
}

# Stops $PID: SIGTERM for a clean shutdown, SIGKILL after STOP_TIMEOUT seconds.
terminate() {
  local i
  kill -TERM "$PID" 2>/dev/null || return 0
  for ((i = 0; i < STOP_TIMEOUT * 4; i++)); do
    kill -0 "$PID" 2>/dev/null || return 0
    sleep 0.25
  done
  note "broker (pid $PID) did not stop within ${STOP_TIMEOUT}s; sending SIGKILL"
  kill -KILL "$PID" 2>/dev/null || true
  for ((i = 0; i < 20; i++)); do
    kill -0 "$PID" 2>/dev/null || return 0
    sleep 0.25
  done
  die "broker (pid $PID) survived SIGKILL"
}

# --- broker setup ------------------------------------------------------------

write_config() {
  mkdir -p "$LOG_DIRS"
  cat >"$CONFIG" <<EOF
# Generated by scripts/kafka-broker.sh on every start; edits are overwritten.
# Single-node KRaft: this process is both broker and controller.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$LOG_DIRS

# One broker: internal topics cannot have more than one replica.
offsets.topic.replication.factor=1
offsets.topic.min.isr=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
default.replication.factor=1
min.insync.replicas=1
# Fewer internal partitions: the first consumer group / transaction starts faster.
offsets.topic.num.partitions=1
transaction.state.log.num.partitions=1

# Tests join consumer groups constantly; do not wait 3 s for more members.
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
# Several partitions per topic, so per-key ordering is actually exercised.
num.partitions=3

# The default 128 MiB compaction buffer is a quarter of a small test heap.
log.cleaner.dedupe.buffer.size=16777216
EOF
}

# JVM options shared by the storage tool and the broker. Kafka's own scripts use
# G1 with short pauses; ExitOnOutOfMemoryError makes a too-small heap fail loudly.
jvm_args() {
  local extra=()
  # KAFKA_JVM_OPTS holds several options separated by spaces.
  read -r -a extra <<<"${KAFKA_JVM_OPTS:-}"
  JVM_ARGS=(-Xmx"$HEAP" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError
    -Djava.awt.headless=true -Dlog4j.configuration="file:$LOG4J_CONFIG"
    ${extra[@]+"${extra[@]}"} -cp "$LIBS_DIR/*")
}

java_cmd() {
  jvm_args
  "$JAVA" "${JVM_ARGS[@]}" "$@"
}

# Formats the KRaft storage once per data dir (meta.properties marks it done).
format_storage() {
  [[ -f $LOG_DIRS/meta.properties ]] && return 0
  local out cluster_id
  out=$(java_cmd kafka.tools.StorageTool random-uuid 2>&1) || die "StorageTool random-uuid failed: $out"
  cluster_id=$(grep -E '^[A-Za-z0-9_-]{22}$' <<<"$out" | tail -n 1 || true)
  [[ -n $cluster_id ]] || die "StorageTool random-uuid printed no cluster id: $out"
  # One argument with "=": a base64url id may start with "-", which would read as an option.
  out=$(java_cmd kafka.tools.StorageTool format --cluster-id="$cluster_id" -c "$CONFIG" 2>&1) ||
    die "formatting $LOG_DIRS failed: $(tail -n 1 <<<"$out")"
  note "formatted $LOG_DIRS (cluster id $cluster_id)"
}

launch() {
  # Keep the previous run's log for post-mortems; readiness only reads this run's.
  [[ -f $LOG_FILE ]] && mv -f "$LOG_FILE" "$LOG_FILE.1"
  local runner=()
  # Own session / process group: Ctrl-C in the calling shell or test runner does not hit it.
  command -v setsid >/dev/null 2>&1 && runner=(setsid)
  jvm_args
  # Runs from the data dir so nothing (e.g. JVM crash files) lands in the caller's
  # cwd; the lock fds are closed so the broker does not hold the start lock.
  (
    exec 8>&- 9>&-
    cd "$DATA_DIR"
    exec nohup ${runner[@]+"${runner[@]}"} "$JAVA" "${JVM_ARGS[@]}" kafka.Kafka "$CONFIG" >"$LOG_FILE" 2>&1 </dev/null
  ) &
  PID=$!
  echo "$PID" >"$PID_FILE"
}

# Waits until the log says the server started, the port accepts connections and
# a metadata request succeeds; fails early if the JVM dies.
wait_ready() {
  local deadline=$((SECONDS + START_TIMEOUT))
  while ((SECONDS < deadline)); do
    if ! kill -0 "$PID" 2>/dev/null; then
      rm -f "$PID_FILE"
      echo "$PROG: error: broker process (pid $PID) exited during startup; log: $LOG_FILE" >&2
      show_log_tail
      exit 1
    fi
    if grep -q 'Kafka Server started' "$LOG_FILE" 2>/dev/null && port_open "$PORT" && metadata_ok; then
      return 0
    fi
    sleep 0.5
  done
  echo "$PROG: error: broker not ready within ${START_TIMEOUT}s (KAFKA_START_TIMEOUT); stopping it; log: $LOG_FILE" >&2
  show_log_tail
  terminate
  rm -f "$PID_FILE"
  exit 1
}

print_running() {
  echo "  bootstrap: $BOOTSTRAP"
  echo "  pid:       $PID"
  echo "  log:       $LOG_FILE"
  echo "  data:      $DATA_DIR"
}

# --- commands ----------------------------------------------------------------

cmd_start() {
  find_java
  mkdir -p "$CACHE_DIR"
  ensure_libs

  # Check-and-launch under a per-data-dir lock; readiness is awaited outside it.
  lock 9 "$DATA_DIR/.start.lock"
  local started_at=$SECONDS
  if read_pid; then
    if pid_is_broker; then
      unlock 9
      if port_open "$PORT"; then
        echo "Kafka broker already running on $BOOTSTRAP"
        print_running
        return 0
      fi
      # Another invocation launched it and it is still starting up.
      wait_ready
      echo "Kafka broker already running on $BOOTSTRAP"
      print_running
      return 0
    fi
    note "removing stale pid file $PID_FILE (pid $PID is not a running broker)"
    rm -f "$PID_FILE"
  fi
  if adopt_orphan && port_open "$PORT"; then
    unlock 9
    echo "Kafka broker already running on $BOOTSTRAP"
    print_running
    return 0
  fi
  port_open "$PORT" &&
    die "port $PORT on 127.0.0.1 is already in use by another process (not the broker of $DATA_DIR); stop it or set KAFKA_PORT"
  port_open "$CONTROLLER_PORT" &&
    die "controller port $CONTROLLER_PORT on 127.0.0.1 is already in use; stop that process or set KAFKA_CONTROLLER_PORT"

  write_config
  format_storage
  launch
  unlock 9

  wait_ready
  echo "Kafka $KAFKA_VERSION broker ready on $BOOTSTRAP (started in $((SECONDS - started_at))s)"
  print_running
}

cmd_stop() {
  if ! read_pid && ! adopt_orphan; then
    echo "Kafka broker on port $PORT is not running (no pid file in $DATA_DIR)"
    port_open "$PORT" && note "note: port $PORT is in use by some other process; not touching it"
    return 0
  fi
  if ! pid_is_broker; then
    rm -f "$PID_FILE"
    echo "Kafka broker on port $PORT is not running (removed stale pid file)"
    return 0
  fi
  terminate
  rm -f "$PID_FILE"
  echo "Kafka broker on $BOOTSTRAP stopped (pid $PID)"
}

cmd_status() {
  if { read_pid && pid_is_broker; } || adopt_orphan; then
    if port_open "$PORT"; then
      echo "running"
    else
      echo "running (starting up: port $PORT not accepting connections yet)"
    fi
    print_running
    return 0
  fi
  if [[ -n ${PID:-} ]]; then
    rm -f "$PID_FILE"
    echo "stopped (removed stale pid file; pid $PID is gone)"
  else
    echo "stopped"
  fi
  echo "  bootstrap: $BOOTSTRAP"
  echo "  log:       $LOG_FILE"
  return 3
}

main() {
  local cmd=${1:-}
  case $cmd in
    start | stop | status)
      (($# == 1)) || die "'$cmd' takes no arguments (configure with environment variables; see --help)"
      load_settings
      "cmd_$cmd"
      ;;
    -h | --help | help | "")
      usage
      ;;
    *)
      die "unknown command '$cmd' (try --help)"
      ;;
  esac
}

main "$@"

#!/usr/bin/env bash
# The agentid demo: a scripted support agent (sample-agents) runs against an embedded H2 database with
# agentid attached and examples/demo-policy.yaml; a prompt injection makes it try DROP TABLE customers and
# SELECT * FROM hr.payroll, agentid blocks both, and the collector records every call for review.
#
# Usage: ./demo.sh [--no-wait] [--no-build] [--langchain4j]      (from any directory; needs only a JDK 17+)
#   --no-wait      stop the collector right after the summary (for tests and CI)
#   --no-build     use the jars already built, whatever their age
#   --langchain4j  run the LangChain4j orders agent instead (examples/langchain4j-policy.yaml): its scripted
#                  model asks for an upload of the orders to 127.0.0.2 and a DROP TABLE; both are blocked
#
# Files go to ./agentid-demo/ in the current directory: db/ (the agent's database, recreated on every run;
# lc4j-db/ with --langchain4j), collector-data/ (the collector's store, recreated on every run; DATA=dir to use
# another, which is kept) and collector.log next to the collector's data.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DEMO_DIR="$PWD/agentid-demo"
if [[ -z "${DATA:-}" ]]; then
  DATA="$DEMO_DIR/collector-data"
  fresh_data=1      # ours: recreated on every run, so that the collector shows this run's calls only
else
  fresh_data=0      # the caller's: never deleted
fi
mkdir -p "$DATA"
DATA="$(cd "$DATA" && pwd)"
LOG="$(dirname "$DATA")/collector.log"
AGENT_ID=support-agent

AGENT_JAR="$ROOT/javaagent/target/agentid.jar"
COLLECTOR_JAR="$ROOT/collector/target/agentid-collector.jar"
SAMPLE_JAR="$ROOT/sample-agents/target/sample-agent.jar"
LC4J_JAR="$ROOT/sample-agents/target/langchain4j-agent.jar"
POLICY="$ROOT/examples/demo-policy.yaml"
langchain4j=0

wait_for_ctrl_c=1
build=auto
for arg in "$@"; do
  case "$arg" in
    --no-wait) wait_for_ctrl_c=0 ;;
    --no-build) build=no ;;
    --langchain4j) langchain4j=1 ;;
    -h|--help) sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "demo.sh: unknown argument \`$arg\` (try --help)" >&2; exit 2 ;;
  esac
done

die() { echo "demo.sh: $*" >&2; exit 1; }

JARS=("$AGENT_JAR" "$COLLECTOR_JAR" "$SAMPLE_JAR")
if ((langchain4j)); then
  AGENT_ID=orders-agent
  POLICY="$ROOT/examples/langchain4j-policy.yaml"
  JARS+=("$LC4J_JAR")
fi

JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
command -v "$JAVA" >/dev/null 2>&1 || die "\`java\` not found: install a JDK 17 or newer, or set JAVA_HOME"
java_version="$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')"
[[ "${java_version%%.*}" =~ ^[0-9]+$ && "${java_version%%.*}" -ge 17 ]] \
  || die "agentid needs Java 17 or newer; \`$JAVA\` is Java ${java_version:-of unknown version}"

# Build unless every jar is newer than every source and pom of the modules they are built from.
needs_build() {
  local jar
  for jar in "${JARS[@]}"; do
    [[ -f "$jar" ]] || return 0
    if [[ -n "$(find "$ROOT/pom.xml" "$ROOT"/{policy-runtime,bootstrap,interceptors,javaagent,collector,sample-agents} \
        -path '*/target' -prune -o -type f -newer "$jar" -print -quit)" ]]; then
      return 0
    fi
  done
  return 1
}
if [[ "$build" == auto ]] && needs_build; then
  echo "demo: building agentid.jar, the collector and the sample agent (the first build downloads dependencies)..."
  (cd "$ROOT" && ./mvnw -B -q -DskipTests package -pl javaagent,collector,sample-agents -am) || die "the build failed"
fi
for jar in "${JARS[@]}"; do
  [[ -f "$jar" ]] || die "$jar is missing (build it, or run without --no-build)"
done

if ((fresh_data)); then
  rm -rf "$DATA"
  mkdir -p "$DATA"
fi

collector_pid=
stop_collector() {
  if [[ -n "$collector_pid" ]] && kill -0 "$collector_pid" 2>/dev/null; then
    kill "$collector_pid" 2>/dev/null || true
    wait "$collector_pid" 2>/dev/null || true
    echo "demo: collector stopped"
  fi
  collector_pid=
}
trap stop_collector EXIT
trap 'exit 130' INT TERM

echo "demo: starting the collector (log: $LOG)"
: >"$LOG" # here, not in the background job: a previous run's "ready" must be gone before we look for ours
"$JAVA" -jar "$COLLECTOR_JAR" --otlp-grpc-port 0 --otlp-http-port 0 --api-port 0 --data-dir "$DATA" >>"$LOG" 2>&1 &
collector_pid=$!

collector_failed() {
  echo "demo.sh: $1; the end of $LOG:" >&2
  tail -n 20 "$LOG" | sed 's/^/  | /' >&2
  exit 1
}
for ((i = 0; i < 300; i++)); do
  grep -qx 'agentid-collector: ready' "$LOG" && break
  kill -0 "$collector_pid" 2>/dev/null || { wait "$collector_pid" || rc=$?; collector_pid=; collector_failed "the collector exited (code ${rc:-0}) before it was ready"; }
  sleep 0.1
done
grep -qx 'agentid-collector: ready' "$LOG" || collector_failed "the collector was not ready after 30 s"

otlp_http="$(sed -n 's#^agentid-collector: OTLP/HTTP listening on \(http://[^ ]*\)/v1/traces$#\1#p' "$LOG" | head -n 1)"
api="$(sed -n 's#^agentid-collector: review API on \(http://[^ ]*\)/api/calls$#\1#p' "$LOG" | head -n 1)"
[[ -n "$otlp_http" && -n "$api" ]] || collector_failed "the collector is ready but did not say its OTLP/HTTP and API addresses"
echo "demo: collector ready: OTLP/HTTP $otlp_http/v1/traces, review API $api/api/calls"
echo

if ((langchain4j)); then
  echo "demo: running the LangChain4j orders agent with agentid attached (policy examples/langchain4j-policy.yaml)"
  echo
  OTEL_EXPORTER_OTLP_ENDPOINT="$otlp_http" "$JAVA" \
    "-javaagent:$AGENT_JAR=policy=$POLICY,agent.id=$AGENT_ID" \
    -jar "$LC4J_JAR" --db-dir "$DEMO_DIR/lc4j-db" || die "the LangChain4j agent failed (exit $?)"
else
  echo "demo: running the support agent with agentid attached (policy examples/demo-policy.yaml)"
  echo
  OTEL_EXPORTER_OTLP_ENDPOINT="$otlp_http" "$JAVA" \
    "-javaagent:$AGENT_JAR=policy=$POLICY,agent.id=$AGENT_ID" \
    -jar "$SAMPLE_JAR" --db-dir "$DEMO_DIR/db" || die "the sample agent failed (exit $?)"
fi
echo

echo "demo: what the collector recorded"
"$JAVA" -cp "$SAMPLE_JAR" io.agentid.samples.ShowCalls "$api" "$AGENT_ID" 10 \
  || collector_failed "the collector's API did not show the agent's calls"
echo

cat <<EOF
Review them yourself:
  every call of the agent  $api/api/calls?agent=$AGENT_ID
  the blocked calls        $api/api/calls?decision=deny
  counts by agent, rule    $api/api/stats
  collector log            $LOG
EOF

if ((wait_for_ctrl_c)); then
  echo "The collector keeps running (data in $DATA); press Ctrl-C to stop it."
  wait "$collector_pid" || true
  collector_pid=
  echo "demo: the collector exited on its own; see $LOG" >&2
  exit 1
fi

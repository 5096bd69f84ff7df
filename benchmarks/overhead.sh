#!/usr/bin/env bash
# Whole-process overhead of agentid.jar beside no agent and the OpenTelemetry javaagent 2.31.1, in one
# interleaved run, with the shared harness (../shared/bench). Build first: ./mvnw -B -DskipTests package
#
#   benchmarks/overhead.sh                      # Java 17, 3 runs per mode: about 10 minutes
#   JAVAS="17:/usr/lib/jvm/java-17-openjdk-amd64/bin/java 25:/usr/lib/jvm/temurin-25-jdk-amd64/bin/java" \
#     SKIP_PERCALL=1 STARTUP_RUNS=5 benchmarks/overhead.sh   # start-up only, both JVMs
#
# The harness is copied to /tmp/agentid-bench and taught one thing: a custom mode's `@SINK@` becomes the
# URL of its local OTLP sink, so agentid exports to the same sink the OpenTelemetry agent does.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
HARNESS=${HARNESS:-$ROOT/../shared/bench}
WORK=${WORK:-/tmp/agentid-bench}
A=$ROOT/javaagent/target/agentid.jar
P=$ROOT/benchmarks/policies
[[ -f $A ]] || { echo "build agentid.jar first: ./mvnw -B -DskipTests package" >&2; exit 1; }
rm -rf "$WORK" && cp -r "$HARNESS" "$WORK" && chmod -R u+w "$WORK"
python3 - "$WORK/run.sh" <<'PY'
import sys
p = sys.argv[1]
s = open(p).read()
old = '''      IFS='|' read -r -a MODE_ARGS <<<"${m#*=}" ;;'''
new = '''      IFS='|' read -r -a MODE_ARGS <<<"${m#*=}"
      MODE_ARGS=("${MODE_ARGS[@]//@SINK@/http://127.0.0.1:$SINK_PORT}") ;;'''
assert old in s, "harness changed: update benchmarks/overhead.sh"
open(p, "w").write(s.replace(old, new))
PY
export JAVAS=${JAVAS:-"17:/usr/lib/jvm/java-17-openjdk-amd64/bin/java"}
export RUNS=${RUNS:-3}
export MODES=${MODES:-"none otel agentid-monitor=-javaagent:$A=policy=$P/bench-50-rules-monitor.yaml,agent.id=bench|-Dotel.exporter.otlp.endpoint=@SINK@ agentid-enforce=-javaagent:$A=policy=$P/bench-50-rules.yaml,agent.id=bench|-Dotel.exporter.otlp.endpoint=@SINK@"}
cd "$WORK" && ./run.sh

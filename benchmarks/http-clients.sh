#!/usr/bin/env bash
# Added latency per HTTP request, for each client agentid intercepts: no agent vs the OpenTelemetry javaagent
# 2.31.1 vs agentid (enforce, the 50 kind: http rules of benchmarks/policies/bench-http-rules.yaml, export on),
# interleaved in one run of the shared harness (../shared/bench), which supplies the OTLP sink both agents export
# to, the idle-machine guard and the repeats of disturbed runs. The workload is HttpWorkload
# (benchmarks/target/http-workload.jar): sequential GETs to a loopback com.sun.net.httpserver, median of 5 batches.
# The summary and the raw rows are copied into benchmarks/results/ (KEEP=0: not).
# Build first: ./mvnw -B -DskipTests package
#
#   benchmarks/http-clients.sh                          # every client, Java 17, 3 runs: about 15 minutes
#   RUNS=9 benchmarks/http-clients.sh                   # the figure of record: about 40 minutes
#   CLIENTS="okhttp apache5" RUNS=5 benchmarks/http-clients.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
HARNESS=${HARNESS:-$ROOT/../shared/bench}
WORK=${WORK:-/tmp/agentid-http-bench}
A=$ROOT/javaagent/target/agentid.jar
W=$ROOT/benchmarks/target/http-workload.jar
P=$ROOT/benchmarks/policies/bench-http-rules.yaml
for f in "$A" "$W"; do [[ -f $f ]] || { echo "build first: ./mvnw -B -DskipTests package ($f missing)" >&2; exit 1; }; done
rm -rf "$WORK" && cp -r "$HARNESS" "$WORK" && chmod -R u+w "$WORK"
python3 - "$WORK/run.sh" "$W" <<'PY'
import sys
p, workload = sys.argv[1], sys.argv[2]
s = open(p).read()
edits = [
    # a custom mode's @SINK@ becomes its local OTLP sink, so agentid exports where the OpenTelemetry agent does
    ('''      IFS='|' read -r -a MODE_ARGS <<<"${m#*=}" ;;''',
     '''      IFS='|' read -r -a MODE_ARGS <<<"${m#*=}"
      MODE_ARGS=("${MODE_ARGS[@]//@SINK@/http://127.0.0.1:$SINK_PORT}") ;;'''),
    # the measured process runs HttpWorkload (the sink still comes from the harness's own jar)
    ('''"$java" "${MODE_ARGS[@]}" -jar "$JAR" "$@"''', '''"$java" "${MODE_ARGS[@]}" -jar "%s" "$@"''' % workload),
    # HTTP only
    ('''        run_one "$label" "$java" "$m" jdbc "$r" jdbc "$JDBC_N" "$JDBC_WARMUP"\n''', ''),
]
for old, new in edits:
    assert old in s, "harness changed: update benchmarks/http-clients.sh (" + old[:40] + ")"
    s = s.replace(old, new)
open(p, "w").write(s)
PY
OTEL=${OTEL_AGENT_JAR:-$HOME/.m2/repository/io/opentelemetry/javaagent/opentelemetry-javaagent/2.31.1/opentelemetry-javaagent-2.31.1.jar}
[[ -f $OTEL ]] || (cd "$ROOT" && ./mvnw -q -B dependency:get -Dartifact=io.opentelemetry.javaagent:opentelemetry-javaagent:2.31.1)
CLIENTS=${CLIENTS:-"jdk urlconnection okhttp apache5 apache4 apache5-async apache4-async"}
MODES=""
for c in $CLIENTS; do
  MODES+=" none.$c=-Dbench.client=$c"
  # NOOP=1: also a do-nothing -javaagent (NoopAgent, in the workload jar): what attaching any agent costs
  if [[ ${NOOP:-0} == 1 ]]; then MODES+=" noop.$c=-javaagent:$W|-Dbench.client=$c"; fi
  # the OpenTelemetry agent would also trace the workload's own server (com.sun.net.httpserver): only the client is
  # compared, so its server instrumentation is off
  MODES+=" otel.$c=-javaagent:$OTEL|-Dbench.client=$c|-Dotel.exporter.otlp.endpoint=@SINK@|-Dotel.metrics.exporter=none|-Dotel.logs.exporter=none|-Dotel.instrumentation.java-http-server.enabled=false"
  MODES+=" agentid.$c=-javaagent:$A=policy=$P,agent.id=bench|-Dbench.client=$c|-Dotel.exporter.otlp.endpoint=@SINK@"
done
export MODES JAVAS=${JAVAS:-"17:/usr/lib/jvm/java-17-openjdk-amd64/bin/java"} RUNS=${RUNS:-3} SKIP_STARTUP=1
# 50,000 measured requests after 20,000 warm-up ones: the shared harness's own defaults for its HTTP workload, and
# how the anchors' HTTP figure was taken. After 10,000 warm-up requests every mode's batches were still getting
# faster; and with 20,000 measured ones (this script's default before 2026-12-02) C2 was still compiling for about
# one core-second inside the ~1.5 s measured window in every mode, no agent included (JFR jdk.Compilation), so a
# run's figure partly measured when the compiler happened to get to each agent's code
export HTTP_N=${HTTP_N:-50000} HTTP_WARMUP=${HTTP_WARMUP:-20000}
OUT=${OUT:-$WORK/results/$(date -u +%Y%m%dT%H%M%SZ)}
export OUT
(cd "$WORK" && ./run.sh >/dev/null) || true
python3 - "$OUT/runs.tsv" <<'PY' | tee "$OUT/summary.txt"
import csv, statistics, sys
from collections import defaultdict
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
ns, cpu = defaultdict(list), defaultdict(list)
for r in rows:
    if r["kind"] == "http" and r["ns_per_op"] not in ("", "-"):
        mode, client = r["mode"].split(".", 1)
        ns[(r["java"], client, mode)].append(float(r["ns_per_op"]))
        cpu[(r["java"], client, mode)].append(float(r["cpu_ns_per_op"]))
med = lambda xs: statistics.median(xs) if xs else float("nan")
print("java  client          none µs [min-max]      otel µs [min-max]      agentid µs [min-max]   otel adds  agentid adds  cpu µs none/otel/agentid")
for (j, c) in dict.fromkeys((k[0], k[1]) for k in ns):
    f = lambda m: ns[(j, c, m)]
    rng = lambda xs: "%6.1f [%.1f-%.1f]" % (med(xs) / 1e3, min(xs) / 1e3, max(xs) / 1e3) if xs else "-"
    n, o, a = med(f("none")), med(f("otel")), med(f("agentid"))
    cp = "/".join("%.0f" % (med(cpu[(j, c, m)]) / 1e3) for m in ("none", "otel", "agentid"))
    print("%-5s %-15s %-22s %-22s %-22s %+8.1f  %+10.1f     %s" % (j, c, rng(f("none")), rng(f("otel")), rng(f("agentid")),
          (o - n) / 1e3, (a - n) / 1e3, cp))
# each repeat's agentid run less its OpenTelemetry run (the harness runs them back to back), and, with NOOP=1, what
# the do-nothing agent adds to the no-agent run
runs = defaultdict(dict)
for r in rows:
    if r["kind"] == "http" and r["ns_per_op"] not in ("", "-"):
        mode, client = r["mode"].split(".", 1)
        runs[(r["java"], client)].setdefault(r["run"], {})[mode] = float(r["ns_per_op"])
print("java  client          agentid - otel per repeat, µs          noop adds µs (median)")
for (j, c), by in runs.items():
    d = [(m["agentid"] - m["otel"]) / 1e3 for _, m in sorted(by.items()) if "agentid" in m and "otel" in m]
    noop = ("%+.1f" % (med(ns[(j, c, "noop")]) / 1e3 - med(ns[(j, c, "none")]) / 1e3)) if ns[(j, c, "noop")] else "-"
    print("%-5s %-15s %-38s %s" % (j, c, " ".join("%+.1f" % x for x in d), noop))
PY
# the raw rows and the summary are kept in the repository's benchmarks/results/ (the work directory is replaced by
# the next run); KEEP=0 leaves them only in $OUT
if [[ ${KEEP:-1} == 1 ]]; then
  stamp=$(basename "$OUT")
  cp "$OUT/runs.tsv" "$ROOT/benchmarks/results/http-clients-$stamp.tsv"
  cp "$OUT/summary.txt" "$ROOT/benchmarks/results/http-clients-$stamp.summary.txt"
  echo "kept: benchmarks/results/http-clients-$stamp.{tsv,summary.txt}" >&2
fi
echo "raw data: $OUT" >&2

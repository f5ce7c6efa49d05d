#!/usr/bin/env bash
# The controller's own per-report work without the transport (issue 17 #3's profile): JMH on one
# thread (bench/jmh, IngestPathBenchmark): the verifier (size, header, MAC, body, replay and
# freshness), the verifier and the view's update (the decision thread's part per report), the
# decision step that follows a batch, and an agent's signing for comparison. Set beside
# bench/controller-ingest.sh, it tells what the trio's ingest is bound by: Pharos's code or the
# transport and the machine.
# Usage: bench/ingest-micro.sh            (3 x 2 s warm-up, 5 x 2 s measured, one fork per benchmark;
#                                          JMH's output in run/bench/ingest-micro.log)
#        bench/ingest-micro.sh --smoke    (1 s each; checks only)
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$BENCH_ROOT"
smoke=0
case "${1:-}" in
  "") ;;
  --smoke) smoke=1 ;;
  *) echo "usage: bench/ingest-micro.sh [--smoke]" >&2; exit 2 ;;
esac
name=ingest-micro; [[ $smoke == 1 ]] && name=smoke-ingest-micro
pharos_build
jar=bench/jmh/target/benchmarks.jar
if [[ ! -f "$jar" ]]; then
  echo "bench: building $jar (mvn -B -q -DskipTests package -pl bench/jmh -am)..." >&2
  mvn -B -q -DskipTests package -pl bench/jmh -am >&2
fi
json="bench/results/$name.json"
log="$BENCH_RUN/$name.log"
rm -f "$json"
# -foe: a benchmark that throws fails the run (JMH would go on to the next and exit 0)
args=(IngestPathBenchmark -foe true -rf json -rff "$json")
[[ $smoke == 1 ]] && args+=(-wi 0 -i 1 -r 1 -f 1)
load0="$(loadavg)"
if ! java -jar "$jar" "${args[@]}" > "$log" 2>&1; then
  tail -40 "$log" >&2
  echo "bench/ingest-micro.sh: JMH failed; its output is in $log" >&2
  exit 1
fi
grep -E '^(Benchmark|IngestPath)' "$log" || true
python3 - "$json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
names = sorted(b["benchmark"].rsplit(".", 1)[1] for b in r)
assert names == ["decisionStep", "sign", "verify", "verifyAndAggregate"], names
assert all(b["primaryMetric"]["score"] > 0 for b in r), r
PY
[[ $smoke == 1 ]] && exit 0
md="$(mktemp)"
python3 - "$json" "$(machine)" "$load0" "$(loadavg)" > "$md" <<'PY'
import json, math, sys, datetime
runs = json.load(open(sys.argv[1])); machine, l0, l1 = sys.argv[2:]
what = {
    "verify": "verifier: size, header, MAC (HMAC-SHA256 with the region key), body, replay and freshness",
    "verifyAndAggregate": "verifier (a controller runs it on Hazelcast's listener thread), then the view's update (the decision thread's part; its metrics and alert counters left out)",
    "decisionStep": "decision step over the view of 300 agents (once per batch of reports or tick, not per report)",
    "sign": "an agent building and signing one report (for comparison)",
}
b0 = runs[0]
print(f"Command: `bench/ingest-micro.sh` — {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC, {machine}; load average "
      f"{l0} before, {l1} after. JMH {b0['jmhVersion']} (bench/jmh, `IngestPathBenchmark`), {b0['threads']} thread, "
      f"{b0['warmupIterations']} x {b0['warmupTime']} warm-up and {b0['measurementIterations']} x "
      f"{b0['measurementTime']} measured in {b0['forks']} fork per benchmark, `{' '.join(b0['jvmArgs'])}`. 300 agents over 3 regions, one observation per region in each "
      f"report, as bench/controller-ingest.sh sends them; frames signed in advance with rising counters and clocks, so "
      f"every one is accepted (the setup checks it).\n")
print("| benchmark | what one operation is | operations/s on one thread | ± (99.9 %) | µs per operation |")
print("|---|---|---|---|---|")
for b in sorted(runs, key=lambda b: b["benchmark"]):
    n = b["benchmark"].rsplit(".", 1)[1]; m = b["primaryMetric"]
    err = m["scoreError"]
    err = err if isinstance(err, (int, float)) and not math.isnan(err) else 0
    print(f"| `{n}` | {what[n]} | {m['score']:,.0f} | {err:,.0f} | {1e6 / m['score']:.2f} |")
PY
cat "$md"
doc_section ingest-micro "The controller's per-report work (JMH)" "$md"

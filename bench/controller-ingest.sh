#!/usr/bin/env bash
# Controller ingest (issue 17 #3): simulated agents (Hazelcast clients in one JVM, each signing real
# reports with its region's key) offer reports to a controller trio at rising rates; each controller
# verifies every report (MAC included). Reports accepted/s per controller, rejects by reason, decision
# latency (arrival -> verdicts updated) p50/p99 from the controllers' metrics, controllers' CPU and PSS,
# and the machine's busy and kernel shares and context switches (/proc/stat).
# The controllers run with what `pharos controller` runs with (CONTROLLER_JVM overrides, as in
# api-load.sh). WARMUP: seconds at the first rate before the first step, not counted (default 30;
# none in the smoke): a cold trio on 2 cores spent over half its CPU in the JIT compiler (JFR).
# Usage: bench/controller-ingest.sh [seconds-per-rate] [rates]   (default 20, 5000,10000,20000,40000)
#        bench/controller-ingest.sh --smoke                      (500/s for 3 s; checks only)
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$BENCH_ROOT"
smoke=0
warmup="${WARMUP:-30}"
if [[ "${1:-}" == "--smoke" ]]; then smoke=1; warmup=0; set -- 3 500; fi
seconds="${1:-20}"; rates="${2:-5000,10000,20000,40000}"
name=controller-ingest; [[ $smoke == 1 ]] && name=smoke-controller-ingest
# Each of the 2 clients carries 150 agents' reports on one connection per controller, where a real agent
# sends 2 frames a second. A controller's client connections have 16 KB socket buffers (sized for one
# agent each: HazelcastMembership), which hold one connection to about 1,000 frames/s; the controllers of
# this benchmark get 128 KB (the system properties of the same name) so that it measures them, not that.
buffers="-Dhazelcast.socket.client.receive.buffer.size=128 -Dhazelcast.socket.client.send.buffer.size=128"
pharos_build
./pharos bench-ingest --rates "$rates" --seconds "$seconds" --agents 300 --clients 2 --warmup "$warmup" \
  --controller-jvm "$(controller_jvm) $buffers" --json "bench/results/$name.json"
if [[ $smoke == 1 ]]; then
  python3 -c "
import json,sys; r=json.load(open(sys.argv[1]))[0]
assert r['sent']>0, 'nothing published'
assert all(c['accepted']>0 for c in r['controllers']), 'a controller accepted nothing: %s' % r" "bench/results/$name.json"
  exit 0
fi
md="$(mktemp)"
python3 - "bench/results/$name.json" "$seconds" "$rates" "$(machine)" "$warmup" "$(controller_jvm)" "$buffers" > "$md" <<'PY'
import json, sys, datetime
runs = json.load(open(sys.argv[1])); secs, rates, machine, warmup, jvm, buffers = sys.argv[2:]
def memory(c):  # PSS, or RSS where the kernel gives no PSS
    return f"{c['pssMb']} MB" if "pssMb" in c else f"{c.get('rssMb')} MB RSS"
print(f"Command: `{'' if warmup == '30' else f'WARMUP={warmup} '}bench/controller-ingest.sh {secs} {rates}` — "
      f"{datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC, {machine}; one run (see the load averages). 300 simulated "
      f"agents over 3 regions (2 Hazelcast clients in one JVM, each report signed with the region key, 3 observations, "
      f"one copy per report) offered to a controller trio on the same cores (JVM flags `{jvm}`, what `pharos "
      f"controller` runs with, and `{buffers}`: each client carries 150 agents on one connection, which 16 KB buffers "
      f"sized for one agent hold to ~1,000 frames/s) for {secs} s per rate"
      f"{f', after {warmup} s at the first rate that are not counted' if warmup != '0' else ', without a warm-up'}; every "
      f"controller verifies and decides on every report. PSS, not RSS: a ZGC heap is mapped three times and RSS "
      f"counts its pages three times. Machine busy and kernel: shares of all the cores' time (steal counts as busy), from /proc/stat over the step. Accepted/s is the slowest controller's; decision latency (report arrival after its MAC to verdicts "
      f"updated) is the worst controller's p50/p99 (`pharos_decision_latency_seconds`, over Micrometer's window of up to "
      f"2 minutes: a step's figure also covers the step before it). Goal: ≥ 50,000 "
      f"reports/s with p99 < 100 ms.\n")
print("| offered/s | published/s | accepted/s (min of 3) | rejected | decision p50 | p99 | controllers' CPU % of a core | PSS | machine busy, % of all CPU (kernel) | context switches/s | load avg (before/after) |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for r in runs:
    cs = r["controllers"]
    rej = {}
    for c in cs:
        for k, v in c["rejected"].items():
            rej[k] = max(rej.get(k, 0), v)
    p50 = max(c["decisionLatencyP50Ms"] for c in cs)
    print(f"| {r['offeredPerSecond']} | {r['sentPerSecond']} | {r['acceptedPerSecondMin']} | "
          f"{', '.join(f'{k} {v}' for k, v in rej.items()) or '0'} | {p50} ms | {r['decisionLatencyP99MsWorst']} ms | "
          f"{' / '.join(str(c.get('cpuPercentOfOneCore')) for c in cs)} | {' / '.join(memory(c) for c in cs)} | "
          f"{r['machineBusyPercent']} % ({r['machineSystemPercent']} %) | {r['contextSwitchesPerSecond']:,} | "
          f"{r['loadBefore']} / {r['loadAfter']} |")
PY
cat "$md"
doc_section controller-ingest "Controller ingest" "$md"

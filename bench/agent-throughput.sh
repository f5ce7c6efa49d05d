#!/usr/bin/env bash
# Agent probe throughput, side by side (issue 17 #1): Prometheus blackbox_exporter driven by wrk, then
# the Pharos agent (the launcher's flags, jvm/agent.args) probing N endpoints at a short interval,
# connected to a controller trio; both probe the same local nginx, one after the other, each to
# saturation on the same cores. Probes/s, CPU per probe, p99 latency; reports built/sent/dropped.
# Throughput counts probes that passed (a saturated prober times out; those are counted apart).
# The target is one nginx listening on NGINX_LISTENERS ports (default 8): each port is a host of its own
# to a prober, as the many services an agent probes are; both probers go through the ports in turn.
# Usage: bench/agent-throughput.sh [seconds] [endpoints] [interval-ms]   (default 30 s, 6000, 1000 ms)
#        bench/agent-throughput.sh --smoke   (a few seconds each; prints, checks, writes no doc)
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/blackbox.sh"
cd "$BENCH_ROOT"
smoke=0
if [[ "${1:-}" == "--smoke" ]]; then smoke=1; set -- 3 60 500; fi
seconds="${1:-30}"; endpoints="${2:-6000}"; interval="${3:-1000}"
export NGINX_WORKERS="${NGINX_WORKERS:-2}" NGINX_LISTENERS="${NGINX_LISTENERS:-8}"
name=agent-throughput; [[ $smoke == 1 ]] && name=smoke-agent-throughput
trap 'stop_nginx; [ -n "${BLACKBOX_PID:-}" ] && kill "$BLACKBOX_PID" 2>/dev/null; true' EXIT
pharos_build
start_nginx
target="$NGINX_TARGETS"
blackbox_run "$seconds" "${BLACKBOX_CONNECTIONS:-64}" "$target" "$BENCH_RUN/$name-blackbox.json"
# BENCH_JFR=1: the main agent run records a JFR profile, summarised into the doc (what limits it)
jfr=""; [[ "${BENCH_JFR:-0}" == 1 ]] && jfr="-XX:StartFlightRecording=filename=$BENCH_RUN/agent-throughput.jfr,settings=profile"
rm -f "$BENCH_RUN/agent-throughput.jfr"
# not in the smoke: an agent on Java's NIO instead of the native transport (epoll, the agent's default), and one
# held to one event loop (by default the agent takes a loop per 4,000 probes/s its config asks for, up to the cores)
extra=()
[[ $smoke == 1 ]] || extra=(--variant "NIO (pharos.agent.native false)=@jvm/hazelcast-member.args @jvm/agent.args -Dpharos.agent.native=false env:MALLOC_ARENA_MAX=2"
  --variant "one event loop (pharos.agent.eventLoops 1)=@jvm/hazelcast-member.args @jvm/agent.args -Dpharos.agent.eventLoops=1 env:MALLOC_ARENA_MAX=2")
./pharos bench-agent --endpoints "$endpoints" --interval-ms "$interval" --target "$target" \
  --warmup "$([[ $smoke == 1 ]] && echo 1 || echo 10)" --seconds "$seconds" \
  --variant "pharos=@jvm/hazelcast-member.args @jvm/agent.args env:MALLOC_ARENA_MAX=2 $jfr" \
  "${extra[@]}" \
  --json "$BENCH_RUN/$name-pharos.json"
python3 - "$BENCH_RUN/$name-blackbox.json" "$BENCH_RUN/$name-pharos.json" "bench/results/$name.json" "$smoke" <<'PY'
import json, sys
bb = json.load(open(sys.argv[1])); runs = json.load(open(sys.argv[2])); ph = runs[0]
ratio = ph["okProbesPerSecond"] / max(bb["okProbesPerSecond"], 1)
res = {"blackbox": bb, "pharos": ph, "others": runs[1:], "ratio": round(ratio, 2)}
json.dump(res, open(sys.argv[3], "w"), indent=2)
print(f"pharos {ph['okProbesPerSecond']} passed probes/s vs blackbox_exporter {bb['okProbesPerSecond']}: x{ratio:.2f}")
if sys.argv[4] == "1":
    assert bb["probes"] > 0 and bb["lastProbeSuccess"] == "1", "blackbox_exporter probed nothing"
    assert ph["probes"] > 0, "the agent probed nothing"
    assert ph["reportsSent"] > 0, "the agent sent no report"
PY
[[ $smoke == 1 ]] && exit 0
md="$(mktemp)"
python3 - "bench/results/$name.json" "$seconds" "$endpoints" "$interval" "$(machine)" "$NGINX_LISTENERS" > "$md" <<'PY'
import json, os, sys, datetime
r = json.load(open(sys.argv[1])); s, n, i, machine, ports = sys.argv[2:]
bb, ph = r["blackbox"], r["pharos"]
print(f"Command: `bench/agent-throughput.sh {s} {n} {i}` — {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC, {machine}; "
      f"one run (see the load averages). Same nginx target for both, one after the other: "
      f"{os.environ.get('NGINX_WORKERS', '1')} workers listening on {ports} loopback ports, each a host of its own to a "
      f"prober, probed in turn. blackbox_exporter: `wrk -t1 -c{bb['connections']}` on `/probe` "
      f"(a new connection per probe, as the agent; 5 s probe timeout); its p50/p99 are wrk's request latencies. Pharos: one agent process "
      f"with the launcher's flags (`jvm/agent.args`) probing {n} endpoints every {i} ms (demand {int(ph['demandPerSecond'])}/s), "
      f"connected to a controller trio on the same cores; its p50/p99 are sampled observations (the last result of every "
      f"endpoint each 2 s; the failed share comes from the same samples). CPU from /proc of that process only. "
      f"The agent takes an event loop per 4,000 probes/s of demand, up to the cores "
      f"({max(1, min(__import__('os').cpu_count(), -(-int(ph['demandPerSecond']) // 4000)))} here), and makes at most 32 "
      f"probes of one host at once (those beyond wait for room, or are skipped when "
      f"they waited longer than their timeout).\n")
print("| prober | probes/s passed | failed (timeouts) | skipped/s (host busy) | CPU % of a core | CPU µs/probe | p50 | p99 | RSS max | reports built/sent/dropped | load avg (before/max) |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
print(f"| blackbox_exporter 0.23 | {bb['okProbesPerSecond']} | {bb['failedShare'] * 100:.1f} % | – | {bb['cpuPercentOfOneCore']} | {bb['cpuMicrosPerProbe']} | "
      f"{bb['latencyP50Ms']} ms | {bb['latencyP99Ms']} ms | {bb['rssMbMax']} MB | – | {bb['loadBefore']} / {bb['loadDuring']} |")
for label, x in [("Pharos agent", ph)] + [(f"Pharos agent, {o['variant']}", o) for o in r.get("others", [])]:
    print(f"| {label} | {x['okProbesPerSecond']} | {x['failedShareSampled'] * 100:.1f} % (sampled) | {x.get('skippedPerSecond', '–')} | {x['cpuPercentOfOneCore']} | "
          f"{x['cpuMicrosPerProbe']} | {x['latencyP50Ms']} ms | {x['latencyP99Ms']} ms | {x['rssMbMax']} MB | "
          f"{x['reportsBuilt']}/{x['reportsSent']}/{x['reportsDropped']} | {x['loadBefore']} / {x['loadDuring']} |")
print(f"\nRatio: **{r['ratio']}×** blackbox_exporter's probes/s (goal ≥ 3×).")
PY
if [[ -f "$BENCH_RUN/agent-throughput.jfr" ]]; then
  { echo; echo "Profile of the Pharos agent during that run (JFR, \`settings=profile\`; \`bench/lib/jfr-top.py\`):"; echo
    python3 bench/lib/jfr-top.py "$BENCH_RUN/agent-throughput.jfr" eventloop 12; } >> "$md"
fi
cat "$md"
doc_section agent-throughput "Agent probe throughput beside blackbox_exporter" "$md"

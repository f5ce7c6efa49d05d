#!/usr/bin/env bash
# Embedded DNS server throughput (issue 17 #7): dnsperf against one controller's name server (a
# controller trio on loopback, Raft and Hazelcast running in the same JVMs; the sandbox config exempts
# 127.0.0.0/8 from response-rate limiting) and against BIND 9 serving the same record on the same
# machine. Both servers run the whole time, so each is measured beside the other one idle; after a
# warm-up of each (WARMUP seconds, not counted: the controller's JIT), ROUNDS rounds alternate a
# saturating run of each (BIND first), then one paced run of each at RATE queries/s (dnsperf -Q: the
# latency below saturation). Queries/s, average latency and p50/p99 (from dnsperf -v per-query lines),
# CPU of each server process, and the controller's longest GC pause over the measured runs (-Xlog:gc).
# CONTROLLER_JVM: the controllers' JVM flags, instead of what `pharos controller` runs with
# (jvm/controller.args and -Xmx512m; give "-XX:+UseZGC -Xmx512m" too to keep them).
# Usage: bench/dns-throughput.sh [seconds] [clients]   (default 20 s, 4 clients; WARMUP=20 ROUNDS=2 RATE=30000)
#        bench/dns-throughput.sh --smoke               (2 s each, 1 round; checks only)
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$BENCH_ROOT"
smoke=0
if [[ "${1:-}" == "--smoke" ]]; then smoke=1; set -- 2 2; WARMUP=1; ROUNDS=1; RATE=2000; fi
seconds="${1:-20}"; clients="${2:-4}"
warmup="${WARMUP:-20}"; rounds="${ROUNDS:-2}"; rate="${RATE:-30000}"
name=dns-throughput; [[ $smoke == 1 ]] && name=smoke-dns-throughput
need_pkg dnsperf dnsperf
need_pkg named bind9
need_pkg dig bind9-dnsutils
dir="$BENCH_RUN/dns"; rm -rf "$dir"; mkdir -p "$dir/gc"
TRIO_PID=; NAMED_PID=
trap '[ -n "$TRIO_PID" ] && kill "$TRIO_PID" 2>/dev/null; [ -n "$NAMED_PID" ] && kill "$NAMED_PID" 2>/dev/null; true' EXIT
pharos_build
echo "app.pharos.test A" > "$dir/queries.txt"

# dnsperf_run SERVER PORT OUT SECONDS [RATE]: dnsperf at full speed (or at RATE queries/s); per-query
# latencies into OUT.lat
dnsperf_run() {
  local paced=(); [ -n "${5:-}" ] && paced=(-Q "$5")
  dnsperf -s "$1" -p "$2" -d "$dir/queries.txt" -l "$4" -c "$clients" -q 200 "${paced[@]}" -v > "$3.raw" 2>&1 || true
  grep -v '^>' "$3.raw" > "$3" || true
  awk '/^> NOERROR/ { print $NF }' "$3.raw" | sort -g > "$3.lat"
  rm -f "$3.raw"
}

# measure SERVER PORT PID OUT [RATE]: one measured dnsperf run; OUT.cpu gets the server's CPU ms and
# the load average before and after
measure() {
  local l0 c0; l0="$(loadavg)"; c0="$(cpu_ms "$3")"
  dnsperf_run "$1" "$2" "$4" "$seconds" "${5:-}"
  echo "$(( $(cpu_ms "$3") - c0 )) $l0 $(loadavg)" > "$4.cpu"
}

# BIND 9: the same zone and record, its own directory and ports
bport="$(free_port)"
mkdir -p "$dir/bind"
cat > "$dir/bind/pharos.test.zone" <<ZONE
\$TTL 5
@ IN SOA ns.pharos.test. hostmaster.pharos.test. 1 60 60 600 5
@ IN NS ns.pharos.test.
ns IN A 127.0.0.1
app IN A 192.0.2.10
app IN A 198.51.100.10
app IN A 203.0.113.10
ZONE
cat > "$dir/bind/named.conf" <<CONF
options {
  directory "$dir/bind"; pid-file "$dir/bind/named.pid"; session-keyfile "$dir/bind/session.key";
  listen-on port $bport { 127.0.0.1; }; listen-on-v6 { none; }; recursion no;
};
controls { };
zone "pharos.test" { type primary; file "$dir/bind/pharos.test.zone"; };
CONF
named -g -c "$dir/bind/named.conf" > "$dir/bind/named.log" 2>&1 &
NAMED_PID=$!
for _ in $(seq 50); do dig +short +time=1 -p "$bport" @127.0.0.1 app.pharos.test A | grep -q . && break; sleep 0.2; done

# the controllers
: > "$dir/trio.log"
./pharos bench-trio --seconds $((2 * warmup + (2 * rounds + 2) * seconds + 240)) --gc-log "$dir/gc" --controller-jvm "$(controller_jvm)" > "$dir/trio.log" 2>&1 &
TRIO_PID=$!
for _ in $(seq 400); do grep -q '^READY' "$dir/trio.log" && break; sleep 1; done
desc="$(awk '/^READY/ { print $2 }' "$dir/trio.log")"
[ -n "$desc" ] || { echo "the controller trio did not start; see $dir/trio.log" >&2; exit 1; }
read -r dhost dport cpid < <(python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['regions'][0]; h,p=r['dns'].rsplit(':',1); print(h, p, r['controllerPid'])" "$desc")
for _ in $(seq 50); do dig +short +time=1 -p "$dport" @"$dhost" app.pharos.test A | grep -q . && break; sleep 0.2; done
# warm-up of each, not counted
dnsperf_run 127.0.0.1 "$bport" "$dir/warm-bind.txt" "$warmup"
dnsperf_run "$dhost" "$dport" "$dir/warm-pharos.txt" "$warmup"
# GC pauses during the measured runs only: note where each log is now
declare -A gcstart; for f in "$dir"/gc/gc-*.log; do gcstart[$f]=$(wc -l < "$f"); done
for round in $(seq "$rounds"); do
  measure 127.0.0.1 "$bport" "$NAMED_PID" "$dir/bind-$round.txt"
  measure "$dhost" "$dport" "$cpid" "$dir/pharos-$round.txt"
done
measure 127.0.0.1 "$bport" "$NAMED_PID" "$dir/bind-paced.txt" "$rate"
measure "$dhost" "$dport" "$cpid" "$dir/pharos-paced.txt" "$rate"
: > "$dir/gc-during.log"
for f in "$dir"/gc/gc-*.log; do tail -n +"$(( ${gcstart[$f]:-0} + 1 ))" "$f" | sed "s|^|$(basename "$f"): |" >> "$dir/gc-during.log"; done
kill "$TRIO_PID" 2>/dev/null; wait "$TRIO_PID" 2>/dev/null || true; TRIO_PID=
kill "$NAMED_PID"; wait "$NAMED_PID" 2>/dev/null || true; NAMED_PID=

python3 - "$dir" "$seconds" "$clients" "bench/results/$name.json" "$smoke" "$cpid" "$rounds" "$rate" "$warmup" <<'PY'
import json, re, sys
d, secs, clients, out, smoke, cpid, rounds, rate, warmup = sys.argv[1:]
def run(name):
    t = open(f"{d}/{name}.txt").read()
    lat = [float(x) for x in open(f"{d}/{name}.txt.lat").read().split()]
    cpu, l0, l1 = open(f"{d}/{name}.txt.cpu").read().split()
    qps = re.search(r"Queries per second:\s+([\d.]+)", t)
    avg = re.search(r"Average Latency \(s\):\s+([\d.]+)", t)
    lost = re.search(r"Queries lost:\s+(\d+)", t)
    sent = re.search(r"Queries sent:\s+(\d+)", t)
    p = lambda q: round(lat[min(len(lat) - 1, int(q * len(lat)))] * 1000, 3) if lat else None
    qs = float(qps.group(1)) if qps else 0
    return {"queriesPerSecond": round(qs), "queriesSent": int(sent.group(1)) if sent else 0,
            "queriesLost": int(lost.group(1)) if lost else None,
            "avgLatencyMs": round(float(avg.group(1)) * 1000, 3) if avg else None,
            "p50Ms": p(0.5), "p99Ms": p(0.99), "cpuPercentOfOneCore": round(int(cpu) / float(secs) / 10, 1),
            "cpuMicrosPerQuery": round(int(cpu) * 1000 / max(qs * float(secs), 1), 1),
            "loadBefore": float(l0), "loadAfter": float(l1)}
gc = open(f"{d}/gc-during.log").read()
pauses = [float(x) for x in re.findall(r"Pause.* ([\d.]+)ms$", gc, re.M)]
mine = [float(x) for x in re.findall(rf"gc-{cpid}\.log: .*Pause.* ([\d.]+)ms$", gc, re.M)]
rs = [{"bind": run(f"bind-{i}"), "pharos": run(f"pharos-{i}")} for i in range(1, int(rounds) + 1)]
total = lambda who: sum(x[who]["queriesPerSecond"] for x in rs)
r = {"rounds": rs, "paced": {"rate": int(rate), "bind": run("bind-paced"), "pharos": run("pharos-paced")},
     "ratio": round(total("pharos") / max(total("bind"), 1), 2), "seconds": int(secs), "clients": int(clients),
     "warmupSeconds": int(warmup), "gcPausesDuringRun": len(mine), "gcMaxPauseMs": max(mine) if mine else 0,
     "gcMaxPauseMsAnyController": max(pauses) if pauses else 0}
json.dump(r, open(out, "w"), indent=2)
print(json.dumps(r, indent=2))
if smoke == "1":
    for x in rs + [r["paced"]]:
        assert x["bind"]["queriesPerSecond"] > 0, "BIND answered nothing"
        assert x["pharos"]["queriesPerSecond"] > 0, "the controller's name server answered nothing"
PY
[[ $smoke == 1 ]] && exit 0
md="$(mktemp)"
python3 - "bench/results/$name.json" "$(machine)" > "$md" <<'PY'
import json, sys, datetime
r = json.load(open(sys.argv[1])); pc = r["paced"]
print(f"Command: `bench/dns-throughput.sh {r['seconds']} {r['clients']}` (WARMUP={r['warmupSeconds']}, "
      f"ROUNDS={len(r['rounds'])}, RATE={pc['rate']}) — {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC, {sys.argv[2]}. "
      f"dnsperf 2.10 (`-c {r['clients']} -q 200`, {r['seconds']} s a run, `app.pharos.test A`) against BIND 9.18 (`named`, "
      f"one zone, the same three A records) and against one controller's embedded name server (a controller trio on "
      f"loopback: Raft and Hazelcast in the same JVM; loopback exempt from rate limiting). Both servers run the whole "
      f"time; after {r['warmupSeconds']} s of queries to each (not counted), the rounds alternate a run at full speed "
      f"against each, BIND first; then one run of each paced at {pc['rate']} queries/s (`-Q`), for the latency below "
      f"saturation. p50/p99 from dnsperf's per-query lines; CPU from /proc of the server process only.\n")
print("| run | server | queries/s | avg | p50 | p99 | lost | CPU % of a core | CPU µs per query | load avg (before/after) |")
print("|---|---|---|---|---|---|---|---|---|---|")
rows = [(f"full speed, round {i}", x) for i, x in enumerate(r["rounds"], 1)] + [(f"paced, {pc['rate']}/s", pc)]
for label, x in rows:
    for n, k in (("BIND 9", "bind"), ("Pharos controller", "pharos")):
        v = x[k]
        print(f"| {label} | {n} | {v['queriesPerSecond']} | {v['avgLatencyMs']} ms | {v['p50Ms']} ms | {v['p99Ms']} ms | "
              f"{v['queriesLost']} | {v['cpuPercentOfOneCore']} | {v['cpuMicrosPerQuery']} | {v['loadBefore']} / {v['loadAfter']} |")
print(f"\nController GC during the measured runs: {r['gcPausesDuringRun']} pauses, longest {r['gcMaxPauseMs']} ms "
      f"(goal: none over 10 ms). Ratio at full speed, over the rounds: **{r['ratio']}×** BIND's queries/s (goal ≥ 1×); "
      f"p99 paced at {pc['rate']}/s: BIND {pc['bind']['p99Ms']} ms, Pharos {pc['pharos']['p99Ms']} ms (goal < 2 ms).")
PY
cat "$md"
doc_section dns-throughput "Embedded DNS server beside BIND 9" "$md"

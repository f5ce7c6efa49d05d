#!/usr/bin/env bash
# Embedded DNS server throughput (issue 17 #7): dnsperf against one controller's name server (a
# controller trio on loopback, Raft and Hazelcast running in the same JVMs; the sandbox config exempts
# 127.0.0.0/8 from response-rate limiting) and against BIND 9 serving the same record on the same
# machine, one after the other. Queries/s, average latency and p99 (from dnsperf -v per-query lines),
# and the controller's longest GC pause during the run (-Xlog:gc).
# CONTROLLER_JVM: the controllers' JVM flags, instead of what `pharos controller` runs with
# (jvm/controller.args and -Xmx512m; give "-XX:+UseZGC -Xmx512m" too to keep them).
# Usage: bench/dns-throughput.sh [seconds] [clients]   (default 20 s, 4 clients)
#        bench/dns-throughput.sh --smoke               (2 s each; checks only)
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$BENCH_ROOT"
smoke=0
if [[ "${1:-}" == "--smoke" ]]; then smoke=1; set -- 2 2; fi
seconds="${1:-20}"; clients="${2:-4}"
name=dns-throughput; [[ $smoke == 1 ]] && name=smoke-dns-throughput
need_pkg dnsperf dnsperf
need_pkg named bind9
need_pkg dig bind9-dnsutils
dir="$BENCH_RUN/dns"; rm -rf "$dir"; mkdir -p "$dir/gc"
TRIO_PID=; NAMED_PID=
trap '[ -n "$TRIO_PID" ] && kill "$TRIO_PID" 2>/dev/null; [ -n "$NAMED_PID" ] && kill "$NAMED_PID" 2>/dev/null; true' EXIT
pharos_build
echo "app.pharos.test A" > "$dir/queries.txt"

# dnsperf_run SERVER PORT OUT: dnsperf at full speed; per-query latencies into OUT.lat
dnsperf_run() {
  dnsperf -s "$1" -p "$2" -d "$dir/queries.txt" -l "$seconds" -c "$clients" -q 200 -v > "$3.raw" 2>&1 || true
  grep -v '^>' "$3.raw" > "$3" || true
  awk '/^> NOERROR/ { print $NF }' "$3.raw" | sort -g > "$3.lat"
  rm -f "$3.raw"
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
bload0="$(loadavg)"; bcpu0="$(cpu_ms $NAMED_PID)"
dnsperf_run 127.0.0.1 "$bport" "$dir/bind.txt"
bcpu1="$(cpu_ms $NAMED_PID)"; bload1="$(loadavg)"
kill "$NAMED_PID"; wait "$NAMED_PID" 2>/dev/null || true; NAMED_PID=

# the controllers
./pharos bench-trio --seconds $((seconds + 240)) --gc-log "$dir/gc" --controller-jvm "$(controller_jvm)" > "$dir/trio.log" 2>&1 &
TRIO_PID=$!
for _ in $(seq 400); do grep -q '^READY' "$dir/trio.log" && break; sleep 1; done
desc="$(awk '/^READY/ { print $2 }' "$dir/trio.log")"
[ -n "$desc" ] || { echo "the controller trio did not start; see $dir/trio.log" >&2; exit 1; }
read -r dhost dport cpid < <(python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['regions'][0]; h,p=r['dns'].rsplit(':',1); print(h, p, r['controllerPid'])" "$desc")
for _ in $(seq 50); do dig +short +time=1 -p "$dport" @"$dhost" app.pharos.test A | grep -q . && break; sleep 0.2; done
# GC pauses during the run only: note where each log is now
declare -A gcstart; for f in "$dir"/gc/gc-*.log; do gcstart[$f]=$(wc -l < "$f"); done
pload0="$(loadavg)"; pcpu0="$(cpu_ms "$cpid")"
dnsperf_run "$dhost" "$dport" "$dir/pharos.txt"
pcpu1="$(cpu_ms "$cpid")"; pload1="$(loadavg)"
: > "$dir/gc-during.log"
for f in "$dir"/gc/gc-*.log; do tail -n +"$(( ${gcstart[$f]:-0} + 1 ))" "$f" | sed "s|^|$(basename "$f"): |" >> "$dir/gc-during.log"; done
kill "$TRIO_PID" 2>/dev/null; wait "$TRIO_PID" 2>/dev/null || true; TRIO_PID=

python3 - "$dir" "$seconds" "$clients" "bench/results/$name.json" "$((bcpu1 - bcpu0))" "$((pcpu1 - pcpu0))" \
  "$bload0" "$bload1" "$pload0" "$pload1" "$smoke" "$cpid" <<'PY'
import json, re, sys
d, secs, clients, out, bcpu, pcpu, bl0, bl1, pl0, pl1, smoke, cpid = sys.argv[1:]
def run(name, cpu, l0, l1):
    t = open(f"{d}/{name}.txt").read()
    lat = [float(x) for x in open(f"{d}/{name}.txt.lat").read().split()]
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
            "loadBefore": float(l0), "loadAfter": float(l1)}
gc = open(f"{d}/gc-during.log").read()
pauses = [float(x) for x in re.findall(r"Pause.* ([\d.]+)ms$", gc, re.M)]
mine = [float(x) for x in re.findall(rf"gc-{cpid}\.log: .*Pause.* ([\d.]+)ms$", gc, re.M)]
r = {"bind": run("bind", bcpu, bl0, bl1), "pharos": run("pharos", pcpu, pl0, pl1), "seconds": int(secs),
     "clients": int(clients), "gcPausesDuringRun": len(mine), "gcMaxPauseMs": max(mine) if mine else 0,
     "gcMaxPauseMsAnyController": max(pauses) if pauses else 0}
json.dump(r, open(out, "w"), indent=2)
print(json.dumps(r, indent=2))
if smoke == "1":
    assert r["bind"]["queriesPerSecond"] > 0, "BIND answered nothing"
    assert r["pharos"]["queriesPerSecond"] > 0, "the controller's name server answered nothing"
PY
[[ $smoke == 1 ]] && exit 0
md="$(mktemp)"
python3 - "bench/results/$name.json" "$(machine)" > "$md" <<'PY'
import json, sys, datetime
r = json.load(open(sys.argv[1])); b, p = r["bind"], r["pharos"]
print(f"Command: `bench/dns-throughput.sh {r['seconds']} {r['clients']}` — {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC, "
      f"{sys.argv[2]}; one run each (the machine was shared with other builds: see the load averages). dnsperf 2.10 "
      f"(`-c {r['clients']} -q 200`, {r['seconds']} s, `app.pharos.test A`) against BIND 9.18 (`named`, one zone, same "
      f"three A records) and then against one controller's embedded name server (a controller trio on loopback: Raft "
      f"and Hazelcast in the same JVM; loopback exempt from rate limiting). p50/p99 from dnsperf's per-query lines; "
      f"CPU from /proc of the server process only.\n")
print("| server | queries/s | avg | p50 | p99 | lost | CPU % of a core | load avg (before/after) |")
print("|---|---|---|---|---|---|---|---|")
for n, x in (("BIND 9", b), ("Pharos controller", p)):
    print(f"| {n} | {x['queriesPerSecond']} | {x['avgLatencyMs']} ms | {x['p50Ms']} ms | {x['p99Ms']} ms | {x['queriesLost']} | "
          f"{x['cpuPercentOfOneCore']} | {x['loadBefore']} / {x['loadAfter']} |")
print(f"\nController GC during the run: {r['gcPausesDuringRun']} pauses, longest {r['gcMaxPauseMs']} ms "
      f"(goal: none over 10 ms). Ratio: {round(p['queriesPerSecond'] / max(b['queriesPerSecond'], 1), 2)}× BIND's queries/s "
      f"(goal ≥ 1×, p99 < 2 ms).")
PY
cat "$md"
doc_section dns-throughput "Embedded DNS server beside BIND 9" "$md"

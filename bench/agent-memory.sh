#!/usr/bin/env bash
# Agent memory and CPU (issue 17 #2): one agent process probing 200 endpoints of a local nginx every
# 1 s, connected to a controller trio; RSS and CPU from /proc. First a sweep that adds the launcher's
# JVM flags one group at a time (what each bought), then an AppCDS archive of the agent's classes (dumped
# by a short run first, which also logs every class the agent loads: the class profile by library),
# then the launcher's defaults for a long run.
# Usage: bench/agent-memory.sh [sweep-seconds] [long-seconds]   (default 60 and 600)
#        bench/agent-memory.sh --smoke                            (the launcher's flags for 3 s)
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$BENCH_ROOT"
smoke=0
if [[ "${1:-}" == "--smoke" ]]; then smoke=1; set -- 3 0; fi
sweep="${1:-60}"; long="${2:-600}"
trap 'stop_nginx' EXIT
pharos_build
start_nginx
target="http://127.0.0.1:$NGINX_PORT"
hz="@jvm/hazelcast-member.args"
heap="-Xms8m -Xmx96m -XX:MaxHeapFreeRatio=30 -XX:MinHeapFreeRatio=10"
gc="-XX:+UseSerialGC"
jit="-XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=16m"
meta="-XX:MaxMetaspaceSize=64m -XX:MaxDirectMemorySize=16m -Xss256k -XX:-UsePerfData"
malloc="env:MALLOC_ARENA_MAX=2"
trim="-XX:TrimNativeHeapInterval=5000"
name=agent-memory
if [[ $smoke == 1 ]]; then
  ./pharos bench-agent --endpoints 200 --interval-ms 1000 --target "$target" --warmup 1 --seconds "$sweep" \
    --variant "launcher=$hz @jvm/agent.args env:MALLOC_ARENA_MAX=2" --json "$BENCH_RUN/smoke-$name.json"
  python3 -c "import json,sys; r=json.load(open(sys.argv[1]))[0]; assert r['probes']>0 and r['reportsSent']>0, r" \
    "$BENCH_RUN/smoke-$name.json"
  exit 0
fi
# the AppCDS archive (dumped when this agent exits) and the class-load log of the launcher's flags
jsa="$BENCH_RUN/agent.jsa"; classes="$BENCH_RUN/agent-classes.log"; rm -f "$jsa" "$classes"
./pharos bench-agent --endpoints 200 --interval-ms 1000 --target "$target" --warmup 5 --seconds 10 \
  --variant "dump=$hz @jvm/agent.args $malloc -XX:ArchiveClassesAtExit=$jsa -Xlog:class+load=info:file=$classes" \
  --json "$BENCH_RUN/$name-dump.json"
[[ -s "$jsa" ]] || { echo "bench: no AppCDS archive was written to $jsa" >&2; exit 1; }
# a jlink-trimmed runtime: the modules the agent's flags and code need (java.se because hazelcast-member.args
# adds it), without debug attributes, headers or man pages, with the CDS archive of its own JDK classes. On the
# full JDK the agent also loads 88 classes of jdk.jfr and jdk.management.jfr (libraries looking for a flight
# recorder, which they do without): part of what this runtime saves is those classes' metadata, ~0.5 MB
jdk_home="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
[ -d "$jdk_home/jmods" ] || { echo "bench: $jdk_home has no jmods: jlink needs a full JDK 17 (Debian: openjdk-17-jmods)" >&2; exit 69; }
jre="$BENCH_RUN/agent-jre"; rm -rf "$jre"
jlink --add-modules java.se,jdk.unsupported,jdk.management,jdk.net,jdk.crypto.ec,jdk.zipfs \
  --strip-debug --no-header-files --no-man-pages --generate-cds-archive --output "$jre"
echo "runtime on disk: the JDK $(du -sm --exclude=jmods --exclude=include "$jdk_home" | cut -f1) MB (without its jmods and headers), jlink-trimmed $(du -sm "$jre" | cut -f1) MB" \
  | tee "$BENCH_RUN/$name-runtime.txt"
./pharos bench-agent --endpoints 200 --interval-ms 1000 --target "$target" --warmup 15 --seconds "$sweep" \
  --variant "1 default (pharos script before)=$hz" \
  --variant "2 + heap 8-96 MB, free ratio 10-30=$hz $heap" \
  --variant "3 + SerialGC=$hz $heap $gc" \
  --variant "4 + C1 only, code cache 16 MB=$hz $heap $gc $jit" \
  --variant "5 + metaspace/direct caps, 256k stacks, no perf data=$hz $heap $gc $jit $meta" \
  --variant "6 + malloc arenas 2 (MALLOC_ARENA_MAX)=$hz $heap $gc $jit $meta $malloc" \
  --variant "7 + native heap trimmed every 5 s (TrimNativeHeapInterval)=$hz $heap $gc $jit $meta $malloc $trim" \
  --variant "8 + AppCDS archive of the agent's classes=$hz $heap $gc $jit $meta $malloc $trim -XX:SharedArchiveFile=$jsa" \
  --variant "9 line 7 on NIO instead of the native transport (pharos.agent.native false)=$hz $heap $gc $jit $meta $malloc $trim -Dpharos.agent.native=false" \
  --variant "10 line 7 on the jlink-trimmed runtime=$hz $heap $gc $jit $meta $malloc $trim java:$jre/bin/java" \
  --json "$BENCH_RUN/$name-sweep.json"
if [[ "$long" -gt 0 ]]; then
  ./pharos bench-agent --endpoints 200 --interval-ms 1000 --target "$target" --warmup 15 --seconds "$long" \
    --variant "launcher defaults, ${long} s=$hz @jvm/agent.args $malloc" --json "$BENCH_RUN/$name-long.json"
else
  echo '[]' > "$BENCH_RUN/$name-long.json"
fi
# the agent's fixed cost: the same flags with next to nothing to probe (one endpoint per region), still connected
./pharos bench-agent --endpoints 3 --interval-ms 1000 --target "$target" --warmup 15 --seconds "$sweep" \
  --variant "launcher defaults, 3 endpoints (next to idle)=$hz @jvm/agent.args $malloc" --json "$BENCH_RUN/$name-idle.json"
python3 - "$BENCH_RUN/$name-sweep.json" "$BENCH_RUN/$name-long.json" "$BENCH_RUN/$name-idle.json" "bench/results/$name.json" <<'PY'
import json, sys
json.dump({"sweep": json.load(open(sys.argv[1])), "long": json.load(open(sys.argv[2])), "idle": json.load(open(sys.argv[3]))},
          open(sys.argv[4], "w"), indent=2)
PY
md="$(mktemp)"
python3 - "bench/results/$name.json" "$sweep" "$long" "$(machine)" > "$md" <<'PY'
import json, sys, datetime
r = json.load(open(sys.argv[1])); sweep, long, machine = sys.argv[2:]
print(f"Command: `bench/agent-memory.sh {sweep} {long}` — {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC, {machine}; "
      f"each line run once (the machine was shared with other builds: see the load averages). One agent process "
      f"probing 200 endpoints of a local nginx every 1 s, connected to a controller trio on the same cores; each "
      f"line adds flags to the one above, measured for {sweep} s after 15 s of warm-up; RSS and CPU from /proc of the "
      f"agent process only. Goal: ≤ 80 MB RSS, ≤ 5 % of one core.\n")
print("| flags | probes/s | CPU % of a core | RSS avg | RSS max | RSS end | p99 probe | reports dropped | ready after | load avg (before/max) |")
print("|---|---|---|---|---|---|---|---|---|---|")
for x in r["sweep"] + r["long"] + r.get("idle", []):
    print(f"| {x['variant']} | {x['probesPerSecond']} | {x['cpuPercentOfOneCore']} | {x['rssMbAvg']} MB | {x['rssMbMax']} MB | "
          f"{x['rssMbEnd']} MB | {x['latencyP99Ms']} ms | {x['reportsDropped']} | {x['readyMs'] / 1000:.1f} s | {x['loadBefore']} / {x['loadDuring']} |")
if r["long"]:
    print("\nOver the long run (is it flat?), sampled every 2 s after the warm-up:\n")
    print("| run | RSS first → end | RSS slope | CPU % of a core, first half → second half |")
    print("|---|---|---|---|")
    for x in r["long"]:
        print(f"| {x['variant']} | {x['rssMbFirst']} → {x['rssMbEnd']} MB | {x['rssSlopeMbPerMinute']:+} MB/min | "
              f"{x['cpuPercentFirstHalf']} → {x['cpuPercentSecondHalf']} |")
PY
# the class profile: every class the agent loaded (launcher's flags), by library
python3 - "$classes" >> "$md" <<'PY'
import collections, re, sys
libs = [("com.hazelcast", "Hazelcast client"), ("io.netty", "Netty"), ("io.vertx", "Vert.x"), ("com.fasterxml", "Jackson"),
        ("ch.qos", "logback"), ("picocli", "picocli"), ("org.yaml", "SnakeYAML"), ("io.micrometer", "Micrometer"),
        ("io.pharos", "Pharos"), ("java.", "JDK"), ("javax.", "JDK"), ("jdk.", "JDK"), ("sun.", "JDK"), ("com.sun.", "JDK")]
count, cds = collections.Counter(), 0
for line in open(sys.argv[1]):
    m = re.search(r"\] ([\w.$]+) source: (.*)", line)
    if not m:
        continue
    cds += "shared" in m.group(2)
    count[next((label for prefix, label in libs if m.group(1).startswith(prefix)), "other")] += 1
total = sum(count.values())
print(f"\nClasses the agent loads (launcher's flags, `-Xlog:class+load`): {total}, of which {cds} from the JDK's CDS archive.\n")
print("| library | classes | share |")
print("|---|---|---|")
for label, n in count.most_common():
    print(f"| {label} | {n} | {n * 100 / total:.0f} % |")
PY
{ echo; echo "Line 10's runtime (\`jlink\`, modules java.se, jdk.unsupported, jdk.management, jdk.net, jdk.crypto.ec, jdk.zipfs; \`--strip-debug\`, its own CDS archive): $(cat "$BENCH_RUN/$name-runtime.txt")."; } >> "$md"
cat "$md"
doc_section agent-memory "Agent memory and CPU (200 endpoints at 1 s)" "$md" "" \
  "What each line bought, where the rest of the memory is (jcmd, NMT) and what limits it: \"Issue 17: what was fixed, what it bought, goals not met\" below."

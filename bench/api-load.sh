#!/usr/bin/env bash
# Admin API under load (issue 17 #5): wrk against one controller's GET /v1/status (viewer token
# whose rate limit is raised for the run), the open /health, and a command on the acting leader,
# POST /v1/ack (operator token, raised likewise: each one a journal entry committed through Raft
# with its audit record), on a controller trio on loopback. p50/p95/p99, errors, 429s apart.
# CONTROLLER_JVM: the controllers' JVM flags, instead of what `pharos controller` runs with
# (jvm/controller.args and -Xmx512m): to add a JFR recording, give those too, e.g.
# CONTROLLER_JVM="-XX:+UseZGC -Xmx512m -XX:StartFlightRecording=filename=/tmp/jfr/,settings=profile".
# WARMUP: seconds of load before each measured call, not counted (default 60: after 30 s of commands
# the controllers' JIT still took a third of their CPU, docs/benchmarks.md).
# Usage: bench/api-load.sh [seconds] [connections]   (default 20 s, 16)
#        bench/api-load.sh --smoke                    (2 s; checks only)
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$BENCH_ROOT"
smoke=0
if [[ "${1:-}" == "--smoke" ]]; then smoke=1; set -- 2 4; fi
seconds="${1:-20}"; conns="${2:-16}"
name=api-load; [[ $smoke == 1 ]] && name=smoke-api-load
need_pkg wrk wrk
dir="$BENCH_RUN/api"; rm -rf "$dir"; mkdir -p "$dir"
TRIO_PID=
trap '[ -n "$TRIO_PID" ] && kill "$TRIO_PID" 2>/dev/null; true' EXIT
pharos_build
: > "$dir/trio.log" # before the background start opens it: the wait below greps it at once
./pharos bench-trio --seconds $((3 * (seconds + ${WARMUP:-60}) + 240)) --bench-token-limit 1000000 --controller-jvm "$(controller_jvm)" > "$dir/trio.log" 2>&1 &
TRIO_PID=$!
for _ in $(seq 400); do grep -q '^READY' "$dir/trio.log" && break; sleep 1; done
desc="$(awk '/^READY/ { print $2 }' "$dir/trio.log")"
[ -n "$desc" ] || { echo "the controller trio did not start; see $dir/trio.log" >&2; exit 1; }
read -r api cpid secrets < <(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); r=d['regions'][0]; print(r['apiUrl'], r['controllerPid'], d['secretsDir'])" "$desc")
all_pids="$(python3 -c "import json,sys; print(' '.join(str(r['controllerPid']) for r in json.load(open(sys.argv[1]))['regions']))" "$desc")"
trio_cpu_ms() { local t=0 p; for p in $all_pids; do t=$((t + $(cpu_ms "$p"))); done; echo "$t"; }
token="$(cat "$secrets/bench.token")"
operator="$(cat "$secrets/bench-operator.token")"
# the acting leader: commands go to it (a follower answers 409 naming it)
read -r leader_api leader_pid < <(python3 - "$desc" "$token" <<'PY'
import json, sys, urllib.request
for r in json.load(open(sys.argv[1]))["regions"]:
    req = urllib.request.Request(r["apiUrl"] + "/v1/status", headers={"Authorization": "Bearer " + sys.argv[2]})
    try:
        if json.load(urllib.request.urlopen(req, timeout=5)).get("acting"):
            print(r["apiUrl"], r["controllerPid"]); break
    except OSError:
        pass
PY
) || true
[ -n "$leader_api" ] || { echo "no acting leader among the controllers" >&2; exit 1; }
wrk_run() { # SECONDS OUT URL [auth|command]
  if [[ "${4:-}" == command ]]; then
    WRK_BODY='{"what":"failover-limit","reason":"bench/api-load.sh"}' wrk -t2 -c"$conns" -d"${1}s" \
      -s bench/lib/wrk-report.lua -H "Authorization: Bearer $operator" "$3" > "$2" 2>&1 || true
  elif [[ "${4:-}" == auth ]]; then
    wrk -t2 -c"$conns" -d"${1}s" -s bench/lib/wrk-report.lua -H "Authorization: Bearer $token" "$3" > "$2" 2>&1 || true
  else
    wrk -t2 -c"$conns" -d"${1}s" -s bench/lib/wrk-report.lua "$3" > "$2" 2>&1 || true
  fi
}
run_wrk() { # NAME URL auth|command|open PID (of the controller that answers)
  # a warm-up first, not counted (WARMUP seconds, default 60; none in the smoke): the JIT compiles the
  # path under load (measured: 5.6 ms of compiler CPU per command still after 700 commands)
  [[ $smoke == 1 ]] || wrk_run "${WARMUP:-60}" "$dir/$1-warmup.txt" "$2" "${3:-}"
  local load0 cpu0 cpu1 trio0 trio1; load0="$(loadavg)"; cpu0="$(cpu_ms "$4")"; trio0="$(trio_cpu_ms)"
  wrk_run "$seconds" "$dir/$1.txt" "$2" "${3:-}"
  cpu1="$(cpu_ms "$4")"; trio1="$(trio_cpu_ms)"
  python3 - "$dir/$1.txt" "$1" "$load0" "$(loadavg)" "$((cpu1 - cpu0))" "$seconds" "$((trio1 - trio0))" <<'PY'
import json, sys
t = open(sys.argv[1]).read()
line = [l for l in t.splitlines() if l.startswith("JSON ")]
if not line:
    sys.exit("wrk printed no summary:\n" + t)
r = json.loads(line[0][5:])
r.update({"name": sys.argv[2], "loadBefore": float(sys.argv[3]), "loadAfter": float(sys.argv[4]),
          "requestsPerSecond": round(r["requests"] / r["seconds"]),
          "errorRate": round((r["otherStatus"] + r["socketErrors"]) / max(r["requests"], 1), 4),
          "controllerCpuPercentOfOneCore": round(int(sys.argv[5]) / float(sys.argv[6]) / 10, 1),
          "trioCpuPercentOfOneCore": round(int(sys.argv[7]) / float(sys.argv[6]) / 10, 1),
          "trioCpuMsPerRequest": round(int(sys.argv[7]) / max(r["requests"], 1), 2)})
print(json.dumps(r))
PY
}
{ run_wrk status "$api/v1/status" auth "$cpid"; run_wrk health "$api/health" open "$cpid"
  run_wrk ack "$leader_api/v1/ack" command "$leader_pid"; } \
  > "$dir/results.jsonl"
kill "$TRIO_PID" 2>/dev/null; wait "$TRIO_PID" 2>/dev/null || true; TRIO_PID=
python3 - "$dir/results.jsonl" "bench/results/$name.json" "$smoke" <<'PY'
import json, sys
rs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
json.dump(rs, open(sys.argv[2], "w"), indent=2)
print(json.dumps(rs, indent=2))
if sys.argv[3] == "1":
    assert all(r["ok"] > 0 for r in rs), "an endpoint answered no 2xx"
PY
[[ $smoke == 1 ]] && exit 0
md="$(mktemp)"
python3 - "bench/results/$name.json" "$seconds" "$conns" "$(machine)" "${WARMUP:-60}" > "$md" <<'PY'
import json, sys, datetime
rs = json.load(open(sys.argv[1])); secs, conns, machine, warmup = sys.argv[2:]
print(f"Command: `{'' if warmup == '60' else f'WARMUP={warmup} '}bench/api-load.sh {secs} {conns}` — {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC, {machine}; one run "
      f"(see the load averages). `wrk -t2 -c{conns}` for {secs} s against one controller of a trio on loopback; "
      f"/v1/status with a viewer token whose limit is raised for the run; POST /v1/ack (`failover-limit`, a command: "
      f"each request one journal entry committed through Raft, with its audit record) on the acting leader with an "
      f"operator token raised likewise. Each after a {warmup} s warm-up that is not counted. CPU from /proc: of the "
      f"controller that answers, and of all three (ms per request: the trio's CPU over the requests answered). "
      f"Goal: p95 < 200 ms, p99 < 500 ms, errors < 1 % (429s apart).\n")
print("| call | requests/s | p50 | p95 | p99 | max | 2xx | 429 | errors | CPU % of a core: answering / trio | trio CPU ms per request | load avg (before/after) |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
for r in rs:
    call = {"status": "GET /v1/status", "health": "GET /health", "ack": "POST /v1/ack (leader)"}[r["name"]]
    print(f"| {call} | {r['requestsPerSecond']} | {r['p50Ms']} ms | "
          f"{r['p95Ms']} ms | {r['p99Ms']} ms | {r['maxMs']} ms | {r['ok']} | {r['tooMany']} | "
          f"{r['otherStatus'] + r['socketErrors']} ({r['errorRate'] * 100:.2f} %) | {r['controllerCpuPercentOfOneCore']} / "
          f"{r['trioCpuPercentOfOneCore']} | {r['trioCpuMsPerRequest']} | "
          f"{r['loadBefore']} / {r['loadAfter']} |")
PY
cat "$md"
doc_section api-load "Admin API under wrk" "$md"

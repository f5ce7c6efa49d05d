# Source after common.sh. blackbox_run SECONDS CONNECTIONS TARGET_URLS OUT_JSON: Prometheus
# blackbox_exporter (Debian) on a free loopback port, driven by wrk (one thread) at CONNECTIONS
# concurrent /probe requests for SECONDS: probes/s, its CPU and RSS from /proc, wrk's latency
# percentiles (a /probe request is one probe: the exporter opens a new connection per probe).
# TARGET_URLS: one base URL, or several comma-separated, probed in turn.
blackbox_run() {
  local seconds="$1" conns="$2" targets="$3" out="$4" target="${3%%,*}"
  need_pkg prometheus-blackbox-exporter prometheus-blackbox-exporter
  need_pkg wrk wrk
  local dir="$BENCH_RUN/blackbox" port
  mkdir -p "$dir"
  port="$(free_port)"
  cat > "$dir/blackbox.yml" <<YML
modules:
  http_2xx:
    prober: http
    timeout: 5s
    http:
      preferred_ip_protocol: ip4
      valid_status_codes: [200]
YML
  prometheus-blackbox-exporter --config.file="$dir/blackbox.yml" --web.listen-address="127.0.0.1:$port" \
    --log.level=warn > "$dir/blackbox.log" 2>&1 &
  local pid=$!
  BLACKBOX_PID=$pid
  for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/metrics" >/dev/null && break; sleep 0.1; done
  local url="http://127.0.0.1:$port/probe?module=http_2xx&target=$target/bb"
  curl -sf "$url" | grep -q '^probe_success 1' || { echo "blackbox_exporter did not probe $target" >&2; kill $pid; return 1; }
  # warm up, then measure
  PROBE_TARGETS="$targets" wrk -t1 -c"$conns" -d2s -s "$BENCH_ROOT/bench/lib/wrk-probe.lua" "$url" >/dev/null 2>&1 || true
  local load0 cpu0 cpu1 rss wrkout
  load0="$(loadavg)"; cpu0="$(cpu_ms $pid)"
  PROBE_TARGETS="$targets" wrk -t1 -c"$conns" -d"${seconds}s" -s "$BENCH_ROOT/bench/lib/wrk-probe.lua" "$url" > "$dir/wrk.txt" 2>&1 &
  local wrkpid=$! rssmax=0 loadmax="$load0"
  while kill -0 $wrkpid 2>/dev/null; do
    rss="$(rss_kb $pid)"; [ "$rss" -gt "$rssmax" ] && rssmax=$rss
    loadmax="$(python3 -c "print(max($loadmax, $(loadavg)))")"
    sleep 1
  done
  wait $wrkpid || true
  cpu1="$(cpu_ms $pid)"
  # probes that failed would count as requests: the exporter answers 200 with probe_success 0
  local ok; ok="$(curl -sf "$url" | awk '/^probe_success/ { print $2 }')"
  kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; BLACKBOX_PID=
  python3 - "$dir/wrk.txt" "$seconds" "$conns" "$((cpu1 - cpu0))" "$rssmax" "$load0" "$loadmax" "$ok" "$out" <<'PY'
import json, re, sys
wrk, seconds, conns, cpu_ms, rss_kb, load0, loadmax, ok, out = sys.argv[1:]
t = open(wrk).read()
w = json.loads([l for l in t.splitlines() if l.startswith("JSON ")][0][5:])
lat = {"50": w["p50Ms"], "99": w["p99Ms"]}
reqs = w["requests"]
errs = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
sock = re.search(r"Socket errors: (.*)", t)
took = float(seconds)
r = {"variant": "blackbox_exporter", "connections": int(conns), "seconds": took, "probes": reqs,
     "probesPerSecond": round(reqs / took),
     "failedShare": round(w["failed"] / max(reqs, 1), 3), "okProbesPerSecond": round(w["passed"] / took), "cpuPercentOfOneCore": round(int(cpu_ms) / took / 10, 1),
     "cpuMicrosPerProbe": round(int(cpu_ms) * 1000 / max(reqs, 1)), "rssMbMax": int(rss_kb) // 1024,
     "latencyP50Ms": lat.get("50"), "latencyP99Ms": lat.get("99"),
     "non2xx": int(errs.group(1)) if errs else 0, "socketErrors": sock.group(1) if sock else "",
     "lastProbeSuccess": ok, "loadBefore": float(load0), "loadDuring": float(loadmax)}
json.dump(r, open(out, "w"), indent=2)
print(json.dumps(r, indent=2))
PY
}

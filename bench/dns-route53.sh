#!/usr/bin/env bash
# Route 53 failover benchmark against moto_server (no AWS account needed): API requests per
# failover and time from decision to INSYNC, with the default settings (5 requests/s budget,
# 1 s GetChange polls). Writes the table into docs/benchmarks.md between the dns markers.
# Usage: bench/dns-route53.sh [runs]   (default 20; needs moto_server on PATH)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs="${1:-20}"
out="$(mktemp)"
# core and dns-adapter only: the benchmark lives in dns-adapter's test sources
mvn -B -q -pl core,dns-adapter -DskipTests install
mvn -B -q -pl dns-adapter test -Dtest=Route53FailoverBench -Dsurefire.failIfNoSpecifiedTests=false \
  -Dpharos.bench.runs="$runs" -Dpharos.bench.out="$out"
python3 - "$out" "$runs" <<'PY'
import re, sys, datetime, pathlib, os
md = pathlib.Path(sys.argv[1]).read_text()
runs = sys.argv[2]
doc = pathlib.Path("docs/benchmarks.md")
text = doc.read_text() if doc.exists() else "# Benchmarks\n"
begin, end = "<!-- dns:begin -->", "<!-- dns:end -->"
section = (f"{begin}\n## DNS: Route 53 failover (moto_server)\n\n"
           f"Command: `bench/dns-route53.sh {runs}` — {datetime.date.today()}, {os.cpu_count()} cores, moto_server on "
           f"loopback behind the counting fault proxy. Each run is one decision (alternately a region out and all "
           f"back) carried out by `ZoneReconciler.applyDecision` and awaited until INSYNC, with the default Route 53 "
           f"settings (budget 5 requests/s, GetChange every 1 s). Requests per failover: one ListResourceRecordSets to "
           f"read the zone, one to re-read the fencing record just before sending (the pre-check), **one "
           f"ChangeResourceRecordSets**, then GetChange polls. moto answers INSYNC at once; the second series makes "
           f"the proxy answer PENDING to the change and to the first two GetChange polls (INSYNC on the third), as Route 53 does while it propagates (real propagation takes "
           f"longer: the time then grows by one poll interval per PENDING answer).\n\n{md}{end}")
if begin in text:
    text = re.sub(re.escape(begin) + ".*?" + re.escape(end), lambda m: section, text, flags=re.S)
else:
    text = text.rstrip() + "\n\n" + section + "\n"
doc.write_text(text)
print("updated docs/benchmarks.md")
PY

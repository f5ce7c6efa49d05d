#!/usr/bin/env bash
# A partitioned region against a killed one: kill -9 of a region's app, a whole region cut off from
# the other two (iptables between network namespaces; needs root), and the same with the leader in
# the cut region. N runs each (default 20) on one namespace sandbox per mode; p50/p95/p99/max of
# fault -> detected and fault -> DNS committed into docs/benchmarks.md.
# Usage: bench/region-cut.sh [runs]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs="${1:-20}"
all="$(mktemp)"
for mode in killed partitioned leader_partitioned; do
  out="$(mktemp)"
  ./pharos bench-cut --mode "$mode" --runs "$runs" --markdown "$out"
  { cat "$out"; echo; } >> "$all"
done
python3 - "$all" "$runs" <<'PY'
import re, sys, datetime, pathlib, os
md = pathlib.Path(sys.argv[1]).read_text()
doc = pathlib.Path("docs/benchmarks.md")
text = doc.read_text() if doc.exists() else "# Benchmarks\n"
begin, end = "<!-- cut:begin -->", "<!-- cut:end -->"
section = (f"{begin}\n## A partitioned region against a killed one\n\nCommand: `bench/region-cut.sh {sys.argv[2]}` — "
           f"{datetime.date.today()}, {os.cpu_count()} cores, 9 processes, one network namespace each. Killed: kill -9 of "
           f"a region's app (regions in turn, never the leader's). Partitioned: the region's app, agent and controller "
           f"cut off from the other two regions with iptables DROP both ways. Times from the majority's timeline, from "
           f"the fault.\n\n{md}{end}")
text = re.sub(re.escape(begin) + ".*?" + re.escape(end), section, text, flags=re.S) if begin in text \
    else text.rstrip() + "\n\n" + section + "\n"
doc.write_text(text)
print("updated docs/benchmarks.md")
PY

#!/usr/bin/env bash
# Leader failover, measured: kill -9 of the leader's controller, SIGSTOP of it, and the loss of the
# whole region that holds the leader (app, agent and controller). N runs each (default 20) on one
# sandbox per mode; p50/p95/p99/max into docs/benchmarks.md.
# Usage: bench/leader-failover.sh [runs]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs="${1:-20}"
all="$(mktemp)"
for mode in kill freeze region; do
  out="$(mktemp)"
  ./pharos bench-leader --mode "$mode" --runs "$runs" --markdown "$out"
  { cat "$out"; echo; } >> "$all"
done
python3 - "$all" "$runs" <<'PY'
import re, sys, datetime, pathlib, os
md = pathlib.Path(sys.argv[1]).read_text()
doc = pathlib.Path("docs/benchmarks.md")
text = doc.read_text() if doc.exists() else "# Benchmarks\n"
begin, end = "<!-- leader:begin -->", "<!-- leader:end -->"
section = (f"{begin}\n## Leader failover\n\nCommand: `bench/leader-failover.sh {sys.argv[2]}` — {datetime.date.today()}, "
           f"{os.cpu_count()} cores, 9 processes on loopback. 'New leader' is the first time another controller reports "
           f"itself acting leader in a higher term; 'next decision committed' is the first operator journal entry the "
           f"new leader commits (a pause, then a resume); for a region loss, the failover's DNS change.\n\n{md}{end}")
text = re.sub(re.escape(begin) + ".*?" + re.escape(end), section, text, flags=re.S) if begin in text \
    else text.rstrip() + "\n\n" + section + "\n"
doc.write_text(text)
print("updated docs/benchmarks.md")
PY

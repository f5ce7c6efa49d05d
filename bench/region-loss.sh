#!/usr/bin/env bash
# Repeats the demo's hard region loss (kill -9 of a region's app) on one local sandbox and records
# p50/p95/p99/max of fault -> detected and fault -> DNS committed in docs/benchmarks.md.
# Usage: bench/region-loss.sh [runs]   (default 20; a meaningful p99 needs >= 100)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs="${1:-20}"
out="$(mktemp)"
./pharos bench-region-loss --runs "$runs" --markdown "$out"
python3 - "$out" "$runs" <<'PY'
import re, sys, datetime, pathlib, platform, os
md = pathlib.Path(sys.argv[1]).read_text()
runs = sys.argv[2]
doc = pathlib.Path("docs/benchmarks.md")
text = doc.read_text() if doc.exists() else "# Benchmarks\n"
begin, end = "<!-- region-loss:begin -->", "<!-- region-loss:end -->"
cpu = os.cpu_count()
section = (f"{begin}\n## Hard region loss (demo scenario)\n\n"
           f"Command: `bench/region-loss.sh {runs}` — {datetime.date.today()}, {cpu} cores, "
           f"3 regions x (app, agent, controller) on loopback, probes 1 s, confirmations 250 ms, downAfter 3.\n"
           f"Each run kills one region's app with kill -9 (regions in turn), then restarts it and waits for the "
           f"automatic failback. Times come from the controllers' timeline, measured from the kill.\n\n{md}{end}")
if begin in text:
    text = re.sub(re.escape(begin) + ".*?" + re.escape(end), section, text, flags=re.S)
else:
    text = text.rstrip() + "\n\n" + section + "\n"
doc.write_text(text)
print("updated docs/benchmarks.md")
PY

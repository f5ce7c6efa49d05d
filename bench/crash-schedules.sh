#!/usr/bin/env bash
# Jepsen-style: N random schedules of controller kill -9, SIGSTOP/SIGCONT and partitions (network
# namespaces + iptables, needs root) while regions fail and recover, each history checked; results
# into docs/benchmarks.md. Usage: bench/crash-schedules.sh [schedules] (default 100, ~75 min).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
n="${1:-100}"
out="$(mktemp)"
./pharos bench-crash --schedules "$n" --markdown "$out" || status=$?
python3 - "$out" "$n" <<'PY'
import re, sys, datetime, pathlib
md = pathlib.Path(sys.argv[1]).read_text()
doc = pathlib.Path("docs/benchmarks.md")
text = doc.read_text() if doc.exists() else "# Benchmarks\n"
begin, end = "<!-- crash:begin -->", "<!-- crash:end -->"
section = (f"{begin}\n## Crash schedules (Jepsen-style)\n\nCommand: `bench/crash-schedules.sh {sys.argv[2]}` — "
           f"{datetime.date.today()}. Each schedule: 30 s of controller kill -9 / SIGSTOP / partition (at most one "
           f"controller at a time, except one schedule in five) while region apps are killed and restarted; then "
           f"heal, settle, and check: at most one actor per term, DNS tokens only grow, no intent lost or applied "
           f"twice, a cut-off or frozen controller never acts, no failover of a serving region.\n\n{md}\n{end}")
text = re.sub(re.escape(begin) + ".*?" + re.escape(end), section, text, flags=re.S) if begin in text \
    else text.rstrip() + "\n\n" + section + "\n"
doc.write_text(text)
print("updated docs/benchmarks.md")
PY
exit "${status:-0}"

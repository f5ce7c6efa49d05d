#!/usr/bin/env bash
# Jepsen-style: N random schedules of controller kill -9, SIGSTOP/SIGCONT and partitions (network
# namespaces + iptables, needs root) while regions fail and recover, each history checked; results
# into docs/benchmarks.md. Usage: bench/crash-schedules.sh [schedules] (default 100, ~75 min).
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$BENCH_ROOT"
n="${1:-100}"
out="$(mktemp)"
./pharos bench-crash --schedules "$n" --markdown "$out" || status=$?
doc_section crash "Crash schedules (Jepsen-style)" "$out" \
  "Command: \`bench/crash-schedules.sh $n\` — $(date +%F). Each schedule: 30 s of controller kill -9 / SIGSTOP / partition (at most one controller at a time, except one schedule in five) while region apps are killed and restarted; then heal, settle, and check: at most one actor per term, DNS tokens only grow, no intent lost or applied twice, a cut-off or frozen controller never acts, no failover of a serving region."
exit "${status:-0}"

#!/usr/bin/env bash
# A partitioned region against a killed one: kill -9 of a region's app, a whole region cut off from
# the other two (iptables between network namespaces; needs root), and the same with the leader in
# the cut region. N runs each (default 20) on one namespace sandbox per mode; p50/p95/p99/max of
# fault -> detected and fault -> DNS committed into docs/benchmarks.md.
# Usage: bench/region-cut.sh [runs]
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$BENCH_ROOT"
runs="${1:-20}"
all="$(mktemp)"
for mode in killed partitioned leader_partitioned; do
  out="$(mktemp)"
  ./pharos bench-cut --mode "$mode" --runs "$runs" --markdown "$out"
  { cat "$out"; echo; } >> "$all"
done
doc_section cut "A partitioned region against a killed one" "$all" \
  "Command: \`bench/region-cut.sh $runs\` — $(date +%F), $(nproc) cores, 9 processes, one network namespace each. Killed: kill -9 of a region's app (regions in turn, never the leader's). Partitioned: the region's app, agent and controller cut off from the other two regions with iptables DROP both ways. Times from the majority's timeline, from the fault."

#!/usr/bin/env bash
# Leader failover, measured: kill -9 of the leader's controller, SIGSTOP of it, and the loss of the
# whole region that holds the leader (app, agent and controller). N runs each (default 20) on one
# sandbox per mode; p50/p95/p99/max into docs/benchmarks.md.
# Usage: bench/leader-failover.sh [runs]
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$BENCH_ROOT"
runs="${1:-20}"
all="$(mktemp)"
for mode in kill freeze region; do
  out="$(mktemp)"
  ./pharos bench-leader --mode "$mode" --runs "$runs" --markdown "$out"
  { cat "$out"; echo; } >> "$all"
done
doc_section leader "Leader failover" "$all" \
  "Command: \`bench/leader-failover.sh $runs\` — $(date +%F), $(nproc) cores, 9 processes on loopback. 'New leader' is the first time another controller reports itself acting leader in a higher term; 'next decision committed' is the first operator journal entry the new leader commits (a pause, then a resume); for a region loss, the failover's DNS change."

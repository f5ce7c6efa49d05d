#!/usr/bin/env bash
# Repeats the demo's hard region loss (kill -9 of a region's app) on one local sandbox and records
# p50/p95/p99/max of fault -> detected and fault -> DNS committed in docs/benchmarks.md.
# Usage: bench/region-loss.sh [runs]   (default 20; a meaningful p99 needs >= 100)
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$BENCH_ROOT"
runs="${1:-20}"
out="$(mktemp)"
./pharos bench-region-loss --runs "$runs" --markdown "$out"
doc_section region-loss "Hard region loss (demo scenario)" "$out" \
  "Command: \`bench/region-loss.sh $runs\` — $(date +%F), $(nproc) cores, 3 regions x (app, agent, controller) on loopback, probes 1 s, confirmations 250 ms, downAfter 3.
Each run kills one region's app with kill -9 (regions in turn), then restarts it and waits for the automatic failback. Times come from the controllers' timeline, measured from the kill."

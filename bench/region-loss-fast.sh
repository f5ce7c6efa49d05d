#!/usr/bin/env bash
# The fast probe profile (issue 17 #6): the demo's hard region loss repeated with probes every
# 250 ms and confirmations 100 ms apart, then the same sandbox left healthy for a while and every
# decision made meanwhile counted (each one a false failover). p50/p95/p99/max of fault -> detected
# and fault -> DNS committed into docs/benchmarks.md. Goal: detected <= 1 s, DNS committed <= 2 s
# p99 over >= 100 runs; 0 false failovers in 30 minutes.
# Usage: bench/region-loss-fast.sh [runs] [healthy-seconds]   (default 100 and 1800)
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$BENCH_ROOT"
runs="${1:-100}"
healthy="${2:-1800}"
probes="{ interval: 250ms, timeout: 200ms, confirmAfter: 100ms, downAfter: 3, upAfter: 3, heartbeat: 1s }"
out="$(mktemp)"
./pharos bench-region-loss --runs "$runs" --healthy-seconds "$healthy" --probes "$probes" \
  --run-dir run/bench-region-loss-fast --markdown "$out"
doc_section region-loss-fast "Hard region loss, fast probe profile" "$out" \
  "Command: \`bench/region-loss-fast.sh $runs $healthy\` — $(date +%F), $(nproc) cores, 3 regions x (app, agent, controller) on loopback, probes \`$probes\`. Each run kills one region's app with kill -9 (regions in turn), then restarts it and waits for the automatic failback; times from the controllers' timeline, from the kill. Then the sandbox is left without faults for $healthy s and every decision counted. Goal: detected ≤ 1 s and DNS committed ≤ 2 s p99 over ≥ 100 runs, 0 false failovers in 30 minutes."

#!/usr/bin/env bash
# Runs every benchmark of issue 17 in turn (each writes bench/results/<name>.json and its section
# of docs/benchmarks.md), or with --smoke each for a few seconds, checking only that every harness
# still works (what .ci/run does; fails when one breaks).
# Usage: bench/all.sh [--smoke]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
smoke="${1:-}"
if [[ -n "$smoke" && "$smoke" != "--smoke" ]]; then echo "usage: bench/all.sh [--smoke]" >&2; exit 2; fi
failed=()
for b in agent-throughput agent-memory controller-ingest ingest-micro dns-throughput api-load fleet; do
  echo "== bench/$b.sh $smoke ($(date -u +%H:%M:%S), load $(cut -d' ' -f1 /proc/loadavg))"
  start=$(date +%s)
  if "bench/$b.sh" $smoke; then
    echo "== $b: ok in $(( $(date +%s) - start )) s"
  else
    echo "== $b: FAILED after $(( $(date +%s) - start )) s" >&2
    failed+=("$b")
  fi
done
if (( ${#failed[@]} )); then
  echo "bench/all.sh: failed: ${failed[*]}" >&2
  exit 1
fi
echo "bench/all.sh: every benchmark ran"

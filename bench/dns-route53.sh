#!/usr/bin/env bash
# Route 53 failover benchmark against moto_server (no AWS account needed): API requests per
# failover and time from decision to INSYNC, with the default settings (5 requests/s budget,
# 1 s GetChange polls). Writes the table into docs/benchmarks.md between the dns markers.
# Usage: bench/dns-route53.sh [runs]   (default 20; needs moto_server on PATH)
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$BENCH_ROOT"
runs="${1:-20}"
out="$(mktemp)"
# core and dns-adapter only: the benchmark lives in dns-adapter's test sources
mvn -B -q -pl core,dns-adapter -DskipTests install
mvn -B -q -pl dns-adapter test -Dtest=Route53FailoverBench -Dsurefire.failIfNoSpecifiedTests=false \
  -Dpharos.bench.runs="$runs" -Dpharos.bench.out="$out"
doc_section dns "DNS: Route 53 failover (moto_server)" "$out" \
  "Command: \`bench/dns-route53.sh $runs\` — $(date +%F), $(nproc) cores, moto_server on loopback behind the counting fault proxy. Each run is one decision (alternately a region out and all back) carried out by \`ZoneReconciler.applyDecision\` and awaited until INSYNC, with the default Route 53 settings (budget 5 requests/s, GetChange every 1 s). Requests per failover: one ListResourceRecordSets to read the zone, one to re-read the fencing record just before sending (the pre-check), **one ChangeResourceRecordSets**, then GetChange polls. moto answers INSYNC at once; the second series makes the proxy answer PENDING to the change and to the first two GetChange polls (INSYNC on the third), as Route 53 does while it propagates (real propagation takes longer: the time then grows by one poll interval per PENDING answer)."

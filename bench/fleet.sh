#!/usr/bin/env bash
# Agent fleet (issue 17 #4): a controller trio and every region's app on loopback; simulated agents
# in driver JVMs (`pharos bench-fleet-driver`), one Hazelcast client per agent configured as a real
# agent's, each signing real reports with its region's key, once per heartbeat and at once on a
# flip, from the JVM's own probes of the apps. A burst of agents joins at once (time until every
# client is connected and every controller verified a report of each; goal 2 minutes), then fewer
# agents for a soak with the controllers' CPU, RSS and heap after a full GC sampled (least-squares
# slope per minute) and one region's app killed halfway (detected / DNS committed from the
# timeline); at the end every frame the drivers had acknowledged is accounted for on every
# controller: accepted + rejected by reason (the second copy of each report is a duplicate).
# The controllers run with what `pharos controller` runs with (jvm/controller.args: ZGC; CONTROLLER_JVM
# overrides, as in bench/controller-ingest.sh) and a 1 GB heap; the driver JVMs, which stand in for agents
# on other machines, run at nice 10 so they yield the shared cores to the controllers (DRIVER_NICE overrides).
# Usage: bench/fleet.sh [agents-burst] [agents-soak] [soak-seconds]   (default 1000 500 1800)
#        bench/fleet.sh --smoke                                       (12 agents, 10 s soak, the sandbox's lean
#                                                                     controller flags; checks only)
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$BENCH_ROOT"
smoke=0
if [[ "${1:-}" == "--smoke" ]]; then smoke=1; set -- 12 6 10; fi
burst="${1:-1000}"; soak="${2:-500}"; seconds="${3:-1800}"
name=fleet; [[ $smoke == 1 ]] && name=smoke-fleet
drivers=$(( burst >= 600 ? 6 : 3 ))
if [[ $smoke == 1 ]]; then
  extra=(--no-region-loss)
else
  extra=(--controller-jvm "$(controller_jvm | sed 's/-Xmx[^ ]*//g')" --driver-nice "${DRIVER_NICE:-10}")
fi
pharos_build
json="bench/results/$name.json"; [[ $smoke == 1 ]] && json="$BENCH_RUN/$name.json"
./pharos bench-fleet --burst-agents "$burst" --soak-agents "$soak" --soak-seconds "$seconds" --drivers "$drivers" \
  "${extra[@]}" --json "$json"
if [[ $smoke == 1 ]]; then
  python3 - "$json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
b, s, a = r["burst"], r.get("soak"), r["accounting"]
assert b["completed"], "the burst did not complete: %s" % b
assert s and len(s["samples"]) >= 1 and all("heapAfterGcMb" in c for c in s["samples"][0].values()
    if isinstance(c, dict)), "no soak sample with the heap after GC: %s" % s
assert a["framesSent"] > 0 and a["reports"] > 0, "nothing sent: %s" % a
assert a["worstLost"] == 0 and a["framesUnanswered"] == 0, "frames lost: %s" % a
assert all(c["accepted"] > 0 for c in a["controllers"]), "a controller accepted nothing: %s" % a
print("fleet smoke: ok (%d agents, %d frames accounted for on every controller)" % (b["agents"], a["framesSent"]))
PY
  exit 0
fi
md="$(mktemp)"
python3 - "$json" "$burst" "$soak" "$seconds" "$(machine)" > "$md" <<'PY'
import json, os, sys, datetime
r = json.load(open(sys.argv[1])); burst, soak, secs, machine = sys.argv[2:]
b, s, a = r["burst"], r.get("soak"), r["accounting"]
nice = f"nice -n {os.nice(0)} " if os.nice(0) else ""  # the niceness the script ran at
print(f"Command: `{nice}bench/fleet.sh {burst} {soak} {secs}` — {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC, "
      f"{machine}; load average {r['loadBefore']} before, {r['loadAfter']} after (the machine was shared). "
      f"{r['drivers']} driver JVMs; each simulated agent is its own Hazelcast client configured by the agent's "
      f"`AgentClientConfig`, signs every report with its region's key and sends it on two topics (the second copy "
      f"is counted as `duplicate`), once a second and at once on a flip, with the results of its JVM's probes of the "
      f"three apps. Controllers' JVM flags: `{r['controllerJvm']}`; drivers at nice {r.get('driverNice', 0)}.\n")
def ms(v): return "not reached" if v < 0 else f"{v/1000:.1f} s"
print("| burst | agents | every client connected | every controller verified a report of each | goal |")
print("|---|---|---|---|---|")
print(f"| {'completed' if b['completed'] else '**not completed in 300 s** (at most %d connected at once)' % b['maxConnected']} "
      f"| {b['agents']} | {ms(b['allConnectedMs'])} | {ms(b['everyControllerSawEveryAgentMs'])} | ≤ 120 s |")
th = [d.get("threads", 0) for d in b["drivers"]]; ag = [d["agents"] for d in b["drivers"]]
rss = [d.get("rssMb", 0) for d in b["drivers"]]
print(f"\nDrivers at the end of the burst: {sum(th)} threads for {sum(ag)} clients ({sum(th)/max(1,sum(ag)):.1f} per client), "
      f"RSS {sum(rss)} MB in all ({sum(rss)/max(1,sum(ag)):.2f} MB per client). Controllers over the burst: "
      + ", ".join(f"{c['id']} {c['cpuPercent']} % of a core, {c['rssMb']} MB" for c in b["controllers"]) + ".\n")
top = b.get("controllerHeapTop") or []
if top:
    print("Largest classes of the first controller's heap after the burst (live objects, `jcmd GC.class_histogram`): "
          + "; ".join(top[:8]) + ".\n")
if "error" in r:
    print(f"**The run stopped early**: {r['error']}\n")
if s:
    print(f"Soak: {s['agents']} agents ({s['connectedAtStart']} connected at its start); the drivers used "
          f"{s['driversCpuPercent']} % of a core ({s['driversCpuPercentPerAgent']} % per agent).\n")
    print(f"| soak: {s['agents']} agents, {s['seconds']} s | CPU mean (% of a core) | CPU slope /min | RSS first → last | "
          f"RSS slope /min | heap after full GC first → last | heap slope /min (samples) |")
    print("|---|---|---|---|---|---|---|")
    for cid, c in s["controllers"].items():
        print(f"| {cid} | {c['cpuPercentMean']} | {c['cpuPercentSlopePerMinute']:+} | {c['rssMbFirst']} → {c['rssMbLast']} MB | "
              f"{c['rssMbSlopePerMinute']:+} MB | {c['heapAfterGcMbFirst']} → {c['heapAfterGcMbLast']} MB | "
              f"{c['heapAfterGcMbSlopePerMinute']:+} MB ({c['heapAfterGcSamples']}) |")
    loss = s.get("regionLoss")
    if loss:
        if "error" in loss and "detectedMs" not in loss:
            print(f"\nRegion loss halfway: **failed**: {loss['error']}")
        else:
            print(f"\nRegion loss halfway ({loss.get('region')}'s app killed, leader elsewhere): detected "
                  f"{ms(loss['detectedMs'])}, DNS committed {ms(loss['dnsCommittedMs'])} (targets ≤ 3 s, ≤ 5 s); "
                  f"failed back {ms(loss.get('failedBackAfterRestartMs', -1))} after the app's restart"
                  + (f"; {loss['error']}" if "error" in loss else "") + ".")
print(f"\n| accounting | reports signed | frames acknowledged | publish failed | unanswered | per controller: accepted + rejected = counted (lost) |")
print("|---|---|---|---|---|---|")
per = "; ".join((f"{c['id']}: {c['accepted']} + {sum(c['rejected'].values())} "
                 f"({', '.join(f'{k} {v}' for k, v in c['rejected'].items()) or 'none'}) = {c['counted']} ({c['lost']})")
                if c.get("answered", True) else f"{c['id']}: did not answer (exited)" for c in a["controllers"])
print(f"| whole run | {a['reports']} | {a['framesSent']} | {a['framesFailed']} | {a['framesUnanswered']} | {per} |")
PY
cat "$md"
doc_section fleet "Agent fleet: burst, soak, region loss, every report accounted for" "$md"

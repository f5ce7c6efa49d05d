#!/usr/bin/env python3
"""Summarises a JFR recording for docs/benchmarks.md: per thread, Java samples (jdk.ExecutionSample)
and native samples (jdk.NativeMethodSample, with the top native frame: EPoll.wait = idle event loop),
then the heaviest frames (inclusive) of the threads matching a pattern.
Usage: jfr-top.py RECORDING [thread-pattern] [frames]"""
import collections, re, subprocess, sys

rec = sys.argv[1]
pattern = re.compile(sys.argv[2] if len(sys.argv) > 2 else "eventloop")
top = int(sys.argv[3]) if len(sys.argv) > 3 else 15

def events(kind, depth):
    out = subprocess.run(["jfr", "print", "--stack-depth", str(depth), "--events", kind, rec],
                         capture_output=True, text=True, check=True).stdout
    for e in out.split(kind + " {")[1:]:
        th = re.search(r'sampledThread = "([^"]*)"', e)
        frames = re.findall(r"^\s+([\w.$<>/]+)\(", e, re.M)
        yield (th.group(1) if th else "?"), frames

java = collections.Counter(); native = collections.Counter(); incl = collections.Counter(); n = 0
for th, frames in events("jdk.ExecutionSample", 64):
    java[th] += 1
    if pattern.search(th):
        n += 1
        for f in set(frames):
            incl[f] += 1
for th, frames in events("jdk.NativeMethodSample", 1):
    native[(th, frames[0] if frames else "?")] += 1

cpu = subprocess.run(["jfr", "print", "--events", "jdk.CPULoad", rec], capture_output=True, text=True).stdout
def avg(field):
    v = [float(x) for x in re.findall(rf"{field} = ([\d.]+)%", cpu)]
    return sum(v) / len(v) if v else float("nan")
print(f"CPU (jdk.CPULoad, mean of {cpu.count('jdk.CPULoad')} samples): this JVM {avg('jvmUser') + avg('jvmSystem'):.1f} % "
      f"of the machine, the whole machine {avg('machineTotal'):.1f} %.\n")
print("| thread | Java samples | native samples (top frame) |")
print("|---|---|---|")
for th, c in java.most_common(6):
    nat = ", ".join(f"{f.split('.')[-1]} {k}" for (t, f), k in native.most_common() if t == th)
    print(f"| {th} | {c} | {nat or '–'} |")
print(f"\nHeaviest frames on threads matching `{pattern.pattern}` ({n} Java samples; inclusive):\n")
skip = ("java.lang.Thread.run", "io.netty.util.concurrent", "io.netty.util.internal.ThreadExecutorMap",
        "io.netty.channel.SingleThreadIoEventLoop.run")
shown = 0
for f, c in incl.most_common():
    if f.startswith(skip):
        continue
    print(f"- {c * 100 // max(n, 1)} % `{f}`")
    shown += 1
    if shown >= top:
        break

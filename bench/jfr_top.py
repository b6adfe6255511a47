"""Aggregates JFR jdk.ExecutionSample events (from `jfr print --json`): the top frames, the first frame of Pier
or OpenTelemetry code on each stack (what of ours, or of the SDK, asked for the time), and the threads.
Usage: python3 bench/jfr_top.py samples.json [TOP]"""
import collections, json, re, sys

events = json.load(open(sys.argv[1]))["recording"]["events"]
top = int(sys.argv[2]) if len(sys.argv) > 2 else 25


def name(f):
    m = f["method"]
    return f'{m["type"]["name"].replace("/", ".")}.{m["name"]}'


leaf, owner, threads, otel = collections.Counter(), collections.Counter(), collections.Counter(), 0
for e in events:
    frames = (e["values"].get("stackTrace") or {}).get("frames") or []
    if not frames:
        continue
    leaf[name(frames[0])] += 1
    own = next((name(f) for f in frames if re.match(r"(dev\.pier|io\.opentelemetry)\.", f["method"]["type"]["name"].replace("/", "."))), "-")
    owner[own] += 1
    otel += any(f["method"]["type"]["name"].replace("/", ".").startswith("io.opentelemetry.") for f in frames)
    t = e["values"].get("sampledThread") or {}
    threads[re.sub(r"\d+", "N", t.get("javaName") or t.get("osName") or "?")] += 1
n = max(1, sum(leaf.values()))
print(f"   {n} samples; {100 * otel / n:.1f} % with OpenTelemetry code on the stack")
for title, c in (("top frames", leaf), ("first Pier/OpenTelemetry frame", owner), ("threads", threads)):
    print(f"   -- {title}")
    for k, v in c.most_common(top if title != "threads" else 10):
        print(f"   {100 * v / n:5.1f} %  {k}")

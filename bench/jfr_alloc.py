"""Allocation sites of tracing: from JFR jdk.ObjectAllocationSample events (`jfr print --json`), the bytes per
request that samples with tracing code (dev.pier.tracing, io.opentelemetry) on the stack stand for, by class and
frame, next to the sampled total. Usage: python3 bench/jfr_alloc.py samples.json REQUESTS [TOP]"""
import collections, json, sys

events = json.load(open(sys.argv[1]))["recording"]["events"]
requests, top = int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 15


def frame(f):
    m = f["method"]
    return f'{m["type"]["name"].replace("/", ".").rsplit(".", 1)[-1]}.{m["name"]}:{f.get("lineNumber", "?")}'


total, traced, sites = 0, 0, collections.Counter()
for e in events:
    v = e["values"]
    w = int(v["weight"])
    total += w
    frames = (v.get("stackTrace") or {}).get("frames") or []
    # the innermost frame of Pier or OpenTelemetry code (lambdas skipped: a method reference such as
    # delegate()::infer would charge the whole core to the tracing decorator) decides who asked for the bytes
    own = next((f for f in frames if f["method"]["type"]["name"].replace("/", ".").startswith(("dev.pier.", "io.opentelemetry."))
                and "$$Lambda" not in f["method"]["type"]["name"].replace("/", ".")), None)
    if own and own["method"]["type"]["name"].replace("/", ".").startswith(("dev.pier.tracing.", "io.opentelemetry.")):
        own = frame(own)
        traced += w
        sites[(v["objectClass"]["name"], frame(frames[0]) if frames else "?", own)] += w
print(f"   allocation samples: {total / requests:,.0f} B/request in all, {traced / requests:,.0f} B/request allocated by tracing code (its frame innermost of Pier's and the SDK's)")
for (cls, first, own), w in sites.most_common(top):
    print(f"   {w / requests:8,.0f}  {cls:32.32}  {first:40.40}  {own}")

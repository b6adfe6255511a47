#!/usr/bin/python3
"""Helpers of bench/ledger.sh (standard library only; wrk, h2load and a JDK's jcmd/jfr do the work).

  inputs NAME SHAPE SEED DIR     one seeded random row of SHAPE floats (N, or dimensions such as 3x32x32), written
                                 in every wire format the ledger posts, with the same numbers: DIR/NAME-tf.json
                                 (TF Serving {"instances"}, nested to SHAPE),
                                 DIR/NAME-v2.json (KServe V2 JSON), DIR/NAME-v2.bin + DIR/NAME-v2.bin.len
                                 (V2 binary tensor extension, and its JSON header length), DIR/NAME.grpc
                                 (one length-prefixed gRPC message: inference.ModelInferRequest)
  compare TF_BODY URL_A URL_B    POSTs the same :predict body to both servers, prints the largest absolute
                                 difference of their predictions; exits 1 past 1e-4
  measure OUT.jsonl KEY=VALUE... one ledger row: a warm-up, then a measured run of wrk (HTTP) or h2load (gRPC),
                                 with the servers' CPU time (/proc/PID/stat of each process tree) and, with
                                 jfr_pid, the Java server's allocation (JFR jdk.ThreadAllocationStatistics)
                                 and, with metrics=URL model=NAME, the server's mean batch size (Triton's
                                 counters on its /metrics page) over the measured run; also the load
                                 generator's own CPU; appends one JSON line
  window OUT.json SKIP SPAN PIDS COMMAND...
                                 runs COMMAND (a load generator that warms up by itself, e.g. `pier bench`) and
                                 writes the CPU cores used by the processes PIDS (comma-separated, with their
                                 descendants; "-" for none) and by COMMAND's own process tree between SKIP and SKIP + SPAN
                                 seconds after its start
  report WORK DOCS COMMAND       reads WORK/rows.jsonl and WORK/machine.json, prints the ledger and replaces
                                 the "## Ledger" section of DOCS (atomically; "-" prints it instead)
"""
import datetime
import json
import os
import random
import re
import resource
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request

CLK_TCK = os.sysconf("SC_CLK_TCK")


# ---------------------------------------------------------------------------------------------- request bodies

def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def field(number, wire_type, payload):
    key = varint(number << 3 | wire_type)
    if wire_type == 2:
        return key + varint(len(payload)) + payload
    return key + payload


def model_infer_request(model, input_name, shape, values):
    """inference.ModelInferRequest with the row in raw_input_contents, as Triton's own client sends it."""
    packed_shape = b"".join(varint(d) for d in shape)
    tensor = (field(1, 2, input_name.encode()) + field(2, 2, b"FP32") + field(3, 2, packed_shape))
    raw = struct.pack(f"<{len(values)}f", *values)
    return field(1, 2, model.encode()) + field(5, 2, tensor) + field(7, 2, raw)


def nest(flat, dims):
    """The flat row as nested lists of the given dimensions (row-major), as a TF Serving instance is written."""
    if len(dims) == 1:
        return list(flat)
    step = len(flat) // dims[0]
    return [nest(flat[i * step:(i + 1) * step], dims[1:]) for i in range(dims[0])]


def inputs(name, shape, seed, out):
    dims = [int(d) for d in str(shape).split("x")]
    n = 1
    for d in dims:
        n *= d
    rnd = random.Random(int(seed))
    # 6 decimals: every body carries the same text, so every server parses the same floats
    flat = [round(rnd.random(), 6) for _ in range(n)]
    tf = {"instances": [nest(flat, dims)]}
    v2 = {"inputs": [{"name": "input", "datatype": "FP32", "shape": [1, *dims], "data": flat}]}
    header = json.dumps({"inputs": [{"name": "input", "datatype": "FP32", "shape": [1, *dims],
                                     "parameters": {"binary_data_size": 4 * n}}],
                         "parameters": {"binary_data_output": True}}, separators=(",", ":")).encode()
    with open(os.path.join(out, f"{name}-tf.json"), "w") as f:
        json.dump(tf, f)
    with open(os.path.join(out, f"{name}-v2.json"), "w") as f:
        json.dump(v2, f)
    with open(os.path.join(out, f"{name}-v2.bin"), "wb") as f:
        f.write(header + struct.pack(f"<{n}f", *flat))
    with open(os.path.join(out, f"{name}-v2.bin.len"), "w") as f:
        f.write(str(len(header)))
    message = model_infer_request(name, "input", [1, *dims], flat)
    with open(os.path.join(out, f"{name}.grpc"), "wb") as f:
        f.write(b"\x00" + struct.pack(">I", len(message)) + message)  # uncompressed, big-endian length


def predictions(url, body):
    req = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.load(r)["predictions"]


def flatten(x):
    if isinstance(x, list):
        for v in x:
            yield from flatten(v)
    else:
        yield float(x)


def compare(body_file, url_a, url_b):
    body = open(body_file, "rb").read()
    a = list(flatten(predictions(url_a, body)))
    b = list(flatten(predictions(url_b, body)))
    if len(a) != len(b):
        print(f"different output sizes: {len(a)} from {url_a}, {len(b)} from {url_b}")
        sys.exit(1)
    diff = max(abs(x - y) for x, y in zip(a, b))
    print(f"{diff:.2e}")
    sys.exit(0 if diff <= 1e-4 else 1)


# ------------------------------------------------------------------------------------------------- measuring

def tree_ticks(root_pids):
    """utime + stime, in clock ticks, of the given processes and all their descendants alive now."""
    parent = {}
    ticks = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()  # after "pid (comm) "
        parent[int(entry)] = int(fields[1])
        ticks[int(entry)] = int(fields[11]) + int(fields[12])
    wanted = set(root_pids)
    total = 0
    for pid in ticks:
        p = pid
        while p > 1:
            if p in wanted:
                total += ticks[pid]
                break
            p = parent.get(p, 0)
    return total


def seconds(text):
    text = str(text).strip()
    for unit, scale in (("ms", 1e-3), ("s", 1.0), ("m", 60.0)):
        if text.endswith(unit):
            return float(text[:-len(unit)]) * scale
    return float(text)


def run_wrk(o, duration, env):
    cmd = ["wrk", "-t", o["threads"], "-c", o["connections"], "-d", duration, "--latency",
           "-s", o["lua"], o["url"]]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=seconds(duration) + 60).stdout
    line = next(l for l in out.splitlines() if l.startswith("PIER_WRK"))
    v = {k: int(x) for k, x in (kv.split("=") for kv in line.split()[1:])}
    return {"requests": v["requests"], "errors": v["errors"], "seconds": v["duration_us"] / 1e6,
            "rps": v["requests"] / (v["duration_us"] / 1e6), "p50_ms": v["p50_us"] / 1e3,
            "p99_ms": v["p99_us"] / 1e3, "max_ms": v["max_us"] / 1e3}


def run_h2load(o, duration, work):
    log = os.path.join(work, "h2load.log")
    if os.path.exists(log):
        os.remove(log)
    cmd = ["h2load", "-t", o["threads"], "-c", o["connections"], "-m", "1", "-D", str(int(seconds(duration))),
           "-d", o["body"], "-H", "content-type: application/grpc", "-H", "te: trailers",
           "--log-file", log, o["url"]]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds(duration) + 60).stdout
    m = re.search(r"finished in ([\d.]+)(m?s), ([\d.]+) req/s", out)
    r = re.search(r"requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, "
                  r"(\d+) errored, (\d+) timeout", out)
    # errors: h2load's "failed" (4xx, 5xx, stream errors and timeouts; "errored" and "timeout" are parts of it)
    # and 3xx, which it counts as succeeded. Done minus 2xx, used before, went negative: "done" leaves out
    # requests that end after the -D window, the status counts do not. gRPC's own status (grpc-status in the
    # trailers) is not seen by h2load.
    s = re.search(r"status codes: \d+ 2xx, (\d+) 3xx", out)
    if not (m and r):
        raise SystemExit(f"h2load output not understood:\n{out}")
    took = float(m.group(1)) / (1000 if m.group(2) == "ms" else 1)
    ok = int(r.group(4))
    # each log line: start time (µs since the epoch), status, elapsed µs
    lat = sorted(int(line.split()[2]) for line in open(log) if line.strip())
    pct = lambda p: lat[min(len(lat) - 1, int(p / 100 * len(lat)))] / 1e3 if lat else float("nan")
    redirects = int(s.group(1)) if s else 0
    return {"requests": ok, "errors": int(r.group(5)) + redirects,
            "seconds": took, "rps": ok / took, "p50_ms": pct(50), "p99_ms": pct(99), "max_ms": lat[-1] / 1e3 if lat else 0}


BATCH_COUNTERS = ("nv_inference_count", "nv_inference_exec_count")  # rows inferred, runtime calls


def batch_counters(url, model):
    """Triton's rows and executions counters of one model on a Prometheus /metrics page, summed over its lines."""
    with urllib.request.urlopen(url, timeout=10) as r:
        page = r.read().decode()
    sums = dict.fromkeys(BATCH_COUNTERS, 0.0)
    for line in page.splitlines():
        m = re.match(r"([a-z_]+?)(?:_total)?\{([^}]*)\}\s+(\S+)", line)
        if m and m.group(1) in sums and f'model="{model}"' in m.group(2):
            sums[m.group(1)] += float(m.group(3))
    return sums


def children_cpu():
    """utime + stime, in seconds, of this process's children that have been waited for (the load generator)."""
    u = resource.getrusage(resource.RUSAGE_CHILDREN)
    return u.ru_utime + u.ru_stime


ALLOC_JFC = """<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0" label="ledger allocation">
  <event name="jdk.ThreadAllocationStatistics"><setting name="enabled">true</setting>
    <setting name="period">everyChunk</setting></event>
</configuration>
"""


def jcmd(java_home, pid, *args):
    return subprocess.run([os.path.join(java_home, "bin", "jcmd"), str(pid), *args],
                          capture_output=True, text=True, timeout=120).stdout


def allocation(java_home, jfr_file):
    """Bytes allocated between the recording's first and last jdk.ThreadAllocationStatistics, by thread kind."""
    out = subprocess.run([os.path.join(java_home, "bin", "jfr"), "print", "--json", "--events",
                          "jdk.ThreadAllocationStatistics", jfr_file], capture_output=True, text=True,
                         timeout=120).stdout
    events = json.loads(out)["recording"]["events"]
    times = sorted({e["values"]["startTime"] for e in events})
    last = times[-1]
    per_thread = {}
    for e in events:
        v = e["values"]
        t = v.get("thread") or {}
        key = (t.get("javaThreadId"), t.get("javaName") or t.get("osName") or "?")
        per_thread.setdefault(key, []).append((v["startTime"], int(v["allocated"])))
    kinds = {}
    for (_, name), samples in per_thread.items():
        samples.sort()
        if len(samples) >= 2:
            delta = samples[-1][1] - samples[0][1]
        elif samples[0][0] == last:
            delta = samples[0][1]  # a thread started inside the window
        else:
            continue               # a thread that ended inside the window: unknown, left out
        kind = ("event loops" if "eventloop" in name else
                "inference" if re.search(r"batch|infer|worker|session", name, re.I) else "other")
        kinds[kind] = kinds.get(kind, 0) + delta
    return kinds


def measure(out_file, *pairs):
    o = dict(p.split("=", 1) for p in pairs)
    o.setdefault("threads", "2")
    o.setdefault("connections", "32")
    work = os.path.dirname(os.path.abspath(out_file))
    env = dict(os.environ)
    for key, var in (("body", "PIER_BODY"), ("content_type", "PIER_CONTENT_TYPE"), ("header", "PIER_HEADER")):
        env.pop(var, None)
        if o.get(key) and o["tool"] == "wrk":
            env[var] = o[key]
    run = (lambda d: run_wrk(o, d, env)) if o["tool"] == "wrk" else (lambda d: run_h2load(o, d, work))
    warm = run(o["warmup"])
    jfr_pid = o.get("jfr_pid")
    if jfr_pid:
        jfc = os.path.join(work, "alloc.jfc")
        with open(jfc, "w") as f:
            f.write(ALLOC_JFC)
        jcmd(o["java_home"], jfr_pid, "JFR.start", "name=ledger-alloc", f"settings={jfc}")
    pids = [int(p) for p in o["pids"].split(",")]
    metrics = o.get("metrics")
    b0 = batch_counters(metrics, o["model"]) if metrics else None
    t0, c0 = tree_ticks(pids), children_cpu()
    r = run(o["duration"])
    t1, c1 = tree_ticks(pids), children_cpu()
    b1 = batch_counters(metrics, o["model"]) if metrics else None
    r["cpu_us"] = (t1 - t0) / CLK_TCK * 1e6 / max(1, r["requests"])
    r["cpu_cores"] = (t1 - t0) / CLK_TCK / r["seconds"]
    r["client_cores"] = (c1 - c0) / r["seconds"]
    if metrics:
        rows, execs = (b1[k] - b0[k] for k in BATCH_COUNTERS)
        r["mean_batch"] = rows / execs if execs > 0 else None
    if jfr_pid:
        jfr_file = os.path.join(work, "alloc.jfr")
        jcmd(o["java_home"], jfr_pid, "JFR.stop", "name=ledger-alloc", f"filename={jfr_file}")
        kinds = allocation(o["java_home"], jfr_file)
        r["alloc_b"] = sum(kinds.values()) / max(1, r["requests"])
        r["alloc_kinds"] = {k: v / max(1, r["requests"]) for k, v in kinds.items()}
    r.update(round=int(o["round"]), server=o["server"], row=o["row"], tool=o["tool"], warmup_rps=warm["rps"],
             load=open("/proc/loadavg").read().split()[0])
    with open(out_file, "a") as f:
        f.write(json.dumps(r) + "\n")
    extra = (f"  CPU {r['cpu_us']:.0f} µs/req" + (f"  alloc {r['alloc_b']:,.0f} B/req" if "alloc_b" in r else "")
             + (f"  batch {r['mean_batch']:.1f}" if r.get("mean_batch") else ""))
    print(f"  {r['rps']:>9,.0f} req/s  p50 {r['p50_ms']:7.3f} ms  p99 {r['p99_ms']:7.3f} ms  errors {r['errors']}"
          f"{extra}  (load {r['load']})")


def window(out_file, skip, span, pids, *command):
    pids = [int(p) for p in pids.split(",") if p != "-"]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    time.sleep(float(skip))
    t0, c0, w0 = tree_ticks(pids), tree_ticks([proc.pid]), time.monotonic()
    time.sleep(float(span))
    t1, c1, w1 = tree_ticks(pids), tree_ticks([proc.pid]), time.monotonic()
    if proc.wait() != 0:
        raise SystemExit(f"{command[0]} exited with {proc.returncode}")
    with open(out_file, "w") as f:
        json.dump({"cpu_cores": (t1 - t0) / CLK_TCK / (w1 - w0), "client_cores": (c1 - c0) / CLK_TCK / (w1 - w0)}, f)


# -------------------------------------------------------------------------------------------------- reporting

def fmt_rate(x):
    return f"{x:,.0f}" if x >= 100 else f"{x:,.1f}"


def report(work, docs, command):
    rows = [json.loads(l) for l in open(os.path.join(work, "rows.jsonl")) if l.strip()]
    machine = json.load(open(os.path.join(work, "machine.json")))
    ceiling = {(r["round"], r["server"]): r["rps"] for r in rows if r["row"] == "ceiling"}

    lines = ["| round | server | row (tool) | req/s | p50 (ms) | p99 (ms) | errors | of own ceiling "
             "| server CPU (µs/req) | allocated (B/req) | load |", "|" + " --- |" * 11]
    for r in rows:
        c = ceiling.get((r["round"], r["server"]))
        frac = f"{r['rps'] / c:.1%}" if c and r["row"] != "ceiling" and r["server"] != "pier bench" else "—"
        alloc = f"{r['alloc_b']:,.0f}" if "alloc_b" in r else "—"
        cpu = f"{r['cpu_us']:.0f}" if "cpu_us" in r else "—"
        lines.append(f"| {r['round']} | {r['server']} | {r['row']} ({r['tool']}) | {fmt_rate(r['rps'])} "
                     f"| {r['p50_ms']:.3f} | {r['p99_ms']:.3f} | {r['errors']} | {frac} | {cpu} | {alloc} "
                     f"| {r.get('load', '—')} |")

    def get(rnd, server, row):
        return next((r for r in rows if (r["round"], r["server"], r["row"]) == (rnd, server, row)), None)

    rounds = sorted({r["round"] for r in rows})
    ratio_lines = ["| round | Pier TF Serving JSON ÷ peer (pydantic) | ÷ peer (raw Request) | Pier p99 vs peer p50 "
                   "(pydantic / raw) | Pier ceiling ÷ peer ceiling |", "|" + " --- |" * 5]
    for rnd in rounds:
        p = get(rnd, "Pier", "TF Serving REST JSON")
        a = get(rnd, "peer", "TF Serving JSON, pydantic model")
        b = get(rnd, "peer", "TF Serving JSON, raw Request")
        pc, qc = ceiling.get((rnd, "Pier")), ceiling.get((rnd, "peer"))
        if not (p and a and b):
            continue
        ceil = f"{pc / qc:.2f}×" if pc and qc else "—"
        ratio_lines.append(
            f"| {rnd} | **{p['rps'] / a['rps']:.2f}×** | **{p['rps'] / b['rps']:.2f}×** "
            f"| {p['p99_ms']:.2f} ms vs {a['p50_ms']:.2f} / {b['p50_ms']:.2f} ms | {ceil} |")

    cal = [r for r in rows if r["server"] == "pier bench"]
    cal_lines = []
    for c in cal:
        w = get(c["round"], "Pier", "TF Serving REST JSON")
        if w:
            cal_lines.append(f"- round {c['round']}: `pier bench` {fmt_rate(c['rps'])} req/s (p50 {c['p50_ms']:.3f} ms, "
                             f"p99 {c['p99_ms']:.3f} ms) against wrk's {fmt_rate(w['rps'])} req/s on the same "
                             f"endpoint: `pier bench` measures **{c['rps'] / w['rps']:.2f}×** what wrk measures.")
    print("\n".join(lines + [""] + ratio_lines + [""] + cal_lines))

    alloc_kinds = "; ".join(
        f"{r['row']}: " + ", ".join(f"{k} {v:,.0f}" for k, v in sorted(r["alloc_kinds"].items()))
        for r in rows if "alloc_kinds" in r) or "—"
    noisy = float(machine["load"]) > 0.5 * int(machine["cores"])
    section = [
        "## Ledger",
        "",
        f"Command: `{command}` (started {machine['started']}, {machine['took']} s in all; {machine['cores']} cores; "
        f"load average {machine['load']} at the start and {machine['load_end']} at the end; "
        f"{machine['duration']} per measured step after {machine['warmup']} of warm-up with the same tool; "
        f"{machine['rounds']} rounds, servers alternated).",
        "Written by `bench/ledger.sh`, which replaces this section on each run. This machine is shared with other "
        "work (the `load` column is the 1-minute load average after each step): compare rows of one round with "
        "each other, and treat absolute figures as this machine's at that moment.",
        "",
    ] + ([f"**Noisy**: the load average at the start ({machine['load']}) was above half the core count.", ""]
         if noisy else []) + [
        "Model: the reference MLP 784-128-10 (`pier example-model`, seeded random weights). Every server gets the "
        "same seeded random 784-float row, one row per request, over 127.0.0.1; the load generators share the "
        "machine's cores with the server.",
        f"- **HTTP rows**: `wrk -t2 -c{machine['connections']} -d{machine['duration']} --latency -s bench/post.lua URL` "
        "(Debian wrk; `post.lua` posts the body file named by `PIER_BODY`; p50/p99 are wrk's; errors are "
        "non-2xx answers plus socket errors and timeouts).",
        f"- **gRPC row**: `h2load -t2 -c{machine['connections']} -m1 -D{machine['duration'].rstrip('s')} -d BODY.grpc "
        "-H 'content-type: application/grpc' -H 'te: trailers' "
        "http://127.0.0.1:PORT/inference.GRPCInferenceService/ModelInfer` (Debian nghttp2-client; the body is "
        "one length-prefixed `ModelInferRequest` with the row in `raw_input_contents`; p50/p99 from its "
        "`--log-file`).",
        "- **ceiling**: each server's cheapest route, driven the same way: Pier `GET /v2/health/live`, the "
        "peer's `GET /ping` (an `async def` returning a constant). `of own ceiling` divides a row by its own "
        "server's ceiling in the same round.",
        "- **Pier**: `bin/pier serve --model-repository R` with its defaults (generational ZGC, event loops and "
        "workers from the available cores). Rows: TF Serving REST JSON (`POST /v1/models/mnist:predict`, "
        "`{\"instances\": [[...]]}`), KServe V2 REST JSON, V2 REST binary tensor extension "
        "(`Inference-Header-Content-Length`, outputs binary too), V2 gRPC `ModelInfer`.",
        f"- **peer**: FastAPI {machine['fastapi']} with PyTorch {machine['torch']} (Debian packages) run as its "
        f"users run it: `uvicorn --workers {machine['peer_workers']} --loop uvloop --http httptools --no-access-log` "
        f"(uvicorn {machine['uvicorn']}), serving the same weights as TorchScript (`bench/ledger_export_torchscript.py`), "
        "1 torch thread per worker process (`bench/ledger_peer_server.py`). Two variants of the TF Serving "
        "`:predict` route: the usual pydantic body model (`instances: List[List[float]]`, a `def` handler on "
        "FastAPI's thread pool) and a raw `Request` handler (`async def`, `json.loads(await request.body())`). "
        f"Before measuring, the ledger posts one body to both and checks the predictions agree (largest "
        f"difference {machine['agreement']}).",
        "- **server CPU**: utime + stime of the server's process tree (`/proc/PID/stat`, the peer's worker "
        "processes included) over the measured run ÷ requests answered.",
        "- **allocated**: Pier only, in the last round: a JFR recording of `jdk.ThreadAllocationStatistics` "
        "started with `jcmd PID JFR.start` after the warm-up and stopped after the run; the sum over threads of "
        "the bytes each allocated between the recording's first and last event ÷ requests answered "
        f"(by thread kind: {alloc_kinds}).",
        "- **calibration**: `pier bench --protocol tfserving --concurrency "
        f"{machine['connections']}` against the same Pier endpoint right after wrk's row, so the overhead of "
        "Pier's own load generator is known.",
        "",
    ] + lines + ["", "Pier ÷ peer, measured in the same round:", ""] + ratio_lines + ["", "Calibration:", ""] \
        + (cal_lines or ["- (no calibration row in this run)"]) + [""]
    if docs == "-":
        print("\n".join(section))
        return
    text = open(docs).read() if os.path.exists(docs) else "# Benchmarks\n"
    start = text.find("\n## Ledger\n")
    if start >= 0:
        end = text.find("\n## ", start + 1)
        text = text[:start + 1] + "\n".join(section) + ("\n" + text[end + 1:] if end >= 0 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + "\n".join(section)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(docs)), prefix=".benchmarks-")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    os.chmod(tmp, 0o644)
    os.replace(tmp, docs)
    print(f"wrote the Ledger section of {docs}")


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    {"inputs": inputs, "compare": compare, "measure": measure, "window": window, "report": report}[cmd](*args)

#!/usr/bin/python3
"""Helpers of bench/ledger.sh (standard library only).

  inputs NAME SHAPE SEED DIR     one seeded random request, written twice with the same numbers:
                                 DIR/NAME-v2.json (KServe V2) and DIR/NAME-tf.json (TF Serving {"instances"})
  compare TF_BODY URL_A URL_B    POSTs the same :predict body to both servers, prints the largest absolute
                                 difference of their predictions; exits 1 past 1e-4
  torchraw MODEL.pt TF_BODY SECONDS WARMUP OUT.json
                                 the peer's own baseline: the TorchScript model called in this process, batch 1,
                                 one torch thread (needs /usr/bin/python3 with torch)
  report WORK DOCS COMMAND       reads WORK/results.tsv and the JSON files it names, prints the ledger and
                                 replaces the "## Ledger" section of DOCS (atomically)
"""
import datetime
import json
import os
import random
import sys
import tempfile
import urllib.request


def inputs(name, shape, seed, out):
    dims = [int(d) for d in shape.split("x")]
    rnd = random.Random(int(seed))
    n = 1
    for d in dims:
        n *= d
    # 6 decimals: the text both bodies carry is the same, so both servers parse the same floats
    flat = [round(rnd.random(), 6) for _ in range(n)]
    v2 = {"inputs": [{"name": "input", "datatype": "FP32", "shape": [1] + dims, "data": flat}]}

    def nest(values, ds):
        if len(ds) == 1:
            return values
        step = len(values) // ds[0]
        return [nest(values[i * step:(i + 1) * step], ds[1:]) for i in range(ds[0])]

    tf = {"instances": [nest(flat, dims)]}
    with open(os.path.join(out, f"{name}-v2.json"), "w") as f:
        json.dump(v2, f)
    with open(os.path.join(out, f"{name}-tf.json"), "w") as f:
        json.dump(tf, f)


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


def seconds(text):
    text = text.strip()
    for unit, scale in (("ms", 1e-3), ("s", 1.0), ("m", 60.0)):
        if text.endswith(unit):
            return float(text[:-len(unit)]) * scale
    return float(text)


def torchraw(model_file, body_file, duration, warmup, out):
    import time
    import torch
    torch.set_num_threads(1)
    m = torch.jit.load(model_file).eval()
    with open(body_file) as f:
        x = torch.tensor(json.load(f)["instances"], dtype=torch.float32)  # the rows the servers get
    latencies = []
    with torch.inference_mode():
        for phase, length in (("warmup", seconds(warmup)), ("measure", seconds(duration))):
            start = time.perf_counter()
            end = start + length
            while True:
                t0 = time.perf_counter()
                if t0 >= end:
                    break
                m(x)
                if phase == "measure":
                    latencies.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - start
    latencies.sort()

    def pct(p):
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000

    result = {"requestsPerSecond": len(latencies) / elapsed,
              "latency": {"p50Ms": pct(50), "p99Ms": pct(99), "count": len(latencies)}}
    with open(out, "w") as f:
        json.dump(result, f)
    print(f"  {result['requestsPerSecond']:.0f} inferences/s, p50 {pct(50):.3f} ms, p99 {pct(99):.3f} ms")


def load(path):
    with open(path) as f:
        return json.load(f)


def fmt_rate(x):
    return f"{x:,.0f}" if x >= 100 else f"{x:,.1f}"


def report(work, docs, command):
    """results.tsv rows: model, kind (raw|torchraw|pier|peer), label, threads (raw kinds), json file."""
    rows = []
    with open(os.path.join(work, "results.tsv")) as f:
        for line in f:
            model, kind, label, par, path = line.rstrip("\n").split("\t")
            d = load(path)
            if kind in ("raw", "torchraw"):
                lat = d["latency"]
                rows.append(dict(model=model, kind=kind, label=label, par=int(par), rps=d["requestsPerSecond"],
                                 p50=lat["p50Ms"], p99=lat["p99Ms"], errors=0))
            else:
                for s in d["steps"]:
                    rows.append(dict(model=model, kind=kind, label=label, par=int(s["concurrency"]),
                                     rps=s["throughput"], p50=s["p50_ms"], p99=s["p99_ms"], errors=s["errors"]))

    models = list(dict.fromkeys(r["model"] for r in rows))
    kinds = ["raw", "torchraw", "pier", "peer"]
    rows.sort(key=lambda r: (models.index(r["model"]), kinds.index(r["kind"])))  # stable within a kind

    def find(model, kind, label, par):
        for r in rows:
            if (r["model"], r["kind"], r["label"], r["par"]) == (model, kind, label, par):
                return r
        return None

    raw_pars = sorted({r["par"] for r in rows if r["kind"] == "raw"})

    def raw_for(model, par):
        # the raw run with the most threads not above the server's concurrency
        best = None
        for p in raw_pars:
            if p <= par:
                best = find(model, "raw", "raw", p) or best
        return best

    reference = "Pier TF Serving REST/JSON"
    lines = ["| model | what | concurrency / threads | throughput (req/s) | p50 (ms) | p99 (ms) | errors "
             "| × raw ORT | × Pier (TF Serving JSON) |", "|" + " --- |" * 9]
    printed = []
    for r in rows:
        server = r["kind"] in ("pier", "peer")
        raw = raw_for(r["model"], r["par"]) if server else None
        pier = find(r["model"], "pier", reference, r["par"]) if server else None
        vs_raw = f"{r['rps'] / raw['rps']:.3f}" if raw and raw["rps"] > 0 else "—"
        shown = {"raw": "raw ONNX Runtime in-process (`pier bench --in-process`)",
                 "torchraw": "raw PyTorch TorchScript in-process (the peer's model, no server)"}.get(r["kind"], r["label"])
        vs_pier = f"{r['rps'] / pier['rps']:.3f}" if pier and pier["rps"] > 0 else "—"
        if r["kind"] == "torchraw":
            onnx_raw = find(r["model"], "raw", "raw", r["par"])
            vs_raw = f"{r['rps'] / onnx_raw['rps']:.3f}" if onnx_raw and onnx_raw["rps"] > 0 else "—"
        if r["kind"] == "peer" and pier:
            vs_pier = (f"**{r['rps'] / pier['rps']:.3f}** (p50 {r['p50'] / pier['p50']:.2f}×, "
                       f"p99 {r['p99'] / pier['p99']:.2f}×)")
        lines.append(f"| {r['model']} | {shown} | {r['par']} | {fmt_rate(r['rps'])} | {r['p50']:.3f} "
                     f"| {r['p99']:.3f} | {r['errors']} | {vs_raw} | {vs_pier} |")
        short = {"raw": "raw ONNX Runtime, in-process", "torchraw": "raw PyTorch (peer's model), in-process"}
        printed.append(f"{r['model']:6} {short.get(r['kind'], r['label']):38} {r['par']:3}  {fmt_rate(r['rps']):>9} req/s  "
                       f"p50 {r['p50']:8.3f} ms  p99 {r['p99']:8.3f} ms  errors {r['errors']:<4} "
                       f"x raw {vs_raw:>6}  x Pier {vs_pier.replace('**', '')}")
    print("\n".join(printed))

    machine = load(os.path.join(work, "machine.json"))
    started = machine.get("started") or datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    noisy = float(machine["load"]) > 0.5 * int(machine["cores"])
    section = [
        "## Ledger",
        "",
        f"Command: `{command}` (started {started}; {machine['cores']} cores, load average {machine['load']} at the start; "
        f"{machine['duration']} per measured step after {machine['warmup']} of warm-up).",
        "Written by `bench/ledger.sh`, which replaces this section on each run.",
        "",
    ] + ([f"**Noisy**: the load average at the start ({machine['load']}) was above half the core count, so other "
          "work shared the machine; compare these rows only with each other, and rerun on a quiet machine.", ""]
         if noisy else []) + [
        "Same machine, same run, same models and inputs: the reference MLP (784-128-10, `pier example-model`) and "
        "a ResNet-18-sized CNN (`pier example-model --kind cnn`, 3x32x32), seeded random weights. "
        "Every server gets the same seeded random row (one row per request) and is driven by the same load "
        "generator, `pier bench`, closed loop, over 127.0.0.1.",
        "- **raw ORT**: `pier bench --in-process MODEL --input REQUEST.json --threads T` (ONNX Runtime in the "
        "process, no protocol, the servers' request as its batch of 1); a server row's `× raw ORT` divides by the raw run with as many threads as the machine "
        "allows up to the server's concurrency.",
        "- **raw PyTorch**: the peer's TorchScript model called in one Python process on the same row, one torch "
        "thread (`bench/ledger_tools.py torchraw`); its `× raw ORT` divides by raw ORT at 1 thread.",
        "- **Pier**: `pier serve` (default workers and event loops) over TF Serving REST/JSON, KServe V2 "
        "REST/JSON, V2 REST with binary tensors, and V2 gRPC.",
        f"- **peer**: FastAPI {machine['fastapi']} / uvicorn {machine['uvicorn']} with PyTorch {machine['torch']} "
        f"(Debian packages), serving the same network as TorchScript "
        "(`bench/ledger_peer_server.py`, TF Serving `:predict` shape, "
        f"{machine['peer_workers']} uvicorn worker processes, 1 torch thread each). The weights are Pier's: "
        "`bench/ledger_export_torchscript.py` reads the ONNX initializers with the `onnx` package into "
        "`torch.nn` layers and traces them to TorchScript; before measuring, the ledger posts one body to "
        f"both servers and checks the predictions agree (largest difference: {machine['agreement']}).",
        "- `× Pier` compares a row's throughput with Pier's TF Serving REST/JSON row at the same concurrency "
        "(the same wire format as the peer's); for the peer it also gives the p50 and p99 ratios (above 1: "
        "slower than Pier).",
        "",
    ] + lines + [""]
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
    {"inputs": inputs, "compare": compare, "torchraw": torchraw, "report": report}[cmd](*args)

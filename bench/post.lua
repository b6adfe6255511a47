-- wrk script for bench/ledger.sh, bench/serving.sh and bench/gc.sh.
-- With env PIER_BODY (a file) every request POSTs that file's bytes; without it, wrk's default GET.
-- PIER_CONTENT_TYPE: the body's Content-Type (default application/json).
-- PIER_HEADER: one more header, "Name: value" (the KServe binary extension's Inference-Header-Content-Length).
local body_file = os.getenv("PIER_BODY")
if body_file and body_file ~= "" then
  local f = assert(io.open(body_file, "rb"))
  wrk.method = "POST"
  wrk.body = f:read("*a")
  f:close()
  wrk.headers["Content-Type"] = os.getenv("PIER_CONTENT_TYPE") or "application/json"
end
local extra = os.getenv("PIER_HEADER")
if extra and extra ~= "" then
  local name, value = extra:match("^([^:]+):%s*(.*)$")
  wrk.headers[name] = value
end

-- one machine-readable line: counts, the run's length and latency percentiles in microseconds;
-- errors are every failed request: non-2xx/3xx answers, connect, read, write errors and timeouts
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("PIER_WRK requests=%d errors=%d status_errors=%d duration_us=%d p50_us=%d p99_us=%d max_us=%d\n",
    summary.requests, e.status + e.connect + e.read + e.write + e.timeout, e.status,
    summary.duration, latency:percentile(50), latency:percentile(99), latency.max))
end

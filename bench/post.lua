-- wrk script: POSTs the JSON body from the file named in env PIER_BODY to the URL given to wrk.
local f = assert(io.open(os.getenv("PIER_BODY"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"

-- print latency percentiles in microseconds in a machine-readable line for bench/serving.sh
done = function(summary, latency, requests)
  io.write(string.format("PIER_WRK requests=%d errors=%d duration_us=%d p50_us=%d p99_us=%d\n",
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout,
    summary.duration, latency:percentile(50), latency:percentile(99)))
end

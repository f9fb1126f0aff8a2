-- Shared by the wrk scripts: one line of figures, which bench-api.sh prints.
function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format("BENCH %d requests, %.0f req/s, p50 %.2f ms, p99 %.2f ms, non-2xx %d, socket errors %d\n",
    summary.requests, summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    errors.status, errors.connect + errors.read + errors.write + errors.timeout))
end

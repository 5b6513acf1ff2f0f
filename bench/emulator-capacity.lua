-- wrk script for bench/emulator-capacity.sh: every request is the same streamed Messages call,
-- whose answer (seed 1, zero latency) is 20 text deltas. BODY is set by the shell script.
wrk.method = "POST"
wrk.headers["content-type"] = "application/json"
wrk.headers["x-api-key"] = "sk-bench"
wrk.headers["anthropic-version"] = "2023-06-01"
wrk.body = os.getenv("SONDE_BENCH_BODY")

local bad = 0
response = function(status, headers, body)
  if status ~= 200 then
    bad = bad + 1
  end
end

done = function(summary, latency, requests)
  io.write(string.format("non-200 responses: %d\n", bad))
end

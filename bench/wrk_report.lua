-- Prints the percentiles bench/run.py reads (wrk's own table has no 95th).

function done(summary, latency, requests)
  for _, p in ipairs({50, 95, 99}) do
    io.write(string.format("PCT %d %d\n", p, latency:percentile(p)))
  end
  io.write(string.format("STATUS errors=%d\n", summary.errors.status))
end

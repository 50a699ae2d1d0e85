-- Every request posts a reply (bench/run.py): BENCH_POST is the form's path,
-- BENCH_CSRF the CSRF token that goes with the cookie wrk sends.
dofile(os.getenv("BENCH_DIR") .. "/wrk_report.lua")

local post_path = os.getenv("BENCH_POST")
local csrf = os.getenv("BENCH_CSRF")
local counter = 0
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

function request()
  counter = counter + 1
  -- A different text each time: a repeated text is held as a duplicate.
  local body = "csrfmiddlewaretoken=" .. csrf .. "&body=Svar+" .. id .. "-" .. counter
    .. "+fr%C3%A5n+lasttestet%3A+vila+och+vatten+hj%C3%A4lper+mig+mest+" .. os.time()
  -- wrk.format uses the table given instead of wrk.headers (the -H cookie): copy them.
  local headers = {}
  for name, value in pairs(wrk.headers) do
    headers[name] = value
  end
  headers["Content-Type"] = "application/x-www-form-urlencoded"
  return wrk.format("POST", post_path, headers, body)
end

-- wrk script for recovery-bench's server figures (14–17, docs/performance.md): every request
-- is different — each event's id is unique (run tag, wrk thread, counter) and participants are
-- taken round-robin from the enrolled ones — and done() prints the exact figures as one line:
--   RESULT {"requests":…,"p50_us":…,"p99_us":…,…}
--
-- Usage (after wrk's `--`):  MODE PARTICIPANTS-FILE AT TAG [BATCH]
--   MODE               append (POST /v1/events, one event or a batch) or read (GET /v1/participants/{id})
--   PARTICIPANTS-FILE  the enrolled participants' ids, one a line
--   AT                 the check-ins' `at` (RFC 3339 with offset, after every enrolment, not in the future)
--   TAG                distinguishes this run's ids from other runs' on the same store ([A-Za-z0-9])
--   BATCH              events per request: 1 sends one event object, more sends {"events":[…]}
-- The token and Content-Type come as wrk's -H headers, e.g.
--   wrk -t1 -c64 -d5s --latency -s serve-load.lua -H 'Authorization: Bearer rl_…' \
--       -H 'Content-Type: application/json' http://127.0.0.1:PORT/v1/events -- append ids.txt 2026-02-01T09:00:00+08:00 c64 1

local threads = 0

-- Runs in wrk's main Lua state once per thread, before init: number the threads.
function setup(thread)
  thread:set("thread_number", threads)
  threads = threads + 1
end

local mode, at, tag, batch
local participants = {}
local count = 0
local next_participant = 1

function init(args)
  mode = args[1] or "append"
  local file = assert(io.open(assert(args[2], "the participants file is required"), "r"))
  for line in file:lines() do
    if #line > 0 then participants[#participants + 1] = line end
  end
  file:close()
  assert(#participants > 0, "no participants in " .. args[2])
  at = args[3] or "2026-02-01T09:00:00+08:00"
  tag = args[4] or "run"
  batch = tonumber(args[5] or "1")
  -- thread_number is set by setup() in this thread's state; spread the threads' starts.
  local number = thread_number or 0
  next_participant = (number * 7919) % #participants + 1
end

local function participant()
  local id = participants[next_participant]
  next_participant = next_participant % #participants + 1
  return id
end

local function event()
  count = count + 1
  return '{"id":"bench-' .. tag .. '-' .. (thread_number or 0) .. '-' .. count
    .. '","type":"check_in","participant":"' .. participant()
    .. '","at":"' .. at .. '","data":{"channel":"online"}}'
end

function request()
  if mode == "read" then
    return wrk.format("GET", "/v1/participants/" .. participant(), nil, nil)
  end
  if batch <= 1 then
    return wrk.format("POST", "/v1/events", nil, event())
  end
  local events = {}
  for i = 1, batch do events[i] = event() end
  return wrk.format("POST", "/v1/events", nil, '{"events":[' .. table.concat(events, ",") .. ']}')
end

-- Exact percentiles from wrk's histogram (microseconds), and every error count.
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"duration_us":%d,"requests":%d,"bytes":%d,"connect_errors":%d,"read_errors":%d,'
      .. '"write_errors":%d,"status_errors":%d,"timeouts":%d,"mean_us":%.1f,"max_us":%.1f,'
      .. '"p50_us":%.1f,"p90_us":%.1f,"p99_us":%.1f,"p999_us":%.1f}\n',
    summary.duration, summary.requests, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency.max, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9)))
end

-- The mixed lifecycle load for wrk (bench/load.py): each wrk thread holds one connection and
-- takes grants through the whole procedure, as bench/load.py's Python clients do: create,
-- then each action (applicant's or secretariat's) followed by a read of the grant. wrk is C,
-- so the load costs the 2 cores little of what the server and PostgreSQL need.
--
--   wrk -t16 -c16 -d10s --latency -s bench/lifecycle.lua http://127.0.0.1:PORT -- people.lua
--
-- people.lua (written by bench/load.py) sets PEOPLE = {{code=, applicant=, secretariat=}, ...},
-- CREATE (the new grant's JSON) and STEPS = {{role=, action=, body=}, ...}.

local threads = {}

function setup(thread)
  thread:set("n", #threads)
  table.insert(threads, thread)
end

local person, grant, step
lifecycles, failures = 0, 0  -- globals: done() reads them from each thread

function init(args)
  dofile(args[1])
  person = PEOPLE[(n % #PEOPLE) + 1]
  step, lifecycles, failures = 0, 0, 0
end

local function call(method, path, token, body)
  local headers = {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}
  return wrk.format(method, path, headers, body)
end

-- Step 0 creates; odd steps take action (step + 1) / 2; even steps read the grant.
function request()
  if step == 0 then
    return call("POST", "/api/grants", person.applicant,
                string.format(CREATE, person.code))
  end
  local path = "/api/grants/" .. grant
  if step % 2 == 1 then
    local act = STEPS[(step + 1) / 2]
    return call("POST", path .. "/actions/" .. act.action, person[act.role], act.body)
  end
  return call("GET", path, person.applicant)
end

function response(status, headers, body)
  if status >= 400 then
    failures = failures + 1
    step = 0  -- start a new grant
    return
  end
  if step == 0 then
    grant = body:match('"id":(%d+)')
  end
  step = step + 1
  if step > 2 * #STEPS then
    lifecycles = lifecycles + 1
    step = 0
  end
end

function done(summary, latency, requests)
  local total, failed = 0, 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("lifecycles")
    failed = failed + thread:get("failures")
  end
  io.write(string.format("lifecycles %d\nfailures %d\nrequests %d\nseconds %.3f\n",
                         total, failed, summary.requests, summary.duration / 1e6))
  io.write(string.format("p50 %.3f\np99 %.3f\n", latency:percentile(50) / 1000,
                         latency:percentile(99) / 1000))
end

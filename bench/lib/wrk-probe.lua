-- wrk script for blackbox_exporter's /probe (bench/agent-throughput.sh): counts probes that passed
-- (probe_success 1 in the answer) apart from failed ones, prints p50/p99 and counts as a JSON line.
-- With PROBE_TARGETS (comma-separated base URLs), each request probes the next target in turn.
local threads = {}
local paths, n = {}, 0
for t in string.gmatch(os.getenv("PROBE_TARGETS") or "", "[^,]+") do
  table.insert(paths, "/probe?module=http_2xx&target=" .. t .. "/bb")
end
if #paths > 0 then
  request = function()
    n = n % #paths + 1
    return wrk.format(nil, paths[n])
  end
end
function setup(thread) table.insert(threads, thread) end
function init(args) passed = 0; failed = 0 end
function response(status, headers, body)
  if status == 200 and body and body:find("\nprobe_success 1", 1, true) then passed = passed + 1
  else failed = failed + 1 end
end
function done(summary, latency, requests)
  local p, f = 0, 0
  for _, t in ipairs(threads) do p = p + t:get("passed"); f = f + t:get("failed") end
  io.write(string.format('JSON {"requests":%d,"passed":%d,"failed":%d,"p50Ms":%.3f,"p99Ms":%.3f}\n',
    summary.requests, p, f, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end

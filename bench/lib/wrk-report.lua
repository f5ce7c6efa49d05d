-- wrk script for bench/api-load.sh: counts answers by status (429s apart from errors) and prints
-- p50/p95/p99 and the counts as one JSON line at the end. Request headers come from wrk -H; a POST
-- with a JSON body when WRK_BODY is set (a command: journaled, so every request is a Raft commit).
if os.getenv("WRK_BODY") then
  wrk.method = "POST"
  wrk.body = os.getenv("WRK_BODY")
  wrk.headers["Content-Type"] = "application/json"
end
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) c2xx = 0; c429 = 0; cother = 0 end
function response(status, headers, body)
  if status >= 200 and status < 300 then c2xx = c2xx + 1
  elseif status == 429 then c429 = c429 + 1
  else cother = cother + 1 end
end
function done(summary, latency, requests)
  local ok, limited, other = 0, 0, 0
  for _, t in ipairs(threads) do
    ok = ok + t:get("c2xx"); limited = limited + t:get("c429"); other = other + t:get("cother")
  end
  local e = summary.errors
  io.write(string.format('JSON {"requests":%d,"seconds":%.2f,"ok":%d,"tooMany":%d,"otherStatus":%d,' ..
    '"socketErrors":%d,"p50Ms":%.3f,"p95Ms":%.3f,"p99Ms":%.3f,"maxMs":%.3f}\n',
    summary.requests, summary.duration / 1e6, ok, limited, other, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end

-- Moonwire's side of scripts/soak's load scenarios: CALLS chat calls
-- ("item 1" ... "item N") through a one-provider client at CONCURRENCY, then
-- one line of key=value figures.
--   moonwire run load.lua CALLS CONCURRENCY [KIND]    (ANTHROPIC_BASE_URL / OPENAI_BASE_URL)
local n, concurrency, kind = tonumber(arg[1]), tonumber(arg[2]), arg[3] or "anthropic"
local client = llm.client{ providers = { { name = "p", kind = kind, model = kind == "openai" and "gpt-test" or "claude-test" } } }
local items = {}
for i = 1, n do items[i] = "item " .. i end
local results, summary = llm.map(items, function(prompt) return client:chat{ prompt = prompt }.text end,
                                 { concurrency = concurrency })
local answered, altered = 0, 0
for i = 1, n do
  if type(results[i]) == "string" then
    if results[i] == "Answer to item " .. i .. "." then answered = answered + 1 else altered = altered + 1 end
  end
end
local s = client:stats()
local route = s.routes[1]
print(string.format("calls=%d answered=%d failed=%d altered=%d attempts=%d retries_pct=%.1f concurrency_limit=%s",
  n, answered, summary.failed, altered, s.p.attempts, 100 * (s.p.attempts - n) / n, tostring(route.concurrency_limit)))

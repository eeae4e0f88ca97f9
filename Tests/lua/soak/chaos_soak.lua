-- The chaos soak (issue 10): N calls at concurrency C through a two-provider
-- client against synthetic providers that fail about one attempt in four with
-- a seeded mix of faults. Run by the test suite (2,000 calls) and by
-- scripts/soak (10,000). Prints one line of `key=value` figures and exits
-- non-zero if any answer was altered, any error untyped, or any call ran past
-- its deadline.
--   moonwire run chaos_soak.lua N CONCURRENCY [nobudget]
-- SOAK_A and SOAK_B are the two providers' base URLs (Anthropic and OpenAI
-- shapes; SOAK_A_KIND and SOAK_A_MODEL give the first another provider).
local n = tonumber(arg[1]) or 2000
local concurrency = tonumber(arg[2]) or 100
local budget = arg[3] ~= "nobudget"
local deadline = 10

local client = llm.client{
  providers = {
    { name = "a", kind = os.getenv("SOAK_A_KIND") or "anthropic", model = os.getenv("SOAK_A_MODEL") or "claude-test",
      base_url = os.getenv("SOAK_A") },
    { name = "b", kind = "openai", model = "gpt-test", base_url = os.getenv("SOAK_B") },
  },
  retry = { max_retries = 3, base_delay = 0.01, max_delay = 0.1, budget = budget and 0.2 or false },
  timeout = { connect = 0.5, first_token = 1, idle = 0.5, deadline = deadline },
  -- The chaos is steady, not an outage: keep the breakers out of the figures.
  breaker = { min_calls = 1000000 },
}

local function rss_kb()
  local f = io.open("/proc/self/status")
  local s = f:read("a")
  f:close()
  return tonumber(s:match("VmRSS:%s+(%d+)"))
end

local rss = {}
local done = 0
local items = {}
for i = 1, n do items[i] = "item " .. i end
local started = os.time()
local results, summary = llm.map(items, function(prompt)
  local r = client:chat{ prompt = prompt }
  done = done + 1
  if done == n // 4 or done == n // 2 then rss[#rss + 1] = rss_kb() end
  if r.latency_ms > (deadline + 0.5) * 1000 then error("past its deadline: " .. r.latency_ms .. " ms") end
  return r.text
end, { concurrency = concurrency })
local wall = os.time() - started
rss[#rss + 1] = rss_kb()

local answered, altered, typed, untyped, late = 0, 0, 0, 0, 0
local kinds = {}
for i = 1, n do
  local r = results[i]
  if type(r) == "string" then
    if r == "Answer to item " .. i .. "." then answered = answered + 1 else altered = altered + 1 end
  elseif type(r) == "table" and type(r.kind) == "string" and r.kind ~= "script" then
    typed = typed + 1
    kinds[r.kind] = (kinds[r.kind] or 0) + 1
  elseif type(r) == "table" and tostring(r.message):find("past its deadline", 1, true) then
    late = late + 1
  else
    untyped = untyped + 1
  end
end
local kind_list = {}
for k, v in pairs(kinds) do kind_list[#kind_list + 1] = k .. ":" .. v end
table.sort(kind_list)

local stats = client:stats()
local attempts = stats.a.attempts + (stats.b and stats.b.attempts or 0)
print(string.format("calls=%d answered=%d altered=%d typed_errors=%d untyped=%d late=%d wall_s=%d attempts=%d retries_pct=%.1f rss_kb=%s kinds=%s",
  n, answered, altered, typed, untyped, late, wall, attempts, 100 * (attempts - n) / n,
  table.concat(rss, "/"), table.concat(kind_list, ",")))
if altered > 0 or untyped > 0 or late > 0 then os.exit(1) end

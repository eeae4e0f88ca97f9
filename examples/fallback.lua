-- fallback.lua: a resilient client moving from Claude to OpenAI to a local
-- model, with retries, the wait indicator (on a terminal) and the stats table.
--   scripts/live-local          # the same against a real local model, first two providers unreachable
--   moonwire run examples/fallback.lua --stats
local client = llm.client{
  providers = {
    { name = "claude", kind = "anthropic", model = "claude-haiku-4-5" },
    { name = "openai", kind = "openai", model = "gpt-4o-mini" },
    { name = "local", kind = "openai", model = "smollm2",
      base_url = (os.getenv("MOONWIRE_LOCAL_URL") or ""):match("%S+") or "http://127.0.0.1:8080/v1" },
  },
  retry = { max_retries = 2, base_delay = 0.5, max_delay = 8 },
  timeout = { connect = 5, first_token = 60, idle = 30, deadline = 120 },
  on_retry = function(ev)
    io.stderr:write(("  [retry] %s: %s, waiting %.1f s (attempt %d of %d)\n"):format(
      ev.provider, ev.error.kind, ev.wait, ev.attempt, ev.max_attempts))
  end,
  on_fallback = function(ev)
    io.stderr:write(("  [fallback] %s → %s: %s\n"):format(ev.from, ev.to, ev.error.message))
  end,
}

for i, question in ipairs{ "What is 2 + 2?", "Name a primary color." } do
  local r = client:chat{ prompt = question, max_tokens = 30, temperature = 0 }
  print(("%d. %s → %s  [%s, %.0f ms]"):format(i, question, r.text:gsub("%s+", " "), r.provider, r.latency_ms))
end
print()
print(client:stats())

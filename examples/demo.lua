-- demo.lua: Moonwire on one screen. A resilient client that falls back from
-- Claude to OpenAI to a local model, a streamed answer, a Lua function as a
-- tool, and the client's stats.
--
-- With no API key set, this replays demo.cassette.json beside it (offline,
-- instant). The cassette was recorded with Claude and OpenAI unreachable and
-- SmolLM2-135M (scripts/local-model) answering on 127.0.0.1:8080:
--   ANTHROPIC_API_KEY=x ANTHROPIC_BASE_URL=http://127.0.0.1:9 \
--   OPENAI_API_KEY=x OPENAI_BASE_URL=http://127.0.0.1:9/v1 \
--   moonwire run --record examples/demo.cassette.json examples/demo.lua
local client = llm.client{
  providers = {
    { name = "claude", kind = "anthropic", model = "claude-sonnet-4-5" },
    { name = "openai", kind = "openai", model = "gpt-4o-mini" },
    { name = "local", kind = "openai", model = "smollm2",
      base_url = (os.getenv("MOONWIRE_LOCAL_URL") or ""):match("%S+") or "http://127.0.0.1:8080/v1" },
  },
  retry = { max_retries = 1 },
  timeout = { connect = 5, first_token = 60, idle = 30, deadline = 180 },
  on_fallback = function(ev)
    io.stderr:write(("  [fallback] %s → %s (%s)\n"):format(ev.from, ev.to, ev.error.kind))
  end,
}

print("1. A streamed answer")
local r = client:chat{ prompt = "Name three colors.", max_tokens = 40, temperature = 0,
                       on_text = function(t) io.write(t); io.flush() end }
print(("\n   — %s, %d tokens out, first token after %.0f ms\n"):format(
  r.provider, r.usage.output_tokens, r.ttft_ms or 0))

print("2. A Lua function as a tool")
-- Two turns by hand, so each step shows: the model asks for the tool, Lua runs
-- it, the result goes back. (llm.chat runs this loop itself when a tool has
-- `fn`; SmolLM2 is too small to stop asking, so the demo drives it.)
local function get_weather(args) return { city = args.city, temp_c = 21, sky = "sunny" } end
local first = client:chat{
  prompt = "What is the weather in Paris?", max_tokens = 60, temperature = 0, stream = false,
  tool_choice = "get_weather",
  tools = { { name = "get_weather", description = "Current weather for a city",
              parameters = { type = "object", properties = { city = { type = "string" } }, required = { "city" } } } },
}
local call = first.tool_calls[1]
local result = get_weather(call.arguments)
print(("   the model called %s(%s) → %s"):format(call.name, json.encode(call.arguments), json.encode(result)))
local messages = first.messages
messages[#messages + 1] = { role = "tool", tool_call_id = call.id, content = json.encode(result) }
local answer = client:chat{ messages = messages, max_tokens = 60, temperature = 0, stream = false }
print(("   answer: %s\n"):format(answer.text))

print("3. What it cost")
print(client:stats())

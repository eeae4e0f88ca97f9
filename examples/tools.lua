-- tools.lua: Lua functions as tools; the model calls them, Moonwire runs them
-- and sends the results back until the model answers.
--   ANTHROPIC_API_KEY=... moonwire run examples/tools.lua
local weather = { Paris = { temp_c = 21, sky = "sunny" }, Oslo = { temp_c = 4, sky = "rain" } }

local r = llm.chat{
  model = (os.getenv("MOONWIRE_MODEL") or ""):match("%S+") or "claude-sonnet-4-5",
  prompt = arg[1] or "What's the weather in Paris and in Oslo? Answer in one line.",
  max_steps = 4,
  tools = {
    { name = "get_weather",
      description = "Current weather for a city",
      parameters = { type = "object", properties = { city = { type = "string" } }, required = { "city" } },
      fn = function(args)
        print(("  [tool] get_weather(%s)"):format(args.city))
        return weather[args.city] or error("no data for " .. tostring(args.city))
      end },
  },
}
print(r.text)
local tool_results = 0
for _, m in ipairs(r.messages) do if m.role == "tool" then tool_results = tool_results + 1 end end
print(("-- %d model turns, %d tool results sent, %d tokens"):format(
  r.steps, tool_results, r.usage.input_tokens + r.usage.output_tokens))

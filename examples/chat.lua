-- chat.lua: one question, the answer streamed as it arrives, then the numbers.
--   ANTHROPIC_API_KEY=... moonwire run examples/chat.lua "Name two moons of Jupiter"
local question = arg[1] or "In one sentence: why is the sky blue?"

local r = llm.chat{
  model = (os.getenv("MOONWIRE_MODEL") or ""):match("%S+") or "claude-sonnet-4-5",
  system = "Answer briefly.",
  prompt = question,
  max_tokens = 300,
  on_text = function(t) io.write(t); io.flush() end,
}
print()
print(("-- %s · %s · %d in / %d out tokens · %.0f ms (first token %.0f ms) · stop: %s"):format(
  r.provider, r.model or "?", r.usage.input_tokens, r.usage.output_tokens,
  r.latency_ms, r.ttft_ms or 0, r.stop_reason or "?"))

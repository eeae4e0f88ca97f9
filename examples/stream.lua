-- stream.lua: iterate over stream events; stop early when the answer is long enough.
--   OPENAI_API_KEY=... moonwire run examples/stream.lua
local limit = tonumber(arg[1]) or 400
local written = 0
for ev in llm.stream{ model = (os.getenv("MOONWIRE_MODEL") or ""):match("%S+") or "gpt-4o-mini",
                      prompt = "Tell a short story about a lighthouse keeper." } do
  if ev.type == "text" then
    io.write(ev.text); io.flush()
    written = written + #ev.text
    if written >= limit then
      print("\n-- stopped after " .. written .. " bytes (the transfer is aborted)")
      break   -- leaving the loop closes the stream and its connection
    end
  elseif ev.type == "finish" then
    print("\n-- finished: " .. ev.reason)
  end
end

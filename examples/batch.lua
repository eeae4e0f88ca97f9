-- batch.lua: a bulk job. llm.map sends every review to the model, four at a
-- time, through one client (so its rate limit, breaker and stats cover them
-- all), keeps the results in order, and never drops a failure: a failed item
-- comes back as its error.
--   moonwire run examples/batch.lua          # offline, from batch.cassette.json
--   scripts/local-model start && MOONWIRE_LOCAL_URL=http://127.0.0.1:8080/v1 \
--     moonwire run --record examples/batch.cassette.json examples/batch.lua
local client = llm.client{
  providers = {
    { name = "local", kind = "openai", model = "smollm2",
      base_url = (os.getenv("MOONWIRE_LOCAL_URL") or ""):match("%S+") or "http://127.0.0.1:8080/v1" },
  },
  retry = { max_retries = 2, base_delay = 0.5 },
  rate = { rpm = 120 },
}

local reviews = {
  "The battery lasts two full days. Love it.",
  "Stopped working after a week, very disappointed.",
  "Does what it says, nothing more.",
  "Best purchase I made this year!",
  "The screen cracked the first time I dropped it.",
  "Shipping was fast and the box was intact.",
  "Too expensive for what you get.",
  "My kids use it every day and it still works.",
}

local labels, summary = llm.map(reviews, function(review)
  local r = client:chat{
    system = "You label product reviews. Reply with exactly one word: positive, negative or neutral.",
    prompt = "Review: " .. review .. "\nLabel:", max_tokens = 5, temperature = 0,
    stream = false,  -- llama-cpp-python interrupts a stream when the next request arrives (interrupt_requests)
  }
  return (r.text:lower():match("%a+") or "?")
end, { concurrency = 4, progress = true })

for i, review in ipairs(reviews) do
  local label = labels[i]
  if type(label) == "table" then label = "error: " .. tostring(label) end
  print(("%-9s %s"):format(label, review))
end
print(("\n%d ok, %d failed in %.2f s"):format(summary.ok, summary.failed, summary.elapsed))
print(client:stats())

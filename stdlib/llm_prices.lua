--- llm_prices: list prices in US dollars per million tokens, used by
--- llm.client to compute cost. A dated model name ("claude-sonnet-4-5-20250929")
--- uses the longest matching prefix. Override per client:
---   llm.client{ ..., prices = { ["my-model"] = { input = 1, output = 2 } } }
--- cache_read / cache_write default to 10% / 125% of input.
--- Prices change: check the providers' pages and edit this file or override.
return {
  ["claude-opus-4"]     = { input = 15.00, output = 75.00, cache_read = 1.50, cache_write = 18.75 },
  ["claude-sonnet-4"]   = { input = 3.00,  output = 15.00, cache_read = 0.30, cache_write = 3.75 },
  ["claude-3-7-sonnet"] = { input = 3.00,  output = 15.00, cache_read = 0.30, cache_write = 3.75 },
  ["claude-haiku-4-5"]  = { input = 1.00,  output = 5.00,  cache_read = 0.10, cache_write = 1.25 },
  ["claude-3-5-haiku"]  = { input = 0.80,  output = 4.00,  cache_read = 0.08, cache_write = 1.00 },
  ["gpt-4o"]            = { input = 2.50,  output = 10.00, cache_read = 1.25 },
  ["gpt-4o-mini"]       = { input = 0.15,  output = 0.60,  cache_read = 0.075 },
  ["gpt-4.1"]           = { input = 2.00,  output = 8.00,  cache_read = 0.50 },
  ["gpt-4.1-mini"]      = { input = 0.40,  output = 1.60,  cache_read = 0.10 },
  ["gpt-4.1-nano"]      = { input = 0.10,  output = 0.40,  cache_read = 0.025 },
  ["o3-mini"]           = { input = 1.10,  output = 4.40,  cache_read = 0.55 },
  ["gemini-3-pro"]      = { input = 2.00,  output = 12.00 },
  ["gemini-3-flash"]    = { input = 0.50,  output = 3.00 },
  ["gemini-2.5-pro"]    = { input = 1.25,  output = 10.00 },
  ["gemini-2.5-flash"]  = { input = 0.30,  output = 2.50 },
  ["gemini-2.5-flash-lite"] = { input = 0.10, output = 0.40 },
  ["gemini-2.0-flash"]  = { input = 0.10,  output = 0.40 },
  ["gemini-embedding"]  = { input = 0.15,  output = 0 },
  ["text-embedding-3-small"] = { input = 0.02, output = 0 },
  ["text-embedding-3-large"] = { input = 0.13, output = 0 },
}

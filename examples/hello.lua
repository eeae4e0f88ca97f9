-- hello.lua: what the Moonwire host gives a script, offline.
--   moonwire run examples/hello.lua Ada Lovelace
local pretty = require "pretty"          -- a module from Moonwire's stdlib

local who = arg[1] or "world"
print(("Hello, %s! (%d argument(s) after %s)"):format(who, #arg, arg[0]))

-- json keeps integers and floats apart and round-trips empty arrays.
local doc = json.decode('{"model":"claude-sonnet-4-5","max_tokens":200,"temperature":0.5,"stop":[]}')
print("decoded:", pretty.format(doc))
print("max_tokens is an", math.type(doc.max_tokens), "and temperature a", math.type(doc.temperature))
print("encoded:", json.encode(doc, { sort_keys = true }))

print("llm module version", llm.version)

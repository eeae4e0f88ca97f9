-- Every Swift-implemented function of `llm` and `json` has a LuaLS stub in stdlib/meta.
local root = assert(os.getenv("MOONWIRE_REPO"), "MOONWIRE_REPO not set")
local documented = {}
for _, name in ipairs({ "llm", "json" }) do
  local f = assert(io.open(root .. "/stdlib/meta/" .. name .. ".lua"))
  for fn in f:read("a"):gmatch("\nfunction ([%w_%.:]+)%(") do documented[fn] = true end
  f:close()
end
local missing = {}
for _, name in ipairs({ "llm", "json" }) do
  for key, value in pairs(_G[name]) do
    if type(value) == "function" and not documented[name .. "." .. key] then
      missing[#missing + 1] = name .. "." .. key
    end
  end
end
table.sort(missing)
assert(#missing == 0, "functions without a stub in stdlib/meta: " .. table.concat(missing, ", "))
print("meta_stubs_test: ok")

--- pretty: readable text for any Lua value, for the REPL and for debugging.
---
---   local pretty = require "pretty"
---   print(pretty.format({ a = 1, list = { 1, 2, 3 } }))   --> { a = 1, list = { 1, 2, 3 } }
---   pretty.format(v, { depth = 3, items = 50, indent = "  " })
---
--- Tables print with array items first, then keys in sorted order; nesting
--- deeper than `depth` prints as `{...}`, more than `items` entries end in
--- `...`, and a table met again inside itself prints as `<cycle>`.
local M = {}

local defaults = { depth = 4, items = 64, indent = nil }

local function is_identifier(s)
  return type(s) == "string" and s:match("^[%a_][%w_]*$") ~= nil
end

local function format_scalar(v)
  local t = type(v)
  if t == "string" then
    return string.format("%q", v):gsub("\\\n", "\\n")
  elseif t == "number" or t == "boolean" or t == "nil" then
    return tostring(v)
  end
  local mt = getmetatable(v)
  if type(mt) == "table" and rawget(mt, "__tostring") then
    local ok, s = pcall(tostring, v)
    if ok and type(s) == "string" then return s end
    return "<" .. t .. ": __tostring failed>"
  end
  if t == "userdata" then
    local ok, builtin = pcall(require, "moonwire.json")
    if ok and type(builtin) == "table" and v == builtin.null then return "json.null" end
  end
  return tostring(v)
end

local function sorted_keys(t)
  local n = rawlen(t)
  local keys = {}
  for k in next, t do
    if not (math.type(k) == "integer" and k >= 1 and k <= n) then keys[#keys + 1] = k end
  end
  table.sort(keys, function(a, b)
    local ta, tb = type(a), type(b)
    if ta ~= tb then return ta < tb end
    if ta == "number" or ta == "string" then return a < b end
    return tostring(a) < tostring(b)
  end)
  return n, keys
end

local function format(v, opts, depth, seen, prefix)
  if type(v) ~= "table" then return format_scalar(v) end
  local mt = getmetatable(v)
  if type(mt) == "table" and rawget(mt, "__tostring") then return format_scalar(v) end
  if seen[v] then return "<cycle>" end
  if depth >= opts.depth then return next(v) == nil and "{}" or "{...}" end
  seen[v] = true
  local n, keys = sorted_keys(v)
  local parts, count = {}, 0
  local inner = opts.indent and (prefix .. opts.indent) or ""
  for i = 1, n do
    count = count + 1
    if count > opts.items then parts[#parts + 1] = "..." break end
    parts[#parts + 1] = format(rawget(v, i), opts, depth + 1, seen, inner)
  end
  if count <= opts.items then
    for _, k in ipairs(keys) do
      count = count + 1
      if count > opts.items then parts[#parts + 1] = "..." break end
      local key = is_identifier(k) and k or ("[" .. format_scalar(k) .. "]")
      parts[#parts + 1] = key .. " = " .. format(rawget(v, k), opts, depth + 1, seen, inner)
    end
  end
  seen[v] = nil
  if #parts == 0 then return "{}" end
  if opts.indent then
    return "{\n" .. inner .. table.concat(parts, ",\n" .. inner) .. "\n" .. prefix .. "}"
  end
  return "{ " .. table.concat(parts, ", ") .. " }"
end

--- Formats `v` as text.
---@param v any
---@param opts? { depth?: integer, items?: integer, indent?: string }
---@return string
function M.format(v, opts)
  local o = {}
  for k, d in pairs(defaults) do o[k] = d end
  for k, x in pairs(opts or {}) do
    if defaults[k] == nil and k ~= "indent" then
      error(("unknown option '%s' to 'format'"):format(tostring(k)), 2)
    end
    o[k] = x
  end
  return format(v, o, 0, {}, "")
end

--- Prints each argument formatted, separated by tabs.
function M.print(...)
  local out = {}
  for i = 1, select("#", ...) do out[i] = M.format((select(i, ...))) end
  print(table.concat(out, "\t"))
end

return M

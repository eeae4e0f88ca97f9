---@meta json
-- LuaLS annotations for the Swift-implemented `json` module. Not loaded at run time.

---@class json
---@field null lightuserdata JSON null (decoded nulls are this value).
json = {}

---Encodes a Lua value as JSON text. Tables with keys 1..n are arrays, tables with
---string keys objects, `{}` an object unless marked with json.array. Integers stay
---integers. Errors name the path of a bad value (`$.messages[2].content`).
---@param value any
---@param options? { pretty?: boolean, sort_keys?: boolean }
---@return string
function json.encode(value, options) end

---Decodes JSON text. Arrays come back marked so that empty ones encode as `[]`.
---Errors name the byte offset.
---@param text string
---@return any
function json.decode(text) end

---Marks `t` (or a new table) as a JSON array, so an empty one encodes as `[]`.
---@param t? table
---@return table
function json.array(t) end

---Marks `t` (or a new table) as a JSON object, so it always encodes as `{}`-style.
---@param t? table
---@return table
function json.object(t) end

---True when `t` is marked as an array (by json.array or json.decode).
---@param t table
---@return boolean
function json.is_array(t) end

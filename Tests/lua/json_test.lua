-- The json module through the public surface. Run by MoonwireCLITests.
local function check_error(f, pattern)
  local ok, err = pcall(f)
  assert(not ok, "expected an error matching " .. pattern)
  assert(tostring(err):find(pattern), ("error %q does not match %q"):format(tostring(err), pattern))
end

-- integers and floats stay apart, at the edges too
local v = json.decode('[9223372036854775807, -9223372036854775808, 0.1, 1e300, 2.0, 3]')
assert(v[1] == math.maxinteger and math.type(v[1]) == "integer")
assert(v[2] == math.mininteger and math.type(v[2]) == "integer")
assert(v[3] == 0.1 and v[4] == 1e300)
assert(math.type(v[5]) == "float" and math.type(v[6]) == "integer")
assert(json.encode(v) == "[9223372036854775807,-9223372036854775808,0.1,1e+300,2.0,3]", json.encode(v))

-- strings: NUL bytes and UTF-8
local s = json.decode('"a\\u0000b caf\\u00e9 \\ud83d\\ude42"')
assert(s == "a\0b café 🙂", s)
assert(json.decode(json.encode(s)) == s)

-- null, empty array vs empty object
local d = json.decode('{"a":null,"b":[],"c":{}}')
assert(d.a == json.null)
assert(json.is_array(d.b) and not json.is_array(d.c))
assert(json.encode(d, { sort_keys = true }) == '{"a":null,"b":[],"c":{}}', json.encode(d))
assert(json.encode({}) == "{}")
assert(json.encode(json.array()) == "[]")
assert(json.encode(json.array{}) == "[]")
assert(json.encode({ list = json.array{ 1, 2 } }) == '{"list":[1,2]}')

-- nested round trip, keys sorted for plain Lua tables
local t = { model = "m", messages = { { role = "user", content = "hi" } }, n = 1 }
assert(json.encode(t) == '{"messages":[{"content":"hi","role":"user"}],"model":"m","n":1}', json.encode(t))

-- pretty printing
assert(json.encode({ a = 1 }, { pretty = true }) == '{\n  "a": 1\n}', json.encode({ a = 1 }, { pretty = true }))

-- errors name what and where
check_error(function() json.decode('{"a":1,}') end, "byte 7")
check_error(function() json.decode('[1, 2') end, "byte 5")
check_error(function() json.decode('"\xff"') end, "UTF%-8")
check_error(function() json.encode({ 0/0 }) end, "%$%[1%]")
check_error(function() json.encode({ s = "\xff" }) end, "UTF%-8 at %$%.s")
local cyc = {}; cyc.me = cyc
check_error(function() json.encode(cyc) end, "cycle")
check_error(function() json.encode(print) end, "function")
check_error(function() json.encode({ 1, nil, 3 }) end, "holes")
check_error(function() json.decode(nil) end, "bad argument #1 to 'decode' %(string expected, got nil%)")
check_error(function() json.encode({}, { prety = true }) end, "unknown option 'prety' to 'encode'")

-- deep documents are refused, not a crash
check_error(function() json.decode(string.rep("[", 100000) .. string.rep("]", 100000)) end, "deep")
local deep = {}; local c = deep; for _ = 1, 1000 do c.x = {}; c = c.x end
check_error(function() json.encode(deep) end, "deeper")

-- a large document works
local big = {}
for i = 1, 200000 do big[i] = { id = i, name = "item" .. i } end
local text = json.encode(big)
assert(#json.decode(text) == 200000)

print("json_test: ok")

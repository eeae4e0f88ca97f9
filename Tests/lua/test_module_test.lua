-- The stdlib `test` module's matchers and runner, checked with plain asserts
-- (run by MoonwireCLITests through `moonwire run`, so it cannot rely on itself).
local t = require "test"
local expect = t.expect
local this_file = debug.getinfo(1, "S").short_src

-- The message of a failed expectation, and the line it was raised on.
local function failure(f)
  local ok, err = pcall(f)
  assert(not ok, "expected the expectation to fail")
  return tostring(err)
end

local function assert_has(text, part)
  assert(text:find(part, 1, true), ("%q does not contain %q"):format(text, part))
end

-- equal: Lua == at the leaves, deep for tables, cycles terminate
expect(1).to.equal(1.0)
expect({ a = { 1, 2 }, b = "x" }).to.equal({ b = "x", a = { 1.0, 2 } })
expect({ 1, 2 }).to_not.equal({ 1, 2, 3 })
local c1, c2 = { n = 1 }, { n = 1 }
c1.self, c2.self = c1, c2
expect(c1).to.equal(c2)
local line = debug.getinfo(1, "l").currentline + 1
local msg = failure(function() expect({ a = { 1, 2 } }).to.equal({ a = { 1, 3 } }) end)
assert_has(msg, this_file .. ":" .. line .. ": expected values to be equal (first difference at a[2])")
assert_has(msg, "\n  expected: { a = { 1, 3 } }\n  actual:   { a = { 1, 2 } }")
assert_has(failure(function() expect("x").to.equal(1) end), 'expected: 1\n  actual:   "x"')
assert_has(failure(function() expect({ 1 }).to.equal({ 1, x = true }) end), "first difference at x")
assert_has(failure(function() expect(2).to_not.equal(2) end), "expected values to differ, both are 2")

-- truthiness, nil, types
expect(0).to.be_truthy()
expect(false).to_not.be_truthy()
expect(nil).to.be_nil()
assert_has(failure(function() expect(false).to.be_truthy() end), "expected a truthy value, got false")
assert_has(failure(function() expect(nil).to_not.be_nil() end), "expected a value, got nil")
expect(1).to.be_a("integer")
expect(1).to.be_a("number")
expect(1.0).to.be_a("float")
expect(1.0).to_not.be_a("integer")
expect(setmetatable({}, { __name = "my.Type" })).to.be_a("my.Type")
assert_has(failure(function() expect(2.0).to.be_a("integer") end), "expected a integer, got 2.0 (float)")

-- near, match, contain
expect(0.1 + 0.2).to.be_near(0.3)
expect(1).to_not.be_near(2, 0.5)
assert_has(failure(function() expect(1).to.be_near(2, 0.5) end), "expected 1 to be within 0.5 of 2 (off by 1)")
assert_has(failure(function() expect("1").to_not.be_near(2) end), "be_near needs numbers")
expect("gpt-4o-mini").to.match("^gpt%-%d")
expect("abc").to_not.match("%d")
assert_has(failure(function() expect(12).to.match("%d") end), "match needs a string, got 12")
assert_has(failure(function() expect(12).to_not.match("%d") end), "match needs a string")  -- wrong type fails both ways
expect("a (b) c").to.contain("(b)")           -- plain text, not a pattern
expect({ 1, { x = 2 }, "z" }).to.contain({ x = 2 })
expect({ a = "v" }).to.contain("v")
expect({ 1, 2 }).to_not.contain(3)
assert_has(failure(function() expect("abc").to.contain("d") end), 'expected "abc" to contain "d"')

-- fail: errors, plain or pattern matches, error tables via tostring
expect(function() error("bad argument #1 to 'chat' (table expected)") end).to.fail("#1 to 'chat' (table")
expect(function() error("code 42") end).to.fail("code %d+")
expect(function() error(setmetatable({}, { __tostring = function() return "rate_limited" end })) end).to.fail("rate_limited")
expect(function() end).to_not.fail()
assert_has(failure(function() expect(function() end).to.fail() end), "expected an error, the function returned normally")
assert_has(failure(function() expect(function() error("boom", 0) end).to.fail("bang") end), 'expected an error matching "bang", got: boom')
assert_has(failure(function() expect(function() error("boom", 0) end).to_not.fail() end), "expected no error, got: boom")
assert_has(failure(function() expect(1).to.fail() end), "fail needs a function, got 1")

-- usage mistakes are named
assert_has(failure(function() expect(1).to.eqaul(1) end), "unknown matcher 'eqaul'")
expect(3).to:equal(3)  -- ':' works like '.'
assert_has(failure(function() t.it("x", { casette = "a.json" }, function() end) end), "unknown option 'casette' to 'it'")
assert_has(failure(function() t.describe("x") end), "bad argument #2 to 'describe' (function expected, got nil)")

-- the runner: hook order, pending, filter, failures, the cassette hook
local events, printed = {}, {}
local real_print = print
t.cassette_hook = function(path) events[#events + 1] = "cassette " .. tostring(path) end
t.describe("outer", function()
  t.before_each(function() events[#events + 1] = "before outer" end)
  t.after_each(function() events[#events + 1] = "after outer" end)
  t.describe("inner", function()
    t.before_each(function() events[#events + 1] = "before inner" end)
    t.after_each(function() events[#events + 1] = "after inner" end)
    t.it("passes", { cassette = "c.json" }, function() events[#events + 1] = "test" end)
    t.it("fails", function() expect(1).to.equal(2) end)
    t.it("raises", function() error("oops") end)
  end)
  t.pending("later")
  t.it("nests it", function() t.it("no", function() end) end)
end)
print = function(s) printed[#printed + 1] = s end
local passed, failed, skipped = t.run({ file = "dir/x_test.lua", filter = "inner › pass" })
print = real_print
assert(passed == 1 and failed == 0 and skipped == 0, ("%d %d %d"):format(passed, failed, skipped))
assert(table.concat(events, ",") == "cassette dir/c.json,before outer,before inner,test,after inner,after outer",
  table.concat(events, ","))
assert(printed[1] == "✔ dir/x_test.lua › outer › inner › passes", printed[1])

printed = {}
print = function(s) printed[#printed + 1] = s end
passed, failed, skipped = t.run()
print = real_print
assert(passed == 1 and failed == 3 and skipped == 1, ("%d %d %d"):format(passed, failed, skipped))
local out = table.concat(printed, "\n")
assert_has(out, "✘ outer › inner › fails\n    " .. this_file)
assert_has(out, "✘ outer › inner › raises\n    " .. this_file)
assert_has(out, "oops\n    stack traceback:")
assert_has(out, "○ outer › later (pending)")
assert_has(out, "'it' cannot be called inside a running test")
assert(not out:find("stdlib/test.lua", 1, true), "runner frames leak:\n" .. out)

print("test_module_test: ok")

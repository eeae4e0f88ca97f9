--- test: busted-style tests for Lua scripts, run by `moonwire test`.
---
---   describe("split", function()
---     local words
---     before_each(function() words = split("a b") end)
---     it("splits on spaces", function() expect(words).to.equal({ "a", "b" }) end)
---     it("replays a chat", { cassette = "cassettes/chat.json" }, function() ... end)
---     pending("handles tabs")
---   end)
---
--- `moonwire test` runs each `*_test.lua` file in a fresh Lua state with
--- `describe`, `it`, `pending`, `before_each`, `after_each` and `expect` as
--- globals; `local t = require "test"` gives the same functions.
---
--- Matchers, after `expect(x).to` or `expect(x).to_not`:
---   equal(y)        Lua `==` for non-tables, so 1 equals 1.0 (pin the subtype with
---                   be_a("integer")); tables compare key by key, deeply, ignoring
---                   metatables, and a failure names the first differing key.
---   be_truthy()  be_nil()  be_a(name)  be_near(y, tolerance = 1e-9)
---   match(pattern)  contain(v)  fail(pattern?)
--- `be_a` accepts a `type()` name, "integer"/"float" (math.type) or a metatable
--- `__name` ("llm.Stream"). `contain` finds a plain substring in a string or a
--- value (deep-equal) in a table. `fail` calls the function and wants an error;
--- its pattern, like `--filter`, matches as plain text or as a Lua pattern.
--- A failed expectation reports the test file's line, expected and actual.
---
--- `it(name, { cassette = "path" }, fn)`: before each test the runner calls
--- `test.cassette_hook(path or nil)` (a relative path is taken from the test
--- file's folder); by default it calls `llm.use_cassette` when that exists.
local pretty = require "moonwire.pretty"

local M = {}

local module_source = debug.getinfo(1, "S").short_src

-- A failed expectation: a table, so the runner can tell it from an unexpected
-- error (which gets a traceback); `tostring` reads well if a script catches it.
local Failure = { __name = "test.Failure" }
Failure.__tostring = function(f) return f.message end

local function new_suite(name, parent)
  return { name = name, parent = parent, children = {}, before = {}, after = {} }
end

local root = new_suite(nil, nil)
local current = root
local running = false

local function check_arg(n, fname, value, want)
  local got = type(value)
  if got ~= want then
    error(("bad argument #%d to '%s' (%s expected, got %s)"):format(n, fname, want, got), 3)
  end
end

local function outside_test(fname)
  if running then error(("'%s' cannot be called inside a running test"):format(fname), 3) end
end

--- Groups tests; its body runs at once, registering the tests inside it.
---@param name string
---@param fn fun()
function M.describe(name, fn)
  check_arg(1, "describe", name, "string")
  check_arg(2, "describe", fn, "function")
  outside_test("describe")
  local suite = new_suite(name, current)
  table.insert(current.children, suite)
  current = suite
  fn()
  current = suite.parent
end

local it_options = { cassette = "string" }

--- Registers a test. Without `fn` the test is pending (skipped).
---@param name string
---@param opts_or_fn? { cassette?: string } | fun()
---@param fn? fun()
function M.it(name, opts_or_fn, fn)
  check_arg(1, "it", name, "string")
  outside_test("it")
  local opts = opts_or_fn
  if fn == nil and type(opts_or_fn) == "function" then opts, fn = nil, opts_or_fn end
  if opts ~= nil then
    check_arg(2, "it", opts, "table")
    for k, v in pairs(opts) do
      if it_options[k] == nil then error(("unknown option '%s' to 'it'"):format(tostring(k)), 2) end
      if type(v) ~= it_options[k] then
        error(("bad option '%s' to 'it' (%s expected, got %s)"):format(k, it_options[k], type(v)), 2)
      end
    end
  end
  if fn ~= nil then check_arg(3, "it", fn, "function") end
  table.insert(current.children, { name = name, fn = fn, cassette = opts and opts.cassette })
end

--- Registers a test that is reported as skipped.
---@param name string
function M.pending(name)
  check_arg(1, "pending", name, "string")
  outside_test("pending")
  table.insert(current.children, { name = name })
end

--- Runs `fn` before each test of the enclosing describe (and its nested ones).
---@param fn fun()
function M.before_each(fn)
  check_arg(1, "before_each", fn, "function")
  outside_test("before_each")
  table.insert(current.before, fn)
end

--- Runs `fn` after each test of the enclosing describe, even a failed one.
---@param fn fun()
function M.after_each(fn)
  check_arg(1, "after_each", fn, "function")
  outside_test("after_each")
  table.insert(current.after, fn)
end

-- Matching text ------------------------------------------------------------

--- True when `s` contains `pattern` as plain text or matches it as a Lua pattern.
function M.finds(s, pattern)
  if s:find(pattern, 1, true) then return true end
  local ok, found = pcall(string.find, s, pattern)
  return ok and found ~= nil
end

local function show(v) return pretty.format(v) end

local function key_path(k)
  if type(k) == "string" and k:match("^[%a_][%w_]*$") then return "." .. k end
  return "[" .. show(k) .. "]"
end

-- Deep equality with Lua's `==` at the leaves; `seen` stops cycles.
local function deep_equal(a, b, path, seen)
  if a == b then return true end
  if type(a) ~= "table" or type(b) ~= "table" then return false, path end
  seen[a] = seen[a] or {}
  if seen[a][b] then return true end
  seen[a][b] = true
  for k, v in next, a do
    local ok, where = deep_equal(v, rawget(b, k), path .. key_path(k), seen)
    if not ok then return false, where end
  end
  for k in next, b do
    if rawget(a, k) == nil then return false, path .. key_path(k) end
  end
  return true
end

-- Matchers -------------------------------------------------------------------
-- Each returns whether the expectation holds, and a function giving the message
-- for `to` (negated = false) or `to_not` (negated = true). A matcher that
-- cannot apply (wrong type) returns nil: that fails either way.

local matchers = {}

function matchers.equal(actual, expected)
  local same, where = deep_equal(actual, expected, "", {})
  return same, function(negated)
    if negated then return "expected values to differ, both are " .. show(actual) end
    local at = (where and where ~= "") and (" (first difference at " .. where:gsub("^%.", "") .. ")") or ""
    return ("expected values to be equal%s\n  expected: %s\n  actual:   %s"):format(at, show(expected), show(actual))
  end
end

function matchers.be_truthy(actual)
  return not not actual, function(negated)
    return ("expected a %s value, got %s"):format(negated and "falsy" or "truthy", show(actual))
  end
end

function matchers.be_nil(actual)
  return actual == nil, function(negated)
    return negated and "expected a value, got nil" or ("expected nil, got " .. show(actual))
  end
end

function matchers.be_a(actual, name)
  local mt = getmetatable(actual)
  local named = type(mt) == "table" and rawget(mt, "__name") or nil
  local is = type(actual) == name or math.type(actual) == name or named == name
  return is, function(negated)
    local kind = named or math.type(actual) or type(actual)
    return ("expected %s %s, got %s (%s)"):format(negated and "not a" or "a", name, show(actual), kind)
  end
end

function matchers.be_near(actual, expected, tolerance)
  tolerance = tolerance or 1e-9
  if type(actual) ~= "number" or type(expected) ~= "number" then
    return nil, function() return ("be_near needs numbers, got %s and %s"):format(show(actual), show(expected)) end
  end
  return math.abs(actual - expected) <= tolerance, function(negated)
    return ("expected %s %s within %s of %s (off by %s)"):format(show(actual), negated and "not" or "to be",
      show(tolerance), show(expected), show(math.abs(actual - expected)))
  end
end

function matchers.match(actual, pattern)
  if type(actual) ~= "string" then
    return nil, function() return "match needs a string, got " .. show(actual) end
  end
  return actual:match(pattern) ~= nil, function(negated)
    return ("expected %s %s pattern %s"):format(show(actual), negated and "not to match" or "to match", show(pattern))
  end
end

function matchers.contain(actual, item)
  local found
  if type(actual) == "string" and type(item) == "string" then
    found = actual:find(item, 1, true) ~= nil
  elseif type(actual) == "table" then
    found = false
    for _, v in pairs(actual) do
      if deep_equal(v, item, "", {}) then found = true break end
    end
  else
    return nil, function() return ("contain needs a string and a substring, or a table; got %s and %s"):format(show(actual), show(item)) end
  end
  return found, function(negated)
    return ("expected %s %s %s"):format(show(actual), negated and "not to contain" or "to contain", show(item))
  end
end

function matchers.fail(actual, pattern)
  if type(actual) ~= "function" then
    return nil, function() return "fail needs a function, got " .. show(actual) end
  end
  local ok, err = pcall(actual)
  local text = not ok and select(2, pcall(tostring, err)) or nil
  local holds = not ok and (pattern == nil or M.finds(tostring(text), pattern))
  return holds, function(negated)
    if negated then return "expected no error, got: " .. tostring(text) end
    if ok then return "expected an error, the function returned normally" end
    return ("expected an error matching %s, got: %s"):format(show(pattern), tostring(text))
  end
end

local matcher_names = {}
for name in pairs(matchers) do matcher_names[#matcher_names + 1] = name end
table.sort(matcher_names)

-- `expect(x).to` and `.to_not`: a proxy whose fields are the matchers, bound to x.
local function assertion(actual, negated)
  local proxy = {}
  return setmetatable(proxy, { __index = function(_, name)
    local matcher = matchers[name]
    if not matcher then
      error(("unknown matcher '%s' (known: %s)"):format(tostring(name), table.concat(matcher_names, ", ")), 2)
    end
    return function(...)
      local n, args = select("#", ...), { ... }
      if args[1] == proxy then n = n - 1; table.remove(args, 1) end  -- called with ':'
      local holds, message = matcher(actual, table.unpack(args, 1, n))
      if holds == nil or holds == negated then
        -- The line of the test that called the matcher; the whole path, since
        -- short_src shortens long ones to "...".
        local info = debug.getinfo(2, "Sl")
        local file = info and (info.source:match("^@(.*)") or info.short_src)
        local where = info and info.currentline > 0 and (file .. ":" .. info.currentline .. ": ") or ""
        error(setmetatable({ message = where .. message(negated) }, Failure), 0)
      end
    end
  end })
end

--- Starts an expectation: `expect(x).to.equal(y)`, `expect(f).to_not.fail()`.
---@param actual any
function M.expect(actual)
  return { to = assertion(actual, false), to_not = assertion(actual, true) }
end

-- Running --------------------------------------------------------------------

-- Message for a failure: the assertion's text, or the error with the part of
-- the traceback that belongs to the test (this module's frames are left out).
local function on_error(err)
  if getmetatable(err) == Failure then return err.message end
  local ok, text = pcall(tostring, err)
  text = ok and text or ("(error object is a " .. type(err) .. " value)")
  local lines = {}
  for line in debug.traceback("", 2):gmatch("[^\n]+") do
    if line:find("in function 'xpcall'", 1, true) then break end
    if not line:find(module_source, 1, true) then lines[#lines + 1] = line end
  end
  if #lines > 1 then text = text .. "\n" .. table.concat(lines, "\n") end
  return text
end

local function indent(text) return "    " .. text:gsub("\n", "\n    ") end

-- The suites from the root down to `suite`.
local function chain(suite)
  local list = {}
  while suite do table.insert(list, 1, suite) suite = suite.parent end
  return list
end

local function resolve(path, dir)
  if path == nil or path:sub(1, 1) == "/" or dir == nil then return path end
  return dir .. "/" .. path
end

-- Runs one test with its hooks; returns nil on success or the failure message.
local function run_one(test, suites, dir)
  local failure
  local function step(fn, ...)
    if failure then return end
    local ok, msg = xpcall(fn, on_error, ...)
    if not ok then failure = msg end
  end
  running = true
  step(M.cassette_hook, resolve(test.cassette, dir))
  for _, s in ipairs(suites) do
    for _, hook in ipairs(s.before) do step(hook) end
  end
  step(test.fn)
  -- after_each hooks run even after a failure; the first failure is reported.
  for i = #suites, 1, -1 do
    for _, hook in ipairs(suites[i].after) do
      local ok, msg = xpcall(hook, on_error)
      if not ok and not failure then failure = msg end
    end
  end
  running = false
  return failure
end

--- Called before each test with its cassette path, or nil. Hosts may replace it.
---@param path string?
function M.cassette_hook(path)
  local llm = rawget(_G, "llm")
  if type(llm) == "table" and type(llm.use_cassette) == "function" then llm.use_cassette(path) end
end

--- Runs the tests registered so far, printing one line per test.
---@param opts? { file?: string, filter?: string }
---@return integer passed, integer failed, integer skipped
function M.run(opts)
  opts = opts or {}
  local dir = opts.file and (opts.file:match("^(.*)/[^/]*$") or ".")
  local counts = { passed = 0, failed = 0, skipped = 0 }
  local function visit(suite, names)
    for _, child in ipairs(suite.children) do
      local path = { table.unpack(names) }
      path[#path + 1] = child.name
      if child.children then
        visit(child, path)
      else
        local name = table.concat(path, " › ")
        if opts.filter == nil or M.finds(name, opts.filter) then
          local label = opts.file and (opts.file .. " › " .. name) or name
          if not child.fn then
            counts.skipped = counts.skipped + 1
            print("○ " .. label .. " (pending)")
          else
            local failure = run_one(child, chain(suite), dir)
            if failure then
              counts.failed = counts.failed + 1
              print("✘ " .. label .. "\n" .. indent(failure))
            else
              counts.passed = counts.passed + 1
              print("✔ " .. label)
            end
          end
        end
      end
    end
  end
  visit(root, {})
  return counts.passed, counts.failed, counts.skipped
end

--- Sets describe, it, pending, before_each, after_each and expect as globals.
function M.install()
  for _, name in ipairs({ "describe", "it", "pending", "before_each", "after_each", "expect" }) do
    _G[name] = M[name]
  end
end

--- What `moonwire test` does with one file: load it with the globals set, run
--- its tests. A file that fails to load counts as one failure.
---@param path string
---@param opts? { filter?: string }
---@return integer passed, integer failed, integer skipped
function M.run_file(path, opts)
  M.install()
  local chunk, err = loadfile(path)
  local ok = chunk ~= nil
  if ok then ok, err = xpcall(chunk, on_error) end
  if not ok then
    print("✘ " .. path .. "\n" .. indent(tostring(err)))
    return 0, 1, 0
  end
  return M.run({ file = path, filter = opts and opts.filter })
end

return M

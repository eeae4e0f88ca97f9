// The REPL's Lua side: formatting a result and finding completions. Loaded
// once, before any user code runs, so it keeps the library functions it
// started with even if the session later replaces `tostring` or `string`.
// Both run through lua_pcall; completion reads tables with raw access only.
import LuaBridge

/// Why a result could not be printed; `message` may carry a traceback.
struct FormatFailure: Error {
    let message: String
}

final class REPLSupport {
    private let formatter: LuaRef?
    private let completer: LuaRef?

    init(lua: LuaState) {
        let base = lua.top
        defer { lua.settop(base) }
        guard case .success = lua.load(Self.source, chunkName: "=(repl)"),
              case .success = lua.call(nargs: 0, nresults: 2) else {
            formatter = nil
            completer = nil
            return
        }
        completer = LuaRef(lua.stack)
        formatter = LuaRef(lua.stack)
    }

    /// The text of the value at `index` (absolute): strings as they are,
    /// tables through stdlib `pretty` (one line when it fits in `width`, else
    /// indented), the rest through `tostring`. A failure (an error in
    /// `__tostring`, Ctrl-C) comes back as the error.
    func format(at index: Int32, width: Int, lua: LuaState) -> Result<[UInt8], FormatFailure> {
        let stack = lua.stack
        if stack.type(index) == .string { return .success(stack.rawBytes(index)) }
        guard let formatter, stack.ensureStack(4) else {
            return .failure(FormatFailure(message: "no room on the Lua stack"))
        }
        formatter.push(on: stack)
        stack.pushValue(at: index)
        stack.push(width)
        if let error = stack.protectedCall(nargs: 2, nresults: 1) { return .failure(FormatFailure(message: error.message)) }
        defer { stack.pop() }
        return .success(stack.rawBytes(-1))
    }

    /// The full words that may replace `word` (`pri` → `print`, `llm.ch` →
    /// `llm.chat`, `s:ne` → `s:next`), sorted.
    func completions(for word: String, lua: LuaState) -> [String] {
        guard let completer else { return [] }
        let stack = lua.stack
        let base = lua.top
        defer { lua.settop(base) }
        completer.push(on: stack)
        stack.push(word)
        guard stack.protectedCall(nargs: 1, nresults: 1) == nil, stack.type(-1) == .table else { return [] }
        let list = stack.absolute(-1)
        return (0..<stack.rawLength(list)).map { i in
            stack.pushIndex(list, Int64(i + 1))
            defer { stack.pop() }
            return stack.rawString(-1)
        }
    }

    static let source = #"""
        local G = _ENV
        local getmetatable = debug and debug.getmetatable or getmetatable
        local rawget, next, pairs, type, tostring = rawget, next, pairs, type, tostring
        local match, find, sub, gmatch, sort = string.match, string.find, string.sub, string.gmatch, table.sort
        local ok, pretty = pcall(require, "moonwire.pretty")
        if not ok or type(pretty) ~= "table" or type(pretty.format) ~= "function" then pretty = nil end

        local okjson, builtin_json = pcall(require, "moonwire.json")
        local null = okjson and type(builtin_json) == "table" and builtin_json.null or {}

        local function format(v, width)
          if v == null then return "json.null" end
          if type(v) == "table" and pretty then
            local mt = getmetatable(v)
            if not (type(mt) == "table" and rawget(mt, "__tostring") ~= nil) then
              local line = pretty.format(v)
              if #line <= width then return line end
              return pretty.format(v, { indent = "  " })
            end
          end
          local s = tostring(v)
          if type(s) ~= "string" then error("'__tostring' must return a string", 0) end
          return s
        end

        local keywords = { "and", "break", "do", "else", "elseif", "end", "false", "for", "function",
          "goto", "if", "in", "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while" }

        -- The __index table that v's metatable lends, if it is a table.
        local function lender(v)
          local mt = getmetatable(v)
          local index = type(mt) == "table" and rawget(mt, "__index") or nil
          return type(index) == "table" and index or nil
        end

        local function lookup(v, name)
          for _ = 1, 16 do
            if type(v) == "table" then
              local x = rawget(v, name)
              if x ~= nil then return x end
            end
            v = lender(v)
            if v == nil then return nil end
          end
        end

        -- Own fields and those lent by __index tables, nearest first.
        local function fields(v)
          local out, seen = {}, {}
          for _ = 1, 16 do
            if v == nil or seen[v] then break end
            if type(v) == "table" then
              seen[v] = true
              for k, x in next, v do
                if type(k) == "string" and out[k] == nil then out[k] = x end
              end
            end
            v = lender(v)
          end
          return out
        end

        local function complete(word)
          local out = {}
          local prefix, partial = match(word, "^(.*[%.:])([%w_]*)$")
          if prefix == nil then
            if word ~= "" and not match(word, "^[%a_][%w_]*$") then return out end
            for k in pairs(fields(G)) do
              if match(k, "^[%a_][%w_]*$") and sub(k, 1, #word) == word then out[#out + 1] = k end
            end
            for _, k in pairs(keywords) do
              if sub(k, 1, #word) == word and k ~= word then out[#out + 1] = k end
            end
          else
            local sep, path = sub(prefix, -1), sub(prefix, 1, -2)
            if not match(path, "^[%a_][%w_%.]*$") or find(path, "..", 1, true) or sub(path, -1) == "." then return out end
            local v = G
            for name in gmatch(path, "[^%.]+") do
              v = lookup(v, name)
              if v == nil then return out end
            end
            for k, x in pairs(fields(v)) do
              if match(k, "^[%a_][%w_]*$") and sub(k, 1, #partial) == partial and (sep == "." or type(x) == "function") then
                out[#out + 1] = prefix .. k
              end
            end
          end
          sort(out)
          return out
        end

        return format, complete
        """#
}

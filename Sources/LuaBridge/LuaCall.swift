// LuaCall: typed access to a Lua stack (a call's arguments, or the host's
// stack). Every check uses raw, non-raising API and reports in lauxlib's words.
import CLua
import CShims

public enum LuaType: Int32 {
    case none = -1, nil_ = 0, boolean, lightUserdata, number, string, table, function, userdata, thread

    public var name: String {
        switch self {
        case .none: "no value"
        case .nil_: "nil"
        case .boolean: "boolean"
        case .lightUserdata: "light userdata"
        case .number: "number"
        case .string: "string"
        case .table: "table"
        case .function: "function"
        case .userdata: "userdata"
        case .thread: "thread"
        }
    }
}

public struct LuaCall {
    public let L: OpaquePointer
    /// The function's registered name, used when Lua cannot name the caller.
    public let name: String

    public init(_ L: OpaquePointer, name: String) {
        self.L = L
        self.name = name
    }

    /// Number of arguments (stack height).
    public var count: Int32 { lua_gettop(L) }

    public func type(_ index: Int32) -> LuaType { LuaType(rawValue: lua_type(L, index)) ?? .none }

    public func typeName(_ index: Int32) -> String {
        if type(index) == .none { return "no value" }
        return String(cString: mw_typename(L, index))
    }

    public func absolute(_ index: Int32) -> Int32 { lua_absindex(L, index) }

    // MARK: Checks

    public func expected(_ what: String, at index: Int32) -> LuaArgumentError {
        LuaArgumentError(argument: index, "\(what) expected, got \(typeName(index))")
    }

    public func checkType(_ index: Int32, _ t: LuaType) throws {
        guard type(index) == t else { throw expected(t.name, at: index) }
    }

    /// Bytes of a string argument (numbers are not converted: an LLM prompt
    /// that is a number is almost always a mistake).
    public func bytes(_ index: Int32) throws -> [UInt8] {
        guard type(index) == .string else { throw expected("string", at: index) }
        return rawBytes(index)
    }

    public func string(_ index: Int32) throws -> String {
        guard type(index) == .string else { throw expected("string", at: index) }
        return rawString(index)
    }

    public func optionalString(_ index: Int32) throws -> String? {
        mw_isnoneornil(L, index) != 0 ? nil : try string(index)
    }

    public func integer(_ index: Int32) throws -> Int64 {
        var ok: Int32 = 0
        let v = mw_tointeger(L, index, &ok)
        guard type(index) == .number else { throw expected("number", at: index) }
        guard ok != 0 else { throw LuaArgumentError(argument: index, "number has no integer representation") }
        return v
    }

    public func optionalInteger(_ index: Int32) throws -> Int64? {
        mw_isnoneornil(L, index) != 0 ? nil : try integer(index)
    }

    public func number(_ index: Int32) throws -> Double {
        guard type(index) == .number else { throw expected("number", at: index) }
        return mw_tonumber(L, index, nil)
    }

    public func optionalNumber(_ index: Int32) throws -> Double? {
        mw_isnoneornil(L, index) != 0 ? nil : try number(index)
    }

    public func boolean(_ index: Int32) -> Bool { lua_toboolean(L, index) != 0 }

    public func checkTable(_ index: Int32) throws { try checkType(index, .table) }
    public func checkFunction(_ index: Int32) throws { try checkType(index, .function) }

    /// Checks that the table at `index` has only string keys from `allowed`:
    /// `unknown option 'temprature' to 'chat'`.
    public func checkOptions(_ index: Int32, allowed: Set<String>) throws {
        let t = absolute(index)
        lua_pushnil(L)
        while lua_next(L, t) != 0 {
            guard lua_type(L, -2) == LUA_TSTRING else {
                let keyType = typeName(-2)
                mw_pop(L, 2)
                throw LuaArgumentError(argument: index, "option keys must be strings, got \(keyType)")
            }
            let key = rawString(-2)
            mw_pop(L, 1)
            if !allowed.contains(key) {
                mw_pop(L, 1)
                throw LuaRuntimeError("unknown option '\(key)' to '\(name)'")
            }
        }
    }

    /// The string keys and string values of the table at `index`, sorted by
    /// key (a table's order is not stable), or a description of the first
    /// key or value that is not a string.
    public func stringPairs(_ index: Int32) -> (pairs: [(String, String)], problem: String?) {
        let t = absolute(index)
        var pairs: [(String, String)] = []
        lua_pushnil(L)
        while lua_next(L, t) != 0 {
            guard lua_type(L, -2) == LUA_TSTRING, lua_type(L, -1) == LUA_TSTRING else {
                let problem = lua_type(L, -2) == LUA_TSTRING ? "the value of '\(rawString(-2))' is a \(typeName(-1))" : "a key is a \(typeName(-2))"
                mw_pop(L, 2)
                return ([], problem)
            }
            pairs.append((rawString(-2), rawString(-1)))
            mw_pop(L, 1)
        }
        return (pairs.sorted { $0.0 < $1.0 }, nil)
    }

    /// Pushes `t[key]` without metamethods and returns its type.
    @discardableResult
    public func rawField(_ index: Int32, _ key: String) -> LuaType {
        let t = absolute(index)
        lua_pushstring(L, key)
        return LuaType(rawValue: lua_rawget(L, t)) ?? .none
    }

    // MARK: Raw reads (no checks, no conversion side effects on non-strings)

    public func rawBytes(_ index: Int32) -> [UInt8] {
        var len = 0
        guard lua_type(L, index) == LUA_TSTRING, let p = mw_tolstring(L, index, &len) else { return [] }
        return Array(UnsafeRawBufferPointer(start: p, count: len))
    }

    public func rawString(_ index: Int32) -> String {
        var len = 0
        guard lua_type(L, index) == LUA_TSTRING, let p = mw_tolstring(L, index, &len) else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: p, count: len), as: UTF8.self)
    }

    // MARK: Pushing

    public func pushNil() { lua_pushnil(L) }
    public func push(_ value: Bool) { lua_pushboolean(L, value ? 1 : 0) }
    public func push(_ value: Int64) { lua_pushinteger(L, value) }
    public func push(_ value: Int) { lua_pushinteger(L, Int64(value)) }
    public func push(_ value: Double) { lua_pushnumber(L, value) }
    public func push(_ value: String) {
        var copy = value
        copy.withUTF8 { buf in
            buf.withMemoryRebound(to: CChar.self) { _ = lua_pushlstring(L, $0.baseAddress, $0.count) }
        }
    }
    public func push(bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { buf in
            buf.withMemoryRebound(to: CChar.self) { _ = lua_pushlstring(L, $0.baseAddress, $0.count) }
        }
    }
    public func pushValue(at index: Int32) { lua_pushvalue(L, index) }
    public func newTable(arrayCount: Int32 = 0, recordCount: Int32 = 0) {
        lua_createtable(L, arrayCount, recordCount)
    }
    /// `t[key] = top` (raw; pops the value). `index` must be absolute.
    public func setField(_ index: Int32, _ key: String) {
        push(key)
        lua_rotate(L, -2, 1)
        lua_rawset(L, index)
    }
    /// `t[i] = top` (raw; pops the value). `index` must be absolute.
    public func setIndex(_ index: Int32, _ i: Int64) { lua_rawseti(L, index, i) }
    public func pushFunction(name: String, _ body: @escaping LuaFunction) {
        LuaFunctionBox.push(L, name: name, body: body)
    }
}

extension LuaState {
    /// The state's main stack, for the host's own pushes and reads.
    public var stack: LuaCall { LuaCall(L, name: "?") }
}

extension LuaCall {
    public func pop(_ n: Int32 = 1) { mw_pop(L, n) }
    public func settop(_ index: Int32) { lua_settop(L, index) }
}

extension LuaCall {
    /// `#t` without metamethods.
    public func rawLength(_ index: Int32) -> UInt64 { UInt64(lua_rawlen(L, index)) }
    /// Pushes `t[i]` without metamethods.
    public func pushIndex(_ index: Int32, _ i: Int64) { lua_rawgeti(L, index, i) }
}

extension LuaCall {
    /// Pushes global `name` without metamethods.
    public func pushGlobalRaw(_ name: String) {
        mw_pushglobaltable(L)
        push(name)
        lua_rawget(L, -2)
        lua_rotate(L, -2, 1)
        mw_pop(L, 1)
    }
}

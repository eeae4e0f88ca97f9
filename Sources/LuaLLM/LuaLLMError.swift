// LLMError raised into Lua as a table: kind, status, provider, message,
// attempts, retry_after, request_id, with a __tostring that reads well.
// `pcall` catches it; uncaught, moonwire prints its text and a traceback.
import CLua
import CShims
import LLMCore
import LuaBridge

extension LLMError: LuaRaisable {
    public func pushLuaError(on L: OpaquePointer, functionName: String) {
        LuaCall(L, name: functionName).push(error: self)
    }
}

extension LuaCall {
    static let errorTypeName = "llm.Error"

    func push(error: LLMError) {
        newTable(recordCount: 8)
        let t = absolute(-1)
        push(error.kind.rawValue); setField(t, "kind")
        push(error.message); setField(t, "message")
        if let s = error.status { push(s); setField(t, "status") }
        if let p = error.provider { push(p); setField(t, "provider") }
        if let r = error.requestID { push(r); setField(t, "request_id") }
        if let r = error.retryAfter { push(r); setField(t, "retry_after") }
        if let c = error.providerCode { push(c); setField(t, "code") }
        push(error.attempts); setField(t, "attempts")
        if lua_getfield(L, mw_registryindex(), Self.errorTypeName) != LUA_TTABLE {
            pop()
            newTable(recordCount: 2)
            let mt = absolute(-1)
            push(Self.errorTypeName); setField(mt, "__name")
            pushFunction(name: "__tostring", Self.errorToString)
            setField(mt, "__tostring")
            pushValue(at: mt)
            setField(mw_registryindex(), Self.errorTypeName)
        }
        lua_setmetatable(L, t)
    }

    /// `llm error: rate_limited (429) from anthropic: ... [request req_1]`
    private static func errorToString(_ call: LuaCall) throws -> Int32 {
        try call.checkTable(1)
        func field(_ key: String) -> String? {
            call.rawField(1, key)
            defer { call.pop() }
            switch call.type(-1) {
            case .string: return call.rawString(-1)
            case .number: return lua_isinteger(call.L, -1) != 0 ? String(mw_tointeger(call.L, -1, nil)) : String(mw_tonumber(call.L, -1, nil))
            default: return nil
            }
        }
        var s = field("kind") ?? "error"
        if let status = field("status") { s += " (\(status))" }
        if let provider = field("provider") { s += " from \(provider)" }
        s += ": " + (field("message") ?? "")
        if let request = field("request_id") { s += " [request \(request)]" }
        call.push(s)
        return 1
    }
}

// LuaRef: a registry reference that keeps a Lua value alive while Swift holds
// it (a callback, a tool function) and releases it when Swift lets go.
import CLua
import CShims

public final class LuaRef {
    private let main: OpaquePointer
    public let ref: Int32

    /// Pops the value on top of `call`'s stack into the registry.
    public init(_ call: LuaCall) {
        main = call.mainThread
        ref = luaL_ref(call.L, mw_registryindex())
    }

    deinit {
        // The state may already be closed when Swift objects outlive it.
        if LuaState.isOpen(main) { luaL_unref(main, mw_registryindex(), ref) }
    }

    /// Pushes the referenced value on `call`'s stack.
    public func push(on call: LuaCall) {
        lua_rawgeti(call.L, mw_registryindex(), lua_Integer(ref))
    }
}

extension LuaCall {
    /// The state's main thread (refs and long-lived values belong to it).
    public var mainThread: OpaquePointer {
        lua_rawgeti(L, mw_registryindex(), lua_Integer(LUA_RIDX_MAINTHREAD))
        let main = lua_tothread(L, -1)!
        mw_pop(L, 1)
        return main
    }

    /// Calls the function below `nargs` arguments in protected mode and keeps
    /// what it raised as it was (a table stays a table, a string gets no
    /// traceback): the caller raises it again later (issue 11).
    public func protectedCallKeepingError(nargs: Int32, nresults: Int32) -> LuaRaisedValue? {
        let status = mw_pcall(L, nargs, nresults, 0)
        guard status != LUA_OK else { return nil }
        let text = errorText(at: -1)
        return LuaRaisedValue(value: LuaRef(self), message: text)
    }

    /// Calls the function below `nargs` arguments in protected mode; an error
    /// comes back as its message with a traceback.
    public func protectedCall(nargs: Int32, nresults: Int32) -> LuaScriptError? {
        let status = mw_pcall_traceback(L, nargs, nresults)
        guard status != LUA_OK else { return nil }
        let message = errorText(at: -1)
        mw_pop(L, 1)
        return LuaScriptError(status: status, message: message)
    }

    /// An error value as text: a string (or number) as is, else a note of its type.
    private func errorText(at index: Int32) -> String {
        var len = 0
        if let p = mw_tolstring(L, index, &len) {
            return String(decoding: UnsafeRawBufferPointer(start: p, count: len), as: UTF8.self)
        }
        return "(error object is a \(typeName(index)) value)"
    }
}

/// A Lua error value held in the registry, to be raised again as it was.
public struct LuaRaisedValue: LuaRaisable, CustomStringConvertible, @unchecked Sendable {  // used on its Lua thread only
    public let value: LuaRef
    /// Its text (a string error as is), for Swift-side messages.
    public let message: String
    public var description: String { message }

    public func pushLuaError(on L: OpaquePointer, functionName: String) {
        value.push(on: LuaCall(L, name: functionName))
    }
}

// The errors a Swift function raises into Lua, in lauxlib's wording.
import CLua
import CShims

/// A protocol for errors that know how to push their own Lua error value
/// (for example a structured error table).
public protocol LuaRaisable: Error {
    /// Pushes exactly one value: the error object to raise.
    func pushLuaError(on L: OpaquePointer, functionName: String)
}

/// `bad argument #n to 'f' (message)`.
public struct LuaArgumentError: LuaRaisable, CustomStringConvertible {
    public let argument: Int32
    public let message: String
    public init(argument: Int32, _ message: String) {
        self.argument = argument
        self.message = message
    }
    public var description: String { "bad argument #\(argument) (\(message))" }
    public func pushLuaError(on L: OpaquePointer, functionName: String) {
        mw_push_argerror(L, argument, message, functionName)
    }
}

/// A plain error message, prefixed with the calling Lua code's position as
/// luaL_error does.
public struct LuaRuntimeError: LuaRaisable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
    public func pushLuaError(on L: OpaquePointer, functionName: String) {
        mw_push_where_message(L, 1, message)
    }
}

/// The error value is already on top of the stack (for example an error
/// caught from a Lua callback): raise it unchanged.
public struct LuaErrorOnStack: LuaRaisable {
    public init() {}
    public func pushLuaError(on L: OpaquePointer, functionName: String) {}
}

enum LuaRaise {
    static func push(_ error: any Error, on L: OpaquePointer, functionName: String) {
        if let raisable = error as? any LuaRaisable {
            raisable.pushLuaError(on: L, functionName: functionName)
        } else {
            mw_push_where_message(L, 1, "\(error)")
        }
    }
}

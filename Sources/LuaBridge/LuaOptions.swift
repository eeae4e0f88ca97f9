// LuaOptions: typed reads of fields from an options table (`llm.chat{...}`),
// with errors that name the argument and the field.
import CLua
import CShims

public struct LuaOptions {
    public let call: LuaCall
    /// Absolute stack index of the table.
    public let index: Int32
    /// The argument position reported in errors.
    public let argument: Int32

    public init(_ call: LuaCall, at index: Int32, argument: Int32? = nil) {
        self.call = call
        self.index = call.absolute(index)
        self.argument = argument ?? index
    }

    private func fieldError(_ key: String, _ expected: String) -> LuaArgumentError {
        LuaArgumentError(argument: argument, "field '\(key)' must be \(expected), got \(call.typeName(-1))")
    }

    /// Pushes the field and runs `read` with it on top; pops it afterwards.
    private func with<T>(_ key: String, _ read: () throws -> T) rethrows -> T {
        call.rawField(index, key)
        defer { call.pop() }
        return try read()
    }

    public func has(_ key: String) -> Bool {
        with(key) { call.type(-1) != .nil_ }
    }

    public func string(_ key: String) throws -> String? {
        try with(key) {
            switch call.type(-1) {
            case .nil_: return nil
            case .string: return call.rawString(-1)
            default: throw fieldError(key, "a string")
            }
        }
    }

    public func integer(_ key: String) throws -> Int64? {
        try with(key) {
            switch call.type(-1) {
            case .nil_: return nil
            case .number:
                var ok: Int32 = 0
                let v = mw_tointeger(call.L, -1, &ok)
                guard ok != 0 else { throw fieldError(key, "an integer") }
                return v
            default: throw fieldError(key, "an integer")
            }
        }
    }

    public func number(_ key: String) throws -> Double? {
        try with(key) {
            switch call.type(-1) {
            case .nil_: return nil
            case .number: return mw_tonumber(call.L, -1, nil)
            default: throw fieldError(key, "a number")
            }
        }
    }

    public func boolean(_ key: String) throws -> Bool? {
        try with(key) {
            switch call.type(-1) {
            case .nil_: return nil
            case .boolean: return call.boolean(-1)
            default: throw fieldError(key, "a boolean")
            }
        }
    }

    /// Pushes a table field for the caller to read and returns true, or pushes
    /// nothing and returns false when the field is nil. The caller pops.
    public func pushTable(_ key: String) throws -> Bool {
        call.rawField(index, key)
        switch call.type(-1) {
        case .table: return true
        case .nil_:
            call.pop()
            return false
        default:
            defer { call.pop() }
            throw fieldError(key, "a table")
        }
    }

    /// A registry reference to a function field, or nil.
    public func function(_ key: String) throws -> LuaRef? {
        try with(key) {
            switch call.type(-1) {
            case .nil_: return nil
            case .function:
                call.pushValue(at: -1)
                return LuaRef(call)
            default: throw fieldError(key, "a function")
            }
        }
    }
}

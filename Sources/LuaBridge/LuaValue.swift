// LuaValue: a Lua value copied into Swift. Integers and floats stay apart,
// strings are bytes (Lua strings are binary), tables keep every key.
import CLua
import CShims

public enum LuaValue: Hashable, Sendable {
    case nil_
    case boolean(Bool)
    case integer(Int64)
    case number(Double)
    case string([UInt8])
    case table(LuaTable)

    public static func string(_ s: String) -> LuaValue { .string(Array(s.utf8)) }
}

/// A copied table: `array` holds t[1]...t[n] (no holes), `fields` every other key.
public struct LuaTable: Hashable, Sendable {
    public var array: [LuaValue]
    public var fields: [LuaValue: LuaValue]

    public init(array: [LuaValue] = [], fields: [LuaValue: LuaValue] = [:]) {
        self.array = array
        self.fields = fields
    }
}

/// Why a value could not cross the bridge, with the path where it happened
/// (`$.messages[2].content`).
public struct LuaConversionError: LuaRaisable, CustomStringConvertible {
    public let path: String
    public let reason: String
    public init(path: String, _ reason: String) {
        self.path = path
        self.reason = reason
    }
    public var description: String { path == "$" ? reason : "\(reason) at \(path)" }
    public func pushLuaError(on L: OpaquePointer, functionName: String) {
        mw_push_where_message(L, 1, "\(functionName): \(description)")
    }
}

extension LuaCall {
    /// Copies the value at `index`. Functions, userdata and threads cannot be
    /// copied; a table that contains itself is an error, not an endless loop.
    public func value(at index: Int32, maxDepth: Int = 200) throws(LuaConversionError) -> LuaValue {
        var visiting = Set<UnsafeRawPointer>()
        return try readValue(absolute(index), path: "$", depth: 0, maxDepth: maxDepth, visiting: &visiting)
    }

    private func readValue(
        _ index: Int32, path: String, depth: Int, maxDepth: Int, visiting: inout Set<UnsafeRawPointer>
    ) throws(LuaConversionError) -> LuaValue {
        switch type(index) {
        case .nil_, .none: return .nil_
        case .boolean: return .boolean(boolean(index))
        case .number:
            if lua_isinteger(L, index) != 0 { return .integer(mw_tointeger(L, index, nil)) }
            return .number(mw_tonumber(L, index, nil))
        case .string: return .string(rawBytes(index))
        case .table:
            guard depth < maxDepth else { throw LuaConversionError(path: path, "table nested deeper than \(maxDepth) levels") }
            guard let identity = lua_topointer(L, index) else { return .nil_ }
            guard visiting.insert(identity).inserted else { throw LuaConversionError(path: path, "table contains itself (cycle)") }
            defer { visiting.remove(identity) }
            guard lua_checkstack(L, 3) != 0 else { throw LuaConversionError(path: path, "Lua stack overflow") }
            var entries: [LuaValue: LuaValue] = [:]
            lua_pushnil(L)
            while lua_next(L, index) != 0 {
                let key: LuaValue
                let value: LuaValue
                do {
                    key = try readValue(absolute(-2), path: path, depth: depth + 1, maxDepth: maxDepth, visiting: &visiting)
                    value = try readValue(absolute(-1), path: LuaValue.childPath(path, key), depth: depth + 1, maxDepth: maxDepth, visiting: &visiting)
                } catch {
                    mw_pop(L, 2)
                    throw error
                }
                mw_pop(L, 1)
                entries[key] = value
            }
            return .table(LuaTable(splitting: entries))
        default:
            throw LuaConversionError(path: path, "cannot convert a \(typeName(index)) value")
        }
    }

    /// Pushes a copy of `value`.
    public func push(_ value: LuaValue) {
        switch value {
        case .nil_: pushNil()
        case .boolean(let b): push(b)
        case .integer(let i): push(i)
        case .number(let d): push(d)
        case .string(let bytes): push(bytes: bytes)
        case .table(let t):
            lua_checkstack(L, 3)
            newTable(arrayCount: Int32(clamping: t.array.count), recordCount: Int32(clamping: t.fields.count))
            let tableIndex = absolute(-1)
            for (i, element) in t.array.enumerated() {
                push(element)
                setIndex(tableIndex, Int64(i + 1))
            }
            for (key, element) in t.fields {
                if case .nil_ = key { continue }
                if case .number(let d) = key, d.isNaN { continue }
                push(key)
                push(element)
                lua_rawset(L, tableIndex)
            }
        }
    }
}

extension LuaTable {
    /// Moves keys 1...n (the longest run without a hole) into `array`.
    init(splitting entries: [LuaValue: LuaValue]) {
        var fields = entries
        var array: [LuaValue] = []
        var i: Int64 = 1
        while let element = fields.removeValue(forKey: .integer(i)) {
            array.append(element)
            i += 1
        }
        self.init(array: array, fields: fields)
    }
}

extension LuaValue {
    static func childPath(_ path: String, _ key: LuaValue) -> String {
        switch key {
        case .string(let bytes): "\(path).\(String(decoding: bytes, as: UTF8.self))"
        case .integer(let i): "\(path)[\(i)]"
        case .number(let d): "\(path)[\(d)]"
        case .boolean(let b): "\(path)[\(b)]"
        default: "\(path)[?]"
        }
    }
}

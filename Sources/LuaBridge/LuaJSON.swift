// Lua ↔ JSON: the one converter used by the `json` module and by every place a
// Lua table becomes a request body. Integers stay integers; `json.null` is a
// light userdata; arrays and objects can be marked so empty ones round-trip.
import CLua
import CShims
import JSON

public enum LuaJSON {
    /// Registry keys of the metatables that mark a table as a JSON array/object.
    public static let arrayMarker = "moonwire.json.array"
    public static let objectMarker = "moonwire.json.object"
    public static let defaultMaxDepth = 200

    /// Creates the marker metatables once per state.
    public static func prepare(_ L: OpaquePointer) {
        for (marker, kind) in [(arrayMarker, "array"), (objectMarker, "object")] {
            if luaL_newmetatable(L, marker) != 0 {
                lua_pushstring(L, kind)
                lua_setfield(L, -2, "__jsontype")
            }
            mw_pop(L, 1)
        }
    }
}

extension LuaCall {
    /// Converts the value at `index` to JSON. Tables with keys 1...n become
    /// arrays, tables with string keys objects, an empty table `{}` unless
    /// marked with json.array. Everything else names the offending path.
    public func json(at index: Int32, maxDepth: Int = LuaJSON.defaultMaxDepth) throws(LuaConversionError) -> JSONValue {
        var visiting = Set<UnsafeRawPointer>()
        return try readJSON(absolute(index), path: "$", depth: 0, maxDepth: maxDepth, visiting: &visiting)
    }

    private enum Marker { case none, array, object }

    private func marker(_ index: Int32) -> Marker {
        guard lua_getmetatable(L, index) != 0 else { return .none }
        defer { mw_pop(L, 2) }
        _ = mw_getmetatable_registry(L, LuaJSON.arrayMarker)
        if lua_rawequal(L, -1, -2) != 0 { return .array }
        mw_pop(L, 1)
        _ = mw_getmetatable_registry(L, LuaJSON.objectMarker)
        return lua_rawequal(L, -1, -2) != 0 ? .object : .none
    }

    private func readJSON(
        _ index: Int32, path: String, depth: Int, maxDepth: Int, visiting: inout Set<UnsafeRawPointer>
    ) throws(LuaConversionError) -> JSONValue {
        switch type(index) {
        case .nil_, .none: return .null
        case .boolean: return .bool(boolean(index))
        case .number:
            if lua_isinteger(L, index) != 0 { return .int(mw_tointeger(L, index, nil)) }
            let d = mw_tonumber(L, index, nil)
            guard d.isFinite else { throw LuaConversionError(path: path, "cannot encode \(d) as JSON") }
            return .double(d)
        case .string:
            let bytes = rawBytes(index)
            guard let s = String(validating: bytes, as: UTF8.self) else {
                throw LuaConversionError(path: path, "string is not valid UTF-8")
            }
            return .string(s)
        case .lightUserdata where lua_touserdata(L, index) == nil:
            return .null
        case .table:
            guard depth < maxDepth else {
                throw LuaConversionError(path: path, "table nested deeper than \(maxDepth) levels")
            }
            guard let identity = lua_topointer(L, index) else { return .null }
            guard visiting.insert(identity).inserted else {
                throw LuaConversionError(path: path, "table contains itself (cycle)")
            }
            defer { visiting.remove(identity) }
            guard lua_checkstack(L, 4) != 0 else { throw LuaConversionError(path: path, "Lua stack overflow") }
            return try readTable(index, path: path, depth: depth, maxDepth: maxDepth, visiting: &visiting)
        default:
            throw LuaConversionError(path: path, "cannot encode a \(typeName(index)) value as JSON")
        }
    }

    private func readTable(
        _ index: Int32, path: String, depth: Int, maxDepth: Int, visiting: inout Set<UnsafeRawPointer>
    ) throws(LuaConversionError) -> JSONValue {
        let mark = marker(index)
        var stringKeys: [String] = []  // collected first, values read after sorting
        var maxInteger: Int64 = 0
        var integerCount: Int64 = 0
        lua_pushnil(L)
        while lua_next(L, index) != 0 {
            mw_pop(L, 1)
            if lua_type(L, -1) == LUA_TSTRING {
                let bytes = rawBytes(-1)
                guard let key = String(validating: bytes, as: UTF8.self) else {
                    mw_pop(L, 1)
                    throw LuaConversionError(path: path, "object key is not valid UTF-8")
                }
                stringKeys.append(key)
            } else if lua_isinteger(L, -1) != 0, mw_tointeger(L, -1, nil) >= 1 {
                maxInteger = max(maxInteger, mw_tointeger(L, -1, nil))
                integerCount += 1
            } else {
                let keyDescription = lua_type(L, -1) == LUA_TNUMBER ? "key \(mw_tonumber(L, -1, nil))" : "a \(typeName(-1)) key"
                mw_pop(L, 1)
                throw LuaConversionError(path: path, "cannot encode a table with \(keyDescription) as JSON")
            }
        }
        if integerCount > 0 && !stringKeys.isEmpty {
            throw LuaConversionError(path: path, "table mixes array items and string keys")
        }
        if integerCount > 0 || (mark == .array && stringKeys.isEmpty) {
            guard maxInteger == integerCount else {
                throw LuaConversionError(path: path, "array has holes (\(integerCount) items, highest index \(maxInteger)); use json.null for missing values")
            }
            if mark == .object {
                throw LuaConversionError(path: path, "table marked json.object has array items")
            }
            var items: [JSONValue] = []
            items.reserveCapacity(Int(integerCount))
            var i: Int64 = 1
            while i <= integerCount {
                lua_rawgeti(L, index, i)
                defer { mw_pop(L, 1) }
                items.append(try readJSON(absolute(-1), path: "\(path)[\(i)]", depth: depth + 1, maxDepth: maxDepth, visiting: &visiting))
                i += 1
            }
            return .array(items)
        }
        if mark == .array && !stringKeys.isEmpty {
            throw LuaConversionError(path: path, "table marked json.array has string keys")
        }
        // Lua tables have no order: sort keys so the same table always encodes the same way.
        var object = JSONObject()
        for key in stringKeys.sorted() {
            push(key)
            lua_rawget(L, index)
            defer { mw_pop(L, 1) }
            object[key] = try readJSON(absolute(-1), path: "\(path).\(key)", depth: depth + 1, maxDepth: maxDepth, visiting: &visiting)
        }
        return .object(object)
    }

    /// Pushes `value` as Lua values: objects and arrays become tables (arrays
    /// marked so that an empty one encodes back as `[]`), null `json.null`.
    public func push(json value: JSONValue) {
        switch value {
        case .null: lua_pushlightuserdata(L, nil)
        case .bool(let b): push(b)
        case .int(let i): push(i)
        case .double(let d): push(d)
        case .string(let s): push(s)
        case .array(let items):
            lua_checkstack(L, 3)
            newTable(arrayCount: Int32(clamping: items.count))
            let t = absolute(-1)
            for (i, item) in items.enumerated() {
                push(json: item)
                setIndex(t, Int64(i + 1))
            }
            _ = mw_getmetatable_registry(L, LuaJSON.arrayMarker)
            lua_setmetatable(L, t)
        case .object(let object):
            lua_checkstack(L, 3)
            newTable(recordCount: Int32(clamping: object.count))
            let t = absolute(-1)
            for (key, item) in object.entries {
                push(json: item)
                setField(t, key)
            }
        }
    }
}

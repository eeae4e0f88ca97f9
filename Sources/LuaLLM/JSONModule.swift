// The `json` module: encode/decode between Lua values and JSON text.
//   json.encode(v [, {pretty = bool, sort_keys = bool}]) -> string
//   json.decode(s) -> value        (errors name the byte offset)
//   json.null, json.array([t]), json.object([t]), json.is_array(t)
import CLua
import CShims
import JSON
import LuaBridge

enum JSONModule {
    static func push(_ stack: LuaCall) {
        stack.newTable(recordCount: 6)
        let t = stack.absolute(-1)
        stack.pushFunction(name: "encode", encode)
        stack.setField(t, "encode")
        stack.pushFunction(name: "decode", decode)
        stack.setField(t, "decode")
        stack.pushFunction(name: "array") { call in try mark(call, LuaJSON.arrayMarker) }
        stack.setField(t, "array")
        stack.pushFunction(name: "object") { call in try mark(call, LuaJSON.objectMarker) }
        stack.setField(t, "object")
        stack.pushFunction(name: "is_array", isArray)
        stack.setField(t, "is_array")
        lua_pushlightuserdata(stack.L, nil)
        stack.setField(t, "null")
    }

    private static func encode(_ call: LuaCall) throws -> Int32 {
        if call.count < 1 { throw call.expected("value", at: 1) }
        var pretty = false
        var sortKeys = false
        if call.type(2) != .none && call.type(2) != .nil_ {
            try call.checkTable(2)
            try call.checkOptions(2, allowed: ["pretty", "sort_keys"])
            call.rawField(2, "pretty"); pretty = call.boolean(-1); call.pop()
            call.rawField(2, "sort_keys"); sortKeys = call.boolean(-1); call.pop()
        }
        let value = try call.json(at: 1)
        var options: JSONWriter.Options = []
        if pretty { options.insert(.pretty) }
        if sortKeys { options.insert(.sortedKeys) }
        let bytes = try JSONWriter(options: options).bytes(value)
        call.push(bytes: bytes)
        return 1
    }

    private static func decode(_ call: LuaCall) throws -> Int32 {
        let text = try call.bytes(1)
        do {
            let value = try text.withUnsafeBufferPointer { try JSONParser().parse($0) }
            call.push(json: value)
            return 1
        } catch {
            throw LuaRuntimeError("json.decode: \(error)")
        }
    }

    /// json.array(t) / json.object(t): marks t (or a new table) so an empty
    /// one encodes as [] / {}.
    private static func mark(_ call: LuaCall, _ marker: String) throws -> Int32 {
        if call.type(1) == .none || call.type(1) == .nil_ {
            call.settop(0)
            call.newTable()
        } else {
            try call.checkTable(1)
            call.settop(1)
        }
        _ = mw_getmetatable_registry(call.L, marker)
        lua_setmetatable(call.L, 1)
        return 1
    }

    private static func isArray(_ call: LuaCall) throws -> Int32 {
        try call.checkTable(1)
        var isArray = false
        if lua_getmetatable(call.L, 1) != 0 {
            _ = mw_getmetatable_registry(call.L, LuaJSON.arrayMarker)
            isArray = lua_rawequal(call.L, -1, -2) != 0
        }
        call.push(isArray)
        return 1
    }
}

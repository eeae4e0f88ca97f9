// libFuzzer target: the Lua ↔ JSON bridge (LuaBridge/LuaJSON.swift), both ways.
// The first byte picks the direction:
// - even: the rest is JSON text. A value that parses is pushed as Lua values
//   and read back; it must come back equal, or (nested past LuaJSON's depth)
//   fail with the depth error, never anything else.
// - odd: the rest is a small stack program that builds Lua values the JSON
//   text cannot express: NaN and infinities, invalid UTF-8, holes, mixed keys,
//   float keys, cycles, marked tables, functions, json.null. Reading the built
//   value either fails with a LuaConversionError or gives JSON that encodes,
//   parses, pushes and reads back to the same value.
import CLua
import CShims
import JSON
import LuaBridge

nonisolated(unsafe) let state = LuaState()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLuaJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0, let L = state.pointer else { return 0 }
    LuaJSON.prepare(L)
    let lua = LuaCall(L, name: "fuzz")
    let bytes = UnsafeBufferPointer(start: data + 1, count: size - 1)
    lua_settop(L, 0)
    defer { lua_settop(L, 0) }
    if data[0] % 2 == 0 {
        guard let value = try? JSONParser().parse(bytes) else { return 0 }
        lua.push(json: value)
        do {
            let back = try lua.json(at: -1)
            precondition(back == value, "JSON → Lua → JSON changed the value")
        } catch {
            precondition(error.reason.hasPrefix("table nested deeper than"), "a parsed value did not read back: \(error)")
        }
        return 0
    }
    var program = Program(bytes: bytes, lua: lua)
    program.run()
    guard lua_gettop(L) > 0 else { return 0 }
    guard let value = try? lua.json(at: 1) else { return 0 }
    guard let text = try? JSONWriter().bytes(value) else { fatalError("a value read from Lua did not encode") }
    guard let parsed = try? JSONParser.parse(text) else { fatalError("encoded JSON did not parse: \(String(decoding: text, as: UTF8.self))") }
    precondition(parsed == value, "encode → parse changed the value")
    lua.push(json: parsed)
    guard let again = try? lua.json(at: -1) else { fatalError("a value pushed from JSON did not read back") }
    precondition(again == value, "Lua → JSON → Lua → JSON changed the value")
    return 0
}

/// Builds Lua values from bytes, one operation a byte. Never raises a Lua
/// error: keys that Lua refuses (nil, NaN) are skipped, the stack is bounded.
struct Program {
    let bytes: UnsafeBufferPointer<UInt8>
    let lua: LuaCall
    var at = 0

    var L: OpaquePointer { lua.L }

    mutating func next() -> UInt8? {
        guard at < bytes.count else { return nil }
        defer { at += 1 }
        return bytes[at]
    }

    mutating func word() -> UInt64 {
        var w: UInt64 = 0
        for _ in 0..<8 { w = w << 8 | UInt64(next() ?? 0) }
        return w
    }

    /// The nearest table at or below the top, as an absolute index.
    func table() -> Int32? {
        var i = lua_gettop(L)
        while i > 0 {
            if lua_type(L, i) == LUA_TTABLE { return i }
            i -= 1
        }
        return nil
    }

    mutating func run() {
        while let op = next() {
            guard lua_gettop(L) < 64, lua_checkstack(L, 8) != 0 else { lua_settop(L, 1); continue }
            switch op % 16 {
            case 0: lua_pushnil(L)
            case 1: lua_pushboolean(L, Int32(op >> 4 & 1))
            case 2: lua_pushinteger(L, Int64(bitPattern: word()))
            case 3: lua_pushnumber(L, Double(bitPattern: word()))
            case 4: lua_pushinteger(L, Int64(op >> 4))  // small integers, for array indexes
            case 5:
                let n = Int(next() ?? 0) % 24
                var s: [UInt8] = []
                for _ in 0..<n { s.append(next() ?? 0) }
                lua.push(bytes: s)
            case 6: lua_createtable(L, 0, 0)
            case 7:  // t[key] = value: the two values on top into the table below them
                guard lua_gettop(L) >= 3, lua_type(L, -3) == LUA_TTABLE else { break }
                let keyType = lua_type(L, -2)
                if keyType == LUA_TNIL || (keyType == LUA_TNUMBER && lua_isinteger(L, -2) == 0 && mw_tonumber(L, -2, nil).isNaN) {
                    mw_pop(L, 2)
                    break
                }
                lua_rawset(L, -3)
            case 8:  // append the top to the table below it
                guard lua_gettop(L) >= 2, lua_type(L, -2) == LUA_TTABLE else { break }
                lua_rawseti(L, -2, Int64(lua_rawlen(L, -2)) + 1)
            case 9: lua_pushlightuserdata(L, nil)  // json.null
            case 10, 11:  // mark the nearest table json.array / json.object
                guard let t = table() else { break }
                _ = mw_getmetatable_registry(L, op % 16 == 10 ? LuaJSON.arrayMarker : LuaJSON.objectMarker)
                lua_setmetatable(L, t)
            case 12:  // a second reference to a value lower down (cycles, shared tables)
                let top = lua_gettop(L)
                guard top > 0 else { break }
                lua_pushvalue(L, Int32(op >> 4) % top + 1)
            case 13: lua_pushcclosure(L, mw_fuzz_function, 0)
            case 14: _ = lua_newuserdatauv(L, 8, 0)
            default: if lua_gettop(L) > 1 { mw_pop(L, 1) }
            }
        }
    }
}

/// A C function value, for "cannot encode a function".
let mw_fuzz_function: lua_CFunction = { _ in 0 }

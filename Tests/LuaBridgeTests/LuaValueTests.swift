import LuaBridge
import Testing

@Suite("LuaValue copies values between Lua and Swift")
struct LuaValueTests {
    private func roundTrip(_ value: LuaValue) throws -> LuaValue {
        let lua = LuaState()
        let stack = lua.stack
        stack.push(value)
        defer { stack.pop() }
        return try stack.value(at: -1)
    }

    @Test("scalars keep their Lua types", arguments: [
        LuaValue.nil_, .boolean(true), .boolean(false), .integer(0), .integer(.max), .integer(.min),
        .number(0.1), .number(1e300), .number(-0.0), .number(2.0), .string([0, 1, 0xFF, 0]), .string("café 日本"),
    ])
    func scalars(_ value: LuaValue) throws {
        #expect(try roundTrip(value) == value)
    }

    @Test("tables split into array and fields")
    func tables() throws {
        let table = LuaValue.table(LuaTable(
            array: [.integer(1), .string("two"), .table(LuaTable(array: [.number(3.5)]))],
            fields: [.string("name"): .string("x"), .integer(10): .boolean(true), .number(1.5): .integer(7)]
        ))
        #expect(try roundTrip(table) == table)
    }

    @Test("a table that contains itself is an error naming the path")
    func cycle() throws {
        let lua = LuaState()
        try lua.run("t = { inner = {} }; t.inner.back = t").get()
        lua.pushGlobal("t")
        #expect(throws: LuaConversionError.self) { try lua.stack.value(at: -1) }
        do {
            _ = try lua.stack.value(at: -1)
        } catch {
            #expect(error.path == "$.inner.back")
            #expect(error.reason.contains("cycle"))
        }
    }

    @Test("nesting deeper than the limit is an error, not a crash")
    func depthLimit() throws {
        let lua = LuaState()
        try lua.run("t = {}; local c = t; for i = 1, 1000 do c.x = {}; c = c.x end").get()
        lua.pushGlobal("t")
        #expect(throws: LuaConversionError.self) { try lua.stack.value(at: -1, maxDepth: 100) }
    }

    @Test("functions cannot be copied")
    func functionValue() throws {
        let lua = LuaState()
        try lua.run("f = { cb = print }").get()
        lua.pushGlobal("f")
        #expect(throws: LuaConversionError.self) { try lua.stack.value(at: -1) }
    }
}

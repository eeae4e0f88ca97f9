import JSON
import LuaBridge
import Testing

@Suite("Lua ↔ JSON conversion")
struct LuaJSONTests {
    private func lua() -> LuaState {
        let lua = LuaState()
        LuaJSON.prepare(lua.pointer!)
        return lua
    }

    private func jsonOfGlobal(_ script: String) throws -> JSONValue {
        let l = lua()
        try l.run(script).get()
        l.pushGlobal("v")
        return try l.stack.json(at: -1)
    }

    @Test("integers stay integers at the int64 edges; floats stay floats")
    func numbers() throws {
        let v = try jsonOfGlobal("v = { math.maxinteger, math.mininteger, 0.1, 1e300, 2.0, -0.0 }")
        #expect(v == .array([.int(.max), .int(.min), .double(0.1), .double(1e300), .double(2.0), .double(-0.0)]))
    }

    @Test("JSON → Lua → JSON is the identity for every kind of value")
    func roundTrip() throws {
        let doc: JSONValue = .object(JSONObject([
            ("null", .null), ("t", .bool(true)), ("f", .bool(false)), ("big", .int(.max)), ("small", .int(.min)),
            ("pi", .double(3.25)), ("s", .string("nul\u{0}byte café 日本 🙂")), ("empty_array", .array([])),
            ("empty_object", .object(JSONObject())), ("nested", .array([.array([.object(JSONObject([("k", .int(1))]))])])),
        ]))
        let l = lua()
        l.stack.push(json: doc)
        #expect(try l.stack.json(at: -1) == doc)
    }

    @Test("empty tables: {} by default, [] when marked")
    func emptyTables() throws {
        let l = lua()
        l.stack.push(json: .array([]))
        l.setGlobal("marked")
        try l.run("v = { a = {}, b = marked }").get()
        l.pushGlobal("v")
        #expect(try l.stack.json(at: -1) == .object(JSONObject([("a", .object(JSONObject())), ("b", .array([]))])))
    }

    @Test("bad values are errors naming the path", arguments: [
        ("v = { x = { 0/0 } }", "$.x[1]"),
        ("v = { s = '\\xff\\xfe' }", "$.s"),
        ("v = { 1, 2, nil, 4 }", "$"),
        ("v = { 1, a = 2 }", "$"),
        ("v = { f = print }", "$.f"),
        ("v = {}; v.self = v", "$.self"),
    ])
    func badValues(_ script: String, _ path: String) throws {
        do {
            _ = try jsonOfGlobal(script)
            Issue.record("expected an error for \(script)")
        } catch let error as LuaConversionError {
            #expect(error.path == path, "\(error)")
        }
    }
}

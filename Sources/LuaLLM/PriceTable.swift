// The price table: stdlib/llm_prices.lua (required through Lua, so users can
// shadow it on their module path), then a client's own `prices` on top.
import JSON
import LLMCore
import LuaBridge

enum PriceTable {
    static func load(_ call: LuaCall, override o: LuaOptions) throws -> [String: ModelPrice] {
        var prices = defaults(call)
        let base = call.count
        defer { call.settop(base) }
        if o.has("prices") {
            call.rawField(o.index, "prices")
            for (model, price) in try parse(try call.json(at: -1), field: "prices") { prices[model] = price }
        }
        return prices
    }

    /// `require "llm_prices"`: the stdlib's table, or a project's own.
    static func defaults(_ call: LuaCall) -> [String: ModelPrice] {
        let base = call.count
        defer { call.settop(base) }
        call.pushGlobalRaw("require")
        call.push("llm_prices")
        // A missing price table only means costs read 0: not an error.
        guard call.protectedCall(nargs: 1, nresults: 1) == nil, call.type(-1) == .table else { return [:] }
        return (try? parse(call.json(at: -1), field: "llm_prices")) ?? [:]
    }

    private static func parse(_ value: JSONValue, field: String) throws -> [String: ModelPrice] {
        guard case .object(let table) = value else {
            if case .array(let a) = value, a.isEmpty { return [:] }
            throw LuaArgumentError(argument: 1, "field '\(field)' must map model names to { input =, output = }")
        }
        var prices: [String: ModelPrice] = [:]
        for (model, entry) in table.entries {
            guard let input = entry["input"]?.doubleValue, let output = entry["output"]?.doubleValue else {
                throw LuaArgumentError(argument: 1, "field '\(field)[\"\(model)\"]' needs numbers 'input' and 'output' (dollars per million tokens)")
            }
            prices[model] = ModelPrice(input: input, output: output, cacheRead: entry["cache_read"]?.doubleValue, cacheWrite: entry["cache_write"]?.doubleValue)
        }
        return prices
    }
}

// Reads the options table of llm.chat / llm.stream into a ChatRequest plus
// what stays on the Lua side (callbacks, tool functions, loop limits).
import JSON
import LLMCore
import LLMProviders
import LuaBridge

struct LuaTool {
    let definition: ToolDefinition
    let function: LuaRef?
}

struct ChatOptions {
    var request: ChatRequest
    var provider: ProviderKind?
    var baseURL: String?
    var apiKey: String?
    var headers: [(name: String, value: String)] = []
    var stream = true
    var maxSteps = 8
    var tools: [LuaTool] = []
    var onText: LuaRef?
    var onEvent: LuaRef?

    static let keys: Set<String> = [
        "model", "prompt", "messages", "system", "max_tokens", "temperature", "top_p", "stop", "tools",
        "tool_choice", "schema", "extra", "provider", "base_url", "api_key", "headers", "stream", "max_steps",
        "on_text", "on_event",
    ]

    /// `clientModel`: reading for a client call, whose providers name their
    /// models (a `model` option is not allowed there).
    static func read(_ call: LuaCall, at index: Int32, configuration: LLMConfiguration, clientModel: String? = nil) throws -> ChatOptions {
        try call.checkTable(index)
        try call.checkOptions(index, allowed: clientModel == nil ? keys : clientKeys)
        let o = LuaOptions(call, at: index)
        let model = try clientModel ?? configuration.model(try o.string("model"))
        var request = ChatRequest(model: model, messages: [])
        request.system = try o.string("system")
        func inRange<T: Comparable>(_ value: T?, _ range: ClosedRange<T>, _ field: String) throws -> T? {
            guard let value else { return nil }
            guard range.contains(value) else {
                func shown(_ x: T) -> String {
                    if let d = x as? Double, d == d.rounded(), abs(d) < 1e15 { return String(Int(d)) }
                    return "\(x)"
                }
                throw LuaArgumentError(argument: index, "field '\(field)' must be between \(shown(range.lowerBound)) and \(shown(range.upperBound)), got \(shown(value))")
            }
            return value
        }
        request.maxTokens = try inRange(o.integer("max_tokens"), 1...100_000_000, "max_tokens").map { Int($0) }
        request.temperature = try inRange(o.number("temperature"), 0...2, "temperature")
        request.topP = try inRange(o.number("top_p"), 0...1, "top_p")
        if try o.pushTable("messages") {
            defer { call.pop() }
            request.messages = try MessageReader.messages(call, at: -1, argument: index)
        }
        if let prompt = try o.string("prompt") {
            request.messages.append(Message(role: .user, text: prompt))
        }
        if request.messages.isEmpty {
            throw LuaArgumentError(argument: index, "give 'prompt' or 'messages'")
        }
        request.stop = try readStop(call, o)
        var options = ChatOptions(request: request)
        if try o.pushTable("tools") {
            defer { call.pop() }
            options.tools = try MessageReader.tools(call, at: -1, argument: index)
            options.request.tools = options.tools.map(\.definition)
        }
        options.request.toolChoice = try readToolChoice(call, o)
        if o.has("schema") {
            call.rawField(o.index, "schema")
            defer { call.pop() }
            options.request.responseSchema = try call.json(at: -1)
        }
        if try o.pushTable("extra") {
            defer { call.pop() }
            guard case .object(let extra) = try call.json(at: -1) else {
                throw LuaArgumentError(argument: index, "field 'extra' must be a table with string keys")
            }
            options.request.extra = extra
        }
        if let p = try o.string("provider") {
            options.provider = try LLMConfiguration.kind(named: p, field: "provider", argument: index)
        }
        options.baseURL = try o.string("base_url")
        options.apiKey = try o.string("api_key")
        options.headers = try HeaderOptions.read(call, o)
        options.stream = try o.boolean("stream") ?? true
        if let steps = try o.integer("max_steps") {
            guard steps >= 1 else { throw LuaArgumentError(argument: index, "field 'max_steps' must be at least 1") }
            options.maxSteps = Int(steps)
        }
        options.onText = try o.function("on_text")
        options.onEvent = try o.function("on_event")
        return options
    }

    /// A client's call: providers, models and endpoints come from the client.
    static let clientKeys = keys.subtracting(["model", "provider", "base_url", "api_key", "headers"]).union(["priority"])

    private static func readStop(_ call: LuaCall, _ o: LuaOptions) throws -> [String] {
        call.rawField(o.index, "stop")
        defer { call.pop() }
        switch call.type(-1) {
        case .nil_: return []
        case .string: return [call.rawString(-1)]
        case .table:
            guard case .array(let items) = try call.json(at: -1) else { return [] }
            return try items.map { item in
                guard case .string(let s) = item else {
                    throw LuaArgumentError(argument: o.argument, "field 'stop' must be a string or a list of strings")
                }
                return s
            }
        default:
            throw LuaArgumentError(argument: o.argument, "field 'stop' must be a string or a list of strings, got \(call.typeName(-1))")
        }
    }

    private static func readToolChoice(_ call: LuaCall, _ o: LuaOptions) throws -> ToolChoice? {
        guard let choice = try o.string("tool_choice") else { return nil }
        switch choice {
        case "auto": return .auto
        case "none": return ToolChoice.none
        case "required", "any": return .required
        default: return .tool(choice)
        }
    }
}

// Messages and tools written as Lua tables, read into LLMCore values.
//   { role = "user", content = "text" }
//   { role = "assistant", content = { { type = "text", text = "..." },
//                                     { type = "tool_use", id = "...", name = "...", input = {...} } } }
//   { role = "tool", tool_call_id = "...", content = "result" }
import JSON
import LLMCore
import LuaBridge

enum MessageReader {
    static func messages(_ call: LuaCall, at index: Int32, argument: Int32) throws -> [Message] {
        guard case .array(let items) = try call.json(at: index) else {
            if case .object(let o) = try call.json(at: index), o.isEmpty { return [] }
            throw LuaArgumentError(argument: argument, "field 'messages' must be a list of messages")
        }
        return try items.enumerated().map { i, item in
            try message(item, path: "messages[\(i + 1)]", argument: argument)
        }
    }

    static func message(_ value: JSONValue, path: String, argument: Int32) throws -> Message {
        func fail(_ why: String) -> LuaArgumentError { LuaArgumentError(argument: argument, "\(path): \(why)") }
        guard case .object(let o) = value else { throw fail("a message must be a table") }
        guard let roleName = o["role"]?.stringValue else { throw fail("'role' must be a string") }
        guard let role = Role(rawValue: roleName) else {
            throw fail("unknown role '\(roleName)' (use system, user, assistant or tool)")
        }
        if role == .tool {
            guard let id = o["tool_call_id"]?.stringValue ?? o["id"]?.stringValue else {
                throw fail("a tool message needs 'tool_call_id'")
            }
            let content = try textOf(o["content"], fail)
            return Message(role: .tool, content: [.toolResult(toolCallID: id, content: content, isError: o["is_error"]?.boolValue ?? false)])
        }
        switch o["content"] {
        case .string(let s)?:
            return Message(role: role, text: s)
        case .array(let blocks)?:
            return Message(role: role, content: try blocks.enumerated().map { j, b in
                try block(b, fail: { fail("content[\(j + 1)]: \($0)") })
            })
        default:
            throw fail("'content' must be a string or a list of blocks")
        }
    }

    private static func textOf(_ value: JSONValue?, _ fail: (String) -> LuaArgumentError) throws -> String {
        switch value {
        case .string(let s)?: return s
        case nil, .null?: return ""
        case let other?:
            // Tables become JSON text: what a model reads as a tool result.
            return (try? JSONWriter().string(other)) ?? ""
        }
    }

    private static func block(_ value: JSONValue, fail: (String) -> LuaArgumentError) throws -> ContentBlock {
        guard case .object(let b) = value, let type = b["type"]?.stringValue else {
            throw fail("a block must be a table with a 'type'")
        }
        switch type {
        case "text":
            guard let text = b["text"]?.stringValue else { throw fail("a text block needs 'text'") }
            return .text(text)
        case "thinking":
            return .thinking(text: b["thinking"]?.stringValue ?? b["text"]?.stringValue ?? "", signature: b["signature"]?.stringValue)
        case "redacted_thinking":
            return .redactedThinking(data: b["data"]?.stringValue ?? "")
        case "tool_use", "tool_call":
            guard let id = b["id"]?.stringValue, let name = b["name"]?.stringValue else {
                throw fail("a tool_use block needs 'id' and 'name'")
            }
            return .toolUse(ToolCall(id: id, name: name, arguments: b["input"] ?? b["arguments"] ?? .object(JSONObject()),
                                  signature: b["signature"]?.stringValue))
        case "tool_result":
            guard let id = b["tool_use_id"]?.stringValue ?? b["tool_call_id"]?.stringValue else {
                throw fail("a tool_result block needs 'tool_use_id'")
            }
            return .toolResult(toolCallID: id, content: try textOf(b["content"], fail), isError: b["is_error"]?.boolValue ?? false)
        default:
            throw fail("unknown block type '\(type)'")
        }
    }

    /// `tools = { { name = ..., description = ..., parameters = {...}, fn = function(args) ... end } }`
    static func tools(_ call: LuaCall, at index: Int32, argument: Int32) throws -> [LuaTool] {
        let t = call.absolute(index)
        let count = Int(call.rawLength(t))
        var tools: [LuaTool] = []
        for i in stride(from: 1, through: count, by: 1) {
            call.pushIndex(t, Int64(i))
            defer { call.pop() }
            guard call.type(-1) == .table else {
                throw LuaArgumentError(argument: argument, "tools[\(i)] must be a table, got \(call.typeName(-1))")
            }
            try call.checkOptions(-1, allowed: ["name", "description", "parameters", "fn"])
            let o = LuaOptions(call, at: -1, argument: argument)
            guard let name = try o.string("name"), !name.isEmpty else {
                throw LuaArgumentError(argument: argument, "tools[\(i)] needs a 'name'")
            }
            var parameters: JSONValue = .object(JSONObject([("type", .string("object")), ("properties", .object(JSONObject()))]))
            if o.has("parameters") {
                call.rawField(o.index, "parameters")
                defer { call.pop() }
                parameters = try call.json(at: -1)
            }
            let definition = ToolDefinition(name: name, description: try o.string("description"), parameters: parameters)
            tools.append(LuaTool(definition: definition, function: try o.function("fn")))
        }
        return tools
    }
}

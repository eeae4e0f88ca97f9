// Runs one tool call with its Lua function. Whatever goes wrong (an unknown
// tool, a function that raises, a result that cannot be sent) becomes the tool
// result the model reads, marked as an error, so the model can recover.
import JSON
import LLMCore
import LuaBridge

enum ToolRunner {
    static func run(_ toolCall: ToolCall, tools: [LuaTool], call: LuaCall) -> Message {
        func result(_ text: String, isError: Bool = false) -> Message {
            Message(role: .tool, content: [.toolResult(toolCallID: toolCall.id, content: text, isError: isError)])
        }
        guard let tool = tools.first(where: { $0.definition.name == toolCall.name }), let fn = tool.function else {
            let known = tools.map(\.definition.name).joined(separator: ", ")
            return result("error: unknown tool '\(toolCall.name)' (available: \(known))", isError: true)
        }
        let base = call.count
        defer { call.settop(base) }
        fn.push(on: call)
        call.push(json: toolCall.arguments)
        if let error = call.protectedCall(nargs: 1, nresults: 1) {
            return result("error: tool '\(toolCall.name)' failed: \(firstLine(error.message))", isError: true)
        }
        switch call.type(-1) {
        case .nil_: return result("")
        case .string: return result(call.rawString(-1))
        case .number, .boolean:
            return result(call.type(-1) == .boolean ? String(call.boolean(-1)) : numberText(call))
        default:
            do {
                return result(try JSONWriter().string(try call.json(at: -1)))
            } catch {
                return result("error: tool '\(toolCall.name)' returned a value that is not JSON: \(error)", isError: true)
            }
        }
    }

    private static func numberText(_ call: LuaCall) -> String {
        (try? call.value(at: -1)).map { v -> String in
            switch v {
            case .integer(let i): String(i)
            case .number(let d): String(d)
            default: ""
            }
        } ?? ""
    }

    /// The error message without the traceback the handler appended.
    static func firstLine(_ message: String) -> String {
        message.components(separatedBy: "\nstack traceback:").first ?? message
    }
}

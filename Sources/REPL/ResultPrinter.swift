// Prints what an evaluation returned, as lua.c does (all results, tab
// separated), with two improvements: tables print readably through stdlib
// `pretty`, and a response from llm.chat prints as its text (unless it was
// already streamed) and one dim line of provider, model, tokens and latency.
import Foundation
import CLua
import LuaBridge

struct ResultPrinter {
    let lua: LuaState
    let support: REPLSupport
    let output: ConsoleWriter
    let originalPrint: LuaRef

    /// Prints the values at stack indices `first...last`. Returns false when
    /// printing was interrupted (Ctrl-C inside a slow `__tostring`).
    func printResults(_ first: Int32, _ last: Int32, streamed: String) -> Bool {
        guard first <= last else { return true }
        if let custom = userPrint() { return callUserPrint(custom, first, last) }
        var line: [[UInt8]] = []
        func flush() {
            guard !line.isEmpty else { return }
            output.write(Array(line.joined(separator: [UInt8(ascii: "\t")])) + [UInt8(ascii: "\n")])
            line = []
        }
        for index in first...last {
            if let response = ResponseSummary(lua.stack, at: index) {
                flush()
                if !response.text.isEmpty && !streamed.contains(response.text) { output.line(response.text) }
                output.dimLine(response.description)
                continue
            }
            switch support.format(at: index, width: output.console.width, lua: lua) {
            case .success(let bytes):
                line.append(bytes)
            case .failure(let failure):
                flush()
                if Interrupts.requested { return false }
                output.error("error printing result #\(index - first + 1): \(Self.withoutTraceback(failure.message))")
            }
        }
        flush()
        return true
    }

    /// The global `print` when the script replaced it (pushed), else nil
    /// (nothing pushed). A `print` set to nil (or any value) is called too, and
    /// fails as lua.c's l_print does: "error calling 'print' (...)".
    private func userPrint() -> Bool? {
        let stack = lua.stack
        stack.pushGlobalRaw("print")
        originalPrint.push(on: stack)
        let same = lua_rawequal(stack.L, -1, -2) != 0
        stack.pop()
        if same { stack.pop(); return nil }
        return true
    }

    /// lua.c's l_print: the global `print` with every result.
    private func callUserPrint(_: Bool, _ first: Int32, _ last: Int32) -> Bool {
        let stack = lua.stack
        for index in first...last { stack.pushValue(at: index) }
        if let error = stack.protectedCall(nargs: last - first + 1, nresults: 0) {
            if Interrupts.requested { return false }
            output.error("error calling 'print' (\(Self.withoutTraceback(error.message)))")
        }
        return true
    }

    static func withoutTraceback(_ message: String) -> String {
        guard let range = message.range(of: "\nstack traceback:") else { return message }
        return String(message[..<range.lowerBound])
    }
}

/// The parts of an llm.chat response the REPL shows: a table with string
/// `text` and `provider`, a `usage` table and a number `latency_ms`.
struct ResponseSummary: CustomStringConvertible {
    let text: String
    let provider: String
    let model: String?
    let inputTokens: Int64?
    let outputTokens: Int64?
    let latencyMs: Double
    let costUSD: Double?

    init?(_ stack: LuaCall, at index: Int32) {
        guard stack.type(index) == .table, stack.ensureStack(3) else { return nil }
        let base = stack.count
        defer { stack.settop(base) }
        guard stack.rawField(index, "text") == .string, stack.rawField(index, "provider") == .string,
              stack.rawField(index, "latency_ms") == .number, stack.rawField(index, "usage") == .table
        else { return nil }
        text = stack.rawString(base + 1)
        provider = stack.rawString(base + 2)
        latencyMs = (try? stack.number(base + 3)) ?? 0
        stack.rawField(base + 4, "input_tokens")
        inputTokens = try? stack.integer(-1)
        stack.rawField(base + 4, "output_tokens")
        outputTokens = try? stack.integer(-1)
        model = stack.rawField(index, "model") == .string ? stack.rawString(-1) : nil
        costUSD = stack.rawField(index, "cost_usd") == .number ? try? stack.number(-1) : nil
    }

    var description: String {
        var parts = [provider]
        if let model { parts.append(model) }
        if let inputTokens, let outputTokens { parts.append("\(inputTokens) in / \(outputTokens) out tokens") }
        parts.append(latencyMs < 10_000 ? "\(Int(latencyMs.rounded())) ms" : String(format: "%.1f s", latencyMs / 1000))
        if let costUSD, costUSD > 0 { parts.append(costUSD < 0.01 ? String(format: "$%.5f", costUSD) : String(format: "$%.4f", costUSD)) }
        return parts.joined(separator: " · ")
    }
}

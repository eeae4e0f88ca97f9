// REPL commands: lines starting with `.` and a letter, so they cannot clash
// with Lua. The REPL has .help, .history, .stats and .quit; the host adds its
// own (moonwire adds .cassette, which needs the CLI's cassette set-up).

import Foundation
import LuaLLM

public struct REPLCommand {
    /// The name after the dot: "cassette".
    public let name: String
    /// How it is typed, for .help: ".cassette FILE [MODE]".
    public let usage: String
    public let summary: String
    /// Runs with the words after the name; returns text to print. A thrown
    /// error is printed as the error message.
    public let run: ([String]) throws -> String?

    public init(name: String, usage: String, summary: String, run: @escaping ([String]) throws -> String?) {
        self.name = name
        self.usage = usage
        self.summary = summary
        self.run = run
    }
}

/// A command's failure, shown as `message`.
public struct REPLCommandError: Error, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension REPL {
    enum CommandOutcome { case goOn, quit }

    func runCommand(_ line: String) -> CommandOutcome {
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        let name = String(words[0].dropFirst())
        let arguments = Array(words.dropFirst())
        switch name {
        case "quit", "exit":
            return .quit
        case "help":
            output.line(helpText)
        case "history":
            showHistory(arguments)
        case _ where hostCommands[name] != nil:
            do {
                if let text = try hostCommands[name]!.run(arguments), !text.isEmpty { output.line(text) }
            } catch {
                output.error("\(error)")
            }
        case "stats":
            showStats()
        default:
            output.error("unknown command .\(name) (try .help)")
        }
        return .goOn
    }

    var helpText: String {
        var rows: [(String, String)] = [
            ("=expr", "print the value of expr; an expression alone prints too"),
            (".help", "this text"),
            (".history [N]", "the last N entries (default 20)"),
            (".stats", "call statistics of each llm.client"),
        ]
        rows += hostCommands.values.sorted { $0.name < $1.name }.map { ($0.usage, $0.summary) }
        rows.append((".quit", "leave (Ctrl-D on an empty line too)"))
        let width = rows.map(\.0.count).max() ?? 0
        let table = rows.map { "  " + $0.0.padding(toLength: width + 2, withPad: " ", startingAt: 0) + $0.1 }
        return (["Lua 5.4 with the llm and json modules. A chunk can span lines (`>> ` asks for more)."]
            + table
            + ["Keys: Tab completes names (llm.ch<Tab>), Up/Down recall history, Ctrl-C clears the line",
               "or stops what is running (twice within a second: quit). _PROMPT and _PROMPT2 set the prompts."])
            .joined(separator: "\n")
    }

    private func showHistory(_ arguments: [String]) {
        let count: Int
        if let word = arguments.first {
            guard let n = Int(word), n > 0 else { return output.error("usage: .history [N] (N a positive number)") }
            count = n
        } else {
            count = 20
        }
        let entries = reader.history
        let start = max(0, entries.count - count)
        let numberWidth = String(entries.count).count
        for (i, entry) in entries.enumerated().dropFirst(start) {
            let number = String(i + 1)
            let pad = String(repeating: " ", count: numberWidth - number.count)
            let indent = String(repeating: " ", count: numberWidth + 2)
            output.line(pad + number + "  " + entry.replacingOccurrences(of: "\n", with: "\n" + indent))
        }
    }

    private func showStats() {
        let clients = runtime.clients
        guard !clients.isEmpty else { return output.line("no calls yet (plain calls and each llm.client{...} get a table)") }
        output.line(clients.map { StatsTable.text($0.stats, routes: $0.routeGauges) }.joined(separator: "\n\n"))
    }
}

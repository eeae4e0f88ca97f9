// The history file: where it lives, entries that survive a restart (newlines
// and backslashes included), the length bound, and what is not recorded.
import Foundation
import REPL
import Testing

@Suite("REPL history file")
struct HistoryFileTests {
    private func temporaryDirectory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("moonwire-history-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test("XDG_STATE_HOME first, then ~/.local/state; relative values are ignored")
    func location() {
        #expect(HistoryFile.standard(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"])?.path == "/s/moonwire/history")
        #expect(HistoryFile.standard(environment: ["XDG_STATE_HOME": "rel", "HOME": "/h"])?.path == "/h/.local/state/moonwire/history")
        #expect(HistoryFile.standard(environment: [:]) == nil)
    }

    @Test("entries round-trip through the file, one line each, and the file is private")
    func roundTrip() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/nested/moonwire/history"
        let entries = ["x = 1", "for i = 1, 2 do\n  print(i)\nend", #"s = "a\nb\\c""#, "café 日本", "ends with \\"]
        let file = HistoryFile(path: path)
        for e in entries { file.append(e) }
        #expect(HistoryFile(path: path).load() == entries)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.split(separator: "\n").count == entries.count)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test("the file is cut back to the last `limit` entries")
    func bounded() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/history"
        let file = HistoryFile(path: path, limit: 8)
        for i in 1...50 { file.append("e\(i)") }
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count <= 8 + 8 / 4)
        #expect(lines.last == "e50")
        #expect(HistoryFile(path: path, limit: 8).load() == (43...50).map { "e\($0)" })
    }

    @Test("blank and huge entries are not recorded; an unwritable file is reported once")
    func notRecorded() throws {
        #expect(!HistoryFile.shouldRecord("  \t"))
        #expect(!HistoryFile.shouldRecord(String(repeating: "x", count: HistoryFile.maxEntryBytes + 1)))
        #expect(HistoryFile.shouldRecord("x = 1"))
        var messages: [String] = []
        let file = HistoryFile(path: "/proc/moonwire-cannot-write/history")
        file.onError = { messages.append($0) }
        file.append("a")
        file.append("b")
        #expect(messages.count == 1)
        #expect(messages.first?.hasPrefix("cannot save history to /proc/moonwire-cannot-write/history") == true)
    }

    @Test("lines holding a secret are recognised, so the REPL leaves them out of the history file (issue 16)")
    func secretLines() {
        #expect(HistoryFile.holdsSecret(#"llm.configure{ anthropic = { api_key = "whatever-it-is" } }"#))
        #expect(HistoryFile.holdsSecret("k = 'sk-ant-api03-abcdefghijklmnop'"))
        #expect(!HistoryFile.holdsSecret("print(llm.chat{ prompt = 'sk-' }.text)"))
        #expect(!HistoryFile.holdsSecret("x = 1 + 1"))
    }
}

// Reads one complete chunk the way lua.c does: the first line is tried as
// `return <line>` (so expressions print their values; `=expr` is the same),
// then as a statement; a syntax error ending in `<eof>` asks for more lines
// with the second prompt. Each complete chunk is one history entry, as typed.
import LuaBridge

enum Chunk: Equatable {
    /// The compiled chunk is on top of the Lua stack. `writesItself`: its
    /// source calls print or io.write, so an answer it gets is not also
    /// streamed to the console (it would show twice).
    case loaded(writesItself: Bool)
    case syntaxError(String)
    /// Ctrl-D (end of input) inside an unfinished chunk: its syntax error.
    case unfinished(String)
    /// A line starting with `.` and a letter, which Lua code never does.
    case command(String)
    case blank
    /// Ctrl-C while typing: the pending lines are dropped.
    case cancelled
    case end
    /// Making the prompt failed (a `_PROMPT` whose __tostring raises): in
    /// lua.c the error leaves the REPL and ends the program with status 1.
    case failed(String)
}

struct ChunkReader {
    let lua: LuaState
    let reader: any LineReader

    static let chunkName = "=stdin"

    /// The chunk prints a call's answer itself: `print(llm.chat{...}.text)`,
    /// `io.write(c:chat{...}.text)` (a call inside print's or write's parentheses).
    static func writesItself(_ source: [UInt8]) -> Bool {
        let text = String(decoding: source, as: UTF8.self)
        return text.contains(/(print|write)\s*\([^)]*(llm\.(chat|stream)|:chat|:stream)/)
    }

    func read() -> Chunk {
        let first: [UInt8]
        let firstPrompt: String
        switch prompt(global: "_PROMPT", default: "> ") {
        case .success(let text): firstPrompt = text
        case .failure(let error): return .failed(error.message)
        }
        switch reader.readLine(prompt: firstPrompt) {
        case .end: return .end
        case .interrupted: return .cancelled
        case .line(let line): first = line
        }
        if first.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return .blank }
        if Self.isCommand(first) {
            reader.addHistory(String(decoding: first, as: UTF8.self))
            return .command(String(decoding: first, as: UTF8.self))
        }
        var typed = first
        var source = first.first == UInt8(ascii: "=") ? Array("return ".utf8) + first.dropFirst() : first
        if case .success = lua.load(Array("return ".utf8) + source, chunkName: Self.chunkName) {
            remember(typed)
            return .loaded(writesItself: Self.writesItself(source))
        }
        while true {
            switch lua.load(source, chunkName: Self.chunkName) {
            case .success:
                remember(typed)
                return .loaded(writesItself: Self.writesItself(source))
            case .failure(let error):
                guard error.isSyntaxError, error.message.hasSuffix("<eof>") else {
                    remember(typed)
                    return .syntaxError(error.message)
                }
                let morePrompt: String
                switch prompt(global: "_PROMPT2", default: ">> ") {
                case .success(let text): morePrompt = text
                case .failure(let error): return .failed(error.message)
                }
                switch reader.readLine(prompt: morePrompt) {
                case .line(let more):
                    typed += [UInt8(ascii: "\n")] + more
                    source += [UInt8(ascii: "\n")] + more
                case .interrupted:
                    return .cancelled
                case .end:
                    // Ctrl-D inside an unfinished chunk: report it, keep the session.
                    remember(typed)
                    return .unfinished(error.message)
                }
            }
        }
    }

    /// `.help`, `.cassette x.json`: a dot and a letter. `.5` stays a number.
    static func isCommand(_ line: [UInt8]) -> Bool {
        let trimmed = line.drop { $0 == 0x20 || $0 == 0x09 }
        guard trimmed.first == UInt8(ascii: "."), let next = trimmed.dropFirst().first else { return false }
        return (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(next | 0x20)
    }

    private func remember(_ typed: [UInt8]) {
        reader.addHistory(String(decoding: typed, as: UTF8.self))
    }

    /// `_PROMPT` / `_PROMPT2` as lua.c 5.4's get_prompt makes it: the default
    /// when nil, else luaL_tolstring of the value (its __tostring, a
    /// number's or boolean's text, `table: 0x...`). Read raw.
    private func prompt(global name: String, default fallback: String) -> Result<String, LuaScriptError> {
        lua.pushGlobal(name)
        defer { lua.pop() }
        if lua.stack.type(-1) == .nil_ { return .success(fallback) }
        return lua.displayString(at: -1).map { String(decoding: $0, as: UTF8.self) }
    }
}

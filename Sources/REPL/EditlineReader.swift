// The terminal LineReader, on libedit's readline interface: line editing,
// history (kept in a HistoryFile), Tab completion, and Ctrl-C that clears the
// line. Facts this relies on (measured, see DESIGN.md): libedit drops
// non-ASCII input unless setlocale is called; each line readline returns is
// ours to free; with rl_catch_signals = 0 libedit installs no handlers, and a
// SIGINT (our handler, no SA_RESTART) makes readline return NULL.
import CEditline
import CShims
import Foundation

public final class EditlineReader: LineReader {
    private let historyFile: HistoryFile?
    public private(set) var history: [String] = []

    public init(historyFile: HistoryFile?) {
        self.historyFile = historyFile
        Self.configureLocale()
        rl_catch_signals = 0
        rl_readline_name = Self.readlineName
        // Break words on Lua's operators and brackets but not on `.` and `:`,
        // so `llm.ch` and `s:ne` reach the completer whole.
        rl_basic_word_break_characters = Self.wordBreaks
        rl_completer_word_break_characters = UnsafeMutablePointer(mutating: Self.wordBreaks)
        rl_attempted_completion_function = attemptCompletion
        rl_completion_append_character = 0
        using_history()
        stifle_history(Int32(historyFile?.limit ?? 1000))
        for entry in historyFile?.load() ?? [] {
            history.append(entry)
            add_history(entry)
        }
    }

    private static let readlineName = UnsafePointer(strdup("moonwire")!)
    private static let wordBreaks = UnsafePointer(strdup(" \t\n\"\\'`@$><=;|&{(}),[]+-*/%^~#")!)

    /// libedit needs a UTF-8 LC_CTYPE for non-ASCII input. A bare C/POSIX
    /// locale (a container, a minimal SSH session) gets C.UTF-8, as Python
    /// does (PEP 538). Numbers keep the C locale: Lua formats and parses
    /// them with the C library, and `3,5` must not replace `3.5`.
    static func configureLocale() {
        setlocale(LC_ALL, "")
        if String(cString: nl_langinfo(CODESET)) != "UTF-8" {
            let ctype = setlocale(LC_CTYPE, nil).map { String(cString: $0) } ?? "C"
            if ctype == "C" || ctype == "POSIX" { setlocale(LC_CTYPE, "C.UTF-8") }
        }
        setlocale(LC_NUMERIC, "C")
    }

    public func readLine(prompt: String) -> LineInput {
        fflush(nil)  // the script's buffered io.write output goes before the prompt
        guard let line = readline(prompt) else {
            return mw_interrupt_requested() != 0 ? .interrupted : .end
        }
        defer { free(line) }
        return .line(Array(UnsafeRawBufferPointer(start: line, count: strlen(line))))
    }

    public func addHistory(_ entry: String) {
        guard HistoryFile.shouldRecord(entry), entry != history.last else { return }
        history.append(entry)
        if history.count > (historyFile?.limit ?? 1000) { history.removeFirst() }
        add_history(entry)
        historyFile?.append(entry)
    }

    public func setCompletion(_ complete: @escaping (String) -> [String]) {
        activeCompletion = complete
    }
}

/// The completer of the one EditlineReader (readline is process-wide too).
nonisolated(unsafe) private var activeCompletion: ((String) -> [String])?

/// readline's completion callback: returns a malloc'd, NULL-terminated array
/// whose first element replaces the word (the longest common prefix) and the
/// rest are the candidates; libedit frees it. A single match is given twice,
/// which is how libedit recognises it (it reads the third slot).
private let attemptCompletion: rl_completion_func_t = { text, _, _ in
    rl_attempted_completion_over = 1  // no filename completion as a fallback
    guard let text, let complete = activeCompletion else { return nil }
    let matches = complete(String(cString: text))
    guard let first = matches.first else { return nil }
    let list = matches.count == 1 ? [first, first] : [CompletionText.commonPrefix(matches)] + matches
    let size = (list.count + 1) * MemoryLayout<UnsafeMutablePointer<CChar>?>.stride
    let array = malloc(size)!.bindMemory(to: UnsafeMutablePointer<CChar>?.self, capacity: list.count + 1)
    for (i, s) in list.enumerated() { array[i] = strdup(s) }
    array[list.count] = nil
    return array
}

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
        // Words break on Lua's operators and brackets but not on `.` and `:`,
        // so `llm.ch` and `s:ne` reach the completer whole.
        mw_editline_configure("moonwire", " \t\n\"\\'`@$><=;|&{(}),[]+-*/%^~#", attemptCompletion)
        using_history()
        stifle_history(Int32(historyFile?.limit ?? 1000))
        for entry in historyFile?.load() ?? [] {
            history.append(entry)
            add_history(entry)
        }
    }

    /// libedit needs a UTF-8 LC_CTYPE for non-ASCII input. A bare C/POSIX
    /// locale (a container, a minimal SSH session) gets C.UTF-8, as Python
    /// does (PEP 538). Numbers keep the C locale: Lua formats and parses
    /// them with the C library, and `3,5` must not replace `3.5`.
    static func configureLocale() {
        setlocale(LC_ALL, "")
        if String(cString: nl_langinfo(nl_item(CODESET))) != "UTF-8" {
            let ctype = setlocale(LC_CTYPE, nil).map { String(cString: $0) } ?? "C"
            if ctype == "C" || ctype == "POSIX" { setlocale(LC_CTYPE, "C.UTF-8") }
        }
        setlocale(LC_NUMERIC, "C")
    }

    public func readLine(prompt: String) -> LineInput {
        fflush(nil)  // the script's buffered io.write output goes before the prompt
        guard let line = readline(EditlinePrompt.literalEscapes(prompt)) else {
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
        // Kept for Up in this session, never written to the file (issue 16).
        if HistoryFile.holdsSecret(entry) {
            if !saidSecretSkipped {
                saidSecretSkipped = true
                historyFile?.onError?("a line holding a secret is left out of the history file")
            }
            return
        }
        historyFile?.append(entry)
    }
    private var saidSecretSkipped = false

    public func setCompletion(_ complete: @escaping (String) -> [String]) {
        activeCompletion = complete
    }
}

/// The completer of the one EditlineReader (readline is process-wide too).
nonisolated(unsafe) private var activeCompletion: ((String) -> [String])?

/// The completion callback (see mw_editline_configure): a malloc'd,
/// NULL-terminated array whose first element replaces the word (the longest
/// common prefix) and the rest are the candidates; libedit frees it. A single
/// match is given twice, which is how libedit recognises it (it reads the
/// third slot).
private func attemptCompletion(_ text: UnsafePointer<CChar>?) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
    guard let text, let complete = activeCompletion else { return nil }
    let matches = complete(String(cString: text))
    guard let first = matches.first else { return nil }
    let list = matches.count == 1 ? [first, first] : [commonPrefix(matches)] + matches
    let size = (list.count + 1) * MemoryLayout<UnsafeMutablePointer<CChar>?>.stride
    let array = malloc(size)!.bindMemory(to: UnsafeMutablePointer<CChar>?.self, capacity: list.count + 1)
    for (i, s) in list.enumerated() { array[i] = strdup(s) }
    array[list.count] = nil
    return array
}

private func commonPrefix(_ words: [String]) -> String {
    guard var prefix = words.first.map({ Array($0.unicodeScalars) }) else { return "" }
    for word in words.dropFirst() {
        let scalars = Array(word.unicodeScalars)
        var n = 0
        while n < prefix.count, n < scalars.count, prefix[n] == scalars[n] { n += 1 }
        prefix.removeLast(prefix.count - n)
    }
    var s = String.UnicodeScalarView()
    s.append(contentsOf: prefix)
    return String(s)
}

// The read-eval-print loop: reads chunks (ChunkReader), runs them with a
// traceback, prints the results (ResultPrinter), and streams the text of chat
// calls made without on_text as it arrives. Ctrl-C clears the input at the
// prompt and interrupts a running evaluation (Lua code and network waits);
// the session goes on either way.
import Foundation
import LuaBridge
import LuaLLM

public final class REPL {
    public struct Options {
        /// Printed first (a session on a terminal); nil prints nothing.
        public var banner: String?
        /// Take over SIGINT for the process (a session on a terminal). Tests
        /// leave it off: a handler is process-wide.
        public var handleInterrupts: Bool

        public init(banner: String? = nil, handleInterrupts: Bool = false) {
            self.banner = banner
            self.handleInterrupts = handleInterrupts
        }
    }

    let lua: LuaState
    let runtime: LLMRuntime
    /// The global `print` the session started with: a script that replaces
    /// it gets its own function called with the results, as lua.c does.
    private let originalPrint: LuaRef
    let reader: any LineReader
    let output: ConsoleWriter
    let options: Options
    let hostCommands: [String: REPLCommand]
    private let support: REPLSupport
    /// Text streamed by chat calls during the current evaluation, so a
    /// printed response does not repeat it.
    private var streamed = ""

    public init(lua: LuaState, runtime: LLMRuntime, reader: any LineReader, console: any REPLConsole,
                commands: [REPLCommand] = [], options: Options = Options()) {
        self.lua = lua
        self.runtime = runtime
        self.reader = reader
        self.output = ConsoleWriter(console)
        self.options = options
        self.hostCommands = Dictionary(commands.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
        support = REPLSupport(lua: lua)
        lua.pushGlobal("print")
        originalPrint = LuaRef(lua.stack)
        Interrupts.installHook(lua)
    }

    /// Runs until Ctrl-D or .quit; returns the exit status (0). A second
    /// Ctrl-C within a second exits the process with 130 from the handler.
    public func run() -> Int32 {
        if options.handleInterrupts { Interrupts.installHandler() }
        let previousSink = runtime.defaultTextSink
        runtime.defaultTextSink = { [unowned self] text in self.stream(text) }
        let previousEnded = runtime.defaultTextSinkEnded
        runtime.defaultTextSinkEnded = { [unowned self] in self.output.finishLine() }
        runtime.pushStatusSink(owner: self) { [unowned self] text in self.showStatus(text) }
        reader.setCompletion { [unowned self] word in self.completions(for: word) }
        defer {
            runtime.defaultTextSink = previousSink
            runtime.defaultTextSinkEnded = previousEnded
            runtime.removeStatusSink(owner: self)
            if options.handleInterrupts { Interrupts.removeHandler() }
        }
        if let banner = options.banner { output.line(banner) }
        let chunks = ChunkReader(lua: lua, reader: reader)
        while true {
            Interrupts.clear()
            switch chunks.read() {
            case .end:
                if options.handleInterrupts { output.write("\n") }  // as lua.c: the shell's prompt on a fresh line
                return 0
            case .cancelled:
                output.write("^C\n")
            case .blank:
                continue
            case .failed(let message):
                output.error(message)
                return 1
            case .command(let line):
                if runCommand(line) == .quit { return 0 }
            case .syntaxError(let message):
                output.error(message)
            case .unfinished(let message):
                if options.handleInterrupts { output.cursorMoved() }  // after the ^D the terminal shows
                output.error(message)
            case .loaded(let writesItself):
                evaluate(streaming: !writesItself)
            }
        }
    }

    /// Full words that may replace `word` at the prompt, for Tab.
    public func completions(for word: String) -> [String] {
        support.completions(for: word, lua: lua)
    }

    /// The hook for a wait indicator (the resilient client's rate-limit or
    /// backoff wait): shows `text` as a transient line on standard error,
    /// after ending a streamed line in progress so it is never overwritten;
    /// nil clears it, and so does the next output. Call it only while an
    /// evaluation runs (the only time the event loop runs).
    public func showStatus(_ text: String?) {
        output.status(text)
    }

    /// Runs the chunk on top of the stack and prints its results. Answers
    /// stream to the console unless the chunk writes its output itself; a
    /// streamed answer's line is ended when its call ends, before anything
    /// else the chunk prints.
    private func evaluate(streaming: Bool) {
        streamed = ""
        let sink = runtime.defaultTextSink
        if !streaming { runtime.defaultTextSink = nil }
        defer { runtime.defaultTextSink = sink }
        Interrupts.clear()
        let base = lua.top - 1
        defer { lua.settop(base) }
        let result = lua.callInMainFrame(nargs: 0)  // a traceback ends with "[C]: in ?", as lua's
        // The terminal echoed ^C where the cursor was: start a fresh line.
        if Interrupts.requested && options.handleInterrupts { output.cursorMoved() }
        output.finishLine()  // a streamed answer may end without a newline
        switch result {
        case .failure(let error):
            output.error(Interrupts.requested ? "interrupted" : error.message)
        case .success:
            let printer = ResultPrinter(lua: lua, support: support, output: output, originalPrint: originalPrint)
            if !printer.printResults(base + 1, lua.top, streamed: streamed) { output.error("interrupted") }
        }
    }

    private func stream(_ text: String) {
        streamed += text
        output.write(text)
    }
}

// LLMRuntime: what every `llm` function of one Lua state shares: the event
// loop, the configuration, and the running calls.
import LLMCore
import LLMTransport

public final class LLMRuntime {
    public let configuration: LLMConfiguration
    /// Live by default; recording and replay swap it.
    public var transport: any HTTPTransport
    public var loop: EventLoop { transport.loop }
    /// Where streamed text goes when a chat call has no on_text (the REPL
    /// prints it as it arrives); nil in scripts.
    public var defaultTextSink: ((String) -> Void)?
    /// Where the resilient client's wait indicator goes: a line of text, or
    /// nil to clear it. The REPL draws it without touching streamed text;
    /// nil here means stderr, when that is a terminal.
    public var statusSink: ((String?) -> Void)?
    /// Resilient clients made with llm.client, for --stats and --log.
    public internal(set) var clients: [ResilientClient] = []
    /// Installed by the host (`moonwire test`): switches to a cassette (path,
    /// mode) or back to live (nil) for llm.use_cassette.
    public var useCassette: ((String?, String?) throws -> Void)?
    /// Receives every client call's record as it ends (`moonwire run --log`).
    public var callLog: ((CallRecord) -> Void)?

    /// Once per process: room for thousands of sockets (llm.map, llm.spawn).
    private static let openFileLimit: Void = { OpenFileLimit.raiseToHardLimit() }()

    /// Tasks made with llm.spawn and llm.map.
    private(set) lazy var tasks = TaskScheduler(runtime: self)

    public init(transport: (any HTTPTransport)? = nil, configuration: LLMConfiguration = LLMConfiguration()) {
        Self.openFileLimit
        self.transport = transport ?? CurlTransport(loop: EventLoop())
        self.configuration = configuration
    }

    /// Runs the loop until `done`. An interrupt (Ctrl-C) cancels every task
    /// and throws; the caller cancels its own operation.
    func wait(until done: () -> Bool) throws(LLMError) {
        switch loop.run(until: done) {
        case .done: return
        case .interrupted:
            EventLoop.consumeInterrupt()
            let error = LLMError(.cancelled, "interrupted")
            tasks.cancelAll(error)
            throw error
        case .idle:
            if done() { return }
            if tasks.liveCount > 0 {
                throw LLMError(.cancelled, "deadlock: every task (\(tasks.liveCount)) is waiting for another task, and nothing else can happen")
            }
            throw LLMError(.network, "the event loop has nothing left to wait for (internal error)")
        }
    }

    /// Runs the tasks still going to their end (a script's main chunk has
    /// returned) and returns the failures no script waited for, as text.
    public func finishTasks() throws -> [String] {
        if tasks.liveCount > 0 { try wait { tasks.liveCount == 0 } }
        return tasks.takeUnobservedFailures()
    }
}

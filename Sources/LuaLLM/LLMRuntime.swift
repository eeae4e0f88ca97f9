// LLMRuntime: what every `llm` function of one Lua state shares: the event
// loop, the configuration, and the running calls.
import CallLog
import LLMCore
import LLMProviders
import LLMTransport
import LuaBridge

public final class LLMRuntime {
    public let configuration: LLMConfiguration
    /// Live by default; recording and replay swap it (plain calls follow).
    public var transport: any HTTPTransport {
        didSet { plainClient?.transport = transport }
    }
    public var loop: EventLoop { transport.loop }
    /// Where streamed text goes when a chat call has no on_text (the REPL
    /// prints it as it arrives); nil in scripts.
    public var defaultTextSink: ((String) -> Void)?
    /// Called when a call that streamed to `defaultTextSink` ends, so the
    /// console can end the streamed line before the script prints more.
    public var defaultTextSinkEnded: (() -> Void)?
    /// Where the resilient client's wait indicator goes: a line of text, or
    /// nil to clear it. The REPL draws it without touching streamed text, a
    /// progress bar shows it in its line; none means stderr, when that is a
    /// terminal. The newest sink wins; each owner removes its own.
    public var statusSink: ((String?) -> Void)? { statusSinks.last?.sink }
    private var statusSinks: [(owner: ObjectIdentifier, sink: (String?) -> Void)] = []

    public func pushStatusSink(owner: AnyObject, _ sink: @escaping (String?) -> Void) {
        statusSinks.append((ObjectIdentifier(owner), sink))
    }

    public func removeStatusSink(owner: AnyObject) {
        statusSinks.removeAll { $0.owner == ObjectIdentifier(owner) }
    }
    /// Resilient clients made with llm.client, and the plain calls' client
    /// once a plain call was made, for --stats and --log.
    public internal(set) var clients: [ResilientClient] = []
    /// What plain llm.chat / llm.stream / llm.embed calls get (the SDKs'
    /// defaults: 2 retries, retry-after honoured; timeouts that stop a
    /// silent server but never a healthy stream); llm.configure changes it.
    var plainSettings: ResilienceConfig = {
        var c = ResilienceConfig(routes: [])
        c.timeouts.connect = 10
        c.timeouts.firstToken = 120
        c.timeouts.idle = 60
        c.timeouts.deadline = nil
        return c
    }()
    private var plainClient: ResilientClient?
    private var plainRoutes: [String: Int] = [:]

    /// The route a plain call to `provider` for `model` takes: one per
    /// provider endpoint and model, shared by every plain call (so a 429
    /// slows them all, and the limits the provider reports apply to all).
    func plainRoute(_ provider: any ChatProvider, model: String, endpoint: String) -> (ResilientClient, Int) {
        let client: ResilientClient
        if let existing = plainClient {
            client = existing
        } else {
            client = ResilientClient(config: plainSettings, transport: transport)
            client.onRecord = { [weak self] record in self?.callLog?(record) }
            let indicator = WaitIndicator.forRuntime(self)
            client.hooks.onWait = { [weak self] info in if let self { indicator?.show(info, loop: self.loop) } }
            client.hooks.onRetry = { [weak self] info in if let self { indicator?.show(info, loop: self.loop) } }
            plainClient = client
            clients.append(client)
        }
        let key = endpoint + "\u{0}" + model
        if let index = plainRoutes[key] { return (client, index) }
        let index = client.addRoute(Route(name: provider.name, provider: provider, model: model))
        plainRoutes[key] = index
        return (client, index)
    }

    /// Plain calls are priced from stdlib/llm_prices.lua (or a project's own),
    /// loaded once, at the first plain call.
    func loadPlainPrices(_ call: LuaCall) {
        guard !plainPricesLoaded else { return }
        plainPricesLoaded = true
        plainSettings.prices = PriceTable.defaults(call)
        plainClient?.config.prices = plainSettings.prices
    }
    private var plainPricesLoaded = false

    /// A fresh jitter seed for a plain embeddings call (calls that fail
    /// together do not retry in step).
    func nextPlainSeed() -> UInt64 {
        plainSeeds &+= 0x9E37_79B9_7F4A_7C15
        return plainSettings.seed &+ plainSeeds
    }
    private var plainSeeds: UInt64 = 0

    /// llm.configure changed the plain calls' settings: calls from now on use them.
    func plainSettingsChanged() {
        plainClient?.apply(retry: plainSettings.retry, timeouts: plainSettings.timeouts, concurrency: plainSettings.concurrency)
        plainClient?.config.maxResponseBytes = plainSettings.maxResponseBytes
    }
    /// Installed by the host (`moonwire test`): switches to a cassette (path,
    /// mode) or back to live (nil) for llm.use_cassette.
    public var useCassette: ((String?, String?) throws -> Void)?
    /// Receives every call's record as it ends: plain and client chat calls,
    /// each turn of a tool loop, embeddings (the call log, `--log`, `--metrics`).
    public var callLog: ((CallRecord) -> Void)?
    /// The call log database llm.logs reads (nil: none configured), and the
    /// writer to flush first so a script sees its own calls.
    public var callLogDatabase: String?
    public var callLogWriter: CallLogWriter?

    /// Once per process: room for thousands of sockets (llm.map, llm.spawn).
    private static let openFileLimit: Void = { OpenFileLimit.raiseToHardLimit() }()

    /// Tasks made with llm.spawn and llm.map.
    private(set) lazy var tasks = TaskScheduler(runtime: self)

    /// Tasks not over yet. Switching the transport (a cassette) while some
    /// run would strand them on the old transport's loop.
    public var liveTaskCount: Int { tasks.liveCount }

    public init(transport: (any HTTPTransport)? = nil, configuration: LLMConfiguration = LLMConfiguration()) {
        Self.openFileLimit
        self.transport = transport ?? CurlTransport(loop: EventLoop())
        self.configuration = configuration
    }

    /// What a wait cut by Ctrl-C raises.
    static let interruption = LLMError(.cancelled, "interrupted")

    /// Runs the loop until `done`. An interrupt (Ctrl-C) first lets the
    /// caller stop what it waits for (`interrupted`), then cancels every
    /// task, and throws `LLMRuntime.interruption`.
    func wait(until done: () -> Bool, interrupted: (LLMError) -> Void = { _ in }) throws(LLMError) {
        switch loop.run(until: done) {
        case .done: return
        case .interrupted:
            loop.consumeInterrupt()
            interrupted(Self.interruption)
            tasks.cancelAll(Self.interruption)
            throw Self.interruption
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

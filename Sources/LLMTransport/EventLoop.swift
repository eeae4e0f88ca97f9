// LLMTransport: moves requests. EventLoop is Moonwire's one loop: a curl multi
// handle driven by epoll (only ready sockets cost anything, so ten thousand
// streams in flight are cheap), a timer queue and a queue of posted work, on
// the thread that created it. Curl callbacks only buffer; bytes, heads and
// completions are delivered after curl returns, so a consumer may start or
// cancel transfers (or run Lua) from any delivery.
import CCurl
import CShims
import Foundation
import LLMCore

public final class EventLoop {
    public let clock: any Clock
    private var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]
    private var ready: [CurlTransfer] = []
    private var timers = TimerQueue<() -> Void>()
    private var posted: [() -> Void] = []
    /// Set to stop `run` early. Backed by a C flag so the REPL's SIGINT
    /// handler (C, in CShims) can set it; the REPL clears it before each evaluation.
    public static var interruptRequested: Bool {
        get { mw_interrupt_requested() != 0 }
        set { mw_interrupt_set(newValue ? 1 : 0) }
    }

    /// An interrupt for this loop alone, as if Ctrl-C had been pressed (for
    /// tests, which run many loops in one process; the SIGINT handler sets the
    /// process-wide flag).
    public func interrupt() { localInterrupt = true }
    private var localInterrupt = false
    /// Nested `run` calls on this loop.
    private var runDepth = 0

    private var isInterrupted: Bool { Self.interruptRequested || localInterrupt }

    /// The interrupt was acted on (one Ctrl-C, one interruption) by the
    /// outermost wait; a nested wait leaves it for the one around it.
    public func consumeInterrupt() {
        if runDepth == 0 { localInterrupt = false }
        if mw_interrupt_wait_depth() == 0 { mw_interrupt_consume() }
    }

    public init(clock: any Clock = MonotonicClock()) {
        self.clock = clock
    }

    deinit {
        guard let network else { return }
        for transfer in active.values { transfer.detach(from: network.multi) }
        mw_curl_multi_cleanup(network.multi)
        mw_curl_epoll_free(network.driver)
    }

    /// curl's multi handle and the epoll set that drives it, made for the
    /// first transfer (libcurl is loaded by then, see CurlLibrary): a loop
    /// that only runs timers and tasks (replays, the REPL) never needs curl.
    private var network: (multi: UnsafeMutableRawPointer, driver: OpaquePointer)?

    private func networkForTransfers() -> (multi: UnsafeMutableRawPointer, driver: OpaquePointer) {
        if let network { return network }
        guard let m = mw_curl_multi_init() else { fatalError("moonwire: curl_multi_init failed") }
        guard let d = mw_curl_epoll_new(m) else { fatalError("moonwire: epoll_create1 failed (\(String(cString: strerror(errno))))") }
        // Reuse connections across transfers; multiplex HTTP/2 streams on one connection.
        _ = mw_curlm_set_long(m, CURLMOPT_PIPELINING, Int(CURLPIPE_MULTIPLEX))
        _ = mw_curlm_set_long(m, CURLMOPT_MAXCONNECTS, 64)
        network = (m, d)
        return (m, d)
    }

    public var activeTransfers: Int { active.count }

    // MARK: Transfers

    public func start(_ transfer: CurlTransfer) {
        transfer.loop = self
        active[transfer.easy] = transfer
        mw_curl_multi_add_handle(networkForTransfers().multi, transfer.easy)
    }

    /// Stops a transfer now: its connection is closed, no more deliveries.
    public func cancel(_ transfer: CurlTransfer, error: LLMError) {
        guard active.removeValue(forKey: transfer.easy) != nil, let network else { return }
        transfer.detach(from: network.multi)
        transfer.complete(with: error)
    }

    func markReady(_ transfer: CurlTransfer) {
        if !transfer.isQueued {
            transfer.isQueued = true
            ready.append(transfer)
        }
    }

    // MARK: Timers

    @discardableResult
    public func schedule(after seconds: Double, _ action: @escaping () -> Void) -> TimerID {
        timers.schedule(at: clock.now + max(0, seconds), action)
    }

    public func cancelTimer(_ id: TimerID) { timers.cancel(id) }

    /// Runs `action` on the loop's next turn, after the current deliveries
    /// and timers: never inside the caller, and one turn at a time, so work
    /// that posts more work cannot starve the network.
    public func post(_ action: @escaping () -> Void) { posted.append(action) }

    // MARK: Running

    public enum RunOutcome { case done, idle, interrupted }

    /// Runs until `done()` is true, nothing is left that could make progress
    /// (`idle`), or an interrupt was requested.
    @discardableResult
    public func run(until done: () -> Bool) -> RunOutcome {
        mw_interrupt_enter_wait()
        runDepth += 1
        defer {
            runDepth -= 1
            mw_interrupt_leave_wait()
        }
        while true {
            // Before anything runs: a resumed task or a callback must not be
            // the one to meet the interrupt.
            if isInterrupted { return .interrupted }
            step()
            if done() { return .done }
            if isInterrupted { return .interrupted }
            let next = timers.nextDeadline()
            if !posted.isEmpty {
                if let network, !active.isEmpty { mw_curl_epoll_turn(network.driver, 0) }
                continue
            }
            if active.isEmpty {
                guard let next else { return .idle }
                if clock.isVirtual {
                    clock.advance(to: next)
                    continue
                }
            }
            var waitMs = 1000.0
            if let next { waitMs = min(waitMs, max(0, (next - clock.now) * 1000)) }
            if let network, !active.isEmpty {
                mw_curl_epoll_turn(network.driver, Int32(waitMs.rounded(.up)))
            } else if !clock.isVirtual {
                usleep(useconds_t(waitMs * 1000))  // only our timers are left: sleep until the next
            }
        }
    }

    private func step() {
        deliverReady()
        var left: Int32 = 0
        while let network, let message = mw_curl_multi_info_read(network.multi, &left) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle,
                  let transfer = active.removeValue(forKey: easy) else { continue }
            let code = message.pointee.data.result
            transfer.deliverPending()
            transfer.detach(from: network.multi)
            transfer.complete(curlCode: code)
        }
        deliverReady()
        while let action = timers.popDue(now: clock.now) { action() }
        if !posted.isEmpty {
            let batch = posted
            posted.removeAll(keepingCapacity: true)
            for action in batch { action() }
        }
    }

    private func deliverReady() {
        while !ready.isEmpty {
            let batch = ready
            ready.removeAll(keepingCapacity: true)
            for transfer in batch {
                transfer.isQueued = false
                transfer.deliverPending()
            }
        }
    }
}

// CallLogWriter: takes call records from the loop's thread and writes them on
// a queue of its own, batched (everything that arrives within 50 ms, or while
// the last batch was being written, goes in one transaction), so a stream
// never waits for the disk. Redaction and JSON encoding happen there too. A database that is
// locked past the busy timeout, unwritable or broken costs a warning on
// stderr, never a failed call; rows that could not be written are counted
// and said at the end.
import Foundation
import LLMCore

public final class CallLogWriter: @unchecked Sendable {
    public let path: String
    private let context: CallLogContext
    private let warn: @Sendable (String) -> Void
    private let queue = DispatchQueue(label: "moonwire.call-log")
    private let lock = NSLock()
    private var pending: [(CallRecord, Bool, String?)] = []
    private var scheduled = false
    // Only on `queue`:
    private var store: CallLogStore?
    private var broken = false
    private var warned = false
    private var lost = 0
    /// Records held at most while the database is slow; past it the oldest are dropped (and counted).
    static let maxPending = 100_000
    /// How long a record waits for others to share its transaction. One
    /// transaction per call costs a WAL commit per call, which a bulk job
    /// of fast calls feels on two cores; `flush` (llm.logs, the end of the
    /// run) does not wait.
    static let batchDelay: DispatchTimeInterval = .milliseconds(50)

    private var written = 0
    /// Calls logged so far (written to the database).
    public var writtenCount: Int { queue.sync { written } }

    /// This run's id in the log's `run_id` column.
    public var runID: String { context.runID }

    public init(path: String, context: CallLogContext, warn: @escaping @Sendable (String) -> Void) {
        self.path = path
        self.context = context
        self.warn = warn
    }

    /// Queues `record` for writing; returns at once.
    public func add(_ record: CallRecord, replayed: Bool, cassette: String?) {
        lock.lock()
        if pending.count >= Self.maxPending {
            pending.removeFirst(pending.count - Self.maxPending + 1)
            lock.unlock()
            queue.async { self.lost += 1 }
            lock.lock()
        }
        pending.append((record, replayed, cassette))
        let schedule = !scheduled
        scheduled = true
        lock.unlock()
        if schedule { queue.asyncAfter(deadline: .now() + Self.batchDelay) { self.drain() } }
    }

    /// Waits until every record added so far is written (or given up on).
    public func flush() {
        queue.sync { self.drain() }
    }

    /// Flushes, then says how many rows were lost, if any. For the end of the run.
    public func close() {
        flush()
        queue.sync {
            if lost > 0 { warn("moonwire: call log: \(lost) call(s) were not logged to \(path)") }
            store = nil
        }
    }

    private func drain() {
        while true {
            lock.lock()
            let batch = pending
            pending.removeAll(keepingCapacity: true)
            if batch.isEmpty { scheduled = false }
            lock.unlock()
            if batch.isEmpty { return }
            write(batch)
        }
    }

    private func write(_ batch: [(CallRecord, Bool, String?)]) {
        guard !broken else { lost += batch.count; return }
        let rows = batch.map { LoggedCall($0.0, context: context, replayed: $0.1, cassette: $0.2) }
        do {
            if store == nil { store = try CallLogStore(path: path) }
            try store!.insert(rows)
            written += rows.count
        } catch let error as SQLiteError where error.isBusy {
            // Another process holds the write lock past the busy timeout: these rows are lost, later ones may go in.
            lost += rows.count
            warnOnce("the database is locked (\(error.message)); calls are not logged while it stays locked")
        } catch {
            lost += rows.count
            broken = true
            store = nil
            warnOnce("\(error); calls are not logged (MOONWIRE_LOG=off turns the log off)")
        }
    }

    private func warnOnce(_ text: String) {
        guard !warned else { return }
        warned = true
        warn("moonwire: call log \(path): \(text)")
    }
}

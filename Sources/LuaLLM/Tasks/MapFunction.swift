// llm.map(list, fn [, { concurrency = 8, ordered = true, on_error = "collect", progress = false }])
//   -> results, summary
// Runs fn(item, index) for every item, each in its own task, at most
// `concurrency` at a time. results[i] is fn's first result for list[i], or,
// when it failed, an error object (an llm.Error table with `index`; a Lua
// error becomes kind "script" with its traceback): nothing is dropped.
// on_error = "raise" stops at the first failure (the others are cancelled)
// and raises it, with `results` and `summary` fields. Ctrl-C does the same
// with a `cancelled` error and a note on stderr.
import CLua
import Foundation
import LLMCore
import LuaBridge

enum MapFunction {
    static let keys: Set<String> = ["concurrency", "ordered", "on_error", "progress"]

    static func map(_ call: LuaCall, runtime: LLMRuntime) throws -> Int32 {
        try call.checkTable(1)
        let total = try listLength(call, at: 1)
        try call.checkFunction(2)
        var concurrency = 8
        var ordered = true
        var raiseOnError = false
        var progress = false
        if call.type(3) != .none && call.type(3) != .nil_ {
            try call.checkTable(3)
            try call.checkOptions(3, allowed: keys)
            let o = LuaOptions(call, at: 3)
            if let n = try o.integer("concurrency") {
                guard n >= 1 else { throw LuaArgumentError(argument: 3, "field 'concurrency' must be at least 1, got \(n)") }
                concurrency = Int(min(n, 1 << 20))
            }
            ordered = try o.boolean("ordered") ?? true
            if let mode = try o.string("on_error") {
                guard mode == "collect" || mode == "raise" else {
                    throw LuaArgumentError(argument: 3, "field 'on_error' must be \"collect\" or \"raise\", got \"\(mode)\"")
                }
                raiseOnError = mode == "raise"
            }
            progress = try o.boolean("progress") ?? false
        }
        try runtime.checkCanWait(call, what: "llm.map")
        let run = MapRun(call, total: total, concurrency: concurrency, ordered: ordered, raiseOnError: raiseOnError,
                         progress: progress ? ProgressBar.forStderr(total: total, clock: runtime.loop.clock) : nil, runtime: runtime)
        run.start()
        return try runtime.await(call, run, what: "llm.map") { c in try run.finish(c) }
    }

    /// The length of the list at `index`, which must be a sequence: keys 1...n, no holes.
    static func listLength(_ call: LuaCall, at index: Int32) throws -> Int {
        let t = call.absolute(index)
        var count = 0
        var largest: Int64 = 0
        lua_pushnil(call.L)
        while lua_next(call.L, t) != 0 {
            call.pop()  // the value
            var isInteger: Int32 = 0
            let key = lua_tointegerx(call.L, -1, &isInteger)
            guard call.type(-1) == .number, isInteger != 0, key >= 1 else {
                let shown = call.type(-1) == .string ? "'\(call.rawString(-1))'" : "of type \(call.typeName(-1))"
                call.pop()
                throw LuaArgumentError(argument: index, "a list expected, but the table has a key \(shown)")
            }
            count += 1
            largest = max(largest, key)
        }
        if Int64(count) != largest {
            var missing: Int64 = 1
            while true {
                call.pushIndex(t, missing)
                defer { call.pop() }
                if call.type(-1) == .nil_ { break }
                missing += 1
            }
            throw LuaArgumentError(argument: index, "the list has a hole at index \(missing): \(count) items, the largest index \(largest)")
        }
        return count
    }
}

/// One llm.map: spawns item tasks as others end, keeps the results table and
/// the counts, and is the operation the caller waits for.
final class MapRun: PendingOperation {
    private let runtime: LLMRuntime
    private let main: LuaCall
    private let total: Int
    private let concurrency: Int
    private let ordered: Bool
    private let raiseOnError: Bool
    private let progress: ProgressBar?
    private let list: LuaRef
    private let fn: LuaRef
    private let results: LuaRef
    private let started: Double
    private var next = 1
    private var inFlight: [Int: LuaTask] = [:]
    private var completed = 0
    private var succeeded = 0
    private var failed = 0
    private var cancelled = 0
    private var errorKinds: [String: Int] = [:]
    /// The first failure's index in the list and its slot in the results.
    private var firstFailure: (index: Int, slot: Int)?
    private var stopping = false
    private var ended = false
    private var interruption: LLMError?
    var onReady: (() -> Void)?

    /// `call` has the list at 1 and the function at 2.
    init(_ call: LuaCall, total: Int, concurrency: Int, ordered: Bool, raiseOnError: Bool, progress: ProgressBar?, runtime: LLMRuntime) {
        self.runtime = runtime
        main = LuaCall(call.mainThread, name: "llm.map")
        self.total = total
        self.concurrency = concurrency
        self.ordered = ordered
        self.raiseOnError = raiseOnError
        self.progress = progress
        call.pushValue(at: 1)
        list = LuaRef(call)
        call.pushValue(at: 2)
        fn = LuaRef(call)
        call.newTable(arrayCount: Int32(min(total, 1 << 24)), recordCount: 1)
        results = LuaRef(call)
        started = runtime.loop.clock.now
    }

    var isReady: Bool { ended }

    func start() {
        if let progress {
            runtime.pushStatusSink(owner: self) { [weak progress] text in progress?.waiting = text }
        }
        fill()
    }

    private func fill() {
        while !stopping && inFlight.count < concurrency && next <= total {
            let i = next
            next += 1
            let base = main.count
            list.push(on: main)
            let listIndex = main.absolute(-1)
            fn.push(on: main)
            main.pushIndex(listIndex, Int64(i))
            main.push(i)
            let task = try? runtime.tasks.spawn(main, functionAt: listIndex + 1, argumentCount: 2)
            main.settop(base)
            guard let task else { continue }  // no room on a new stack: cannot happen with two arguments
            inFlight[i] = task
            task.whenOver { [weak self, unowned task] in self?.itemEnded(i, task) }
        }
        progress?.update(done: completed, failed: failed + cancelled, inFlight: inFlight.count)
        if inFlight.isEmpty && (next > total || stopping) { end() }
    }

    private func itemEnded(_ index: Int, _ task: LuaTask) {
        guard !ended, inFlight.removeValue(forKey: index) != nil else { return }
        completed += 1
        let base = main.count
        defer { main.settop(base) }
        results.push(on: main)
        let table = main.absolute(-1)
        task.pushFirstResultOrError(on: main)
        let slot = ordered ? index : completed
        if task.state == .failed {
            let error = main.absolute(-1)
            main.push(index); main.setField(error, "index")
            if task.wasCancelled {
                cancelled += 1
            } else {
                failed += 1
                main.rawField(error, "kind")
                errorKinds[main.type(-1) == .string ? main.rawString(-1) : "script", default: 0] += 1
                main.pop()
            }
        } else {
            succeeded += 1
        }
        main.setIndex(table, Int64(slot))
        if task.state == .failed && raiseOnError && firstFailure == nil && !task.wasCancelled {
            firstFailure = (index, slot)
            stop()
        }
        fill()
    }

    /// No new items; the ones in flight are cancelled.
    private func stop() {
        stopping = true
        for task in inFlight.values { runtime.tasks.cancel(task) }
    }

    private func end() {
        guard !ended else { return }
        ended = true
        if progress != nil { runtime.removeStatusSink(owner: self) }
        progress?.finish(summary: summaryLine)
        onReady?()
    }

    /// Ctrl-C, a cancelled task running this map, or a failed wait: the items
    /// in flight are cancelled and counted so now (their tasks end later).
    func cancel(_ error: LLMError) {
        guard !ended else { return }
        interruption = error
        stopping = true
        let stopped = inFlight.sorted { $0.key < $1.key }
        inFlight.removeAll()
        let base = main.count
        results.push(on: main)
        let table = main.absolute(-1)
        for (index, task) in stopped {
            completed += 1
            cancelled += 1
            main.push(error: LLMError(.cancelled, error.message))
            main.push(index); main.setField(main.absolute(-2), "index")
            main.setIndex(table, Int64(ordered ? index : completed))
            runtime.tasks.cancel(task, error)
        }
        main.settop(base)
        end()
    }

    func waitFailed(_ error: LLMError) -> any Error {
        guard error == LLMRuntime.interruption else {
            // Not Ctrl-C (a deadlock, say): that error, with what finished.
            return MapStopped(error: error, run: self)
        }
        let finished = succeeded + failed
        let note = "llm.map: interrupted after \(finished) of \(total) items (\(succeeded) ok, \(failed) failed, "
            + "\(cancelled) cancelled, \(total - completed) not started); the finished results are in the error's `results` field\n"
        FileHandle.standardError.write(Data(note.utf8))
        return MapStopped(error: LLMError(.cancelled, "llm.map interrupted after \(finished) of \(total) items"), run: self)
    }

    /// Pushes results and summary (or raises the first failure / the interruption).
    func finish(_ call: LuaCall) throws -> Int32 {
        if let interruption {
            throw MapStopped(error: LLMError(interruption.kind, "llm.map stopped after \(completed) of \(total) items: \(interruption.message)"), run: self)
        }
        if let failure = firstFailure {
            throw MapFailed(slot: failure.slot, run: self)
        }
        pushResults(on: call)
        pushSummary(on: call)
        return 2
    }

    func pushResults(on call: LuaCall) {
        results.push(on: call)
        call.push(total)
        call.setField(call.absolute(-2), "n")
    }

    func pushSummary(on call: LuaCall) {
        call.newTable(recordCount: 7)
        let t = call.absolute(-1)
        call.push(total); call.setField(t, "total")
        call.push(succeeded); call.setField(t, "ok")
        call.push(failed); call.setField(t, "failed")
        call.push(cancelled); call.setField(t, "cancelled")
        call.push(total - completed); call.setField(t, "not_started")
        call.push(runtime.loop.clock.now - started); call.setField(t, "elapsed")
        call.newTable(recordCount: Int32(errorKinds.count))
        let kinds = call.absolute(-1)
        for (kind, count) in errorKinds.sorted(by: { $0.key < $1.key }) { call.push(count); call.setField(kinds, kind) }
        call.setField(t, "errors")
    }

    /// The result in `slot` (the first failure's error object).
    func pushResult(slot: Int, on call: LuaCall) {
        results.push(on: call)
        call.pushIndex(call.absolute(-1), Int64(slot))
        call.remove(-2)
    }

    var summaryLine: String {
        let elapsed = runtime.loop.clock.now - started
        var text = "llm.map: \(completed) of \(total) items in " + String(format: "%.1f s", elapsed)
        if elapsed > 0 { text += String(format: " (%.1f/s)", Double(completed) / elapsed) }
        text += ": \(succeeded) ok, \(failed) failed"
        if !errorKinds.isEmpty {
            text += " (" + errorKinds.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                .map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")"
        }
        if cancelled > 0 { text += ", \(cancelled) cancelled" }
        if total - completed > 0 { text += ", \(total - completed) not started" }
        return text
    }
}

/// on_error = "raise": the first failed item's error object, with `results`
/// and `summary` added.
private struct MapFailed: LuaRaisable, @unchecked Sendable {
    let slot: Int
    let run: MapRun
    func pushLuaError(on L: OpaquePointer, functionName: String) {
        let call = LuaCall(L, name: functionName)
        run.pushResult(slot: slot, on: call)
        let t = call.absolute(-1)
        guard call.type(t) == .table else { return }
        run.pushResults(on: call); call.setField(t, "results")
        run.pushSummary(on: call); call.setField(t, "summary")
    }
}

/// Interrupted or cancelled: a `cancelled` llm.Error with `results` and `summary`.
private struct MapStopped: LuaRaisable, @unchecked Sendable {
    let error: LLMError
    let run: MapRun
    func pushLuaError(on L: OpaquePointer, functionName: String) {
        let call = LuaCall(L, name: functionName)
        call.push(error: error)
        let t = call.absolute(-1)
        run.pushResults(on: call); call.setField(t, "results")
        run.pushSummary(on: call); call.setField(t, "summary")
    }
}

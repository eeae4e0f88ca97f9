// What a blocking `llm` call waits for (a chat turn, an embedding, the next
// stream event, a task, a timer) and the one place that decides how to wait:
// the main chunk runs the event loop until the operation is ready; a task
// suspends its coroutine and the scheduler resumes it when the operation says
// it may be ready; any other coroutine is told to use llm.spawn.
import LLMCore
import LLMTransport
import LuaBridge

protocol PendingOperation: AnyObject {
    /// True once the waiting call can go on.
    var isReady: Bool { get }
    /// Set by the runtime while a task waits: the operation calls it whenever
    /// `isReady` may have become true (a spurious call is harmless).
    var onReady: (() -> Void)? { get set }
    /// Stops what it waits for; `isReady` becomes true.
    func cancel(_ error: LLMError)
    /// What the waiting call raises when its wait failed: Ctrl-C
    /// (LLMRuntime.interruption) or a deadlock. The operation is cancelled by then.
    func waitFailed(_ error: LLMError) -> any Error
}

extension PendingOperation {
    func waitFailed(_ error: LLMError) -> any Error { error }
}

extension LLMRuntime {
    /// Throws unless the calling coroutine may wait: the main thread, a task,
    /// or a callback run from Swift (never a plain `coroutine.create`).
    func checkCanWait(_ call: LuaCall, what: String) throws {
        guard !call.isMainThread, tasks.task(running: call.L) == nil else { return }
        throw LuaRuntimeError("\(what) has to wait, which it cannot do in a coroutine that is not a Moonwire task: "
            + "run the coroutine's function with llm.spawn(fn) instead (or make the call outside it)")
    }

    /// Waits for `op`, then runs `finish` on the caller's stack and returns
    /// its result. On the main thread (or where the coroutine cannot yield,
    /// inside a callback) it runs the loop; in a task it suspends the task.
    /// The caller has checked `checkCanWait` before starting the operation.
    func await(_ call: LuaCall, _ op: any PendingOperation, what: String,
               then finish: @escaping LuaFunction) throws -> Int32 {
        if op.isReady { return try finish(call) }
        try checkCanWait(call, what: what)
        let task = call.isMainThread ? nil : tasks.task(running: call.L)
        if let task {
            if task.cancelRequested { op.cancel(LLMError(.cancelled, "the task was cancelled")) }
            if call.isYieldable && !op.isReady {
                guard op.onReady == nil else {
                    throw LuaRuntimeError("\(what): another task is already waiting on it (one reader at a time)")
                }
                task.pending = op
                op.onReady = { [unowned self, unowned task] in self.tasks.wake(task) }
                // Only the scheduler's resume goes on, and only once the operation
                // is ready: a script resuming the task's coroutine itself gets it
                // suspended again.
                func goOn(_ c: LuaCall) throws -> Int32 {
                    guard task.resumedByScheduler, op.isReady else { return c.suspend(then: goOn) }
                    task.pending = nil
                    op.onReady = nil
                    return try finish(c)
                }
                return call.suspend(then: goOn)
            }
        }
        // Block: run the loop here. A task stuck in a nested wait still stops when cancelled.
        do {
            try wait(until: { op.isReady || (task?.cancelRequested ?? false) }, interrupted: { op.cancel($0) })
        } catch {
            op.cancel(error)
            throw op.waitFailed(error)
        }
        if !op.isReady {
            let cancelled = LLMError(.cancelled, "the task was cancelled")
            op.cancel(cancelled)
            throw cancelled
        }
        return try finish(call)
    }
}

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
    /// What the waiting call raises when its wait is interrupted (Ctrl-C).
    func interrupted(_ error: LLMError) -> any Error
}

extension PendingOperation {
    func interrupted(_ error: LLMError) -> any Error { error }
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
    func await(_ call: LuaCall, _ op: any PendingOperation, what: String,
               then finish: @escaping LuaFunction) throws -> Int32 {
        if op.isReady { return try finish(call) }
        if !call.isMainThread, let task = tasks.task(running: call.L) {
            if task.cancelRequested { op.cancel(LLMError(.cancelled, "the task was cancelled")) }
            if call.isYieldable && !op.isReady {
                task.pending = op
                op.onReady = { [unowned self, unowned task] in self.tasks.wake(task) }
                return call.suspend { c in
                    task.pending = nil
                    op.onReady = nil
                    return try finish(c)
                }
            }
        } else if !call.isMainThread {
            op.cancel(LLMError(.cancelled, "not a task"))
            try checkCanWait(call, what: what)
        }
        do {
            try wait { op.isReady }
        } catch {
            op.cancel(error)
            throw op.interrupted(error)
        }
        return try finish(call)
    }
}

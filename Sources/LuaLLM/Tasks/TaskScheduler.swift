// The tasks of one Lua state. Spawned tasks start on the loop's next turn;
// a task suspended by an llm call is resumed (through a loop post, never from
// inside a delivery) when its operation says it may be ready; a task that
// called coroutine.yield gets the next turn. Everything runs on the loop's
// thread, so tasks share the runtime's clients (limiter, breaker, budget,
// stats) with no locking.
import CLua
import LLMCore
import LuaBridge

final class TaskScheduler {
    private unowned let runtime: LLMRuntime
    /// Tasks not over, by their coroutine.
    private var live: [OpaquePointer: LuaTask] = [:]
    private var nextID = 1
    private var main: OpaquePointer?
    /// Failed tasks whose error no script has seen yet.
    private var unobserved: [LuaTask] = []

    init(runtime: LLMRuntime) {
        self.runtime = runtime
    }

    var liveCount: Int { live.count }

    func task(running L: OpaquePointer) -> LuaTask? { live[L] }

    /// A task running the function at `index` of `call` with the `argumentCount`
    /// values after it (copied; the caller's stack is unchanged).
    func spawn(_ call: LuaCall, functionAt index: Int32, argumentCount: Int32) throws -> LuaTask {
        if main == nil { main = call.mainThread }
        let thread = LuaThread(call)
        thread.stack.settop(0)
        guard call.copyValues(from: call.absolute(index), count: argumentCount + 1, to: thread.stack) else {
            throw LuaRuntimeError("llm.spawn: too many arguments for a new task's stack")
        }
        let task = LuaTask(id: nextID, thread: thread)
        nextID += 1
        live[thread.L] = task
        post(task)
        return task
    }

    /// The task's operation may be ready: resume it on the next turn.
    func wake(_ task: LuaTask) { post(task) }

    /// Stops a task: one not started never runs; one waiting has its
    /// operation cancelled and raises `cancelled` where it waits.
    func cancel(_ task: LuaTask, _ error: LLMError = LLMError(.cancelled, "the task was cancelled")) {
        guard !task.isOver else { return }
        task.cancelRequested = true
        switch task.state {
        case .scheduled,
             .waiting where task.pending == nil:
            // Not started, or suspended by coroutine.yield (it would never reach
            // a wait): it ends here, failed with the error.
            task.thread.stack.push(error: error)
            task.wasCancelled = true
            finish(task, failed: true)
        case .waiting:
            task.pending?.cancel(error)
            post(task)
        case .running, .finished, .failed:
            break  // a running task meets the flag at its next wait
        }
    }

    /// Ctrl-C: every task stops at its next turn.
    func cancelAll(_ error: LLMError) {
        for task in Array(live.values) { cancel(task, error) }
    }

    /// Failed tasks nobody waited for, each as its error and traceback; they
    /// count as reported once returned.
    func takeUnobservedFailures() -> [String] {
        let texts = unobserved.filter { !$0.failureObserved && !$0.wasCancelled }.map { "task \($0.id) failed: \($0.failureText)" }
        unobserved.removeAll()
        return texts
    }

    private func post(_ task: LuaTask) {
        guard !task.resumePosted, !task.isOver else { return }
        task.resumePosted = true
        runtime.loop.post { [weak self] in self?.resume(task) }
    }

    private func resume(_ task: LuaTask) {
        task.resumePosted = false
        guard !task.isOver, let main else { return }
        if let op = task.pending, !op.isReady { return }
        var nargs: Int32 = 0
        if task.state == .scheduled { nargs = lua_gettop(task.thread.L) - 1 }
        task.state = .running
        task.resumedByScheduler = true
        let outcome = task.thread.resume(from: LuaCall(main, name: "llm.spawn"), nargs: nargs)
        task.resumedByScheduler = false
        switch outcome {
        case .finished(let count):
            task.state = .finished(results: count)
            finish(task, failed: false)
        case .suspended(let count):
            task.state = .waiting
            if task.pending == nil {  // coroutine.yield: the others go first
                task.thread.stack.pop(count)
                post(task)
            }
        case .failed:
            task.state = .failed
            task.failureText = task.thread.traceback(on: LuaCall(main, name: "llm.spawn"))
            task.wasCancelled = (task.cancelRequested && isCancelledError(task)) || isInterruption(task)
            finish(task, failed: true)
        }
    }

    private func finish(_ task: LuaTask, failed: Bool) {
        if failed {
            task.state = .failed
            if task.failureText.isEmpty, let main { task.failureText = task.thread.traceback(on: LuaCall(main, name: "llm.spawn")) }
            unobserved.append(task)
            if unobserved.count > 256 { unobserved.removeAll { $0.failureObserved } }
        }
        task.pending = nil
        live.removeValue(forKey: task.thread.L)
        task.ended()
    }

    /// Stopped by Ctrl-C: the count hook's "interrupted" error.
    private func isInterruption(_ task: LuaTask) -> Bool {
        let L = task.thread.L
        return lua_type(L, -1) == LUA_TSTRING && task.thread.stack.rawString(-1) == "interrupted"
    }

    private func isCancelledError(_ task: LuaTask) -> Bool {
        let L = task.thread.L
        guard lua_type(L, -1) == LUA_TTABLE else { return false }
        let stack = task.thread.stack
        stack.rawField(-1, "kind")
        defer { stack.pop() }
        return stack.rawString(-1) == LLMError.Kind.cancelled.rawValue
    }
}

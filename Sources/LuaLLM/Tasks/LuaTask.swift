// A Moonwire task: a Lua function running in its own coroutine on the one
// event loop. It runs until it waits (an llm call, task:wait, llm.sleep),
// then others run; its results or its error stay on its coroutine's stack
// until someone waits for it.
import CLua
import LLMCore
import LuaBridge

final class LuaTask {
    static let typeName = "llm.Task"

    enum State: Equatable {
        /// Spawned, not started: the function and its arguments are on the stack.
        case scheduled
        case running
        /// Waiting for `pending` (or, after `coroutine.yield`, for its next turn).
        case waiting
        case finished(results: Int32)
        /// The error value is on top of the coroutine's stack.
        case failed
    }

    let id: Int
    let thread: LuaThread
    var state = State.scheduled
    /// What the task waits for while suspended by an llm call.
    var pending: (any PendingOperation)?
    var cancelRequested = false
    /// A resume is already posted to the loop.
    var resumePosted = false
    /// True while the scheduler itself resumes the coroutine (not a script's
    /// coroutine.resume of it).
    var resumedByScheduler = false
    /// The error's text with the task's stack, once it failed.
    var failureText = ""
    /// True once a script saw the failure (wait, wait_all, llm.map), so it
    /// need not be reported when the script ends.
    var failureObserved = false
    private var endWatchers: [() -> Void] = []

    init(id: Int, thread: LuaThread) {
        self.id = id
        self.thread = thread
    }

    var isOver: Bool {
        switch state {
        case .finished, .failed: true
        default: false
        }
    }

    /// Ended by cancellation: failed with a `cancelled` error after cancel().
    var wasCancelled = false

    var statusName: String {
        switch state {
        case .scheduled: "scheduled"
        case .running: "running"
        case .waiting: "waiting"
        case .finished: "done"
        case .failed: wasCancelled ? "cancelled" : "failed"
        }
    }

    /// Runs `watcher` once the task is over (now, if it is).
    func whenOver(_ watcher: @escaping () -> Void) {
        if isOver { watcher() } else { endWatchers.append(watcher) }
    }

    func ended() {
        let watchers = endWatchers
        endWatchers = []
        for w in watchers { w() }
    }

    /// Pushes the task's results on `call` and returns how many, or throws
    /// its error (with the task's traceback) if it failed.
    func pushResults(on call: LuaCall) throws -> Int32 {
        switch state {
        case .finished(let count):
            guard thread.stack.copyValues(from: lua_gettop(thread.L) - count + 1, count: count, to: call) else {
                throw LuaRuntimeError("task \(id) returned more values than the stack can hold")
            }
            return count
        case .failed:
            failureObserved = true
            throw TaskFailure(task: self)
        default:
            preconditionFailure("results of a task that is not over")
        }
    }

    /// Pushes the first result (nil if none), or the error object if it failed.
    func pushFirstResultOrError(on call: LuaCall) {
        switch state {
        case .finished(let count):
            if count == 0 { call.pushNil(); return }
            let top = lua_gettop(thread.L)
            if !thread.stack.copyValues(from: top - count + 1, count: 1, to: call) { call.pushNil() }
        default:
            failureObserved = true
            TaskFailure(task: self).pushErrorObject(on: call)
        }
    }
}

/// A task's error raised again where it is waited for. A string error gets
/// the task's traceback appended; an error table (llm.Error) is raised as it
/// is, with a `traceback` field added.
struct TaskFailure: LuaRaisable, @unchecked Sendable {  // used on the loop thread only
    let task: LuaTask

    func pushLuaError(on L: OpaquePointer, functionName: String) {
        let call = LuaCall(L, name: functionName)
        let thread = task.thread
        if lua_type(thread.L, -1) == LUA_TTABLE {
            pushTable(on: call)
        } else {
            call.push("task \(task.id) failed: \(task.failureText)")
        }
    }

    /// The error as a table: an llm.Error keeps its fields; any other error
    /// becomes an llm.Error of kind "script" with the message.
    func pushErrorObject(on call: LuaCall) {
        if lua_type(task.thread.L, -1) == LUA_TTABLE {
            pushTable(on: call)
            return
        }
        call.push(error: LLMError(task.wasCancelled ? .cancelled : .script, firstLine(task.failureText)))
        call.push(task.failureText); call.setField(call.absolute(-2), "traceback")
    }

    private func pushTable(on call: LuaCall) {
        let thread = task.thread
        if !thread.stack.copyValues(from: lua_gettop(thread.L), count: 1, to: call) {
            call.push(task.failureText)
            return
        }
        let t = call.absolute(-1)
        call.rawField(t, "traceback")
        let has = call.type(-1) != .nil_
        call.pop()
        if !has { call.push(task.failureText); call.setField(t, "traceback") }
    }

    private func firstLine(_ text: String) -> String {
        String(text.prefix { $0 != "\n" })
    }
}

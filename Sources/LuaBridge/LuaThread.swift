// Coroutines for the host: a Swift function may suspend the coroutine that
// called it (the C trampoline yields once Swift has returned, so no longjmp
// crosses a Swift frame) and the host resumes it later, when what it waits for
// is ready; the Swift continuation then finishes the call.
import CLua
import CShims

/// The rest of a suspended Swift function.
struct LuaContinuation {
    let name: String
    let body: LuaFunction
}

extension LuaCall {
    /// True on the state's main thread.
    public var isMainThread: Bool {
        let main = lua_pushthread(L) == 1
        mw_pop(L, 1)
        return main
    }

    /// Whether the running coroutine can be suspended here: false on the main
    /// thread and inside code called from C without a continuation (a
    /// callback a Swift function runs through `protectedCall`).
    public var isYieldable: Bool { lua_isyieldable(L) != 0 }

    /// Suspends the running coroutine (check `isYieldable` first). Return the
    /// result from the LuaFunction. When the host resumes the coroutine (with
    /// no values), `continuation` runs on the same stack, the call's
    /// arguments still in place, and what it returns is the call's result; it
    /// may suspend again.
    public func suspend(then continuation: @escaping LuaFunction) -> Int32 {
        guard let host = LuaState.host(of: L) else { preconditionFailure("suspend outside a LuaState") }
        host.continuations[L] = LuaContinuation(name: name, body: continuation)
        return MW_YIELD
    }
}

/// A Lua coroutine made and driven by the host.
public final class LuaThread {
    public let L: OpaquePointer
    /// Keeps the thread alive (and with it the results or error on its stack).
    private let anchor: LuaRef

    public enum Outcome: Equatable {
        /// Returned `count` values, now on its stack.
        case finished(count: Int32)
        /// Suspended: by a Swift function (`suspend(then:)`) or by
        /// `coroutine.yield` with `count` values on its stack.
        case suspended(count: Int32)
        /// Raised an error; its stack is kept for `traceback`, the error value on top.
        case failed
    }

    /// A new coroutine of the state `call` belongs to; nothing is pushed.
    public init(_ call: LuaCall) {
        L = lua_newthread(call.L)!
        anchor = LuaRef(call)
    }

    public var stack: LuaCall { LuaCall(L, name: "?") }

    /// Starts the function below `nargs` arguments on this thread's stack, or
    /// goes on after a suspension (`nargs` values become the results of the
    /// `coroutine.yield` that suspended it; Swift continuations get none).
    public func resume(from: LuaCall?, nargs: Int32) -> Outcome {
        var results: Int32 = 0
        // Ctrl-C while this coroutine runs hooks it too.
        let previous = mw_interrupt_running(L)
        defer { _ = mw_interrupt_running(previous) }
        switch mw_resume(L, from?.L, nargs, &results) {
        case LUA_OK: return .finished(count: results)
        case LUA_YIELD: return .suspended(count: results)
        default: return .failed
        }
    }

    /// The error of a failed thread as text (through `__tostring` if it has
    /// one), followed by the thread's stack at the error. Built on `call`'s
    /// stack, which is left as it was.
    public func traceback(on call: LuaCall) -> String {
        let status = mw_push_thread_traceback(call.L, L)
        defer { call.pop() }
        return status == LUA_OK ? call.rawString(-1) : "(error in a task; its traceback failed: \(call.rawString(-1)))"
    }

}

extension LuaCall {
    /// Pushes copies of the `count` values from `first` (absolute) of this
    /// stack onto `other`, a thread of the same state. False if a stack
    /// cannot grow (nothing pushed).
    @discardableResult
    public func copyValues(from first: Int32, count: Int32, to other: LuaCall) -> Bool {
        guard count > 0 else { return true }
        guard lua_checkstack(L, 1) != 0, lua_checkstack(other.L, count) != 0 else { return false }
        for i in 0..<count {
            lua_pushvalue(L, first + i)
            lua_xmove(L, other.L, 1)
        }
        return true
    }
}

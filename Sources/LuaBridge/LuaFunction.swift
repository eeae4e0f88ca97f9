// Swift functions callable from Lua. Each is held by a box that a Lua userdata
// owns; the C trampoline calls `dispatch`, which never raises: it returns
// MW_RAISE with the error on the stack and C raises it after Swift returned.
import CLua
import CShims

/// A Swift function exposed to Lua. It reads its arguments from `call`, pushes
/// its results and returns how many; throwing raises a Lua error.
public typealias LuaFunction = (LuaCall) throws -> Int32

final class LuaFunctionBox {
    let name: String
    let body: LuaFunction

    init(name: String, body: @escaping LuaFunction) {
        self.name = name
        self.body = body
    }

    static func push(_ L: OpaquePointer, name: String, body: @escaping LuaFunction) {
        let box = LuaFunctionBox(name: name, body: body)
        mw_push_swift_function(L, Unmanaged.passRetained(box).toOpaque())
    }

    /// Idempotent: the C side keeps two function pointers that never change.
    static func installTrampoline() {
        mw_install(dispatch, releaseBox, continueSuspended)
    }
}

private func dispatch(_ L: OpaquePointer?, _ raw: UnsafeMutableRawPointer?) -> Int32 {
    guard let L, let raw else { return 0 }
    let box = Unmanaged<LuaFunctionBox>.fromOpaque(raw).takeUnretainedValue()
    return runGuarded(L, name: box.name, box.body)
}

/// Runs a Swift function's body; a thrown error is pushed for C to raise.
private func runGuarded(_ L: OpaquePointer, name: String, _ body: LuaFunction) -> Int32 {
    do {
        return try body(LuaCall(L, name: name))
    } catch {
        LuaRaise.push(error, on: L, functionName: name)
        return MW_RAISE
    }
}

/// The coroutine `L` was resumed after a Swift function suspended it: runs the
/// continuation that function left (`LuaCall.suspend(then:)`).
private func continueSuspended(_ L: OpaquePointer?) -> Int32 {
    guard let L, let host = LuaState.host(of: L) else { return 0 }
    guard let continuation = host.continuations.removeValue(forKey: L) else {
        mw_push_where_message(L, 1, "internal error: a suspended Swift function has no continuation")
        return MW_RAISE
    }
    return runGuarded(L, name: continuation.name, continuation.body)
}

private func releaseBox(_ raw: UnsafeMutableRawPointer?) {
    guard let raw else { return }
    Unmanaged<AnyObject>.fromOpaque(raw).release()
}

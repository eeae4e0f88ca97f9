// LuaBridge: a Lua 5.4 host for Swift that knows nothing of LLMs. LuaState owns
// one lua_State; Swift functions reach Lua only through the C trampoline in
// CShims, so no Lua error ever longjmps across a Swift frame.
import CLua
import CShims
import Synchronization

/// One Lua state with the standard libraries open. Not thread-safe: a state
/// and everything made from it stay on the thread that created it.
public final class LuaState {
    /// The main thread's raw pointer; nil once closed.
    public private(set) var pointer: OpaquePointer?

    /// `ignoreEnvironment`: as lua -E, package.path and package.cpath are
    /// Lua's defaults whatever LUA_PATH* and LUA_CPATH* say.
    public init(ignoreEnvironment: Bool = false) {
        LuaFunctionBox.installTrampoline()
        guard let L = mw_newstate_env(ignoreEnvironment ? 1 : 0) else { fatalError("moonwire: cannot create a Lua state") }
        pointer = L
        _ = Self.openStates.withLock { $0.insert(UInt(bitPattern: L)) }
        mw_extraspace(L).pointee = Unmanaged.passUnretained(self).toOpaque()
    }

    deinit { close() }

    /// Closes the state: every finaliser runs and every Swift object it owned is released.
    public func close() {
        guard let L = pointer else { return }
        mw_interrupt_forget(L)  // the SIGINT handler must not hook a closed state
        mw_close(L)
        pointer = nil
        _ = Self.openStates.withLock { $0.remove(UInt(bitPattern: L)) }
    }

    /// Bytes of Lua heap past which Lua code gets the catchable error "not
    /// enough memory" (nil: no limit). Swift's own work in the state is never
    /// refused memory, so the heap may pass the limit while Swift runs.
    public var memoryLimit: Int? {
        didSet { mw_set_memory_limit(L, memoryLimit.map { max(0, $0) } ?? 0) }
    }

    /// What each suspended coroutine's Swift function does when it is resumed.
    var continuations: [OpaquePointer: LuaContinuation] = [:]

    /// Main threads of states not yet closed, so late Swift releases (a LuaRef
    /// outliving its state) can tell whether unref is still valid.
    private static let openStates = Mutex(Set<UInt>())

    static func isOpen(_ L: OpaquePointer) -> Bool {
        openStates.withLock { $0.contains(UInt(bitPattern: L)) }
    }

    /// The host state of any thread (coroutine) of a state made by `LuaState`.
    public static func host(of L: OpaquePointer) -> LuaState? {
        guard let raw = mw_extraspace(L).pointee else { return nil }
        return Unmanaged<LuaState>.fromOpaque(raw).takeUnretainedValue()
    }

    var L: OpaquePointer {
        guard let pointer else { preconditionFailure("LuaState used after close()") }
        return pointer
    }

    public var top: Int32 { lua_gettop(L) }

    // MARK: Globals and functions

    /// Sets global `name` to a Swift function.
    public func register(_ name: String, _ body: @escaping LuaFunction) {
        pushFunction(name: name, body)
        lua_setglobal(L, name)
    }

    /// Pushes a Swift function; `name` is used in argument errors.
    public func pushFunction(name: String, _ body: @escaping LuaFunction) {
        LuaFunctionBox.push(L, name: name, body: body)
    }

    /// Sets global `name` to the value on top of the stack (popped).
    public func setGlobal(_ name: String) { lua_setglobal(L, name) }

    /// Pushes global `name` (raw access: `_G` has no metatable by default).
    public func pushGlobal(_ name: String) {
        mw_pushglobaltable(L)
        lua_pushstring(L, name)
        lua_rawget(L, -2)
        lua_rotate(L, -2, -1)
        lua_settop(L, -2)
    }

    // MARK: Running code

    /// Loads `source` as a chunk named `chunkName` ("=stdin", "@file.lua") and
    /// pushes it. A syntax error is returned as a message, nothing pushed.
    public func load(_ source: [UInt8], chunkName: String) -> Result<Void, LuaScriptError> {
        let status = source.withUnsafeBufferPointer { buf in
            buf.withMemoryRebound(to: CChar.self) {
                luaL_loadbufferx(L, $0.baseAddress, $0.count, chunkName, "t")
            }
        }
        if status == LUA_OK { return .success(()) }
        return .failure(popError(status: status))
    }

    /// Loads a file as lua.c loads its script (luaL_loadfile: a byte-order
    /// mark and a `#!` line skipped, precompiled chunks accepted), or standard
    /// input when `path` is nil, and pushes it.
    public func loadFile(_ path: String?) -> Result<Void, LuaScriptError> {
        let status = path.map { mw_loadfile(L, $0) } ?? mw_loadfile(L, nil)
        if status == LUA_OK { return .success(()) }
        return .failure(popError(status: status))
    }

    public func load(_ source: String, chunkName: String) -> Result<Void, LuaScriptError> {
        load(Array(source.utf8), chunkName: chunkName)
    }

    /// Calls the function below `nargs` arguments with a traceback handler.
    public func call(nargs: Int32, nresults: Int32 = LUA_MULTRET) -> Result<Void, LuaScriptError> {
        let status = mw_pcall_traceback(L, nargs, nresults)
        if status == LUA_OK { return .success(()) }
        return .failure(popError(status: status))
    }

    /// `call`, from inside a C function's frame as lua.c runs its chunks (from
    /// pmain): a traceback, the message's or debug.traceback()'s, ends with
    /// "[C]: in ?" exactly as lua's does.
    public func callInMainFrame(nargs: Int32, nresults: Int32 = LUA_MULTRET) -> Result<Void, LuaScriptError> {
        let status = mw_pcall_main(L, nargs, nresults)
        if status == LUA_OK { return .success(()) }
        return .failure(popError(status: status))
    }

    /// lua.c's pushargs: pushes arg[1..#arg] of the global `arg` as it is now
    /// and returns how many; "'arg' is not a table" when it is not one.
    public func pushScriptArguments() -> Result<Int32, LuaScriptError> {
        var count: Int32 = 0
        let status = mw_pushargs(L, &count)
        if status == LUA_OK { return .success(count) }
        return .failure(popError(status: status))
    }

    /// luaL_tolstring of the value at `index` (its __tostring, else its
    /// type's name and address), in a protected call.
    public func displayString(at index: Int32) -> Result<[UInt8], LuaScriptError> {
        let status = mw_pcall_tolstring(L, index)
        guard status == LUA_OK else { return .failure(popError(status: status)) }
        var len = 0
        defer { mw_pop(L, 1) }
        guard let p = mw_tolstring(L, -1, &len) else { return .success([]) }
        return .success(Array(UnsafeRawBufferPointer(start: p, count: len)))
    }

    /// Runs `source` as a chunk; results are discarded.
    @discardableResult
    public func run(_ source: String, chunkName: String = "=(swift)") -> Result<Void, LuaScriptError> {
        let base = top
        defer { lua_settop(L, base) }
        switch load(source, chunkName: chunkName) {
        case .failure(let e): return .failure(e)
        case .success: return call(nargs: 0, nresults: 0)
        }
    }

    private func popError(status: Int32) -> LuaScriptError {
        var len = 0
        let message: String
        if let p = mw_tolstring(L, -1, &len) {
            message = String(decoding: UnsafeRawBufferPointer(start: p, count: len), as: UTF8.self)
        } else {
            message = "(error object is a \(String(cString: mw_typename(L, -1))) value)"
        }
        mw_pop(L, 1)
        return LuaScriptError(status: status, message: message)
    }

    // MARK: Stack

    public func pop(_ n: Int32 = 1) { mw_pop(L, n) }
    public func settop(_ index: Int32) { lua_settop(L, index) }
}

/// A Lua error that reached the host: a syntax error or a runtime error with
/// its traceback already appended by the message handler.
public struct LuaScriptError: Error, CustomStringConvertible {
    public let status: Int32
    public let message: String
    public var isSyntaxError: Bool { status == LUA_ERRSYNTAX }
    public var description: String { message }
}

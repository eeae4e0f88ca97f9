// Room on the stack for hosts that push after a call returned many results
// (the REPL prints every result of `return ...`).
import CLua
import CShims

extension LuaCall {
    /// Makes room for `n` more values; false when the stack cannot grow that far.
    public func ensureStack(_ n: Int32) -> Bool { lua_checkstack(L, n) != 0 }
}

extension LuaCall {
    /// Removes the value at `index`, shifting the ones above it down.
    public func remove(_ index: Int32) { mw_remove(L, index) }
}

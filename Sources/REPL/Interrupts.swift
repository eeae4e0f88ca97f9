// Ctrl-C as the REPL sees it: one flag, set by the C SIGINT handler in
// CShims and read by the Lua hook and by EventLoop.interruptRequested (the
// same flag), so one key press stops Lua code and network waits alike.
import CShims
import Foundation
import LuaBridge

public enum Interrupts {
    /// Ctrl-C came since the last `clear()` (whether or not something acted on it).
    public static var requested: Bool { mw_interrupt_seen() != 0 }

    public static func clear() { mw_interrupt_set(0) }

    /// Process-wide: for a session on a terminal, and for `moonwire run` (as
    /// lua.c: Ctrl-C raises "interrupted" in the script; twice within a second exits 130).
    public static func installHandler() { mw_interrupt_install_handler(STDIN_FILENO) }
    public static func removeHandler() { mw_interrupt_remove_handler() }

    /// The hook that makes running Lua code raise "interrupted".
    public static func installHook(_ lua: LuaState) {
        guard let L = lua.pointer else { return }
        mw_interrupt_install_hook(L)
    }
}

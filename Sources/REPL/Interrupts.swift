// Ctrl-C as the REPL sees it: one flag, set by the C SIGINT handler in
// CShims and read by the Lua hook and by EventLoop.interruptRequested (the
// same flag), so one key press stops Lua code and network waits alike.
import CShims
import Foundation
import LuaBridge

enum Interrupts {
    static var requested: Bool { mw_interrupt_requested() != 0 }

    static func clear() { mw_interrupt_set(0) }

    /// Process-wide: only for a session on a terminal.
    static func installHandler() { mw_interrupt_install_handler(STDIN_FILENO) }
    static func removeHandler() { mw_interrupt_remove_handler() }

    /// The hook that makes running Lua code raise "interrupted".
    static func installHook(_ lua: LuaState) {
        guard let L = lua.pointer else { return }
        mw_interrupt_install_hook(L)
    }
}

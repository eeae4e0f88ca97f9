// LuaLLM: the Lua face of Moonwire. `open` installs the `json` and `llm`
// modules as globals and in package.loaded, so `require "json"` works too.
import CLua
import CShims
import LuaBridge

public enum LuaLLMLibrary {
    public static func open(_ lua: LuaState, runtime: LLMRuntime = LLMRuntime()) {
        guard let L = lua.pointer else { return }
        LuaJSON.prepare(L)
        let stack = lua.stack
        JSONModule.push(stack)
        setLoaded(lua, "json")
        LLMModule.push(stack, runtime: runtime)
        setLoaded(lua, "llm")
    }

    /// Pops the module on top of the stack into the global `name` and
    /// package.loaded[name].
    private static func setLoaded(_ lua: LuaState, _ name: String) {
        let stack = lua.stack
        guard let L = lua.pointer else { return }
        lua.pushGlobal("package")
        let package = stack.absolute(-1)
        stack.rawField(package, "loaded")
        stack.pushValue(at: -3)
        stack.setField(stack.absolute(-2), name)
        stack.pop(2)
        lua_setglobal(L, name)
    }

    /// Puts `templates` (`dir/?.lua;dir/?/init.lua`) before package.path.
    public static func prependPackagePath(_ lua: LuaState, _ templates: String) {
        guard !templates.isEmpty else { return }
        let stack = lua.stack
        lua.pushGlobal("package")
        let package = stack.absolute(-1)
        stack.rawField(package, "path")
        let current = stack.rawString(-1)
        stack.pop()
        stack.push(current.isEmpty ? templates : templates + ";" + current)
        stack.setField(package, "path")
        stack.pop()
    }
}

// LuaLLM: the Lua face of Moonwire. `open` installs the `json` and `llm`
// modules as globals and as package.loaded["moonwire.json"] / ["moonwire.llm"].
// A project's own files win (issue 11): `require "json"` finds a json.lua on
// the module path first, and only then the built-in, through a searcher that
// comes after the path's; `require "moonwire.json"` (or "moonwire.test", any
// stdlib module) always names Moonwire's.
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
        if case .failure(let e) = lua.run(Self.searcher, chunkName: "=(moonwire searcher)") {
            preconditionFailure("moonwire: the module searcher does not load: \(e.message)")
        }
    }

    /// After the path searchers: built-in modules by their short names, and
    /// `moonwire.NAME` for the built-ins and the stdlib's files.
    static let searcher = """
        local loaded, searchpath, loadfile = package.loaded, package.searchpath, loadfile
        local builtin = { json = true, llm = true }
        loaded.moonwire = loaded.moonwire or {}
        package.searchers[#package.searchers + 1] = function(name)
          local short = name:match("^moonwire%.(.+)$")
          local key = short or name
          if builtin[key] then return function() return loaded["moonwire." .. key] end, ":built-in:" end
          if not short then return "\\n\\tno built-in module '" .. name .. "'" end
          local where = loaded.moonwire.stdlib_path
          if not where then return "\\n\\tno Moonwire stdlib found" end
          local file, err = searchpath(short, where)
          if not file then return "\\n\\t" .. err end
          local chunk, lerr = loadfile(file)
          if not chunk then error(lerr, 0) end
          return chunk, file
        end
        """

    /// Puts the stdlib (`dir/?.lua;dir/?/init.lua`) after everything else on
    /// package.path, so a project's files shadow its modules, and remembers it
    /// for `require "moonwire.NAME"`.
    public static func setStdlib(_ lua: LuaState, _ dir: String) {
        let templates = "\(dir)/?.lua;\(dir)/?/init.lua"
        editPackagePath(lua) { $0.isEmpty ? templates : $0 + ";" + templates }
        let stack = lua.stack
        lua.pushGlobal("package")
        stack.rawField(stack.absolute(-1), "loaded")
        stack.rawField(stack.absolute(-1), "moonwire")
        if stack.type(-1) == .table {
            stack.push(templates)
            stack.setField(stack.absolute(-2), "stdlib_path")
        }
        stack.pop(3)
    }

    /// Pops the module on top of the stack into the global `name` and
    /// package.loaded["moonwire." .. name].
    private static func setLoaded(_ lua: LuaState, _ name: String) {
        let stack = lua.stack
        guard let L = lua.pointer else { return }
        lua.pushGlobal("package")
        let package = stack.absolute(-1)
        stack.rawField(package, "loaded")
        stack.pushValue(at: -3)
        stack.setField(stack.absolute(-2), "moonwire." + name)
        stack.pop(2)
        lua_setglobal(L, name)
    }

    /// Puts `templates` (`dir/?.lua;dir/?/init.lua`) before package.path.
    public static func prependPackagePath(_ lua: LuaState, _ templates: String) {
        guard !templates.isEmpty else { return }
        editPackagePath(lua) { $0.isEmpty ? templates : templates + ";" + $0 }
    }

    private static func editPackagePath(_ lua: LuaState, _ change: (String) -> String) {
        let stack = lua.stack
        lua.pushGlobal("package")
        let package = stack.absolute(-1)
        stack.rawField(package, "path")
        let current = stack.rawString(-1)
        stack.pop()
        stack.push(change(current))
        stack.setField(package, "path")
        stack.pop()
    }
}

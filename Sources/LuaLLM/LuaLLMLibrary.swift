// LuaLLM: the Lua face of Moonwire. `open` installs the `json` and `llm`
// modules as globals and as package.loaded["moonwire.json"] / ["moonwire.llm"].
// A project's own files win (issue 11): `require "json"` finds a json.lua on
// the module path first, and only then the built-in, through a searcher that
// comes after the path's; `require "moonwire.json"` (or "moonwire.test", any
// stdlib module) always names Moonwire's. package.path is never edited.
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

    /// Two searchers; package.path and package.cpath stay as Lua set them (from
    /// LUA_PATH* / LUA_CPATH*, as lua.c leaves them). Second, after
    /// package.preload: the project's folders (the script's, MOONWIRE_PATH),
    /// so its files win. Last, after the path searchers: the built-in modules
    /// and the stdlib's files by their short names (a name found nowhere adds
    /// nothing to require's message, which stays lua's), and `moonwire.NAME`.
    static let searcher = """
        local loaded, searchpath, loadfile, searchers = package.loaded, package.searchpath, loadfile, package.searchers
        local format = string.format
        local builtin = { json = true, llm = true }
        loaded.moonwire = loaded.moonwire or {}
        local function load(name, file)
          local chunk, err = loadfile(file)
          if not chunk then
            error(format("error loading module '%s' from file '%s':\\n\\t%s", name, file, err), 0)
          end
          return chunk, file
        end
        table.insert(searchers, 2, function(name)
          local where = loaded.moonwire.project_path
          if not where then return nil end
          local file, err = searchpath(name, where)
          if not file then return err end
          return load(name, file)
        end)
        searchers[#searchers + 1] = function(name)
          local short = name:match("^moonwire%.(.+)$")
          local key = short or name
          if builtin[key] then return function() return loaded["moonwire." .. key] end, ":built-in:" end
          local where = loaded.moonwire.stdlib_path
          if not where then return short and "no Moonwire stdlib found" or nil end
          local file, err = searchpath(key, where)
          if not file then return short and err or nil end
          return load(name, file)
        end
        """

    /// Where the last searcher finds the stdlib's modules (`require "pretty"`,
    /// `require "moonwire.pretty"`): `dir/?.lua;dir/?/init.lua`, after
    /// package.path, so a project's files shadow them.
    public static func setStdlib(_ lua: LuaState, _ dir: String) {
        setMoonwireField(lua, "stdlib_path", "\(dir)/?.lua;\(dir)/?/init.lua")
    }

    /// The project's module templates (`dir/?.lua;dir/?/init.lua`), searched
    /// after package.preload and before package.path; package.path itself is
    /// left as it is.
    public static func setProjectPath(_ lua: LuaState, _ templates: String) {
        guard !templates.isEmpty else { return }
        setMoonwireField(lua, "project_path", templates)
    }

    private static func setMoonwireField(_ lua: LuaState, _ field: String, _ value: String) {
        let stack = lua.stack
        lua.pushGlobal("package")
        stack.rawField(stack.absolute(-1), "loaded")
        stack.rawField(stack.absolute(-1), "moonwire")
        if stack.type(-1) == .table {
            stack.push(value)
            stack.setField(stack.absolute(-2), field)
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
}

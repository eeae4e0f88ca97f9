// ScriptHost: one Lua state set up for running user code: Moonwire's modules,
// the module search path, the `arg` table, and errors turned into ScriptFailure.
import CLua
import Foundation
import LuaBridge
import LLMTransport
import LuaLLM

/// A script ended with an error; `message` already carries the traceback.
struct ScriptFailure: Error {
    let message: String
}

final class ScriptHost {
    let lua: LuaState
    let runtime: LLMRuntime

    /// `ignoreEnvironment`: lua -E (package.path and cpath ignore LUA_PATH*, LUA_CPATH*).
    init(scriptPath: String?, runtime: LLMRuntime = LLMRuntime(), ignoreEnvironment: Bool = false) {
        lua = LuaState(ignoreEnvironment: ignoreEnvironment)
        self.runtime = runtime
        LuaLLMLibrary.open(lua, runtime: runtime)
        configureModulePath(scriptPath: scriptPath)
    }

    /// Sets `arg` as lua.c's createargtable does: arg[0] the script, arg[1...]
    /// its arguments, negative indices the interpreter and its options; with
    /// no script, arg[0] is the interpreter and the options follow (issue 11).
    func setArguments(script: String?, arguments: [[UInt8]]) {
        let stack = lua.stack
        stack.newTable(arrayCount: Int32(arguments.count), recordCount: 1)
        let t = stack.absolute(-1)
        let argv = CommandLine.arguments
        guard script != nil else {
            for (i, a) in argv.enumerated() {
                stack.push(a)
                stack.setIndex(t, Int64(i))
            }
            lua.setGlobal("arg")
            return
        }
        let scriptIndex = argv.count - arguments.count - (script == nil ? 0 : 1)
        for (i, a) in argv.prefix(scriptIndex).enumerated() {
            stack.push(a)
            stack.setIndex(t, Int64(i - scriptIndex))
        }
        if let script {
            stack.push(script)
            stack.setIndex(t, 0)
        }
        for (i, a) in arguments.enumerated() {
            stack.push(bytes: a)
            stack.setIndex(t, Int64(i + 1))
        }
        lua.setGlobal("arg")
    }

    /// LUA_INIT_5_4, else LUA_INIT, as lua.c runs it before the options:
    /// `@FILE` runs a file, anything else is a chunk.
    func runLuaInit(_ environment: [String: String]) throws {
        var name = "LUA_INIT_5_4"
        var value = environment[name]
        if value == nil {
            name = "LUA_INIT"
            value = environment[name]
        }
        guard let value else { return }
        if value.hasPrefix("@") {
            try check(lua.loadFile(String(value.dropFirst())))
        } else {
            try check(lua.load(value, chunkName: "=" + name))
        }
        try check(lua.callInMainFrame(nargs: 0, nresults: 0))
    }

    /// `-l mod` / `-l g=mod`: `global = require(module)`.
    func requireModule(_ module: String, as global: String? = nil) throws {
        let stack = lua.stack
        lua.pushGlobal("require")
        stack.push(module)
        try check(lua.callInMainFrame(nargs: 1, nresults: 1))
        lua.setGlobal(global ?? module)
    }

    /// `-W`: warnings on, as `warn("@on")`.
    func warningsOn() {
        guard let L = lua.pointer else { return }
        lua_warning(L, "@on", 0)
    }

    func runChunk(_ code: String) throws {
        try check(lua.load(code, chunkName: "=(command line)"))
        try check(lua.callInMainFrame(nargs: 0, nresults: 0))
        try finishTasks()
    }

    func runScript(path: String) throws {
        // As lua.c: a byte-order mark and a `#` line skipped, precompiled chunks
        // accepted (issue 11); a file that cannot be read is luaL_loadfile's
        // message ("cannot open x.lua: No such file or directory").
        try check(lua.loadFile(path == "-" ? nil : path))
        // As lua.c's pushargs: arg[1..#arg] as the global `arg` is now (a -e chunk may have changed it).
        let count: Int32
        switch lua.pushScriptArguments() {
        case .success(let n): count = n
        case .failure(let error):
            lua.pop()  // the loaded script
            throw ScriptFailure(message: error.message)
        }
        try check(lua.callInMainFrame(nargs: count, nresults: 0))
        try finishTasks()
    }

    /// A script is over when its tasks are: runs those still going to their
    /// end; a task that failed with nobody waiting for it fails the script.
    func finishTasks() throws {
        let failures: [String]
        do {
            failures = try runtime.finishTasks()
        } catch {
            throw ScriptFailure(message: "\(error)")
        }
        guard !failures.isEmpty else { return }
        let head = failures.count == 1 ? "a task failed and nobody waited for it" : "\(failures.count) tasks failed and nobody waited for them"
        throw ScriptFailure(message: head + "\n" + failures.joined(separator: "\n"))
    }

    /// `examples/chat.lua` → `examples/chat.cassette.json`.
    static func siblingCassette(of script: String) -> String {
        (script.hasSuffix(".lua") ? String(script.dropLast(4)) : script) + ".cassette.json"
    }

    /// `--stats`: every client's table, on stderr so stdout stays the script's.
    func printStats() {
        for client in runtime.clients {
            Moonwire.printError(StatsTable.text(client.stats, routes: client.routeGauges))
        }
    }

    /// Says on stderr what happened to the cassette (saves that failed, each
    /// different failure once; what was recorded). True when a save failed,
    /// which fails the run (ExitHooks.failing).
    @discardableResult
    func reportCassette(_ transport: CassetteTransport?) -> Bool {
        guard let transport else { return false }
        var said = Set<String>()
        for error in transport.saveErrors where said.insert("\(error)").inserted { Moonwire.printError("moonwire: \(error)") }
        if transport.session.recordedCount > 0 && transport.saveErrors.isEmpty {
            Moonwire.printError("moonwire: recorded \(transport.session.recordedCount) interaction(s) to \(transport.session.path)")
        }
        if !transport.saveErrors.isEmpty { ExitHooks.failing = true }
        return !transport.saveErrors.isEmpty
    }

    private func check(_ result: Result<Void, LuaScriptError>) throws {
        if case .failure(let error) = result { throw ScriptFailure(message: error.message) }
    }

    /// The folder part of a script's path ("." for none). Not NSString's
    /// deletingLastPathComponent, which traps on a one-character path ("x").
    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    private func configureModulePath(scriptPath: String?) {
        var templates: [String] = []
        func add(_ dir: String) {
            let d = dir.hasSuffix("/") ? String(dir.dropLast()) : dir
            templates.append("\(d)/?.lua")
            templates.append("\(d)/?/init.lua")
        }
        if let scriptPath, scriptPath != "-" {
            add(Self.folder(of: scriptPath))
        }
        if let extra = ProcessInfo.processInfo.environment["MOONWIRE_PATH"] {
            for dir in extra.split(separator: ":") where !dir.isEmpty { add(String(dir)) }
        }
        // Searched after package.preload, before package.path (which stays as
        // LUA_PATH set it, as in lua); the stdlib after every path searcher, so a
        // project's own json.lua or test.lua wins over Moonwire's (issue 11).
        LuaLLMLibrary.setProjectPath(lua, templates.joined(separator: ";"))
        if let stdlib = StdlibLocator.find() {
            LuaLLMLibrary.setStdlib(lua, stdlib.hasSuffix("/") ? String(stdlib.dropLast()) : stdlib)
        }
    }
}

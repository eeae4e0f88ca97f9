import Foundation
import Testing
import TestSupport

@Suite("moonwire run, end to end through the built binary")
struct RunCommandTests {
    let fixtures = Repository.root.appendingPathComponent("Tests/lua/fixtures")

    private func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }
    /// Messages name the program as invoked, argv[0] (lua.c's progname).
    private let progname = Repository.moonwireBinary.path

    @Test("the arg table and ... follow lua's rules")
    func argTable() throws {
        let script = fixture("args.lua")
        let r = try ProcessRunner.moonwire(["run", script, "a", "b c", "--flag"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "n=3 0=\(script) 1=a 2=b c 3=--flag varargs=3\n")
        let short = try ProcessRunner.moonwire([script, "x"])
        #expect(short.stdout == "n=1 0=\(script) 1=x varargs=1\n")
    }

    @Test("like lua.c 5.4: no hook installed while running, the collector generational (issue 11)")
    func noHookGenerationalGC() throws {
        let r = try ProcessRunner.moonwire(["-e", "print(debug.gethook(), collectgarbage('incremental'), collectgarbage('generational'))"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "nil\tgenerational\tincremental\n", "\(r.stdout)")
        let task = try ProcessRunner.moonwire(["-e", "print(llm.spawn(function() return debug.gethook() end):wait())"])
        #expect(task.stdout == "nil\n", "a task runs with no hook either: \(task.stdout) \(task.stderr)")
    }

    @Test("the script loads as lua.c loads it: a byte-order mark, a #! line and precompiled chunks (issue 11)")
    func scriptLoader() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("moonwire-load-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let bom = dir.appendingPathComponent("bom.lua")
        try Data([0xEF, 0xBB, 0xBF] + Array("#!/usr/bin/env moonwire\nprint('bom', ...)\n".utf8)).write(to: bom)
        let r = try ProcessRunner.moonwire([bom.path, "x"])
        #expect(r.stdout == "bom\tx\n", "\(r.stdout) \(r.stderr)")
        let compiled = dir.appendingPathComponent("c.luac").path
        _ = try ProcessRunner.moonwire(["-e", "io.open('\(compiled)', 'wb'):write(string.dump(load('print(6 * 7)')))"])
        let c = try ProcessRunner.moonwire([compiled])
        #expect(c.status == 0 && c.stdout == "42\n", "\(c.stdout) \(c.stderr)")
    }

    @Test("out of memory is lua's catchable 'not enough memory' wherever no Swift frame would be skipped; --memory-limit bounds the heap (issue 11)")
    func outOfMemory() throws {
        let r = try ProcessRunner.moonwire(["run", "--memory-limit", "8M", fixture("out_of_memory.lua")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == """
            pcall\tfalse\tnot enough memory
            loop\tfalse\tnot enough memory
            coroutine\tfalse\tnot enough memory
            task\tfalse\tnot enough memory
            uncaught in a task\tnot enough memory
            callback\tfalse\tnot enough memory
            map\tnot enough memory
            swift\ttrue\tstring\ttrue
            after swift\tfalse\tnot enough memory
            recovered\t1000

            """, "\(r.stdout)")
        // The machine's own limit, as lua meets it: no abort, no crash dump.
        // (Not under AddressSanitizer: its shadow memory cannot be mapped within a ulimit -v.)
        if ProcessInfo.processInfo.environment["MOONWIRE_SANITIZER"] == nil {
            let sh = URL(fileURLWithPath: "/bin/sh")
            let script = #"ulimit -v 1500000 && exec "$0" -e 'print(pcall(string.rep, "x", 2^30 * 1.5))'"#
            let machine = try ProcessRunner.run(sh, ["-c", script, Repository.moonwireBinary.path])
            #expect(machine.status == 0 && machine.stdout == "false\tnot enough memory\n", "\(machine.stdout) \(machine.stderr)")
        }
        let uncaught = try ProcessRunner.moonwire(["-e", "string.rep('x', 1e8)"], environment: ["MOONWIRE_MEMORY_LIMIT": "4M"])
        #expect(uncaught.status == 1 && uncaught.stderr.hasPrefix("\(progname): not enough memory"), "\(uncaught.stderr)")
        let small = try ProcessRunner.moonwire(["run", "--memory-limit", "12", "-e", "print(1)"])
        #expect(small.status == 64 && small.stderr.contains("--memory-limit: '12' is out of range (64k to 1P)"), "\(small.stderr)")
        let garbled = try ProcessRunner.moonwire(["-e", "print(1)"], environment: ["MOONWIRE_MEMORY_LIMIT": "lots"])
        #expect(garbled.status == 1 && garbled.stderr.contains("MOONWIRE_MEMORY_LIMIT: expected a size such as 512M"), "\(garbled.stderr)")
    }

    @Test("finalizers run after the uncaught error's message is printed, as lua.c closes the state after reporting (issue 11)")
    func finalizersAfterTheMessage() throws {
        let r = try ProcessRunner.moonwire(["-e", "x = setmetatable({}, { __gc = function() io.stderr:write('finalized\\n') end }); error('boom', 0)"])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("\(progname): boom\n") && r.stderr.hasSuffix("finalized\n"), "\(r.stderr.debugDescription)")
    }

    @Test("an uncaught error object with __tostring prints its string and no traceback, as lua does (issue 11)")
    func tostringErrorObject() throws {
        let r = try ProcessRunner.moonwire(["-e", "error(setmetatable({}, { __tostring = function() return 'custom failure' end }))"])
        #expect(r.status == 1)
        #expect(r.stderr == "\(progname): custom failure\n", "\(r.stderr.debugDescription)")
    }

    @Test("a project's own json.lua and test.lua win over the built-ins; moonwire.NAME always names Moonwire's; the json global stays (issue 11)")
    func projectModulesWin() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("moonwire-mods-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try "return { name = 'rxi json' }".write(to: dir.appendingPathComponent("json.lua"), atomically: true, encoding: .utf8)
        try "return { name = 'my test' }".write(to: dir.appendingPathComponent("test.lua"), atomically: true, encoding: .utf8)
        let script = dir.appendingPathComponent("main.lua")
        try """
            print(require("json").name, require("test").name, type(require("moonwire.json").encode),
                  type(require("moonwire.test").run_file), json.encode({1}), require("llm") == llm, require("moonwire.pretty") ~= nil)
            """.write(to: script, atomically: true, encoding: .utf8)
        let r = try ProcessRunner.moonwire([script.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "rxi json\tmy test\tfunction\tfunction\t[1]\ttrue\ttrue\n", "\(r.stdout)")
    }

    @Test("with no script, arg is lua.c's: arg[0] the interpreter and the options after it; piped stdin too (issue 11)")
    func argWithoutScript() throws {
        let r = try ProcessRunner.moonwire(["-e", "print(#arg, arg[1], arg[2])"])
        #expect(r.stdout == "2\t-e\tprint(#arg, arg[1], arg[2])\n", "\(r.stdout) \(r.stderr)")
        let bin = try ProcessRunner.moonwire(["-e", "print(arg[0] == arg[-1] or arg[0]:match('moonwire$') ~= nil)"])
        #expect(bin.stdout == "true\n", "\(bin.stdout) \(bin.stderr)")
        let piped = try ProcessRunner.moonwire([], stdin: "print(#arg, arg[0]:match('moonwire$') ~= nil)")
        #expect(piped.stdout == "0\ttrue\n", "\(piped.stdout) \(piped.stderr)")
    }

    @Test("LUA_INIT_5_4, else LUA_INIT, runs before the options (@FILE or a chunk); -E ignores them (issue 11)")
    func luaInit() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("moonwire-init-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("init.lua")
        try "greeting = 'from a file'".write(to: file, atomically: true, encoding: .utf8)
        let chunk = try ProcessRunner.moonwire(["-e", "print(greeting)"], environment: ["LUA_INIT": "greeting = 'from LUA_INIT'"])
        #expect(chunk.stdout == "from LUA_INIT\n", "\(chunk.stdout) \(chunk.stderr)")
        let versioned = try ProcessRunner.moonwire(["-e", "print(greeting)"], environment: ["LUA_INIT": "greeting = 1", "LUA_INIT_5_4": "@" + file.path])
        #expect(versioned.stdout == "from a file\n", "\(versioned.stdout) \(versioned.stderr)")
        let ignored = try ProcessRunner.moonwire(["-E", "-e", "print(greeting)"], environment: ["LUA_INIT": "greeting = 'no'"])
        #expect(ignored.stdout == "nil\n", "\(ignored.stdout) \(ignored.stderr)")
        let broken = try ProcessRunner.moonwire(["-e", "print(1)"], environment: ["LUA_INIT": "error('init broke')"])
        #expect(broken.status == 1 && broken.stderr.contains("init broke"), "\(broken.stderr)")
    }

    @Test("lua.c's command line: joined values, -l g=mod, options in order, --, -v, -W, and lua's message for a bad option (issue 11)")
    func luaCommandLine() throws {
        let joined = try ProcessRunner.moonwire(["-ex=1", "-lpretty", "-e", "print(x, type(pretty.format))"])
        #expect(joined.stdout == "1\tfunction\n", "\(joined.stdout) \(joined.stderr)")
        let ordered = try ProcessRunner.moonwire(["-e", "print(type(p))", "-l", "p=pretty", "-e", "print(type(p))"])
        #expect(ordered.stdout == "nil\ntable\n", "in order, not every -l first: \(ordered.stdout) \(ordered.stderr)")
        let bad = try ProcessRunner.moonwire(["-x"])
        #expect(bad.status == 1)
        #expect(bad.stderr.hasPrefix("\(progname): unrecognized option '-x'\nusage: \(progname) [options] [script [args]]"), "\(bad.stderr)")
        let missing = try ProcessRunner.moonwire(["-e"])
        #expect(missing.stderr.hasPrefix("\(progname): '-e' needs argument"), "\(missing.stderr)")
        let version = try ProcessRunner.moonwire(["-v"])
        #expect(version.status == 0 && version.stdout.hasPrefix("Lua 5.4"), "\(version.stdout)")
        let warn = try ProcessRunner.moonwire(["-W", "-e", "warn('careful')"])
        #expect(warn.stderr.contains("Lua warning: careful"), "\(warn.stderr)")
        let dashdash = try ProcessRunner.moonwire(["--", fixture("args.lua"), "a"])
        #expect(dashdash.stdout.hasPrefix("n=1"), "\(dashdash.stdout) \(dashdash.stderr)")
        let runStill = try ProcessRunner.moonwire(["run", "-e", "print('run keeps its parser')"])
        #expect(runStill.stdout == "run keeps its parser\n")
    }

    @Test("- reads the script from standard input")
    func stdinScript() throws {
        let r = try ProcessRunner.moonwire(["-", "one"], stdin: "print('from stdin', ...)")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "from stdin\tone\n")
    }

    @Test("-e runs a chunk and -l requires a module")
    func executeAndLibrary() throws {
        let r = try ProcessRunner.moonwire(["-l", "pretty", "-e", "print(pretty.format({1,2}))"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "{ 1, 2 }\n")
    }

    @Test("require finds the script's folder, the stdlib and MOONWIRE_PATH")
    func requirePaths() throws {
        let r = try ProcessRunner.moonwire(["run", fixture("uses_module.lua")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "hello moon\t{ 1, 2, x = true }\n")
        let viaEnv = try ProcessRunner.moonwire(
            ["-e", "print(require('helper').greet('env'))"],
            environment: ["MOONWIRE_PATH": fixtures.appendingPathComponent("mods").path])
        #expect(viaEnv.stdout == "hello env\n", "\(viaEnv.stderr)")
    }

    @Test("an uncaught error prints file:line, a traceback, and exits 1")
    func runtimeError() throws {
        let script = fixture("fails.lua")
        let r = try ProcessRunner.moonwire(["run", script])
        #expect(r.status == 1)
        #expect(r.stdout == "before the error\n")
        #expect(r.stderr.hasPrefix("\(progname): \(script):2: something went wrong\nstack traceback:"))
        #expect(r.stderr.contains("in local 'inner'") || r.stderr.contains("in function 'inner'"))
    }

    @Test("a syntax error names the file and line")
    func syntaxError() throws {
        let script = fixture("syntax_error.lua")
        let r = try ProcessRunner.moonwire(["run", script])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("\(progname): \(script):2:"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test("an error inside a required module names the module file")
    func errorInModule() throws {
        let r = try ProcessRunner.moonwire(["run", fixture("requires_broken.lua")])
        #expect(r.status == 1)
        #expect(r.stderr.contains("mods/broken.lua:2: broken module failed to load"), "\(r.stderr)")
    }

    @Test("a missing script is lua's error (luaL_loadfile's message), exit 1")
    func missingScript() throws {
        let r = try ProcessRunner.moonwire(["run", "no/such/script.lua"])
        #expect(r.status == 1)
        #expect(r.stderr == "\(progname): cannot open no/such/script.lua: No such file or directory\n", "\(r.stderr)")
    }

    @Test("usage errors exit 64 with a hint; --version prints the version")
    func usage() throws {
        let bad = try ProcessRunner.moonwire(["run", "--no-such-flag"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("Usage:") || bad.stderr.contains("--help"), "\(bad.stderr)")
        let version = try ProcessRunner.moonwire(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
    }

    @Test("a non-UTF-8 argument reaches the script byte for byte")
    func nonUTF8Argument() throws {
        let script = "local a = ...; io.write(#a, ' ', a:byte(1), ' ', a:byte(2))"
        // Build argv through a shell so the bytes are not repaired on the way.
        let r = try ProcessRunner.run(
            URL(fileURLWithPath: "/bin/sh"),
            ["-c", "exec \"$0\" -e '' - \"$(printf '\\377\\376')\"", Repository.moonwireBinary.path],
            stdin: Data(script.utf8))
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "2 255 254")
    }

    @Test("the offline demo runs")
    func helloExample() throws {
        let r = try ProcessRunner.moonwire(["run", Repository.root.appendingPathComponent("examples/hello.lua").path, "Ada"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("Hello, Ada!"))
        #expect(r.stdout.contains("max_tokens is an\tinteger\tand temperature a\tfloat"))
    }
}

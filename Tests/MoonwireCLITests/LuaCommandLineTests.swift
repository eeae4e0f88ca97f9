// The lua.c-like command line (`moonwire [options] [script [args]]`) side by
// side with Debian's lua5.4 (5.4.4), the specification: the same arguments and
// environment through both binaries give the same output and exit status, the
// program's name in messages being each one's argv[0] (lua.c's progname).
import Foundation
import Testing
import TestSupport

private let lua54 = URL(fileURLWithPath: "/usr/bin/lua5.4")
private let haveLua = FileManager.default.isExecutableFile(atPath: lua54.path)

@Suite("the lua.c command line, side by side with lua5.4", .enabled(if: haveLua, "needs /usr/bin/lua5.4 (scripts/setup installs it)"))
struct LuaCommandLineTests {
    /// Both binaries run as `NAME` (bash's exec -a), so their messages name the same program.
    private func both(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:],
                      name: String = "lua", in folder: URL? = nil) throws -> (lua: ProcessResult, moonwire: ProcessResult) {
        func run(_ binary: URL) throws -> ProcessResult {
            try ProcessRunner.run(URL(fileURLWithPath: "/bin/bash"), ["-c", "exec -a \"$0\" \"$@\"", name, binary.path] + arguments,
                                  stdin: stdin.map { Data($0.utf8) }, environment: environment, currentDirectory: folder)
        }
        return (try run(lua54), try run(Repository.moonwireBinary))
    }

    private func expectSame(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:], in folder: URL? = nil,
                            sourceLocation: SourceLocation = #_sourceLocation) throws {
        let (l, m) = try both(arguments, stdin: stdin, environment: environment, in: folder)
        #expect(m.stdout == l.stdout, "stdout: \(m.stdout.debugDescription) against lua5.4's \(l.stdout.debugDescription)", sourceLocation: sourceLocation)
        #expect(m.stderr == l.stderr, "stderr: \(m.stderr.debugDescription) against lua5.4's \(l.stderr.debugDescription)", sourceLocation: sourceLocation)
        #expect(m.status == l.status, "status \(m.status) against lua5.4's \(l.status)", sourceLocation: sourceLocation)
    }

    /// lua5.4's readline echoes piped input after each prompt; Moonwire's
    /// piped reader does not, and (already before) ends without lua's last newline.
    private func withoutEcho(_ output: String, _ input: [String]) -> String {
        var text = output
        var from = text.startIndex
        for line in input {
            guard let r = text.range(of: line + "\n", range: from..<text.endIndex) else { continue }
            text.removeSubrange(r)
            from = r.lowerBound
        }
        return text.hasSuffix("\n") ? String(text.dropLast()) : text
    }

    @Test("LUA_PATH_5_4, else LUA_PATH, and LUA_CPATH(_5_4) set package.path and cpath exactly (;; is the default); built-ins still load")
    func luaPathTakenAsItIs() throws {
        let show = ["-e", "print(package.path) print(package.cpath)"]
        try expectSame(show, environment: ["LUA_PATH": "x", "LUA_CPATH": "xuxu"])
        try expectSame(show, environment: ["LUA_PATH": "x", "LUA_PATH_5_4": "y", "LUA_CPATH": "a", "LUA_CPATH_5_4": "b"])
        try expectSame(show, environment: ["LUA_PATH": "first;;last"])
        try expectSame(show)
        // A script in another folder: its folder is not added to package.path either.
        let script = try TemporaryFiles.script("print(package.path)", prefix: "luapath")
        try expectSame([script.path])
        try expectSame([script.path], environment: ["LUA_PATH": "x"])
        // Moonwire's modules come from a searcher after the path searchers.
        let mods = try ProcessRunner.moonwire(
            ["-e", "print(package.path, type(require('json').encode), type(require('pretty').format), type(require('moonwire.test').run_file), require('llm') == llm)"],
            environment: ["LUA_PATH": "x"])
        #expect(mods.status == 0 && mods.stdout == "x\tfunction\tfunction\tfunction\ttrue\n", "\(mods.stdout) \(mods.stderr)")
        // A project's json.lua on LUA_PATH still wins over the built-in.
        let dir = script.deletingLastPathComponent()
        try "return { name = 'rxi json' }".write(to: dir.appendingPathComponent("json.lua"), atomically: true, encoding: .utf8)
        let own = try ProcessRunner.moonwire(["-e", "print(require('json').name)"], environment: ["LUA_PATH": dir.path + "/?.lua"])
        #expect(own.stdout == "rxi json\n", "\(own.stdout) \(own.stderr)")
        // A module found nowhere: require's message is lua's, line for line.
        try expectSame(["-e", "require 'no_such_module_anywhere'"], environment: ["LUA_PATH": "x/?.lua", "LUA_CPATH": "y/?.so"])
    }

    @Test("-E ignores LUA_PATH, LUA_CPATH and LUA_INIT (package.path and cpath are the defaults)")
    func ignoreEnvironment() throws {
        let env = ["LUA_PATH": "x", "LUA_PATH_5_4": "y", "LUA_CPATH": "z", "LUA_CPATH_5_4": "w", "LUA_INIT": "print('init ran')"]
        try expectSame(["-E", "-e", "print(package.path) print(package.cpath)"], environment: env)
        try expectSame(["-e", "print(package.path) print(package.cpath)"], environment: env)
    }

    @Test("the script's arguments are the global arg as -e chunks left it (lua.c's pushargs)")
    func argumentsFromArgTable() throws {
        let script = try TemporaryFiles.script("print(select('#', ...), ...) print(#arg, arg[0], arg[1])", prefix: "pushargs")
        try expectSame(["-e", "arg={'x'}", script.path, "a", "b"])
        try expectSame(["-e", "arg[1] = 'changed'; arg[3] = 'added'", script.path, "a", "b"])
        try expectSame(["-e", "arg = setmetatable({'p', 'q', 'r'}, { __len = function() return 2 end })", script.path])
        try expectSame([script.path, "a", "b c"])
    }

    @Test("an arg that is not a table is lua.c's \"'arg' is not a table\", exit 1")
    func argNotATable() throws {
        let script = try TemporaryFiles.script("print('ran')", prefix: "argtype")
        try expectSame(["-e", "arg=1", script.path])
        try expectSame(["-e", "arg=nil", script.path, "x"])
        let (_, m) = try both(["-e", "arg=1", script.path])
        #expect(m.stderr == "lua: 'arg' is not a table\n" && m.status == 1, "\(m.stderr)")
    }

    @Test("-i with print=nil: \"error calling 'print' (attempt to call a nil value)\", as lua.c's l_print")
    func printNil() throws {
        let (l, m) = try both(["-i"], stdin: "print=nil\n1+1\nprint=42\n'x'\n")
        #expect(m.stderr == l.stderr, "\(m.stderr.debugDescription) against \(l.stderr.debugDescription)")
        #expect(m.stderr == "error calling 'print' (attempt to call a nil value)\nerror calling 'print' (attempt to call a number value)\n")
        #expect(m.status == 0 && l.status == 0)
    }

    @Test("_PROMPT and _PROMPT2 go through luaL_tolstring (__tostring, numbers, booleans); a failing __tostring ends the REPL, exit 1")
    func promptThroughToString() throws {
        let input = [
            "_PROMPT=setmetatable({},{__tostring=function() return 'P> ' end})", "_PROMPT2=true", "x=(", "1)",
            "_PROMPT=12.5", "_PROMPT=7", "print(x)",
        ]
        let (l, m) = try both(["-i"], stdin: input.joined(separator: "\n") + "\n")
        #expect(m.stdout == withoutEcho(l.stdout, input), "\(m.stdout.debugDescription) against \(l.stdout.debugDescription)")
        #expect(m.stdout.contains("P> P> trueP> 12.57"), "\(m.stdout.debugDescription)")
        #expect(m.stderr == l.stderr && m.status == l.status, "\(m.stderr) against \(l.stderr)")
        let failing = ["_PROMPT=setmetatable({},{__tostring=function() error('bad prompt') end})", "print('never')"]
        let (fl, fm) = try both(["-i"], stdin: failing.joined(separator: "\n") + "\n")
        #expect(fm.stderr == fl.stderr && fm.stderr == "stdin:1: bad prompt\n", "\(fm.stderr) against \(fl.stderr)")
        #expect(fm.status == 1 && fl.status == 1)
        #expect(fm.stdout == withoutEcho(fl.stdout, failing), "\(fm.stdout.debugDescription) against \(fl.stdout.debugDescription)")
    }

    @Test("messages name argv[0] (lua.c's progname, 'moonwire' when empty); tracebacks end with [C]: in ? as lua's")
    func programNameAndTraceback() throws {
        let dir = try TemporaryFiles.directory("progname")
        let boom = dir.appendingPathComponent("boom.lua")
        try "local function inner() error('boom') end\ninner()\n".write(to: boom, atomically: true, encoding: .utf8)
        let trace = dir.appendingPathComponent("trace.lua")
        try "print(debug.traceback('here'))".write(to: trace, atomically: true, encoding: .utf8)
        let syntax = dir.appendingPathComponent("syntax.lua")
        try "x = = 1".write(to: syntax, atomically: true, encoding: .utf8)
        try expectSame([boom.path])
        try expectSame([trace.path])
        try expectSame([syntax.path])
        try expectSame(["-e", "error('in a chunk')"])
        try expectSame(["-e", "error(setmetatable({}, {__tostring = function() return 'custom' end}))"])
        try expectSame(["-e", "error({})"])
        try expectSame(["-l", "no_such_module_anywhere"], environment: ["LUA_PATH": "x/?.lua", "LUA_CPATH": "y/?.so"])
        try expectSame(["-e", "print(1)"], environment: ["LUA_INIT": "error('init broke')"])
        try expectSame(["-"], stdin: "error('from stdin')")
        // A script that cannot be read: luaL_loadfile's message; a one-letter name works.
        try expectSame([dir.appendingPathComponent("missing.lua").path])
        try expectSame([dir.path])
        try expectSame(["x"], environment: [:])
        // The REPL's errors too (no program name there, as lua.c's doREPL).
        let (l, m) = try both(["-i"], stdin: "error('x')\nlocal t = nil; t.x = 1\n")
        #expect(m.stderr == l.stderr, "\(m.stderr.debugDescription) against \(l.stderr.debugDescription)")
        #expect(m.stderr.hasSuffix("\n\t[C]: in ?\n"))
        let (nl, nm) = try both(["-e", "error('named')"], name: "my-interpreter")
        #expect(nm.stderr == nl.stderr && nm.stderr.hasPrefix("my-interpreter: (command line):1: named\n"), "\(nm.stderr)")
        let (_, empty) = try both(["-e", "error('anonymous', 0)"], name: "")
        #expect(empty.stderr.hasPrefix("moonwire: anonymous\nstack traceback:\n"), "\(empty.stderr)")
    }

    @Test("-v prints lua5.4 -v's line (the linked liblua's LUA_COPYRIGHT) and nothing of Moonwire's; --version keeps Moonwire's")
    func version() throws {
        try expectSame(["-v"])
        try expectSame(["-v", "-e", "print(1)"])
        let (l, m) = try both(["-i"], stdin: "")
        #expect(m.stdout.hasPrefix(l.stdout.split(separator: "\n").first.map { $0 + "\n" } ?? "?"), "\(m.stdout)")
        #expect(!m.stdout.contains("moonwire"))
        let own = try ProcessRunner.moonwire(["--version"])
        #expect(own.status == 0 && own.stdout.split(separator: ".").count == 3, "\(own.stdout)")
    }

    @Test("-h, ---, --bogus and any unknown option: lua.c's message and usage text on stderr, exit 1; --help and run's long options keep their parser")
    func unknownOptions() throws {
        for bad in [["-h"], ["---"], ["--bogus"], ["-x"], ["-vx"], ["-e"], ["-l"], ["-e", "-i"], ["-i", "-h", "script.lua"]] {
            try expectSame(bad)
        }
        let (_, m) = try both(["-h"])
        #expect(m.stderr.hasPrefix("lua: unrecognized option '-h'\nusage: lua [options] [script [args]]\nAvailable options are:\n"), "\(m.stderr)")
        #expect(m.stdout.isEmpty && m.status == 1)
        let help = try ProcessRunner.moonwire(["--help"])
        #expect(help.status == 0 && help.stdout.contains("SUBCOMMANDS"), "\(help.stdout) \(help.stderr)")
        let runHelp = try ProcessRunner.moonwire(["run", "--help"])
        #expect(runHelp.status == 0 && runHelp.stdout.contains("--memory-limit"), "\(runHelp.stdout)")
        let runOption = try ProcessRunner.moonwire(["--quiet", "-e", "print('run parses it')"])
        #expect(runOption.status == 0 && runOption.stdout == "run parses it\n", "\(runOption.stdout) \(runOption.stderr)")
        let joined = try ProcessRunner.moonwire(["--memory-limit=64M", "-e", "print('joined value')"])
        #expect(joined.status == 0 && joined.stdout == "joined value\n", "\(joined.stdout) \(joined.stderr)")
    }
}

// `moonwire [options] [script [args]]` read exactly as lua.c reads its command
// line (collectargs and runargs in lua.c 5.4), in order: -e stat, -l mod,
// -l g=mod, -i, -v, -E, -W, -- and -, values joined or separate (-e"print(1)",
// -lmod), with lua.c's messages for a bad option (issue 11): `-h`, `---` or any
// option lua does not know prints lua's usage text and exits 1. A general
// argument parser does not fit this small grammar; the subcommands (run,
// repl, test, cassette, serve, logs), --help, --version and `moonwire run`'s
// long options (`moonwire --replay x.json`) keep theirs.
import ArgumentParser
import CShims

struct LuaCommandLine: Equatable {
    enum Step: Equatable {
        case execute(String)
        /// `-l mod` (global `mod`) or `-l g=mod` (global `g`).
        case require(global: String, module: String)
        case warningsOn
    }

    var steps: [Step] = []
    var interactive = false
    var showVersion = false
    var ignoreEnvironment = false
    /// The script's index in argv ("-" is standard input), nil for none.
    var scriptIndex: Int?
    /// The script is "-" after "--": a file named "-", not standard input.
    var dashIsFile = false

    struct UsageError: Error, Equatable {
        let message: String
    }

    /// Whether lua.c's grammar reads this command line: not a subcommand,
    /// not `--help`/`--version`, not one of `moonwire run`'s long options.
    static func applies(to argv: [String]) -> Bool {
        guard argv.count > 1 else { return true }
        let first = argv[1]
        if ["run", "repl", "test", "cassette", "serve", "logs", "help", "--help", "--version"].contains(first) { return false }
        if first.hasPrefix("--") && first != "--" {
            let name = first.split(separator: "=", maxSplits: 1).first.map(String.init) ?? first
            return !runLongOptions.contains(name)
        }
        return true
    }

    /// `moonwire run`'s long options, as its help names them.
    static var runLongOptions: Set<String> {
        let help = Run.helpMessage(includeHidden: true, columns: 1000)
        return Set(help.matches(of: /--[a-z][a-z0-9-]*/).map { String($0.output) })
    }

    /// lua.c's progname: argv[0] as the program was invoked (the bytes the
    /// shell passed), "moonwire" when it is empty.
    static var programName: String {
        guard CommandLine.argc > 0, let p = CommandLine.unsafeArgv[0], p.pointee != 0 else { return "moonwire" }
        return String(cString: p)
    }

    /// lua -v's line: LUA_COPYRIGHT of the liblua actually linked.
    static var versionLine: String {
        var buffer = [CChar](repeating: 0, count: 256)
        let n = mw_linked_copyright(&buffer, buffer.count)
        return n > 0 ? String(cString: buffer) : String(cString: mw_lua_copyright())
    }

    static func parse(_ argv: [String]) throws(UsageError) -> LuaCommandLine {
        var line = LuaCommandLine()
        var i = 1
        options: while i < argv.count {
            let a = Array(argv[i].utf8)
            guard a.first == UInt8(ascii: "-") else { break options }  // the script
            let rest = String(decoding: a.dropFirst(2), as: UTF8.self)
            switch a.count > 1 ? a[1] : 0 {
            case 0:  // "-": standard input is the script
                break options
            case UInt8(ascii: "-"):
                guard a.count == 2 else { throw usage("unrecognized option '\(argv[i])'") }
                i += 1
                if i < argv.count, argv[i] == "-" { line.dashIsFile = true }
                break options
            case UInt8(ascii: "E"), UInt8(ascii: "W"), UInt8(ascii: "i"), UInt8(ascii: "v"):
                guard a.count == 2 else { throw usage("unrecognized option '\(argv[i])'") }
                switch a[1] {
                case UInt8(ascii: "E"): line.ignoreEnvironment = true
                case UInt8(ascii: "W"): line.steps.append(.warningsOn)
                case UInt8(ascii: "i"): line.interactive = true; line.showVersion = true
                default: line.showVersion = true
                }
            case UInt8(ascii: "e"), UInt8(ascii: "l"):
                let option = a[1] == UInt8(ascii: "e") ? "-e" : "-l"
                var value = rest
                if a.count == 2 {
                    i += 1
                    guard i < argv.count, !argv[i].hasPrefix("-") else { throw usage("'\(option)' needs argument") }
                    value = argv[i]
                }
                if option == "-e" {
                    line.steps.append(.execute(value))
                } else if let eq = value.firstIndex(of: "=") {
                    line.steps.append(.require(global: String(value[..<eq]), module: String(value[value.index(after: eq)...])))
                } else {
                    line.steps.append(.require(global: value, module: value))
                }
            default:
                throw usage("unrecognized option '\(argv[i])'")
            }
            i += 1
        }
        line.scriptIndex = i < argv.count ? i : nil
        return line
    }

    /// lua.c's print_usage, word for word, with argv[0] as its progname.
    static func usage(_ problem: String) -> UsageError {
        UsageError(message: """
            \(programName): \(problem)
            usage: \(programName) [options] [script [args]]
            Available options are:
              -e stat   execute string 'stat'
              -i        enter interactive mode after executing 'script'
              -l mod    require library 'mod' into global 'mod'
              -l g=mod  require library 'mod' into global 'g'
              -v        show version information
              -E        ignore environment variables
              -W        turn warnings on
              --        stop handling options
              -         stop handling options and execute stdin
            """)
    }
}

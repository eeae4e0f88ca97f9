// `moonwire test`: finds `*_test.lua` files and runs each in a fresh Lua state
// through the stdlib `test` module, which prints one line per test. This file
// finds the files, adds up the counts, prints the last line and sets the exit code.
import ArgumentParser
import Foundation
import LLMCore
import LLMTransport
import LuaLLM
import LuaBridge

struct Test: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run *_test.lua files (describe, it, expect; see stdlib/test.lua).",
        discussion: """
            Each file runs in a fresh Lua state. The last line is "N passed, N failed"
            (and ", N skipped"); the exit code is 1 when any test or file failed, or when no
            test file was found. Tests are offline: a call without a cassette fails the test
            and says how to record one, unless --live is given. --record records what the
            tests' cassettes are missing (VCR mode "new"); --record-mode all re-records them.
            MOONWIRE_CASSETTE and MOONWIRE_RECORD_MODE work as for `moonwire run`.
            """
    )

    @Option(help: ArgumentHelp("Run only tests whose name ('describe › it') contains TEXT or matches it as a Lua pattern.", valueName: "TEXT"))
    var filter: String?

    @Flag(help: "Calls without a cassette go to the network (with the keys in the environment).")
    var live = false

    @Flag(help: "Record what each test's cassette is missing (mode \"new\"); calls without a cassette stay offline (unless --live).")
    var record = false

    @Option(help: ArgumentHelp("Cassette mode for the tests: none (default), once, new, all (re-record everything).", valueName: "MODE"))
    var recordMode: String?

    @OptionGroup
    var memory: MemoryLimitOption

    @Argument(help: ArgumentHelp("Test files, or folders searched recursively for *_test.lua (default: .).", valueName: "PATHS"))
    var paths: [String] = []

    func validate() throws {
        for path in paths where !FileManager.default.fileExists(atPath: path) {
            throw ValidationError("no such file or folder: \(path)")
        }
        if let recordMode, CassetteMode(rawValue: recordMode) == nil {
            throw ValidationError("--record-mode must be none, once, new or all, got '\(recordMode)'")
        }
    }

    /// The cassette mode tests use: --record-mode, --record (new), MOONWIRE_RECORD_MODE, else none.
    private func mode(_ env: [String: String]) -> CassetteMode {
        if let recordMode, let m = CassetteMode(rawValue: recordMode) { return m }
        if record { return .new }
        return env["MOONWIRE_RECORD_MODE"].flatMap { CassetteMode(rawValue: $0) } ?? .none
    }

    /// Each file's Lua heap bound, read once in run().
    private var memoryLimit: Int?

    mutating func run() throws {
        memoryLimit = try memory.resolve(ProcessInfo.processInfo.environment)
        let files = TestFileFinder.files(in: paths.isEmpty ? ["."] : paths)
        guard !files.isEmpty else {
            print("no tests found (files named *_test.lua under \(paths.isEmpty ? "." : paths.joined(separator: ", ")))")
            throw ExitCode(1)
        }
        var totals = TestCounts()
        for file in files {
            totals.add(runFile(file))
        }
        print(totals.summary)
        if totals.failed > 0 { throw ExitCode(1) }
    }

    /// The `test` module loads and runs the file so that load errors, top-level
    /// errors and test failures are all reported the same way, in Lua.
    private func runFile(_ path: String) -> TestCounts {
        // Tests replay by default (mode "none" unless MOONWIRE_RECORD_MODE says
        // otherwise), so CI never reaches the network: `it(name, {cassette = ...}, fn)`
        // and llm.use_cassette(path) select a cassette per test.
        let env = ProcessInfo.processInfo.environment
        let runtime = LLMRuntime(configuration: LLMConfiguration(environment: env))
        let defaultMode = mode(env)
        // Offline unless asked: a call with no cassette fails and says how to record one.
        let network = runtime.transport
        // A record mode applies to the tests' cassettes; only --live sends the rest to the network.
        let outside: any HTTPTransport = live ? network : OfflineTransport(loop: network.loop)
        // Where a test without a cassette of its own goes.
        var uncassetted = outside
        // MOONWIRE_CASSETTE: one cassette for every test that names none.
        if let shared = env["MOONWIRE_CASSETTE"], !shared.isEmpty {
            do {
                uncassetted = try CassetteSetup.transport(path: shared, mode: defaultMode, speed: 0, faults: nil, environment: env,
                                                   configuration: runtime.configuration)
            } catch {
                print("✘ \(path)\n    MOONWIRE_CASSETTE: \((error as? ScriptFailure)?.message ?? "\(error)")")
                return TestCounts(failed: 1)
            }
        }
        runtime.transport = uncassetted
        runtime.useCassette = { [unowned runtime] cassette, modeName in  // the runtime holds this closure
            guard let cassette else {
                runtime.transport = uncassetted
                return
            }
            var mode = defaultMode
            if let modeName {
                guard let m = CassetteMode(rawValue: modeName) else {
                    throw LLMError(.config, "unknown cassette mode '\(modeName)' (none, once, new, all)")
                }
                mode = m
            }
            do {
                runtime.transport = try CassetteSetup.transport(
                    path: cassette, mode: mode, speed: 0, faults: nil, environment: env, configuration: runtime.configuration)
            } catch let failure as ScriptFailure {
                throw LLMError(.config, failure.message)
            }
        }
        // Off under tests unless MOONWIRE_LOG=on; llm.logs still reads the log.
        do {
            try CallLogging.install(CallLogOptions.parse([]), on: runtime, environment: env, script: path, arguments: [], offByDefault: true)
        } catch {
            print("✘ \(path)\n    \(error)")
            return TestCounts(failed: 1)
        }
        let host = ScriptHost(scriptPath: path, runtime: runtime)
        let lua = host.lua
        lua.memoryLimit = memoryLimit
        let driver = "local path, filter = ...; return require('moonwire.test').run_file(path, { filter = filter })"
        let base = lua.top
        defer { lua.settop(base) }
        var result = lua.load(driver, chunkName: "=(moonwire test)")
        if case .success = result {
            lua.stack.push(path)
            if let filter { lua.stack.push(filter) } else { lua.stack.pushNil() }
            result = lua.call(nargs: 2, nresults: 3)
        }
        let stack = lua.stack
        switch result {
        case .success:
            if let passed = try? stack.integer(-3), let failed = try? stack.integer(-2), let skipped = try? stack.integer(-1) {
                var counts = TestCounts(passed: Int(passed), failed: Int(failed), skipped: Int(skipped))
                // Tasks the file left running finish now; one that failed unseen fails the file.
                do {
                    try host.finishTasks()
                } catch {
                    let message = (error as? ScriptFailure)?.message ?? "\(error)"
                    print("✘ \(path)\n    " + message.replacingOccurrences(of: "\n", with: "\n    "))
                    counts.failed += 1
                }
                return counts
            }
            print("✘ \(path)\n    the test module returned no counts")
        case .failure(let error):
            // Only when the test module itself is broken or missing.
            print("✘ \(path)\n    " + error.message.replacingOccurrences(of: "\n", with: "\n    "))
        }
        return TestCounts(failed: 1)
    }
}

struct TestCounts {
    var passed = 0, failed = 0, skipped = 0

    mutating func add(_ other: TestCounts) {
        passed += other.passed
        failed += other.failed
        skipped += other.skipped
    }

    var summary: String {
        "\(passed) passed, \(failed) failed" + (skipped > 0 ? ", \(skipped) skipped" : "")
    }
}

/// Test files under the given paths, sorted. A path naming a file is taken as
/// is, whatever its name; folders are searched for `*_test.lua`, skipping
/// hidden folders (which covers `.build*` and `.git`).
enum TestFileFinder {
    static func files(in paths: [String]) -> [String] {
        var found = Set<String>()
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                collect(in: path, into: &found)
            } else {
                found.insert(path)
            }
        }
        return found.sorted()
    }

    private static func collect(in dir: String, into found: inout Set<String>) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        for name in names where !name.hasPrefix(".") {
            // "./x_test.lua" prints as "x_test.lua"; other roots stay as typed.
            let path = dir == "." ? name : (dir.hasSuffix("/") ? dir + name : dir + "/" + name)
            let type = (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType
            if type == .typeDirectory {
                collect(in: path, into: &found)  // symlinked folders are not followed: no cycles
            } else if name.hasSuffix("_test.lua") {
                found.insert(path)
            }
        }
    }
}

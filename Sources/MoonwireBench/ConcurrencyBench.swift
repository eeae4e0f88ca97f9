// (e) Many streams at once from one script: `llm.map` with concurrency = n
// runs n chat streams side by side on Moonwire's one thread, against the
// FakeProvider in this process. The `moonwire` binary runs as a child so its
// peak RSS (wait4's ru_maxrss) is Moonwire's alone, not the server's.
import FakeProvider
import Foundation
import Glibc
import JSON
import LLMTransport

enum ConcurrencyBench {
    static let script = """
        local n = tonumber(os.getenv("MW_BENCH_STREAMS"))
        local items = {}
        for i = 1, n do items[i] = i end
        local results, summary = llm.map(items, function() return #llm.chat{ model = "claude-test", prompt = "s" }.text end,
                                         { concurrency = n })
        local chars = 0
        for i = 1, n do if type(results[i]) == "number" then chars = chars + results[i] end end
        print(summary.ok, chars, string.format("%.6f", summary.elapsed))
        """

    struct Run {
        var mapSeconds: Double
        var processSeconds: Double
        var peakRSSMB: Double
    }

    static func run(moonwire: String, streams: Int, tokens: Int, runs: Int) throws -> [Figure] {
        guard FileManager.default.isExecutableFile(atPath: moonwire) else {
            throw BenchError("no moonwire binary at \(moonwire) (pass --moonwire PATH)")
        }
        OpenFileLimit.raiseToHardLimit()  // the server's side of every connection lives here
        let response = ScriptedResponse.anthropicText(Array(repeating: "x", count: tokens))
        let server = FakeProviderServer(handler: { _ in response })
        try server.start()
        defer { server.stop() }
        var environment = ProcessInfo.processInfo.environment
        environment["ANTHROPIC_BASE_URL"] = server.baseURL
        environment["ANTHROPIC_API_KEY"] = "sk-ant-bench"
        environment["MW_BENCH_STREAMS"] = String(streams)
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("moonwire-bench-map-\(getpid()).out").path
        defer { unlink(output) }

        var results: [Run] = []
        for _ in 0..<runs {
            let started = Clocks.wall()
            let (status, rusage) = try spawnAndWait(moonwire, ["-e", script], environment: environment, stdout: output)
            let elapsed = Clocks.wall() - started
            let printed = ((try? String(contentsOfFile: output, encoding: .utf8)) ?? "").split(separator: "\t")
            guard status == 0, printed.count == 3, Int(printed[0]) == streams, Int(printed[1]) == streams * tokens,
                  let mapSeconds = Double(printed[2].trimmingCharacters(in: .whitespacesAndNewlines)) else {
                throw BenchError("moonwire exited \(status) and printed \(printed), expected \(streams) answers of \(tokens) tokens")
            }
            results.append(Run(mapSeconds: mapSeconds, processSeconds: elapsed, peakRSSMB: Double(rusage.ru_maxrss) / 1024))
        }
        let wall = Sample(results.map(\.mapSeconds))
        let process = Sample(results.map(\.processSeconds))
        let rss = Sample(results.map(\.peakRSSMB))
        let label = "\(grouped(streams)) concurrent streams × \(tokens) tokens"
        return [
            Figure(name: label + ", wall", value: wall.median, unit: "s", target: streams <= 200 ? "≤ 0.12 s" : "—",
                   note: String(format: "llm.map, median of %d (min %.3f, max %.3f s); whole process %.3f s; Python SDKs (200×200): 0.78–2.63 s",
                                runs, wall.min, wall.max, process.median),
                   details: [("runs", .int(Int64(runs))), ("min_s", .double(wall.min)), ("max_s", .double(wall.max)),
                             ("process_median_s", .double(process.median))]),
            Figure(name: label + ", peak RSS", value: rss.median, unit: "MB", target: streams <= 200 ? "≤ 25 MB" : "—",
                   note: String(format: "the moonwire process (ru_maxrss), median of %d (max %.1f MB); Python SDKs (200×200): 72–94 MB",
                                runs, rss.max),
                   details: [("max_mb", .double(rss.max))]),
        ]
    }

    private static func grouped(_ n: Int) -> String { Report.grouped(n) }

    /// Like StartupBench.spawnAndWait, with the child's resource usage.
    static func spawnAndWait(_ path: String, _ arguments: [String], environment: [String: String], stdout: String) throws -> (Int32, rusage) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, path, &actions, nil, argv, envp)
        guard spawned == 0 else { throw BenchError("posix_spawn \(path): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        let signal = status & 0x7f
        return (signal == 0 ? (status >> 8) & 0xff : 128 + signal, usage)
    }
}

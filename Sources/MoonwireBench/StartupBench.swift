// (d) The whole `moonwire` process: start-up, one chat request against the
// FakeProvider, print, exit. Spawned with posix_spawn and reaped with waitpid,
// because Foundation's Process notices the exit through its run loop, which
// adds milliseconds of its own to a figure of a few milliseconds.
import FakeProvider
import Foundation
import Glibc
import JSON

enum StartupBench {
    static let script = #"print(llm.chat{model="claude-test", prompt="hi"}.text)"#

    static func run(moonwire: String, runs: Int) throws -> Figure {
        guard FileManager.default.isExecutableFile(atPath: moonwire) else {
            throw BenchError("no moonwire binary at \(moonwire) (pass --moonwire PATH)")
        }
        let server = try startServer(answering: .anthropicText(["hi"]))
        defer { server.stop() }
        let environment = Self.environment(for: server)
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("moonwire-bench-\(getpid()).out").path
        defer { unlink(output) }

        var times: [Double] = []
        for round in 0...runs {  // round 0 warms the page cache
            let started = Clocks.wall()
            let status = try spawnAndWait(moonwire, ["-e", script], environment: environment, stdout: output)
            let elapsed = Clocks.wall() - started
            let printed = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            guard status == 0, printed == "hi\n" else {
                throw BenchError("moonwire -e exited \(status) and printed \(printed.debugDescription), expected \"hi\"")
            }
            if round > 0 { times.append(elapsed * 1e3) }
        }
        let sample = Sample(times)
        return Figure(
            name: "moonwire -e one chat (process)", value: sample.median, unit: "ms", target: "a few ms",
            note: String(format: "median of %d runs (min %.1f, p90 %.1f, max %.1f ms); official Python SDKs: 400–910 ms",
                         runs, sample.min, sample.percentile(90), sample.max),
            details: [
                ("runs", .int(Int64(runs))), ("min_ms", .double(sample.min)),
                ("p90_ms", .double(sample.percentile(90))), ("max_ms", .double(sample.max)),
                ("binary", .string(moonwire)),
            ])
    }

    /// A FakeProvider that gives every request `response`.
    static func startServer(answering response: ScriptedResponse) throws -> FakeProviderServer {
        let server = FakeProviderServer(handler: { _ in response })
        try server.start()
        return server
    }

    /// This process's environment with Anthropic pointed at `server`.
    static func environment(for server: FakeProviderServer) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["ANTHROPIC_BASE_URL"] = server.baseURL
        environment["ANTHROPIC_API_KEY"] = "sk-ant-bench"
        return environment
    }

    /// Runs `path` with `arguments`, stdout to the file `stdout`, stderr to
    /// /dev/null; returns the exit status (128 + signal when killed).
    static func spawnAndWait(_ path: String, _ arguments: [String], environment: [String: String], stdout: String) throws -> Int32 {
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
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }
}

// (e) Many streams at once from one script: `llm.map` with concurrency = n
// runs n chat streams side by side on Moonwire's one thread, against the
// FakeProvider in this process. The `moonwire` binary runs as a child and
// reports its own peak RSS (VmHWM from /proc/self/status) at the end: wait4's
// ru_maxrss would count the parent's pages too, which posix_spawn's vfork
// shares with the child until exec.
import FakeProvider
import Foundation
import Glibc
import JSON
import LLMTransport

enum ConcurrencyBench {
    static let script = """
        local n = tonumber(os.getenv("MW_BENCH_STREAMS"))
        -- n streams really at once: the loop's capacity is measured, not the route's adaptive limit.
        llm.configure{ concurrency = { adaptive = false } }
        local items = {}
        for i = 1, n do items[i] = i end
        local results, summary = llm.map(items, function() return #llm.chat{ model = "claude-test", prompt = "s" }.text end,
                                         { concurrency = n })
        local chars = 0
        for i = 1, n do if type(results[i]) == "number" then chars = chars + results[i] end end
        local status = io.open("/proc/self/status"):read("a")
        local failures = {}
        for i = 1, n do
          local r = results[i]
          if type(r) == "table" and #failures < 3 then failures[#failures + 1] = tostring(r) end
        end
        print(summary.ok, chars, string.format("%.6f", summary.elapsed), status:match("VmHWM:%s*(%d+) kB"), table.concat(failures, " | "))
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
        let server = try StartupBench.startServer(answering: .anthropicText(Array(repeating: "x", count: tokens)))
        defer { server.stop() }
        var environment = StartupBench.environment(for: server)
        environment["MW_BENCH_STREAMS"] = String(streams)
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("moonwire-bench-map-\(getpid()).out").path
        defer { unlink(output) }

        var results: [Run] = []
        for _ in 0..<runs {
            let started = Clocks.wall()
            let status = try StartupBench.spawnAndWait(moonwire, ["-e", script], environment: environment, stdout: output)
            let elapsed = Clocks.wall() - started
            let printed = ((try? String(contentsOfFile: output, encoding: .utf8)) ?? "").split(separator: "\t")
            guard status == 0, printed.count == 5, Int(printed[0]) == streams, Int(printed[1]) == streams * tokens,
                  let mapSeconds = Double(printed[2]),
                  let peakKB = Double(printed[3]) else {
                throw BenchError("moonwire exited \(status) and printed \(printed), expected \(streams) answers of \(tokens) tokens")
            }
            results.append(Run(mapSeconds: mapSeconds, processSeconds: elapsed, peakRSSMB: peakKB / 1024))
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
                   note: String(format: "the moonwire process (VmHWM), median of %d (max %.1f MB; `moonwire -e 'print(1)'` alone: ~24 MB); Python SDKs (200×200): 72–94 MB",
                                runs, rss.max),
                   details: [("max_mb", .double(rss.max))]),
        ]
    }

    private static func grouped(_ n: Int) -> String { Report.grouped(n) }
}

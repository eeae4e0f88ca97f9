// moonwire-bench: Moonwire's performance budget (shared/DESIGN.md), measured
// in-process against a FakeProvider on loopback, plus the whole binary's
// start-up. Figures are reported, never asserted: the machine is shared.
//
//   moonwire-bench [--json PATH] [--moonwire PATH] [--quick] [--only stream,latency,embed,startup,calllog,concurrent]
import Foundation
import Glibc
import JSON

struct Options {
    var jsonPath = ".build-bench/bench.json"
    /// Default: the `moonwire` built beside this executable.
    var moonwire = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("moonwire").path
    /// Smaller counts, to check the harness itself in a debug build.
    var quick = false
    /// Benchmarks to run (all when empty), e.g. to profile one of them.
    var only: Set<String> = []

    static func parse(_ arguments: [String]) -> Options {
        var options = Options()
        var rest = arguments[...]
        func value(_ flag: String) -> String {
            guard let v = rest.popFirst() else { usage("\(flag) needs a value") }
            return v
        }
        while let argument = rest.popFirst() {
            switch argument {
            case "--json": options.jsonPath = value(argument)
            case "--moonwire": options.moonwire = value(argument)
            case "--quick": options.quick = true
            case "--only": options.only = Set(value(argument).split(separator: ",").map(String.init))
            case "-h", "--help": usage(nil)
            default: usage("unknown argument \(argument)")
            }
        }
        return options
    }

    static func usage(_ problem: String?) -> Never {
        if let problem { FileHandle.standardError.write(Data("moonwire-bench: \(problem)\n".utf8)) }
        print("usage: moonwire-bench [--json PATH] [--moonwire PATH] [--quick] [--only stream,latency,embed,startup,calllog,concurrent]")
        exit(problem == nil ? 0 : 64)
    }
}

/// Unbuffered, so the table stays in order with the progress notes on stderr.
func say(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}

func note(_ text: String) {
    FileHandle.standardError.write(Data("bench: \(text)\n".utf8))
}

func loadAverage() -> String {
    ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?").split(separator: " ").prefix(3).joined(separator: " ")
}

signal(SIGPIPE, SIG_IGN)  // a peer closing mid-write must be an error to report, not the end of the run
let options = Options.parse(Array(CommandLine.arguments.dropFirst()))
let scale = options.quick ? 10 : 1
let loadBefore = loadAverage()
note("\(ProcessInfo.processInfo.activeProcessorCount) cores, load average \(loadBefore)")

let benchmarks: [(String, () throws -> [Figure])] = [
    ("stream", { try StreamBench.run(tokens: 100_000 / scale, runs: options.quick ? 2 : 5) }),
    ("latency", { [try LatencyBench.run(requests: 200 / scale)] }),
    ("embed", { [try EmbedBench.run(requests: 1000 / scale, rounds: options.quick ? 1 : 3)] }),
    ("startup", { [try StartupBench.run(moonwire: options.moonwire, runs: 20 / (options.quick ? 4 : 1))] }),
    ("calllog", { try CallLogBench.run(calls: 2000 / scale, tokens: 100_000 / scale, rounds: options.quick ? 2 : 5) }),
    ("concurrent", {
        try ConcurrencyBench.run(moonwire: options.moonwire, streams: 200, tokens: 200, runs: options.quick ? 2 : 5)
            + ConcurrencyBench.run(moonwire: options.moonwire, streams: 10_000 / scale, tokens: 20, runs: options.quick ? 1 : 3)
    }),
]
let unknown = options.only.subtracting(benchmarks.map(\.0))
if !unknown.isEmpty { Options.usage("unknown benchmark \(unknown.sorted().joined(separator: ", ")) for --only") }
var figures: [Figure] = []
var failures = 0
for (name, body) in benchmarks where options.only.isEmpty || options.only.contains(name) {
    note("running \(name)")
    do {
        figures += try body()
    } catch {
        failures += 1
        note("\(name) failed: \(error)")
    }
}

let loadAfter = loadAverage()
say("\n" + Report.table(figures))
say("\nload average \(loadBefore) before, \(loadAfter) after, on \(ProcessInfo.processInfo.activeProcessorCount) cores; figures vary with the machine's load")
do {
    let bytes = try Report.json(figures, environment: [
        ("cores", .int(Int64(ProcessInfo.processInfo.activeProcessorCount))),
        ("load_average_before", .string(loadBefore)), ("load_average_after", .string(loadAfter)),
        ("date", .string(ISO8601DateFormatter().string(from: Date()))), ("quick", .bool(options.quick)),
    ])
    let url = URL(fileURLWithPath: options.jsonPath)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(bytes).write(to: url)
    say("figures written to \(options.jsonPath)")
} catch {
    failures += 1
    note("could not write \(options.jsonPath): \(error)")
}
exit(failures == 0 ? 0 : 1)

// Where a run's call records go: the SQLite call log (on by default for live
// runs of `run` and the REPL; off under `moonwire test` and replays unless
// MOONWIRE_LOG=on), the `--log FILE` JSON lines, and the `--metrics FILE`
// OpenMetrics text, written at exit and every few seconds.
import ArgumentParser
import CallLog
import Foundation
import LLMCore
import LLMTransport
import LuaLLM

struct CallLogOptions: ParsableArguments {
    @Flag(help: "Do not write this run's calls to the call log (as MOONWIRE_LOG=off).")
    var noLog = false

    @Option(help: ArgumentHelp("Append one JSON line per call to FILE.", valueName: "FILE"))
    var log: String?

    @Option(help: ArgumentHelp("Write OpenMetrics text (Prometheus' textfile collector format) to FILE at exit and every --metrics-interval seconds.",
                               valueName: "FILE"))
    var metrics: String?

    @Option(help: ArgumentHelp("Seconds between metrics writes (default 5).", valueName: "SECONDS"))
    var metricsInterval: Double = 5

    func validate() throws {
        guard metricsInterval >= 0.1, metricsInterval <= 86_400 else {
            throw ValidationError("--metrics-interval must be from 0.1 to 86400 seconds, got \(metricsInterval)")
        }
    }
}

enum CallLogging {
    /// Sends `runtime`'s call records where `options` and the environment say.
    /// `offByDefault`: replays and tests log only when MOONWIRE_LOG=on.
    static func install(_ options: CallLogOptions, on runtime: LLMRuntime, environment env: [String: String], script: String?,
                        arguments: [String], offByDefault: Bool) throws {
        let setting: CallLogLocation.Setting
        do { setting = try CallLogLocation.setting(environment: env) } catch { throw ValidationError("\(error)") }
        let path = CallLogLocation.path(environment: env)
        runtime.callLogDatabase = path
        var sinks: [(CallRecord) -> Void] = []
        let logs = !options.noLog && (setting == .on || (setting == .byDefault && !offByDefault))
        if logs {
            let context = CallLogContext(runID: runID(), script: script.map(displayPath), arguments: arguments)
            let writer = CallLogWriter(path: path, context: context, warn: { Moonwire.printError($0) })
            runtime.callLogWriter = writer
            sinks.append { [weak runtime] record in
                let cassette = runtime?.transport as? CassetteTransport
                writer.add(record, replayed: cassette?.session.mode == CassetteMode.none, cassette: cassette?.session.path)
            }
            ExitHooks.add { writer.close() }
        }
        if let log = options.log {
            let file = try CallLogFile(path: log)
            sinks.append { file.write($0) }
        }
        if let path = options.metrics {
            let metrics = MetricsFile(path: path, interval: options.metricsInterval)
            sinks.append { [weak runtime] record in
                metrics.registry.record(record)
                if let runtime { metrics.registry.setGauges(runtime.clients.flatMap(\.routeGauges)) }
            }
            try metrics.start()
            ExitHooks.add { metrics.stop() }
        }
        guard !sinks.isEmpty else { return }
        runtime.callLog = { record in for sink in sinks { sink(record) } }
    }

    /// Unique per process, sortable by start: `20261204T081503-3fa2c1`.
    static func runID() -> String {
        let iso = CallLogTime.iso(Date().timeIntervalSince1970)
        let compact = iso.prefix(19).filter { $0 != "-" && $0 != ":" }
        return compact + "-" + String(format: "%06x", UInt32.random(in: 0...0xFF_FFFF))
    }

    /// The script as the user named it, or "-" / "(repl)" / "(command line)".
    static func displayPath(_ script: String) -> String { script }
}

/// `--metrics FILE`: the registry, written atomically (temporary file and
/// rename, so a collector never reads half a file) every `interval` seconds
/// from a timer thread of its own, and once more at exit.
final class MetricsFile: @unchecked Sendable {
    let registry = MetricsRegistry()
    let path: String
    private let interval: Double
    private let queue = DispatchQueue(label: "moonwire.metrics")
    private var timer: DispatchSourceTimer?
    private var warned = false

    init(path: String, interval: Double) {
        self.path = path
        self.interval = interval
    }

    /// Writes the (empty) file once, so a bad path fails the run at start, then every interval.
    func start() throws {
        try AtomicFile.write(Array(registry.render().utf8), to: path)
        let t = DispatchSource.makeTimerSource(queue: queue)
        t.schedule(deadline: .now() + interval, repeating: interval)
        t.setEventHandler { [weak self] in self?.write() }
        t.resume()
        timer = t
    }

    func stop() {
        timer?.cancel()
        timer = nil
        queue.sync { write() }
    }

    private func write() {
        do {
            try AtomicFile.write(Array(registry.render().utf8), to: path)
        } catch {
            guard !warned else { return }
            warned = true
            Moonwire.printError("moonwire: metrics: \((error as? ScriptFailure)?.message ?? "\(error)")")
        }
    }
}

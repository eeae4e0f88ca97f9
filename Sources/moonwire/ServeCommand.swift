// `moonwire serve --cassette FILE [--chaos SPEC] [--port P] [--speed N]`: plays
// a cassette over HTTP on 127.0.0.1, so any client (an official SDK, curl,
// another app) can be tested against recorded sessions, with faults.
// `moonwire serve --synthetic SPEC` serves a made-up provider instead, with a
// capacity, a rate limit and seeded faults (load tests and benchmarks).
import ArgumentParser
import FakeProvider
import Foundation
import LLMCore
import LLMTransport

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve a cassette over HTTP on 127.0.0.1 for any client to replay against.",
        discussion: """
            Prints "serving FILE on http://127.0.0.1:PORT" once listening, then answers each request \
            with the recording it matches (method, path and JSON body, each recording once; see \
            the matching rules in the README), or 404 with a replay_mismatch error. POST /__moonwire/reset \
            makes every recording available again. Logs one line per request on stderr. Stops on SIGINT or SIGTERM.
            """
    )

    @Option(help: ArgumentHelp("The Moonwire cassette to serve.", valueName: "FILE"))
    var cassette: String?

    @Option(help: ArgumentHelp("""
        Serve a synthetic provider instead of a cassette: 'capacity:concurrent=50,service=0.1,rps=50,burst=50', \
        'chaos:seed=7,rate=0.25', 'tokens:interval=0.001', joined with ';'. Answers are 'Answer to PROMPT.'.
        """, valueName: "SPEC"))
    var synthetic: String?

    @Option(help: ArgumentHelp("Inject faults, as moonwire run --chaos (e.g. '529@1', 'drop:3@2').", valueName: "SPEC"))
    var chaos: String?

    @Option(help: ArgumentHelp("Port on 127.0.0.1 (0: any free port, printed at start).", valueName: "P"))
    var port: Int = 0

    @Option(help: ArgumentHelp("Replay speed: 1 = as recorded (the default here; `moonwire run --replay` defaults to 0), N = N× faster, 0 = no waits. The time to each response head is replayed too.", valueName: "N"))
    var speed: Double = 1

    @Flag(help: "Replay recordings again, in order, once each was used (a test suite run twice, an app that repeats a call). Without it, POST /__moonwire/reset starts over.")
    var `repeat` = false

    @Option(name: .customLong("match"), help: ArgumentHelp("Loosen matching: 'ignore:FIELD' (a dotted path into the request body) or 'query:ignore'. Repeatable.", valueName: "RULE"))
    var matchRules: [String] = []

    @Option(help: ArgumentHelp("Largest request body read (bytes); a larger one is answered 413 and its connection closed.", valueName: "N"))
    var maxRequestBytes: Int = ServerLimits().maxRequestBodyBytes

    @Option(help: ArgumentHelp("Seconds a connection may take to send a whole request (after connecting or its last response) before it is closed.", valueName: "S"))
    var requestTimeout: Double = ServerLimits().requestTimeout

    private var limits: ServerLimits { ServerLimits(maxRequestBodyBytes: maxRequestBytes, requestTimeout: requestTimeout) }

    func validate() throws {
        if !(1024...(1 << 40)).contains(maxRequestBytes) { throw ValidationError("--max-request-bytes must be between 1024 and 1099511627776, got \(maxRequestBytes)") }
        if !(requestTimeout >= 0.1 && requestTimeout <= 86_400) { throw ValidationError("--request-timeout must be between 0.1 and 86400 seconds, got \(requestTimeout)") }
        if (cassette == nil) == (synthetic == nil) { throw ValidationError("give one of --cassette FILE or --synthetic SPEC") }
        if let synthetic {
            do { _ = try SyntheticProvider(parsing: synthetic) } catch { throw ValidationError(error.description) }
        }
        if !(0...65535).contains(port) { throw ValidationError("--port must be between 0 and 65535") }
        if let problem = CassetteOptions.speedProblem(speed) { throw ValidationError(problem) }
        _ = try faultPlan()
        _ = try rules()
    }

    private func rules() throws -> MatchRules {
        var rules = MatchRules()
        for spec in matchRules {
            do { try rules.add(parsing: spec) } catch { throw ValidationError(error.message) }
        }
        return rules
    }

    private func faultPlan() throws -> FaultPlan? {
        guard let chaos else { return nil }
        do { return try FaultPlan(parsing: chaos) } catch { throw ValidationError(error.message) }
    }

    func run() throws {
        if let synthetic { return try serveSynthetic(synthetic) }
        let cassette = self.cassette!
        let recorded: Cassette
        do {
            recorded = try CassetteSession.load(cassette)
        } catch {
            throw ScriptFailure(message: error.description)
        }
        let responder = CassetteResponder(
            cassette: recorded, faults: try faultPlan(), speed: speed, secrets: EnvironmentSecrets.values(ProcessInfo.processInfo.environment),
            rules: try rules(), repeats: `repeat`)
        // Before the port is printed: a client may signal as soon as it reads it.
        let termination = TerminationSignals()
        let server = FakeProviderServer { responder.respond(to: $0) }
        server.limits = limits
        let bound: Int
        do {
            bound = try server.start(port: port)
        } catch {
            throw ScriptFailure(message: "cannot listen on 127.0.0.1:\(port): \(error)")
        }
        print("serving \(cassette) on http://127.0.0.1:\(bound)")
        fflush(nil)  // scripts and tests wait for this line to learn the port
        termination.wait()
        server.stop()
        let (requests, unused) = responder.summary
        Moonwire.printError("moonwire serve: stopped after \(requests) request(s); \(unused) of \(recorded.interactions.count) interaction(s) not replayed")
    }

    private func serveSynthetic(_ spec: String) throws {
        let provider = try SyntheticProvider(parsing: spec)
        let termination = TerminationSignals()
        let server = provider.server()
        server.limits = limits
        let bound: Int
        do {
            bound = try server.start(port: port)
        } catch {
            throw ScriptFailure(message: "cannot listen on 127.0.0.1:\(port): \(error)")
        }
        print("serving synthetic provider on http://127.0.0.1:\(bound)")
        fflush(nil)
        termination.wait()
        let requests = server.requests.count
        server.stop()
        Moonwire.printError("moonwire serve: stopped after \(requests) request(s)")
    }
}

// The request handler of `moonwire serve`: matches each request against the
// cassette (as a replay in `moonwire run` does: method, path, canonical JSON
// body, each recording once) and picks the fault for its request number.
// FakeProvider calls it on its event loop thread; the lock keeps it correct
// should that ever be more than one thread.
import FakeProvider
import Foundation
import LLMCore
import LLMTransport

final class CassetteResponder: @unchecked Sendable {
    private let cassette: Cassette
    private let faults: FaultPlan?
    private let speed: Double
    private let lock = NSLock()
    private var matcher: CassetteMatcher
    private var requestCount = 0

    init(cassette: Cassette, faults: FaultPlan?, speed: Double, secrets: [String], rules: MatchRules = MatchRules(), repeats: Bool = false) {
        self.cassette = cassette
        self.faults = faults
        self.speed = speed
        matcher = CassetteMatcher(cassette: cassette, rules: rules, redactor: Redactor(secrets: secrets))
        matcher.repeats = repeats
    }

    /// `POST /__moonwire/reset`: every recording may be replayed again.
    static let resetPath = "/__moonwire/reset"

    func respond(to request: RecordedRequest) -> ScriptedResponse {
        let path = request.path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? request.path
        if request.method == "POST", path.hasSuffix(Self.resetPath) {
            // Start over: every recording unused, and --chaos counts from request 1 again.
            lock.withLock {
                matcher.reset()
                requestCount = 0
            }
            log("reset: every recording may be replayed again")
            return .json(#"{"reset":true}"#)
        }
        // The matcher compares paths only; a target in origin form needs some origin to parse as a URL.
        let url = request.path.hasPrefix("/") ? "http://127.0.0.1" + request.path : request.path
        let live = HTTPRequest(method: request.method, url: url, headers: request.headers.map { (name: $0.0, value: $0.1) }, body: request.body)
        let (number, result, fault) = lock.withLock {
            requestCount += 1
            let result = matcher.match(live)
            let fault = faults?.fault(forRequest: requestCount)
            // A fault is served instead of the recording: the next identical request gets it.
            if let fault, case .success(let index) = result, fault.replacesRecording(cassette.interactions[index]) { matcher.release(index) }
            return (requestCount, result, fault)
        }
        switch result {
        case .success(let index):
            log("#\(number) \(request.method) \(request.path): interaction \(index)" + (fault.map { ", fault \($0)" } ?? ""))
            var interaction = cassette.interactions[index]
            if path.hasSuffix("/embeddings"), let recorded = interaction.response?.body?.bytes,
               let converted = EmbeddingFormat.convert(recorded, toBase64: EmbeddingFormat.requested(in: request.body)) {
                interaction.response?.body = CassetteBody(bytes: converted)
            }
            return ScriptedReplay.response(for: interaction, fault: fault, speed: speed)
        case .failure(let miss):
            log("#\(number) \(request.method) \(request.path): 404 \(miss.code): \(miss)")
            return ScriptedReplay.miss(miss)
        }
    }

    /// For the summary at exit.
    var summary: (requests: Int, unused: Int) {
        lock.withLock { (requestCount, matcher.unused.count) }
    }

    /// One line per request on stderr, like a server's access log (stdout
    /// carries only the `serving ... on URL` line scripts read).
    private func log(_ line: String) {
        FileHandle.standardError.write(Data(("moonwire serve: " + line + "\n").utf8))
    }
}

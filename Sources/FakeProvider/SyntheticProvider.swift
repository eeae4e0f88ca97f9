// A provider made up on the spot, for load and fault tests, and for
// `moonwire serve --synthetic`: it answers any Anthropic Messages, OpenAI
// Chat Completions or Gemini generateContent request (streamed or not) with a correct answer that is a
// pure function of the prompt, so a test can tell an altered answer from a
// correct one:
//
//     answer(prompt) = "Answer to " + prompt + "."   (one token per word)
//
// Two modes, which combine:
// - capacity: at most `concurrent` requests worked on at once, each for
//   `serviceSeconds` before its head (the rest wait in the server's queue, as
//   a real provider's do); and a real requests-per-second limit (a token bucket
//   with `burst`) whose state every answer reports in the provider's own
//   rate-limit headers; a request over it gets a 429 with `retry-after-ms`.
// - chaos: a seeded mix of faults, one chosen per request (`rate` of them
//   fail), from status errors with provider-shaped bodies to streams cut, stalled,
//   malformed or 2 MB wide.
import Foundation
import NIOCore

public struct SyntheticProvider: Sendable {
    public struct Capacity: Sendable {
        public var concurrent: Int?
        public var serviceSeconds: Double
        public var requestsPerSecond: Double?
        public var burst: Int
        public init(concurrent: Int? = nil, serviceSeconds: Double = 0, requestsPerSecond: Double? = nil, burst: Int? = nil) {
            self.concurrent = concurrent
            self.serviceSeconds = serviceSeconds
            self.requestsPerSecond = requestsPerSecond
            self.burst = burst ?? Int((requestsPerSecond ?? 1).rounded(.up))
        }
    }

    public enum ChaosFault: String, Sendable, CaseIterable {
        case status429 = "429", status500 = "500", status503 = "503", status529 = "529"
        case errorEventFirst = "error-event-first", errorEventLater = "error-event-later"
        case dropMidStream = "drop-mid-stream", resetBeforeHead = "reset-before-head"
        case stallBeforeHead = "stall-before-head", stallMidStream = "stall-mid-stream"
        case invalidJSON = "invalid-json", invalidUTF8 = "invalid-utf8", hugeLine = "huge-line"
        case html200 = "html-200", html502 = "html-502"
    }

    public struct Chaos: Sendable {
        public var seed: UInt64
        /// The share of requests that get a fault (0.25: one in four).
        public var rate: Double
        public var faults: [ChaosFault]
        /// The share of correct answers sent as a slow trickle (a token every 20 ms).
        public var trickle: Double
        public init(seed: UInt64, rate: Double = 0.25, faults: [ChaosFault] = ChaosFault.allCases, trickle: Double = 0.05) {
            self.seed = seed
            self.rate = rate
            self.faults = faults
            self.trickle = trickle
        }
    }

    public var capacity: Capacity?
    public var chaos: Chaos?
    /// The first `count` requests get a 429 with `retry-after: seconds`.
    public var limitedFirst: (count: Int, seconds: Double)?
    /// Seconds between streamed tokens of a correct answer.
    public var tokenInterval: Double

    public init(capacity: Capacity? = nil, chaos: Chaos? = nil, tokenInterval: Double = 0) {
        self.capacity = capacity
        self.chaos = chaos
        self.tokenInterval = tokenInterval
    }

    /// The answer a correct reply to `prompt` carries.
    public static func answer(to prompt: String) -> String { "Answer to " + prompt + "." }

    /// A server playing this provider; its handler keeps the queue and bucket.
    public func server() -> FakeProviderServer {
        let state = SyntheticResponder(self)
        return FakeProviderServer { request in state.respond(to: request) }
    }
}

/// The synthetic server's mutable part (public: a test can answer some requests itself and hand the rest here): workers, the rate bucket, the request count.
public final class SyntheticResponder: @unchecked Sendable {
    private let spec: SyntheticProvider
    private let lock = NSLock()
    private let started = NIODeadline.now()
    private var workersFreeAt: [Double]
    private var bucket: Double
    private var bucketAt = 0.0
    private var count: UInt64 = 0

    public init(_ spec: SyntheticProvider) {
        self.spec = spec
        workersFreeAt = Array(repeating: 0, count: max(0, spec.capacity?.concurrent ?? 0))
        bucket = Double(spec.capacity?.burst ?? 0)
    }

    private var now: Double { Double((NIODeadline.now() - started).nanoseconds) / 1e9 }

    public func respond(to request: RecordedRequest) -> ScriptedResponse {
        let wire = SyntheticWire(path: request.path)
        let body = (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any] ?? [:]
        let prompt = wire.prompt(in: body)
        let stream = wire.isStream(path: request.path, body: body)
        let words = SyntheticProvider.answer(to: prompt).split(separator: " ", omittingEmptySubsequences: false)
        let tokens = words.enumerated().map { $0.offset == 0 ? String($0.element) : " " + $0.element }

        let (number, limitHeaders, overLimit, headDelay) = lock.withLock { () -> (UInt64, [(String, String)], Double?, Double) in
            count += 1
            let t = now
            var headers: [(String, String)] = []
            var over: Double?
            if let c = spec.capacity, let rps = c.requestsPerSecond {
                bucket = min(Double(c.burst), bucket + (t - bucketAt) * rps)
                bucketAt = t
                if bucket >= 1 { bucket -= 1 } else { over = (1 - bucket) / rps }
                let remaining = Int(bucket.rounded(.down))
                let resetIn = (Double(c.burst) - bucket) / rps
                headers = wire.rateHeaders(limit: c.burst, remaining: remaining, resetIn: resetIn)
            }
            var delay = 0.0
            if over == nil, let c = spec.capacity {
                if !workersFreeAt.isEmpty, let i = workersFreeAt.indices.min(by: { workersFreeAt[$0] < workersFreeAt[$1] }) {
                    let start = max(t, workersFreeAt[i])
                    let streamTime = stream ? spec.tokenInterval * Double(tokens.count) : 0
                    workersFreeAt[i] = start + c.serviceSeconds + streamTime
                    delay = start + c.serviceSeconds - t
                } else {
                    delay = c.serviceSeconds
                }
            }
            return (count, headers, over, delay)
        }

        if let (first, seconds) = spec.limitedFirst, number <= UInt64(first) {
            return wire.error(429, .rateLimited, message: "rate limit exceeded",
                              extra: [("retry-after", seconds == seconds.rounded() ? "\(Int(seconds))" : "\(seconds)")])
        }
        if let wait = overLimit {
            let ms = Int((wait * 1000).rounded(.up))
            return wire.error(429, .rateLimited, message: "rate limit exceeded",
                              extra: [("retry-after-ms", "\(ms)"), ("retry-after", "\(Int((wait).rounded(.up)))")] + limitHeaders)
        }
        var fault: SyntheticProvider.ChaosFault?
        var trickle = false
        if let chaos = spec.chaos, !chaos.faults.isEmpty {
            var rng = Mixer(seed: chaos.seed &+ number &* 0x9E37_79B9_7F4A_7C15)
            if rng.unit() < chaos.rate {
                fault = chaos.faults[Int(rng.next() % UInt64(chaos.faults.count))]
            } else {
                trickle = rng.unit() < chaos.trickle
            }
        }
        var response = fault.map { Self.faulty($0, wire: wire, stream: stream, tokens: tokens) }
            ?? Self.correct(tokens, wire: wire, stream: stream, interval: trickle ? 0.02 : spec.tokenInterval)
        response.headers += limitHeaders
        if response.headers.first(where: { $0.0 == "request-id" || $0.0 == "x-request-id" }) == nil {
            response.headers.append((wire.requestIDHeader, "req_synthetic_\(number)"))
        }
        return response.delayed(by: headDelay)
    }

    // MARK: Answers

    static func correct(_ tokens: [String], wire: SyntheticWire, stream: Bool, interval: Double) -> ScriptedResponse {
        stream ? wire.text(tokens, interval: interval) : wire.whole(tokens)
    }

    static func faulty(_ fault: SyntheticProvider.ChaosFault, wire: SyntheticWire, stream: Bool, tokens: [String]) -> ScriptedResponse {
        let ok = correct(tokens, wire: wire, stream: true, interval: 0)
        func streamed(_ r: ScriptedResponse) -> ScriptedResponse { stream ? r : correct(tokens, wire: wire, stream: false, interval: 0) }
        let firstContent = wire.framingChunks
        switch fault {
        case .status429: return wire.error(429, .rateLimited, message: "slow down", extra: [("retry-after-ms", "50")])
        case .status500: return wire.error(500, .server, message: "internal error")
        case .status503: return wire.error(503, .unavailable, message: "unavailable")
        case .status529: return wire.error(529, .overloaded, message: "Overloaded")
        case .errorEventFirst, .errorEventLater:
            guard stream else { return wire.error(529, .overloaded, message: "Overloaded") }
            let prefix = Array(chunks(ok).prefix(fault == .errorEventFirst ? min(1, firstContent) : firstContent + 2))
            return .sse(chunks: prefix + [wire.errorEvent])
        case .dropMidStream:
            return streamed(ok.with(fault: .dropAfterChunks(firstContent + 1)))
        case .resetBeforeHead:
            return ok.with(fault: .dropBeforeHeaders)
        case .stallBeforeHead:
            return ok.with(fault: .stallBeforeHeaders)
        case .stallMidStream:
            return streamed(ok.with(fault: .stallAfterChunks(firstContent + 1)))
        case .invalidJSON:
            guard stream else { return .json("{\"id\": \"msg_syn\", \"content\": [", status: 200) }
            return .sse(chunks: Array(chunks(ok).prefix(firstContent)) + [wire.invalidJSONEvent])
        case .invalidUTF8:
            guard stream else { return ScriptedResponse(status: 200, headers: [("content-type", "application/json")], body: .whole([0x7B, 0xFF, 0x7D])) }
            return .sse(chunks: Array(chunks(ok).prefix(firstContent)) + [.init(bytes: wire.invalidUTF8Event)])
        case .hugeLine:
            let line = "data: " + String(repeating: "x", count: 2 << 20) + "\n\n"
            guard stream else { return .json("{\"pad\": \"" + String(repeating: "x", count: 2 << 20) + "\"", status: 200) }
            return .sse(chunks: Array(chunks(ok).prefix(firstContent)) + [.init(line)])
        case .html200:
            return ScriptedResponse(status: 200, headers: [("content-type", "text/html")], body: .whole(Array("<html><body>Sign in to the gateway</body></html>".utf8)))
        case .html502:
            return ScriptedResponse(status: 502, headers: [("content-type", "text/html")], body: .whole(Array("<html><body><h1>502 Bad Gateway</h1></body></html>".utf8)))
        }
    }

    static func chunks(_ r: ScriptedResponse) -> [ScriptedResponse.Chunk] {
        if case .chunks(let c) = r.body { return c }
        return []
    }

    static func rfc3339(_ epoch: Double) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: Date(timeIntervalSince1970: epoch))
    }
}

/// SplitMix64, for the seeded choice of a fault per request.
struct Mixer {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}

extension SyntheticProvider {
    /// `moonwire serve --synthetic SPEC`: sections separated by `;`, each
    /// `name:key=value,...`:
    ///   capacity:concurrent=50,service=0.1,rps=50,burst=50
    ///   chaos:seed=7,rate=0.25,faults=429+500+drop-mid-stream,trickle=0.05
    ///   tokens:interval=0.001
    ///   limited:first=1,retry_after=1     (the first requests get a 429)
    public init(parsing spec: String) throws(SyntheticSpecError) {
        self.init()
        for section in spec.split(separator: ";") where !section.trimmingCharacters(in: .whitespaces).isEmpty {
            let parts = section.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            let name = parts[0].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { throw SyntheticSpecError("a section without a name in '\(spec)'") }
            var values: [String: String] = [:]
            for pair in (parts.count > 1 ? parts[1] : "").split(separator: ",") {
                let kv = pair.split(separator: "=", maxSplits: 1)
                guard kv.count == 2 else { throw SyntheticSpecError("'\(pair)' in '\(name)' is not key=value") }
                values[kv[0].trimmingCharacters(in: .whitespaces)] = kv[1].trimmingCharacters(in: .whitespaces)
            }
            func number(_ key: String, in range: ClosedRange<Double>) throws(SyntheticSpecError) -> Double? {
                guard let text = values.removeValue(forKey: key) else { return nil }
                guard let v = Double(text), range.contains(v) else {
                    throw SyntheticSpecError("\(name).\(key) must be a number in \(range.lowerBound)...\(range.upperBound), got '\(text)'")
                }
                return v
            }
            switch name {
            case "capacity":
                let concurrent = try number("concurrent", in: 1...100_000).map { Int($0) }
                let service = try number("service", in: 0...3600) ?? 0
                let rps = try number("rps", in: 0.001...1_000_000)
                let burst = try number("burst", in: 1...1_000_000).map { Int($0) }
                capacity = Capacity(concurrent: concurrent, serviceSeconds: service, requestsPerSecond: rps, burst: burst)
            case "chaos":
                let seed = UInt64(try number("seed", in: 0...9e15) ?? 0)
                let rate = try number("rate", in: 0...1) ?? 0.25
                let trickle = try number("trickle", in: 0...1) ?? 0.05
                var faults = ChaosFault.allCases
                if let list = values.removeValue(forKey: "faults") {
                    faults = []
                    for word in list.split(separator: "+") {
                        guard let f = ChaosFault(rawValue: String(word)) else {
                            throw SyntheticSpecError("unknown chaos fault '\(word)' (known: \(ChaosFault.allCases.map(\.rawValue).joined(separator: ", ")))")
                        }
                        faults.append(f)
                    }
                }
                chaos = Chaos(seed: seed, rate: rate, faults: faults, trickle: trickle)
            case "tokens":
                tokenInterval = try number("interval", in: 0...60) ?? 0
            case "limited":
                limitedFirst = (Int(try number("first", in: 0...1_000_000) ?? 1), try number("retry_after", in: 0...3600) ?? 1)
            default:
                throw SyntheticSpecError("unknown section '\(name)' (capacity, chaos, tokens, limited)")
            }
            if let extra = values.keys.sorted().first { throw SyntheticSpecError("unknown key '\(extra)' in '\(name)'") }
        }
    }
}

public struct SyntheticSpecError: Error, CustomStringConvertible {
    public let message: String
    init(_ message: String) { self.message = message }
    public var description: String { "--synthetic: " + message }
}

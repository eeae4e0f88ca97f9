// Fault injection for replays (`--chaos SPEC`), so a script's retry and
// fallback paths run from an ordinary recording.
//   SPEC  := ITEM ("," ITEM)*
//   ITEM  := FAULT ("@" N | "%" P)? | "seed=" N
//   FAULT := 429[:SECONDS] | 500 | 502 | 503 | 504 | 529 | error-event | drop:N
//          | stall[:N] | malformed[:N] | bad-tool-index
// `@N` hits the N-th request (1-based), `%P` each request with probability P
// (seeded, so runs repeat), neither = every request.
//   --chaos 429:30@1          first request: 429 with retry-after 30 s
//   --chaos drop:3@2          second request: connection drops after 3 chunks
//   --chaos "503%0.2,seed=7"  a fifth of the requests fail with 503
import Foundation
import LLMCore

public struct FaultPlan: Sendable, Equatable {
    enum Selector: Sendable, Equatable {
        case every
        case request(Int)
        case probability(Double)
    }

    var items: [(fault: Fault, selector: Selector)]
    var seed: UInt64 = 0

    public static func == (a: FaultPlan, b: FaultPlan) -> Bool {
        a.seed == b.seed && a.items.map(\.fault) == b.items.map(\.fault) && a.items.map(\.selector) == b.items.map(\.selector)
    }

    public init(parsing spec: String) throws(LLMError) {
        items = []
        for raw in spec.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !raw.isEmpty {
            if raw.hasPrefix("seed=") {
                guard let s = UInt64(raw.dropFirst(5)) else { throw Self.bad(raw, "seed must be a non-negative integer") }
                seed = s
                continue
            }
            var text = Substring(raw)
            var selector = Selector.every
            if let at = text.firstIndex(of: "@") {
                guard let n = Int(text[text.index(after: at)...]), n >= 1 else { throw Self.bad(raw, "@N needs a request number ≥ 1") }
                selector = .request(n)
                text = text[..<at]
            } else if let pct = text.firstIndex(of: "%") {
                guard let p = Double(text[text.index(after: pct)...]), p >= 0, p <= 1 else { throw Self.bad(raw, "%P needs a probability between 0 and 1") }
                selector = .probability(p)
                text = text[..<pct]
            }
            items.append((try Fault(parsing: String(text), item: raw), selector))
        }
        guard !items.isEmpty else { throw Self.bad(spec, "no fault given") }
    }

    static func bad(_ item: String, _ why: String) -> LLMError {
        LLMError(.config, "invalid --chaos item '\(item)': \(why)")
    }

    /// The fault for the n-th request (1-based), if any.
    public func fault(forRequest n: Int) -> Fault? {
        for (fault, selector) in items {
            switch selector {
            case .every: return fault
            case .request(let k) where k == n: return fault
            case .probability(let p) where Self.unitRandom(seed: seed, n: UInt64(n)) < p: return fault
            default: continue
            }
        }
        return nil
    }

    /// The same plan hits the same requests on every run.
    static func unitRandom(seed: UInt64, n: UInt64) -> Double {
        var generator = SplitMix64(seed: seed &+ n &* 0x9E37_79B9_7F4A_7C15)
        return generator.nextUnit()
    }
}


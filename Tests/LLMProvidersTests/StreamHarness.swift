// Feeds a recorded stream body through a provider's parser and a
// StreamAccumulator, split three ways: whole, byte by byte, and at seeded
// random points. Every split must yield the same events and outcome.
import Foundation
import JSON
import LLMCore
import LLMProviders
import Testing

enum Split: Sendable, CustomStringConvertible {
    case whole
    case bytes
    case random(seed: UInt64)

    static let all: [Split] = [.whole, .bytes, .random(seed: 1), .random(seed: 0x5EED), .random(seed: 20_240_229)]

    var description: String {
        switch self {
        case .whole: "whole"
        case .bytes: "byte by byte"
        case .random(let seed): "random splits (seed \(seed))"
        }
    }

    func chunks(_ body: [UInt8]) -> [ArraySlice<UInt8>] {
        switch self {
        case .whole:
            return [body[...]]
        case .bytes:
            return body.indices.map { body[$0...$0] }
        case .random(let seed):
            var rng = SplitMix64(seed: seed)
            var chunks: [ArraySlice<UInt8>] = []
            var start = 0
            while start < body.count {
                let end = min(body.count, start + 1 + Int(rng.next() % 97))
                chunks.append(body[start..<end])
                start = end
            }
            return chunks
        }
    }
}

/// A tiny deterministic generator, so a failing split can be replayed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

struct StreamOutcome {
    var events: [StreamEvent]
    var result: Result<ChatResponse, LLMError>

    var response: ChatResponse? { try? result.get() }
    var error: LLMError? {
        if case .failure(let error) = result { error } else { nil }
    }
}

enum StreamHarness {
    static func run(_ provider: any ChatProvider, _ body: [UInt8], split: Split) -> StreamOutcome {
        var parser = provider.makeStreamParser()
        var accumulator = StreamAccumulator()
        var events: [StreamEvent] = []
        do throws(LLMError) {
            for chunk in split.chunks(body) {
                let batch = try chunk.withUnsafeBytes { buffer in
                    Result { () throws(LLMError) in try parser.feed(buffer) }
                }.get()
                for event in batch { try accumulator.apply(event) }
                events += batch
            }
            let last = try parser.finish()
            for event in last { try accumulator.apply(event) }
            events += last
            return StreamOutcome(events: events, result: .success(try accumulator.finish()))
        } catch {
            return StreamOutcome(events: events, result: .failure(error))
        }
    }

    /// Runs every split; checks they agree with the whole feed and returns it.
    static func runAll(
        _ provider: any ChatProvider, _ body: [UInt8], sourceLocation: SourceLocation = #_sourceLocation
    ) -> StreamOutcome {
        let whole = run(provider, body, split: .whole)
        for split in Split.all.dropFirst() {
            let other = run(provider, body, split: split)
            if whole.error == nil {
                #expect(other.events == whole.events, "events differ when fed \(split)", sourceLocation: sourceLocation)
            } else {
                // A failing feed call drops the events decoded earlier in the same call,
                // so finer splits deliver more of them before the error; never different ones.
                #expect(other.events.starts(with: whole.events), "events differ when fed \(split)", sourceLocation: sourceLocation)
            }
            #expect(other.response == whole.response, "response differs when fed \(split)", sourceLocation: sourceLocation)
            #expect(other.error == whole.error, "error differs when fed \(split)", sourceLocation: sourceLocation)
        }
        return whole
    }
}

/// The LLMError `body` throws, or nil.
func caught<T>(_ body: () throws(LLMError) -> T) -> LLMError? {
    do throws(LLMError) {
        _ = try body()
        return nil
    } catch {
        return error
    }
}

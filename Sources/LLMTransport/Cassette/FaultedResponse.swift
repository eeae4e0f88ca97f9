// What a client receives for one recorded interaction under an optional
// fault: the one interpretation of every fault kind, played by both
// ReplayPlayer (`run --replay`, in the client's own loop) and `serve` (over
// HTTP). Each player renders `ending` with an exhaustive switch, so a new
// fault kind or ending cannot be silently ignored by one of them.
import LLMCore

public struct FaultedResponse: Sendable, Equatable {
    public enum Ending: Sendable, Equatable {
        /// The response ends normally after its last byte.
        case complete
        /// The transfer fails at `atMs` with this error (a recorded transport
        /// error, or an injected drop). Over HTTP: a timeout stalls, anything else drops.
        case error(kind: LLMError.Kind, message: String, atMs: Double)
        /// Nothing more, ever: the client's own timeout ends it (a stall).
        case silence
    }

    /// The head and the bytes delivered, faults applied (replaced, cut or
    /// corrupted); nil when no head ever comes.
    public var response: CassetteResponse?
    public var ending: Ending

    public init(response: CassetteResponse?, ending: Ending) {
        self.response = response
        self.ending = ending
    }

    public init(_ interaction: CassetteInteraction, fault: Fault?) {
        let recordedEnding = Self.ending(recorded: interaction.error, response: interaction.response)
        guard let fault else {
            self.init(response: interaction.response, ending: recordedEnding)
            return
        }
        if let replacement = fault.replacementResponse(for: interaction.request) {
            self.init(response: replacement, ending: .complete)
            return
        }
        switch fault {
        case .stallBeforeHead:
            self.init(response: nil, ending: .silence)
        case .status, .errorEvent:
            // Always replaced above; kept exhaustive.
            self.init(response: interaction.response, ending: recordedEnding)
        case .malformed, .badToolIndex:
            var response = interaction.response
            if let chunks = response?.chunks {
                response?.chunks = chunks.enumerated().map { i, chunk in
                    CassetteChunk(atMs: chunk.atMs, bytes: fault.corrupt(chunk.bytes, index: i))
                }
            }
            self.init(response: response, ending: recordedEnding)
        case .drop(let n), .stall(let n):
            let stall: Bool = if case .stall = fault { true } else { false }
            guard var response = interaction.response else {
                // Nothing was recorded to cut: the recorded failure stands.
                self.init(response: nil, ending: recordedEnding)
                return
            }
            if let chunks = response.chunks {
                let kept = Array(chunks.prefix(n))
                response.chunks = kept
                let at = n < chunks.count ? chunks[n].atMs : Self.lastMs(response)
                self.init(response: response, ending: stall ? .silence : .error(
                    kind: .network, message: "injected fault: connection dropped after \(n) chunks", atMs: at))
            } else if n == 0 {
                // drop:0 / stall:0 on a whole body: cut before it.
                response.body = nil
                self.init(response: response, ending: stall ? .silence : .error(
                    kind: .network, message: "injected fault: connection dropped before the body", atMs: response.headAtMs))
            } else {
                // A whole body is one piece: a cut after it does not apply.
                self.init(response: response, ending: recordedEnding)
            }
        }
    }

    /// When the last byte of `response` arrives.
    static func lastMs(_ response: CassetteResponse) -> Double {
        response.chunks?.last?.atMs ?? response.headAtMs
    }

    private static func ending(recorded error: CassetteTransportError?, response: CassetteResponse?) -> Ending {
        guard let error else {
            return response == nil ? .error(kind: .network, message: "recorded without a response", atMs: 0) : .complete
        }
        let lastMs = response.map(lastMs) ?? 0
        return .error(kind: LLMError.Kind(rawValue: error.kind) ?? .network, message: error.message, atMs: max(error.atMs, lastMs))
    }
}

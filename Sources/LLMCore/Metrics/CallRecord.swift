// CallRecord: what one call was and how it ended, as the stats, `--log`, the
// call log database and the metrics see it.
import Foundation

public struct CallRecord: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        case chat
        case embedding
    }

    public var kind: Kind = .chat
    /// The provider (route) that answered, or the last one tried.
    public var provider: String
    /// That route's provider kind ("anthropic", "openai"), when known.
    public var providerKind: String?
    /// The model asked for (the route's).
    public var model: String
    /// The model the provider said answered ("claude-sonnet-4-5-20250929"), when it said.
    public var responseModel: String?
    public var attempts: Int
    /// Providers moved past before the answer (0 = the first one answered).
    public var hops: Int
    public var queueWait: Double
    public var ttft: Double?
    public var latency: Double
    public var usage: Usage
    public var cost: Double
    /// nil on success, else the error kind.
    public var errorKind: LLMError.Kind?
    /// The final error, when the call failed.
    public var error: LLMError?
    /// Wall-clock time the call started (Unix seconds).
    public var startedAt: Double = Date().timeIntervalSince1970
    /// What was asked (chat calls).
    public var request: ChatRequest?
    /// What was answered (chat calls that succeeded).
    public var response: ChatResponse?
    /// What was embedded (embedding calls).
    public var embedding: EmbeddingSummary?
    /// Every request sent for this call, in order (retries, fallback hops).
    public var attemptLog: [AttemptRecord] = []

    public init(provider: String, model: String, attempts: Int, hops: Int, queueWait: Double, ttft: Double?,
                latency: Double, usage: Usage, cost: Double, errorKind: LLMError.Kind?) {
        self.provider = provider
        self.model = model
        self.attempts = attempts
        self.hops = hops
        self.queueWait = queueWait
        self.ttft = ttft
        self.latency = latency
        self.usage = usage
        self.cost = cost
        self.errorKind = errorKind
    }

    /// Attempts that were retries on the same route (not fallback hops).
    public var retries: Int { max(0, attempts - 1 - hops) }
}

/// One request of a call: where it went and how it ended.
public struct AttemptRecord: Sendable, Equatable {
    public var route: String
    public var model: String
    /// Seconds after the call started that this request was sent.
    public var offset: Double
    public var latency: Double
    /// The HTTP status, when a response head arrived.
    public var status: Int?
    /// nil when this attempt answered.
    public var error: LLMError?

    public init(route: String, model: String, offset: Double, latency: Double, status: Int?, error: LLMError?) {
        self.route = route
        self.model = model
        self.offset = offset
        self.latency = latency
        self.status = status
        self.error = error
    }
}

/// An embeddings call's input, for the call log (the vectors are not kept).
public struct EmbeddingSummary: Sendable, Equatable {
    public var inputs: [String]
    public var dimensions: Int?

    public init(inputs: [String], dimensions: Int?) {
        self.inputs = inputs
        self.dimensions = dimensions
    }
}
/// Dollars per million tokens for one model.
public struct ModelPrice: Sendable, Equatable {
    public var input: Double
    public var output: Double
    public var cacheRead: Double
    public var cacheWrite: Double

    public init(input: Double, output: Double, cacheRead: Double? = nil, cacheWrite: Double? = nil) {
        self.input = input
        self.output = output
        self.cacheRead = cacheRead ?? input * 0.1
        self.cacheWrite = cacheWrite ?? input * 1.25
    }

    public func cost(of usage: Usage) -> Double {
        (Double(usage.inputTokens) * input + Double(usage.outputTokens) * output
            + Double(usage.cacheReadTokens) * cacheRead + Double(usage.cacheWriteTokens) * cacheWrite) / 1_000_000
    }
}

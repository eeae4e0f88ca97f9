// Cassette: recorded HTTP interactions, replayable offline. JSON on disk
// (see CassetteCodec), readable and diffable: the request (method, URL,
// redacted headers, JSON body) and the response (status, headers, and a whole
// body or the stream's chunks exactly as received with their offsets), or the
// transport error that ended it.
import JSON

public struct Cassette: Sendable, Equatable {
    public static let currentVersion = 1

    public var version: Int
    /// Free text: which server and model produced it, how to re-record it.
    public var note: String?
    public var interactions: [CassetteInteraction]

    public init(version: Int = Cassette.currentVersion, note: String? = nil, interactions: [CassetteInteraction] = []) {
        self.version = version
        self.note = note
        self.interactions = interactions
    }
}

public struct CassetteInteraction: Sendable, Equatable {
    public var request: CassetteRequest
    /// nil when the transport failed before any response head.
    public var response: CassetteResponse?
    /// The transport error that ended the exchange (possibly after part of a stream).
    public var error: CassetteTransportError?

    public init(request: CassetteRequest, response: CassetteResponse?, error: CassetteTransportError? = nil) {
        self.request = request
        self.response = response
        self.error = error
    }
}

public struct CassetteRequest: Sendable, Equatable {
    public var method: String
    public var url: String
    /// Lower-cased names, secrets already replaced.
    public var headers: [String: String]
    public var body: CassetteBody?

    public init(method: String, url: String, headers: [String: String] = [:], body: CassetteBody? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

public struct CassetteResponse: Sendable, Equatable {
    public var status: Int
    public var headers: [String: String]
    /// A whole body (non-streamed responses).
    public var body: CassetteBody?
    /// A streamed body exactly as received, chunk by chunk.
    public var chunks: [CassetteChunk]?
    /// When the head arrived, in ms after the request started.
    public var headAtMs: Double

    public init(status: Int, headers: [String: String] = [:], body: CassetteBody? = nil, chunks: [CassetteChunk]? = nil, headAtMs: Double = 0) {
        self.status = status
        self.headers = headers
        self.body = body
        self.chunks = chunks
        self.headAtMs = headAtMs
    }

    /// The body bytes, whole or joined from the chunks.
    public var bodyBytes: [UInt8] {
        if let chunks { return chunks.flatMap(\.bytes) }
        return body?.bytes ?? []
    }
}

public struct CassetteChunk: Sendable, Equatable {
    /// Offset from the start of the request, in milliseconds.
    public var atMs: Double
    public var bytes: [UInt8]

    public init(atMs: Double, bytes: [UInt8]) {
        self.atMs = atMs
        self.bytes = bytes
    }
}

public struct CassetteTransportError: Sendable, Equatable {
    /// An LLMError kind name (network, timeout, ...).
    public var kind: String
    public var message: String
    public var atMs: Double

    public init(kind: String, message: String, atMs: Double) {
        self.kind = kind
        self.message = message
        self.atMs = atMs
    }
}

/// A body: JSON when it parses (stored as a JSON value, diffable), else text,
/// else base64 bytes.
public enum CassetteBody: Sendable, Equatable {
    case json(JSONValue)
    case text(String)
    case bytes([UInt8])

    public init(bytes: [UInt8]) {
        if !bytes.isEmpty, let value = try? JSONParser.parse(bytes) {
            self = .json(value)
        } else if let text = String(validating: bytes, as: UTF8.self) {
            self = .text(text)
        } else {
            self = .bytes(bytes)
        }
    }

    public var bytes: [UInt8] {
        switch self {
        case .json(let value): (try? JSONWriter().bytes(value)) ?? []
        case .text(let text): Array(text.utf8)
        case .bytes(let bytes): bytes
        }
    }
}

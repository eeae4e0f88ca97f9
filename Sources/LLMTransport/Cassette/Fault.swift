// One injected fault and what it does to a recorded interaction.
import Foundation
import LLMCore
import LLMProviders

public enum Fault: Sendable, Equatable {
    case status(Int, retryAfter: Double?)
    /// HTTP 200 whose stream starts with an error event (overloaded).
    case errorEvent
    case drop(afterChunks: Int)
    case stall(afterChunks: Int)
    /// The request is read and never answered: no head (what SDKs retry on their connect/read timeout).
    case stallBeforeHead
    case malformed(chunk: Int)
    /// Parallel tool calls that all claim index 0, as some servers send them.
    case badToolIndex

    init(parsing text: String, item: String) throws(LLMError) {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        let name = parts.first ?? ""
        let arg = parts.count > 1 ? parts[1] : nil
        func number() throws(LLMError) -> Int {
            guard let arg, let n = Int(arg), n >= 0 else { throw FaultPlan.bad(item, "'\(name)' needs a chunk count, e.g. \(name):3") }
            return n
        }
        switch name {
        case "429":
            var retry: Double?
            if let arg {
                guard let s = Double(arg), s >= 0, s <= 86_400 else { throw FaultPlan.bad(item, "429:SECONDS needs a number of seconds from 0 to 86400") }
                retry = s
            }
            self = .status(429, retryAfter: retry)
        case "500", "502", "503", "504", "529":
            self = .status(Int(name)!, retryAfter: nil)
        case "error-event": self = .errorEvent
        case "drop": self = .drop(afterChunks: try number())
        case "stall": self = .stall(afterChunks: arg == nil ? 0 : try number())
        case "stall-before-head": self = .stallBeforeHead
        case "malformed": self = .malformed(chunk: arg == nil ? 0 : try number())
        case "bad-tool-index": self = .badToolIndex
        default:
            throw FaultPlan.bad(item, "unknown fault '\(name)' (429[:s], 500, 502, 503, 504, 529, error-event, drop:N, stall[:N], stall-before-head, malformed[:N], bad-tool-index)")
        }
    }

    /// Whether the client does not get this recording whole when the fault
    /// is applied to it: then the recording stays available for the retry.
    /// (A bad tool index, or a fault that does not apply to a whole body,
    /// still delivers the recording.)
    public func replacesRecording(_ interaction: CassetteInteraction) -> Bool {
        let chunks = interaction.response?.chunks?.count
        switch self {
        case .status, .errorEvent, .stallBeforeHead: return true
        case .drop(let n), .stall(let n): return chunks != nil || n == 0
        case .malformed(let n): return chunks.map { n < $0 } ?? false
        case .badToolIndex: return false
        }
    }

    /// Chunk `index` as the fault alters it (malformed, bad-tool-index), else unchanged.
    func corrupt(_ bytes: [UInt8], index: Int) -> [UInt8] {
        switch self {
        case .malformed(let n) where n == index:
            // Keep the recorded `event:` line (Anthropic streams): an SDK skips
            // an event it cannot name, and would lose a token silently.
            let text = String(decoding: bytes, as: UTF8.self)
            let event = text.split(separator: "\n").first { $0.hasPrefix("event:") }.map { $0 + "\n" } ?? ""
            return Array((event + "data: {\"malformed\": \n\n").utf8)
        case .badToolIndex:
            let text = String(decoding: bytes, as: UTF8.self)
            return Array(text.replacingOccurrences(of: #""index":1"#, with: #""index":0"#)
                .replacingOccurrences(of: #""index": 1"#, with: #""index": 0"#).utf8)
        default:
            return bytes
        }
    }

    /// A whole response that replaces the recorded one, in the error shape
    /// of the provider whose API the recorded request went to.
    func replacementResponse(for request: CassetteRequest) -> CassetteResponse? {
        let path = request.url.split(separator: "?", maxSplits: 1).first.map(String.init) ?? request.url
        let shapes = ProviderRegistry.serving(path: path).faults
        switch self {
        case .status(let status, let retryAfter):
            var headers = ["content-type": "application/json", shapes.requestIDHeader: Self.requestID()]
            if let retryAfter { headers["retry-after"] = retryAfter == retryAfter.rounded() ? String(Int(retryAfter)) : String(retryAfter) }
            let body = shapes.errorBody(status, ProviderDescriptor.faultMessage(status) + " (injected fault)")
            return CassetteResponse(status: status, headers: headers, body: CassetteBody(bytes: Array(body.utf8)))
        case .errorEvent:
            return CassetteResponse(status: 200, headers: ["content-type": "text/event-stream", shapes.requestIDHeader: Self.requestID()],
                                    chunks: [CassetteChunk(atMs: 0, bytes: Array(shapes.overloadedEvent.utf8))])
        default:
            return nil
        }
    }

    /// Injected errors carry a request id, as the providers' do.
    nonisolated(unsafe) private static var injected = 0
    private static func requestID() -> String {
        injected += 1
        return "req_injected_\(injected)"
    }
}

// ScriptedTransport: answers each request with the next scripted response for
// its endpoint, played on the loop's timers (virtual time in tests), so
// retries, timeouts and fallbacks run exactly and instantly.
import Foundation
import LLMCore
import LLMTransport

public final class ScriptedTransport: HTTPTransport {
    public enum Step {
        case respond(CassetteResponse)
        /// The transport fails after `atMs` (a refused or dropped connection).
        case fail(kind: String, message: String, atMs: Double)
        /// Head and chunks as given, then nothing more: the connection stalls.
        case stall(CassetteResponse)
    }

    public let loop: EventLoop
    private var scripts: [String: [Step]]
    public private(set) var requests: [HTTPRequest] = []
    /// The loop's clock when each request started, in order.
    public private(set) var startTimes: [Double] = []
    /// Requests started and not yet over, and the most there ever were.
    public private(set) var inFlight = 0
    public private(set) var maxInFlight = 0

    /// `scripts` maps a URL prefix ("http://a") to its responses in order.
    public init(loop: EventLoop, scripts: [String: [Step]]) {
        self.loop = loop
        self.scripts = scripts
    }

    public func requests(to prefix: String) -> [HTTPRequest] { requests.filter { $0.url.hasPrefix(prefix) } }

    public func start(_ request: HTTPRequest, _ callbacks: TransferCallbacks) -> any TransferHandle {
        requests.append(request)
        startTimes.append(loop.clock.now)
        inFlight += 1
        maxInFlight = max(maxInFlight, inFlight)
        var callbacks = callbacks
        let onComplete = callbacks.onComplete
        callbacks.onComplete = { [weak self] error in
            self?.inFlight -= 1
            onComplete(error)
        }
        let key = scripts.keys.filter { request.url.hasPrefix($0) }.max { $0.count < $1.count }
        var step: Step = .fail(kind: "network", message: "ScriptedTransport: nothing scripted for \(request.url)", atMs: 0)
        if let key, var list = scripts[key], !list.isEmpty {
            step = list.removeFirst()
            scripts[key] = list
        }
        let cassetteRequest = CassetteRequest(method: request.method, url: request.url)
        let interaction: CassetteInteraction
        var fault: Fault?
        switch step {
        case .respond(let r): interaction = CassetteInteraction(request: cassetteRequest, response: r)
        case .fail(let kind, let message, let at):
            interaction = CassetteInteraction(request: cassetteRequest, response: nil, error: CassetteTransportError(kind: kind, message: message, atMs: at))
        case .stall(let r):
            interaction = CassetteInteraction(request: cassetteRequest, response: r)
            fault = .stall(afterChunks: r.chunks?.count ?? 0)
        }
        let player = ReplayPlayer(interaction: interaction, loop: loop, speed: 0, fault: fault, callbacks: callbacks)
        player.start()
        return player
    }
}

/// Canned responses in the providers' wire formats.
public enum Canned {
    /// An Anthropic stream answering `parts`, one chunk every `gapMs`.
    public static func anthropic(_ parts: [String], gapMs: Double = 10, inputTokens: Int = 10, stopAfter: Int? = nil) -> CassetteResponse {
        func event(_ type: String, _ json: String) -> String { "event: \(type)\ndata: \(json)\n\n" }
        var texts = [event("message_start", #"{"type":"message_start","message":{"id":"m","model":"claude-test","content":[],"usage":{"input_tokens":\#(inputTokens),"output_tokens":1}}}"#)
            + event("content_block_start", #"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#)]
        for p in parts {
            texts.append(event("content_block_delta", #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"\#(p)"}}"#))
        }
        texts.append(event("content_block_stop", #"{"type":"content_block_stop","index":0}"#)
            + event("message_delta", #"{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":\#(parts.count)}}"#)
            + event("message_stop", #"{"type":"message_stop"}"#))
        if let stopAfter { texts = Array(texts.prefix(stopAfter)) }
        let chunks = texts.enumerated().map { i, t in CassetteChunk(atMs: Double(i + 1) * gapMs, bytes: Array(t.utf8)) }
        return CassetteResponse(status: 200, headers: ["content-type": "text/event-stream"], chunks: chunks, headAtMs: gapMs / 2)
    }

    /// An error response with Anthropic's body shape.
    public static func error(_ status: Int, type: String = "api_error", retryAfter: String? = nil, headers extra: [String: String] = [:]) -> CassetteResponse {
        var headers = ["content-type": "application/json"]
        if let retryAfter { headers["retry-after"] = retryAfter }
        for (k, v) in extra { headers[k] = v }
        let body = #"{"type":"error","error":{"type":"\#(type)","message":"scripted \#(status)"}}"#
        return CassetteResponse(status: status, headers: headers, body: .text(body), headAtMs: 5)
    }
}

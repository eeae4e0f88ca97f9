// LoggedCall: one row of the call log, with its attempts and tool calls: made
// from a CallRecord (redacted: every registered secret replaced, as cassettes
// are), written to and read from the database, and shown as JSON (`moonwire
// logs --json`, `llm.logs`).
import JSON
import LLMCore

public struct LoggedCall: Sendable, Equatable {
    public struct Attempt: Sendable, Equatable {
        public var route: String?
        public var model: String?
        public var offsetMs: Double?
        public var latencyMs: Double?
        public var status: Int?
        public var errorKind: String?
        public var errorMessage: String?
        public var requestID: String?
    }

    public struct ToolCallRow: Sendable, Equatable {
        public var id: String?
        public var name: String
        public var arguments: String?
    }

    public var id: Int64 = 0
    public var startedAt: String
    public var runID: String
    public var script: String?
    /// The script's arguments, as a JSON array.
    public var args: String?
    public var kind: String
    public var provider: String?
    public var route: String
    /// The model asked for (the route's).
    public var model: String
    /// The model the provider said answered ("claude-sonnet-4-5-20250929"), when it said.
    public var responseModel: String?
    /// The request in provider-neutral JSON (system, messages, tools, options).
    public var request: String?
    /// The last user message's text (an embedding call's inputs, one per line).
    public var prompt: String?
    public var response: String?
    public var stopReason: String?
    public var inputTokens = 0
    public var outputTokens = 0
    public var cacheReadTokens = 0
    public var cacheWriteTokens = 0
    public var usageEstimated = false
    public var costUSD = 0.0
    public var latencyMs: Double?
    public var ttftMs: Double?
    public var queueWaitMs: Double?
    public var attempts = 1
    public var retries = 0
    public var hops = 0
    public var errorKind: String?
    public var errorStatus: Int?
    public var errorMessage: String?
    public var requestID: String?
    public var replayed = false
    public var cassette: String?
    public var attemptRows: [Attempt] = []
    public var toolCalls: [ToolCallRow] = []
    /// Every text the full-text index gets for the prompt side (system, all messages).
    var searchablePrompt: String?

    public var failed: Bool { errorKind != nil }
}

/// Who made the calls: one run of one script.
public struct CallLogContext: Sendable {
    public var runID: String
    public var script: String?
    public var arguments: [String]

    public init(runID: String, script: String?, arguments: [String]) {
        self.runID = runID
        self.script = script
        self.arguments = arguments
    }
}

extension LoggedCall {
    /// The row for `record`; every text passes through `Secrets.redact`.
    public init(_ r: CallRecord, context: CallLogContext, replayed: Bool, cassette: String?) {
        let redact = Secrets.redact
        startedAt = CallLogTime.iso(r.startedAt)
        runID = context.runID
        script = context.script
        args = Self.text(.array(context.arguments.map { .string(redact($0)) }))
        kind = r.kind.rawValue
        provider = r.providerKind
        route = r.provider
        model = r.model
        responseModel = r.responseModel
        if let request = r.request {
            self.request = redact(Self.text(RequestJSON.value(request)))
            prompt = request.messages.last(where: { $0.role == .user }).map { redact($0.text) }
            searchablePrompt = redact(([request.system].compactMap { $0 } + request.messages.map(\.text)).filter { !$0.isEmpty }
                .joined(separator: "\n"))
        } else if let e = r.embedding {
            var o = JSONObject()
            o["inputs"] = .array(e.inputs.map { .string($0) })
            if let d = e.dimensions { o["dimensions"] = .int(Int64(d)) }
            request = redact(Self.text(.object(o)))
            prompt = redact(e.inputs.joined(separator: "\n"))
            searchablePrompt = prompt
        }
        if let response = r.response {
            self.response = redact(response.text)
            stopReason = response.rawFinishReason ?? response.finishReason?.rawValue
            toolCalls = response.toolCalls.map { ToolCallRow(id: $0.id, name: $0.name, arguments: redact(Self.text($0.arguments))) }
        }
        inputTokens = r.usage.inputTokens
        outputTokens = r.usage.outputTokens
        cacheReadTokens = r.usage.cacheReadTokens
        cacheWriteTokens = r.usage.cacheWriteTokens
        usageEstimated = r.usage.estimated
        costUSD = r.cost
        latencyMs = Self.ms(r.latency)
        ttftMs = r.ttft.map(Self.ms)
        queueWaitMs = Self.ms(r.queueWait)
        attempts = r.attempts
        retries = r.retries
        hops = r.hops
        if let e = r.error {
            errorKind = e.kind.rawValue
            errorStatus = e.status
            errorMessage = e.message  // LLMError redacts its message itself
            requestID = e.requestID
        }
        self.replayed = replayed
        self.cassette = cassette
        attemptRows = r.attemptLog.map { a in
            Attempt(route: a.route, model: a.model, offsetMs: Self.ms(a.offset), latencyMs: Self.ms(a.latency), status: a.status ?? a.error?.status,
                    errorKind: a.error?.kind.rawValue, errorMessage: a.error?.message, requestID: a.error?.requestID)
        }
    }

    static func ms(_ seconds: Double) -> Double { (seconds * 10_000).rounded() / 10 }

    static func text(_ v: JSONValue) -> String { (try? JSONWriter.string(v)) ?? "null" }

    /// The row as one JSON object (`moonwire logs --json`, `llm.logs`).
    public var json: JSONValue {
        var o = JSONObject()
        o["id"] = .int(id)
        o["started_at"] = .string(startedAt)
        o["run_id"] = .string(runID)
        if let script { o["script"] = .string(script) }
        if let args, let parsed = try? JSONParser.parse(args) { o["args"] = parsed }
        o["kind"] = .string(kind)
        if let provider { o["provider"] = .string(provider) }
        o["route"] = .string(route)
        o["model"] = .string(model)
        if let responseModel { o["response_model"] = .string(responseModel) }
        if let request, let parsed = try? JSONParser.parse(request) { o["request"] = parsed }
        if let prompt { o["prompt"] = .string(prompt) }
        if let response { o["response"] = .string(response) }
        if let stopReason { o["stop_reason"] = .string(stopReason) }
        var usage = JSONObject()
        usage["input_tokens"] = .int(Int64(inputTokens))
        usage["output_tokens"] = .int(Int64(outputTokens))
        usage["cache_read_tokens"] = .int(Int64(cacheReadTokens))
        usage["cache_write_tokens"] = .int(Int64(cacheWriteTokens))
        if usageEstimated { usage["estimated"] = .bool(true) }
        o["usage"] = .object(usage)
        o["cost_usd"] = .double(costUSD)
        if let latencyMs { o["latency_ms"] = .double(latencyMs) }
        if let ttftMs { o["ttft_ms"] = .double(ttftMs) }
        if let queueWaitMs { o["queue_wait_ms"] = .double(queueWaitMs) }
        o["attempts"] = .int(Int64(attempts))
        o["retries"] = .int(Int64(retries))
        o["hops"] = .int(Int64(hops))
        if let errorKind {
            var e = JSONObject()
            e["kind"] = .string(errorKind)
            if let errorStatus { e["status"] = .int(Int64(errorStatus)) }
            if let errorMessage { e["message"] = .string(errorMessage) }
            if let requestID { e["request_id"] = .string(requestID) }
            o["error"] = .object(e)
        }
        o["replayed"] = .bool(replayed)
        if let cassette { o["cassette"] = .string(cassette) }
        if !toolCalls.isEmpty {
            o["tool_calls"] = .array(toolCalls.map { t in
                var c = JSONObject()
                if let id = t.id { c["id"] = .string(id) }
                c["name"] = .string(t.name)
                if let a = t.arguments { c["arguments"] = (try? JSONParser.parse(a)) ?? .string(a) }
                return .object(c)
            })
        }
        o["attempt_log"] = .array(attemptRows.map { a in
            var c = JSONObject()
            if let v = a.route { c["route"] = .string(v) }
            if let v = a.model { c["model"] = .string(v) }
            if let v = a.offsetMs { c["offset_ms"] = .double(v) }
            if let v = a.latencyMs { c["latency_ms"] = .double(v) }
            if let v = a.status { c["status"] = .int(Int64(v)) }
            if let v = a.errorKind { c["error_kind"] = .string(v) }
            if let v = a.errorMessage { c["error_message"] = .string(v) }
            if let v = a.requestID { c["request_id"] = .string(v) }
            return .object(c)
        })
        return .object(o)
    }
}

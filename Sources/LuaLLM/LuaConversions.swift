// LLMCore values as Lua tables: responses, stream events, usage and errors.
import JSON
import LLMCore
import LLMTransport
import LuaBridge

extension LuaCall {
    func push(usage: Usage) {
        newTable(recordCount: 6)
        let t = absolute(-1)
        push(usage.inputTokens); setField(t, "input_tokens")
        push(usage.outputTokens); setField(t, "output_tokens")
        push(usage.cacheReadTokens); setField(t, "cache_read_tokens")
        push(usage.cacheWriteTokens); setField(t, "cache_write_tokens")
        push(usage.inputTokens + usage.outputTokens); setField(t, "total_tokens")
        if usage.estimated { push(true); setField(t, "estimated") }
    }

    func push(toolCall: ToolCall) {
        newTable(recordCount: 3)
        let t = absolute(-1)
        push(toolCall.id); setField(t, "id")
        push(toolCall.name); setField(t, "name")
        push(json: toolCall.arguments); setField(t, "arguments")
    }

    /// The table llm.chat returns.
    func push(response: ChatResponse, provider: String, timing: (latency: Double, ttft: Double?), cost: Double = 0) {
        newTable(recordCount: 12)
        let t = absolute(-1)
        push(response.text); setField(t, "text")
        let thinking = response.thinking
        if !thinking.isEmpty { push(thinking); setField(t, "thinking") }
        let calls = response.toolCalls
        newTable(arrayCount: Int32(calls.count))
        let list = absolute(-1)
        for (i, c) in calls.enumerated() { push(toolCall: c); setIndex(list, Int64(i + 1)) }
        setField(t, "tool_calls")
        push(usage: response.usage); setField(t, "usage")
        if let reason = response.finishReason { push(reason.rawValue); setField(t, "stop_reason") }
        if let raw = response.rawFinishReason { push(raw); setField(t, "raw_stop_reason") }
        if let model = response.model { push(model); setField(t, "model") }
        if let id = response.id { push(id); setField(t, "id") }
        push(provider); setField(t, "provider")
        push((timing.latency * 1000 * 10).rounded() / 10); setField(t, "latency_ms")
        if let ttft = timing.ttft { push((ttft * 1000 * 10).rounded() / 10); setField(t, "ttft_ms") }
        push(cost); setField(t, "cost_usd")
        push(message: response.message); setField(t, "message")
    }

    /// A message in the shape MessageReader accepts, so transcripts can be sent back.
    func push(message: Message) {
        newTable(recordCount: 2)
        let t = absolute(-1)
        if message.role == .tool, case .toolResult(let id, let content, let isError)? = message.content.first {
            push("tool"); setField(t, "role")
            push(id); setField(t, "tool_call_id")
            push(content); setField(t, "content")
            if isError { push(true); setField(t, "is_error") }
            return
        }
        push(message.role.rawValue); setField(t, "role")
        if message.content.count == 1, case .text(let text) = message.content[0] {
            push(text); setField(t, "content")
            return
        }
        newTable(arrayCount: Int32(message.content.count))
        let blocks = absolute(-1)
        for (i, block) in message.content.enumerated() {
            push(block: block)
            setIndex(blocks, Int64(i + 1))
        }
        setField(t, "content")
    }

    func push(block: ContentBlock) {
        newTable(recordCount: 4)
        let b = absolute(-1)
        switch block {
        case .text(let text):
            push("text"); setField(b, "type")
            push(text); setField(b, "text")
        case .thinking(let text, let signature):
            push("thinking"); setField(b, "type")
            push(text); setField(b, "thinking")
            if let signature { push(signature); setField(b, "signature") }
        case .redactedThinking(let data):
            push("redacted_thinking"); setField(b, "type")
            push(data); setField(b, "data")
        case .toolUse(let call):
            push("tool_use"); setField(b, "type")
            push(call.id); setField(b, "id")
            push(call.name); setField(b, "name")
            push(json: call.arguments); setField(b, "input")
            if let signature = call.signature { push(signature); setField(b, "signature") }
        case .toolResult(let id, let content, let isError):
            push("tool_result"); setField(b, "type")
            push(id); setField(b, "tool_use_id")
            push(content); setField(b, "content")
            if isError { push(true); setField(b, "is_error") }
        }
    }

    /// A stream event as a table with `type`; returns false (nothing pushed)
    /// for bookkeeping events scripts do not see (pings, block boundaries).
    func push(event: StreamEvent, snapshot: (Int) -> String) -> Bool {
        func table(_ type: String, _ fill: (Int32) -> Void) {
            newTable(recordCount: 4)
            let t = absolute(-1)
            push(type); setField(t, "type")
            fill(t)
        }
        switch event {
        case .messageStart(let id, let model):
            table("start") { t in
                if let id { push(id); setField(t, "id") }
                if let model { push(model); setField(t, "model") }
            }
        case .textDelta(_, let text):
            table("text") { t in push(text); setField(t, "text") }
        case .thinkingDelta(_, let text):
            table("thinking") { t in push(text); setField(t, "text") }
        case .toolInputStart(let index, let id, let name):
            table("tool_input_start") { t in
                push(id); setField(t, "id"); push(name); setField(t, "name"); push(index + 1); setField(t, "index")
            }
        case .toolInputDelta(let index, let partial):
            table("tool_input") { t in
                push(partial); setField(t, "delta"); push(snapshot(index)); setField(t, "partial_json")
                push(index + 1); setField(t, "index")
            }
        case .toolCall(let index, let call):
            table("tool_call") { t in
                push(call.id); setField(t, "id"); push(call.name); setField(t, "name")
                push(json: call.arguments); setField(t, "arguments"); push(index + 1); setField(t, "index")
            }
        case .usage(let usage):
            table("usage") { t in push(usage: usage); setField(t, "usage") }
        case .finish(let reason, let raw):
            table("finish") { t in
                push(reason.rawValue); setField(t, "reason")
                if let raw { push(raw); setField(t, "raw_reason") }
            }
        case .textStart, .textEnd, .thinkingStart, .thinkingEnd, .thinkingSignature, .redactedThinking, .toolInputEnd, .ping:
            return false
        }
        return true
    }
}

extension LuaCall {
    /// Retry, fallback, rate-limit wait and recovery notices as event tables.
    func push(resilientEvent event: ResilientEvent) {
        newTable(recordCount: 8)
        let t = absolute(-1)
        func wait(_ type: String, _ w: WaitInfo) {
            push(type); setField(t, "type")
            push(w.seconds); setField(t, "wait")
            push(w.provider); setField(t, "provider")
            push(w.attempt); setField(t, "attempt")
            push(w.maxAttempts); setField(t, "max_attempts")
            push(w.reason.rawValue); setField(t, "reason")
            if let p = w.position { push(p); setField(t, "position") }
            if let c = w.cause { push(c.rawValue); setField(t, "cause") }
            if let q = w.queued { push(q); setField(t, "queued") }
            if let e = w.error { push(error: e); setField(t, "error") }
        }
        switch event {
        case .retry(let w): wait("retry", w)
        case .rateWait(let w): wait("rate_wait", w)
        case .fallback(let f):
            push("fallback"); setField(t, "type")
            push(f.from); setField(t, "from")
            push(f.to); setField(t, "to")
            push(error: f.error); setField(t, "error")
        case .recovered(let provider, let mode, let partial):
            push("recovered"); setField(t, "type")
            push(provider); setField(t, "provider")
            push(mode.rawValue); setField(t, "mode")
            push(partial); setField(t, "partial_text")
        case .hedge(let from, let to):
            push("hedge"); setField(t, "type")
            push(from); setField(t, "from")
            push(to); setField(t, "to")
        case .stream, .discardUnseen:
            push("stream"); setField(t, "type")
        }
    }
}

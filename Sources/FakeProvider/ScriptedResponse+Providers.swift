// Complete, valid streams in the providers' wire formats, shaped like the real
// traffic in Tests/Fixtures/conformance (Anthropic Messages SSE; OpenAI chat.completion.chunk).

extension ScriptedResponse {
    /// An Anthropic Messages stream that answers `tokens` as one text block:
    /// message_start, content_block_start, ping, one text_delta per token,
    /// content_block_stop, message_delta (end_turn, usage), message_stop.
    /// The framing goes out at once; each token `interval` seconds after the
    /// previous event, so the first token also waits `interval`.
    public static func anthropicText(
        _ tokens: [String], interval: Double = 0, model: String = "claude-test", inputTokens: Int = 10
    ) -> ScriptedResponse {
        func event(_ name: String, _ json: String, delay: Double = 0) -> Chunk {
            Chunk(delay: delay, "event: \(name)\ndata: \(json)\n\n")
        }
        let usage = "\"usage\":{\"input_tokens\":\(inputTokens),\"output_tokens\":1}"
        var chunks = [
            event("message_start", """
                {"type":"message_start","message":{"id":"msg_fake_01","type":"message","role":"assistant",\
                "model":\(JSONText.quoted(model)),"content":[],"stop_reason":null,"stop_sequence":null,\(usage)}}
                """),
            event("content_block_start", #"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#),
            event("ping", #"{"type":"ping"}"#),
        ]
        for token in tokens {
            chunks.append(event("content_block_delta", """
                {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":\(JSONText.quoted(token))}}
                """, delay: interval))
        }
        chunks += [
            event("content_block_stop", #"{"type":"content_block_stop","index":0}"#),
            event("message_delta", """
                {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},\
                "usage":{"input_tokens":\(inputTokens),"output_tokens":\(tokens.count)}}
                """),
            event("message_stop", #"{"type":"message_stop"}"#),
        ]
        return sse(chunks: chunks, headers: [("request-id", "req_fake_01")])
    }

    /// An OpenAI Chat Completions stream that answers `tokens`: a role chunk, one
    /// content chunk per token, a finish_reason "stop" chunk, a usage chunk with
    /// empty choices (as with `stream_options.include_usage`), then `data: [DONE]`.
    /// Each token goes out `interval` seconds after the previous event.
    /// `usage: false` leaves the usage chunk out, as llama.cpp's server does.
    public static func openAIText(
        _ tokens: [String], interval: Double = 0, model: String = "gpt-test", inputTokens: Int = 10, usage: Bool = true
    ) -> ScriptedResponse {
        let prefix = """
            {"id":"chatcmpl-fake01","object":"chat.completion.chunk","created":1700000000,"model":\(JSONText.quoted(model)),
            """
        func data(_ rest: String, delay: Double = 0) -> Chunk {
            Chunk(delay: delay, "data: \(prefix)\(rest)}\n\n")
        }
        var chunks = [data(#""choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]"#)]
        for token in tokens {
            chunks.append(data("""
                "choices":[{"index":0,"delta":{"content":\(JSONText.quoted(token))},"finish_reason":null}]
                """, delay: interval))
        }
        chunks.append(data(#""choices":[{"index":0,"delta":{},"finish_reason":"stop"}]"#))
        if usage {
            chunks.append(data("""
                "choices":[],"usage":{"prompt_tokens":\(inputTokens),"completion_tokens":\(tokens.count),\
                "total_tokens":\(inputTokens + tokens.count)}
                """))
        }
        chunks.append(Chunk("data: [DONE]\n\n"))
        return sse(chunks: chunks)
    }
}

extension ScriptedResponse {
    /// A Gemini `streamGenerateContent?alt=sse` stream that answers `tokens`:
    /// one GenerateContentResponse per token (growing usageMetadata), then
    /// one with an empty text part and finishReason STOP, as the API ends.
    /// Each token goes out `interval` seconds after the previous event.
    public static func geminiText(
        _ tokens: [String], interval: Double = 0, model: String = "gemini-test", inputTokens: Int = 10
    ) -> ScriptedResponse {
        func event(_ text: String, _ count: Int, finish: Bool = false, delay: Double = 0) -> Chunk {
            let reason = finish ? #","finishReason":"STOP""# : ""
            return Chunk(delay: delay, """
                data: {"candidates":[{"content":{"parts":[{"text":\(JSONText.quoted(text))}],"role":"model"}\(reason),"index":0}],\
                "usageMetadata":{"promptTokenCount":\(inputTokens),"candidatesTokenCount":\(count),"totalTokenCount":\(inputTokens + count)},\
                "modelVersion":\(JSONText.quoted(model)),"responseId":"gemini_fake_01"}\r\n\r\n
                """)
        }
        var chunks = tokens.enumerated().map { event($0.element, $0.offset + 1, delay: interval) }
        chunks.append(event("", tokens.count, finish: true))
        return sse(chunks: chunks)
    }
}

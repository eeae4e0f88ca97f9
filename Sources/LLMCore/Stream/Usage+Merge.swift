// How usage reports combine over a stream. Providers report usage more than
// once (Anthropic: message_start, then message_delta; OpenAI-compatible
// servers: a usage chunk, sometimes repeated), each report possibly partial.

extension Usage {
    /// `later` wins field by field where it is non-zero; a zero means "not
    /// reported" (message_delta may lack input tokens that message_start had).
    public func merging(_ later: Usage) -> Usage {
        Usage(
            inputTokens: later.inputTokens != 0 ? later.inputTokens : inputTokens,
            outputTokens: later.outputTokens != 0 ? later.outputTokens : outputTokens,
            cacheReadTokens: later.cacheReadTokens != 0 ? later.cacheReadTokens : cacheReadTokens,
            cacheWriteTokens: later.cacheWriteTokens != 0 ? later.cacheWriteTokens : cacheWriteTokens)
    }
}

import JSON
import LLMCore
import Testing

@Suite("Usage estimates and the OpenMetrics registry")
struct UsageAndMetricsTests {
    @Test("no usage from the server: UTF-8 bytes ÷ 4, rounded up, over what the model read and wrote; reported usage is kept")
    func estimate() {
        let request = ChatRequest(model: "m", messages: [Message(role: .user, text: "12345678")], system: "abcd")
        let answer = ChatResponse(message: Message(role: .assistant, text: "héllo"))  // 6 bytes
        let filled = UsageEstimate.filled(answer, for: request)
        #expect(filled.usage == Usage(inputTokens: 3, outputTokens: 2, estimated: true))
        var reported = answer
        reported.usage = Usage(inputTokens: 7, outputTokens: 1)
        #expect(UsageEstimate.filled(reported, for: request).usage == Usage(inputTokens: 7, outputTokens: 1))
        #expect(UsageEstimate.embeddingUsage(["abcde", "x"]) == Usage(inputTokens: 3, estimated: true))
    }

    @Test("render: counters end in _total, histogram buckets are cumulative, labels are escaped, # EOF last")
    func render() {
        let m = MetricsRegistry()
        for latency in [0.07, 0.3, 3.0] {
            m.record(CallRecord(provider: "a\"b", model: "m", attempts: 1, hops: 0, queueWait: 0, ttft: 0.02, latency: latency,
                                usage: Usage(inputTokens: 5, outputTokens: 2), cost: 0.5, errorKind: nil))
        }
        m.record(CallRecord(provider: "a\"b", model: "m", attempts: 3, hops: 0, queueWait: 0, ttft: nil, latency: 9,
                            usage: Usage(), cost: 0, errorKind: .rateLimited))
        m.setGauges([RouteGauge(name: "r", model: "m", concurrencyLimit: 20, inFlight: 2, queued: 5, retriesInWindow: 0, callsInWindow: 0)])
        let text = m.render()
        let labels = #"kind="chat",route="a\"b",model="m""#
        #expect(text.contains("moonwire_calls_total{\(labels),outcome=\"ok\"} 3\n"))
        #expect(text.contains("moonwire_calls_total{\(labels),outcome=\"rate_limited\"} 1\n"))
        #expect(text.contains("moonwire_tokens_total{\(labels),type=\"input\"} 15\n"))
        #expect(text.contains("moonwire_cost_usd_total{\(labels)} 1.5\n"))
        #expect(text.contains("moonwire_call_latency_seconds_bucket{\(labels),le=\"0.1\"} 1\n"))
        #expect(text.contains("moonwire_call_latency_seconds_bucket{\(labels),le=\"0.5\"} 2\n"))
        #expect(text.contains("moonwire_call_latency_seconds_bucket{\(labels),le=\"+Inf\"} 3\n"))
        #expect(text.contains("moonwire_call_latency_seconds_sum{\(labels)} 3.37\n"))
        #expect(text.contains("moonwire_route_queued{route=\"r\",model=\"m\"} 5\n"))
        #expect(text.contains("moonwire_route_concurrency_limit{route=\"r\",model=\"m\"} 20\n"))
        #expect(text.hasSuffix("# EOF\n"))
    }
}

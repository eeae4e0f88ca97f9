// A stream of tens of thousands of distinct OpenAI tool calls decodes whole and
// in linear time: each delta finds its call by id or wire index in constant
// time (issue 16: 80,000 calls took 17.7 s of CPU with a scan per delta; as a
// quadratic this test would not finish within the suite's time bound).
import JSON
import LLMCore
import LLMProviders
import Testing

@Suite struct ManyToolCallsTests {
    @Test("80,000 distinct tool calls, each an id delta then two argument fragments, all decode")
    func manyDistinctCalls() throws {
        let count = 80_000
        var body = #"data: {"id":"c","model":"m","choices":[{"index":0,"delta":{"role":"assistant"}}]}"# + "\n\n"
        body.reserveCapacity(count * 260)
        for i in 0..<count {
            body += #"data: {"id":"c","model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":\#(i),"id":"call_\#(i)","type":"function","function":{"name":"f","arguments":"{\"n\":"}}]}}]}"# + "\n\n"
        }
        for i in 0..<count {
            body += #"data: {"id":"c","model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":\#(i),"function":{"arguments":"\#(i)}"}}]}}]}"# + "\n\n"
        }
        body += #"data: {"id":"c","model":"m","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}"# + "\n\ndata: [DONE]\n\n"
        let outcome = StreamHarness.run(OpenAIProvider(), Array(body.utf8), split: .whole)
        let response = try outcome.result.get()
        let calls = response.toolCalls
        #expect(calls.count == count)
        #expect(calls.first?.id == "call_0" && calls.first?.arguments == JSONValue.object(["n": JSONValue.int(0)]))
        #expect(calls.last?.id == "call_\(count - 1)" && calls.last?.arguments == JSONValue.object(["n": JSONValue.int(Int64(count - 1))]))
    }
}

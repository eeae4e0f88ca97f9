// retry-after-ms, retry-after seconds and HTTP dates, read as openai-python
// and anthropic-sdk-python read them.
import LLMCore
import LLMProviders
import Testing

@Suite struct RetryAfterTests {
    @Test func millisecondsWin() {
        #expect(RetryAfter.seconds(in: ["retry-after-ms": "1500", "retry-after": "9"]) == 1.5)
        #expect(RetryAfter.seconds(in: ["retry-after-ms": "250.5"]) == 0.2505)
    }

    @Test func seconds() {
        #expect(RetryAfter.seconds(in: ["retry-after": "30"]) == 30)
        #expect(RetryAfter.seconds(in: ["retry-after": " 2.5 "]) == 2.5)
        #expect(RetryAfter.seconds(in: ["retry-after": "soon"]) == nil)
        #expect(RetryAfter.seconds(in: [:]) == nil)
    }

    @Test func httpDateAgainstTheResponseDate() {
        let headers = ["retry-after": "Wed, 21 Oct 2015 07:28:00 GMT", "date": "Wed, 21 Oct 2015 07:27:15 GMT"]
        #expect(RetryAfter.seconds(in: headers, now: 0) == 45)
        // Without a date header, against the caller's clock: 2015-10-21T07:28:00Z is 1445412480.
        #expect(RetryAfter.seconds(in: ["retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"], now: 1_445_412_470) == 10)
        // The obsolete forms RFC 9110 still asks recipients to accept.
        #expect(RetryAfter.seconds(in: ["retry-after": "Wednesday, 21-Oct-15 07:28:00 GMT"], now: 1_445_412_480) == 0)
        #expect(RetryAfter.seconds(in: ["retry-after": "Wed Oct 21 07:28:00 2015"], now: 1_445_412_480) == 0)
        #expect(RetryAfter.seconds(in: ["retry-after": "Wed, 32 Oct 2015 07:28:00 GMT"], now: 0) == nil)
    }

    @Test func errorsCarryIt() {
        let anthropic = AnthropicProvider(endpoint: ProviderEndpoint(baseURL: AnthropicProvider.defaultBaseURL, apiKey: "k"))
        let body = Array(#"{"type":"error","error":{"type":"rate_limit_error","message":"Number of request tokens has exceeded your per-minute rate limit"}}"#.utf8)
        let error = anthropic.error(
            for: HTTPResponseHead(status: 429, headers: ["retry-after": "17", "request-id": "req_1"]), body: body)
        #expect(error.kind == .rateLimited && error.retryAfter == 17 && error.requestID == "req_1" && error.status == 429)
        #expect(error.description == "rate_limited (429) from anthropic: Number of request tokens has exceeded your "
            + "per-minute rate limit [request req_1]")
        let openAI = OpenAIProvider()
        let limited = openAI.error(
            for: HTTPResponseHead(status: 429, headers: ["retry-after-ms": "20", "x-request-id": "req_2"]),
            body: Array(#"{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}"#.utf8))
        #expect(limited.kind == .rateLimited && limited.retryAfter == 0.02 && limited.requestID == "req_2")
    }
}

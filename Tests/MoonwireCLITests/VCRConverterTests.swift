// VCRConverter on hand-written cassettes: the framings the shared recordings
// do not cover (CRLF, extra blank lines, a last event without one, NDJSON)
// and redaction of credentials in headers and query strings.
import LLMCore
import Testing
import TestSupport

@Suite struct VCRConverterTests {
    static let yaml = #"""
        interactions:
        - request:
            method: post
            uri: https://example.test/v1/x?key=abc123456789&n=1
            headers:
              Authorization: [Bearer sk-not-a-real-key-0001]
              Content-Type: [application/json]
            body: '{"a":1}'
          response:
            status: {code: 200, message: OK}
            headers:
              Set-Cookie: [session=0123456789abcdef]
            body: {string: "\nevent: a\r\ndata: 1\r\n\r\n\r\ndata: 2\r\n\r\ndata: 3"}
        - request: {method: GET, uri: 'http://127.0.0.1:11434/api/chat', headers: {}, body: null}
          response:
            status: {code: 200, message: OK}
            headers: {Content-Type: [application/x-ndjson]}
            body: {string: "{\"a\":1}\n{\"b\":2}\n"}
        """#

    @Test func streamsSplitPerEventAndCredentialsAreRedacted() throws {
        let cassette = VCRConverter.convert(try VCRCassette(yaml: Self.yaml))
        let sse = cassette.interactions[0]
        #expect(sse.request.method == "POST")
        #expect(sse.request.url == "https://example.test/v1/x?key=<redacted>&n=1")
        #expect(sse.request.headers == ["authorization": "<redacted>", "content-type": "application/json"])
        #expect(sse.request.body == .json(["a": 1]))
        let response = try #require(sse.response)
        #expect(response.headers == ["set-cookie": "<redacted>"])
        // No content-type: the body itself says SSE (after a leading newline, which joins the first event).
        #expect(response.chunks?.map { String(decoding: $0.bytes, as: UTF8.self) }
            == ["\nevent: a\r\ndata: 1\r\n\r\n\r\n", "data: 2\r\n\r\n", "data: 3"])
        #expect(response.chunks?.map(\.atMs) == [1, 2, 3])
        #expect(response.headAtMs == 0 && response.body == nil)

        let ndjson = try #require(cassette.interactions[1].response)
        #expect(cassette.interactions[1].request.body == nil)
        #expect(ndjson.chunks?.map { String(decoding: $0.bytes, as: UTF8.self) } == ["{\"a\":1}\n", "{\"b\":2}\n"])
    }
}

import JSON
import LLMCore
import Testing

@Suite struct CassetteCodecTests {
    /// "é" is C3 A9: split across two chunks, neither chunk is UTF-8 on its own.
    static let sample = Cassette(note: "recorded against FakeProvider; re-record with --record", interactions: [
        CassetteInteraction(
            request: CassetteRequest(method: "POST", url: "https://api.anthropic.com/v1/messages",
                                     headers: ["x-api-key": "<redacted>", "content-type": "application/json"],
                                     body: .json(["model": "m", "max_tokens": 16, "temperature": 0.5, "stream": true])),
            response: CassetteResponse(status: 200, headers: ["content-type": "text/event-stream"], chunks: [
                CassetteChunk(atMs: 12.5, bytes: Array("event: ping\ndata: {}\n\n".utf8)),
                CassetteChunk(atMs: 30, bytes: Array("data: caf".utf8) + [0xC3]),
                CassetteChunk(atMs: 30.1, bytes: [0xA9] + Array("\n\n".utf8)),
                CassetteChunk(atMs: 31, bytes: []),
            ], headAtMs: 12.5),
            error: CassetteTransportError(kind: "network", message: "connection reset", atMs: 40)),
        CassetteInteraction(
            request: CassetteRequest(method: "POST", url: "/form", body: .text("a=1&b=2")),
            response: CassetteResponse(status: 429, headers: ["retry-after": "3"], body: .json(["error": ["type": "rate_limit_error"]]))),
        CassetteInteraction(
            request: CassetteRequest(method: "PUT", url: "/blob", body: .bytes([0xFF, 0x00, 0x80])),
            response: CassetteResponse(status: 200, body: .bytes([0xC3]))),
        CassetteInteraction(
            request: CassetteRequest(method: "GET", url: "/v1/models"),
            response: nil,
            error: CassetteTransportError(kind: "timeout", message: "no response head in 10 s", atMs: 10_000)),
    ])

    @Test func encodeThenDecodeIsIdentity() throws {
        let encoded = CassetteCodec.encode(Self.sample)
        #expect(try CassetteCodec.decode(encoded) == Self.sample)
        #expect(CassetteCodec.encode(try CassetteCodec.decode(encoded)) == encoded)
        let text = String(decoding: encoded, as: UTF8.self)
        #expect(text.contains(#""base64": "ZGF0YTogY2Fmww==""#))
        #expect(text.contains(#""text": "event: ping\ndata: {}\n\n""#))
        #expect(text.contains(#""body_base64": "/wCA""#))
    }

    @Test func nonFiniteOffsetsAreWrittenAsZeroNotAnEmptyFile() throws {
        var cassette = Self.sample
        cassette.interactions[0].response?.headAtMs = .nan
        cassette.interactions[0].response?.chunks = [CassetteChunk(atMs: .infinity, bytes: [])]
        let decoded = try CassetteCodec.decode(CassetteCodec.encode(cassette))
        #expect(decoded.interactions.count == 4)
        #expect(decoded.interactions[0].response?.chunks?.first?.atMs == 0)
    }

    private func error(_ text: String) -> CassetteFormatError? {
        do {
            _ = try CassetteCodec.decode(Array(text.utf8))
            return nil
        } catch {
            return error
        }
    }

    private static let truncated: String = {
        let text = String(decoding: CassetteCodec.encode(sample), as: UTF8.self)
        return String(text.prefix(text.count / 2))
    }()

    private static let interaction = #"{"request": {"method": "POST", "url": "/v1/messages"}, "response": {"status": 200, "head_at_ms": 5, "chunks": "#

    @Test("broken cassettes name the problem and where it is", arguments: [
        ("not json at all", "$", "not valid JSON: invalid JSON at byte 0"),
        (#"{"interactions": []}"#, "$", #"not a Moonwire cassette (no "moonwire_cassette" version field)"#),
        (#"{"moonwire_cassette": 99, "interactions": []}"#, "$.moonwire_cassette", "unsupported cassette version 99 (this Moonwire reads version 1)"),
        (truncated, "$", "not valid JSON: invalid JSON at byte"),
        (#"{"moonwire_cassette": 1, "interactions": ["# + interaction + #"[{"at_ms": 9, "text": "a"}, {"at_ms": 7, "text": "b"}]}}]}"#,
         "$.interactions[0].response.chunks[1].at_ms", "chunk offsets must not go backwards (7.0 after 9.0)"),
        (#"{"moonwire_cassette": 1, "interactions": ["# + interaction + #"[{"at_ms": 4, "text": "a"}]}}]}"#,
         "$.interactions[0].response.chunks[0].at_ms", "chunk offsets must not go backwards (4.0 after 5.0)"),
        (#"{"moonwire_cassette": 1, "interactions": [{"request": {"method": "GET", "url": "/"}}]}"#,
         "$.interactions[0]", #"an interaction needs a "response" or an "error""#),
        (#"{"moonwire_cassette": 1, "interactions": [{"request": {"method": "GET", "url": "/", "headers": {"x-a": 1}}, "error": {"kind": "network", "message": ""}}]}"#,
         #"$.interactions[0].request.headers["x-a"]"#, "expected a string"),
    ])
    func brokenCassette(text: String, path: String, message: String) throws {
        let failure = try #require(error(text))
        #expect(failure.path == path)
        #expect(failure.message.hasPrefix(message), "\(failure.message)")
        #expect(failure.description.contains(message))
        if path != "$" { #expect(failure.description.hasSuffix(" at \(path)")) }
    }
}

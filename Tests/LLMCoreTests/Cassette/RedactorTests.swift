import Foundation
import JSON
import LLMCore
import Testing

@Suite struct RedactorTests {
    /// A real-looking Anthropic key, different on every run.
    private static let key: String = {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
        return "sk-ant-api03-" + String((0..<40).map { _ in alphabet.randomElement()! })
    }()
    private static let placeholder = Redactor.placeholder

    private func text(_ request: CassetteRequest) -> String {
        let cassette = Cassette(interactions: [CassetteInteraction(request: request, response: CassetteResponse(status: 200))])
        return String(decoding: CassetteCodec.encode(cassette), as: UTF8.self)
    }

    private func offset(of text: String, in bytes: [UInt8]) -> Int? {
        let pattern = Array(text.utf8)
        return (0...(bytes.count - pattern.count)).first { bytes[$0..<$0 + pattern.count].elementsEqual(pattern) }
    }

    @Test func aKeyInEveryPositionIsGone() throws {
        let key = Self.key
        let request = HTTPRequest(
            method: "POST",
            url: "https://generativelanguage.googleapis.com/v1beta/models/g:streamGenerateContent?alt=sse&key=\(key)",
            headers: [
                ("Authorization", "Bearer \(key)"), ("X-Api-Key", key), ("api-key", key),
                ("Cookie", "session=\(key); theme=dark"), ("OpenAI-Organization", "org-Zx81fQ"),
                ("Anthropic-Version", "2023-06-01"), ("X-Trace", "sent with \(key)"),
            ],
            body: Array(#"{"model":"m","note":"my key is \#(key)","nested":{"list":["\#(key)"]}}"#.utf8))
        let redacted = Redactor(secrets: [key, "OPENAI-KEY-NOT-SET-HERE"]).redact(request)

        #expect(!text(redacted).contains(key))
        #expect(!text(redacted).contains("Zx81fQ"))
        for name in ["authorization", "x-api-key", "api-key", "cookie", "openai-organization"] {
            #expect(redacted.headers[name] == Self.placeholder, "\(name)")
        }
        #expect(redacted.headers["anthropic-version"] == "2023-06-01")
        #expect(redacted.headers["x-trace"] == "sent with \(Self.placeholder)")
        #expect(redacted.url == "https://generativelanguage.googleapis.com/v1beta/models/g:streamGenerateContent?alt=sse&key=\(Self.placeholder)")
        let body: JSONValue = ["model": "m", "note": "my key is <redacted>", "nested": ["list": ["<redacted>"]]]
        #expect(redacted.body == .json(body))
    }

    @Test func namesAloneRedactWithNoSecretConfigured() {
        let redactor = Redactor(secrets: [])
        let request = HTTPRequest(
            url: "/v1/x?api_key=abc&Token=t&page=2&access_token=z&key",
            headers: [("x-goog-api-key", "g"), ("X-Auth-Token", "t"), ("x-client-secret", "s"), ("content-type", "application/json")])
        let redacted = redactor.redact(request)
        #expect(redacted.url == "/v1/x?api_key=<redacted>&Token=<redacted>&page=2&access_token=<redacted>&key")
        #expect(redacted.headers == [
            "x-goog-api-key": Self.placeholder, "x-auth-token": Self.placeholder,
            "x-client-secret": Self.placeholder, "content-type": "application/json",
        ])
        #expect(redacted.body == nil)
    }

    /// Rate-limit headers name `tokens` and must replay as numbers, or the rate
    /// limiter sees nothing under replay.
    @Test func responseHeadersKeepTokenCountsAndLoseCredentials() {
        let redactor = Redactor(secrets: [Self.key])
        let headers = redactor.redact(responseHeaders: [
            "Set-Cookie": "__cf_bm=abc; path=/", "openai-organization": "user-x", "x-amz-security-token": "t",
            "anthropic-ratelimit-output-tokens-remaining": "7000", "x-ratelimit-remaining-tokens": "149000",
            "request-id": "req_1", "x-echo": Self.key,
        ])
        #expect(headers == [
            "set-cookie": Self.placeholder, "openai-organization": Self.placeholder, "x-amz-security-token": Self.placeholder,
            "anthropic-ratelimit-output-tokens-remaining": "7000", "x-ratelimit-remaining-tokens": "149000",
            "request-id": "req_1", "x-echo": Self.placeholder,
        ])
    }

    @Test func escapedSpellingsInJSONBodiesAreCaught() {
        let slashy = "abc/def/ghi/jkl/mno"
        let redactor = Redactor(secrets: [slashy, Self.key])
        let escapedSlash = redactor.redact(HTTPRequest(url: "/", body: Array(#"{"s":"abc\/def\/ghi\/jkl\/mno"}"#.utf8)))
        #expect(escapedSlash.body == .json(["s": "<redacted>"]))
        let unicode = redactor.redact(HTTPRequest(url: "/", body: Array(#"{"s":"x \u0073\#(Self.key.dropFirst())"}"#.utf8)))
        #expect(unicode.body == .json(["s": "x <redacted>"]))
        let plain = redactor.redact(HTTPRequest(url: "/", body: Array("token=\(Self.key)&x=1".utf8)))
        #expect(plain.body == .text("token=<redacted>&x=1"))
    }

    @Test func shortAndEmptySecretsAreIgnoredAndLongerOnesWin() {
        let redactor = Redactor(secrets: ["", "short", "  abcdefgh12345678\n", "abcdefgh12345678-and-more"])
        #expect(redactor.redact(text: "a short note") == "a short note")
        #expect(redactor.redact(text: "x abcdefgh12345678-and-more y abcdefgh12345678") == "x <redacted> y <redacted>")
        #expect(redactor.tooShort == ["…, 5 chars"])
    }

    @Test("by value only in values: a short secret or a common word never rewrites a JSON key or a URL path; 16 characters at least (issue 16, item 13)")
    func valuesOnly() {
        // A key that is a common word: under the minimum, it is said (as a hint) and left alone.
        let word = Redactor(secrets: ["messages"])
        let request = HTTPRequest(method: "POST", url: "https://api.anthropic.com/v1/messages?beta=messages",
                                  headers: [("x-note", "messages")], body: Array(#"{"messages":[{"role":"user","content":"messages"}]}"#.utf8))
        let kept = word.redact(request)
        #expect(kept.url == "https://api.anthropic.com/v1/messages?beta=messages")
        #expect(kept.headers["x-note"] == "messages")
        #expect(kept.body == .json(["messages": [["role": "user", "content": "messages"]]]))
        #expect(word.tooShort == ["m…, 8 chars"])

        // A real secret is redacted in header values, query values and JSON string values, not in keys or paths.
        let key = Self.key
        let r = Redactor(secrets: [key])
        let redacted = r.redact(HTTPRequest(method: "POST", url: "https://host/v1/\(key)/chat?trace=\(key)&x=1",
                                            headers: [("x-trace", "by \(key)")],
                                            body: Array(#"{"\#(key)":"value \#(key)","list":["\#(key)"]}"#.utf8)))
        #expect(redacted.url == "https://host/v1/\(key)/chat?trace=<redacted>&x=1")
        #expect(redacted.headers["x-trace"] == "by <redacted>")
        #expect(redacted.body == .json(.object(JSONObject([(key, "value <redacted>"), ("list", ["<redacted>"])]))))
        // What stayed (in a key, in a path) is still caught before a save.
        let cassette = CassetteCodec.encode(Cassette(interactions: [CassetteInteraction(request: redacted, response: CassetteResponse(status: 200))]))
        let leaks = r.leaks(in: cassette)
        #expect(leaks.count == 2, "\(leaks)")
        #expect(leaks.allSatisfy { !$0.contains(key) })
    }

    @Test func leaksFindsAPlantedSecretWithoutRevealingIt() throws {
        let redactor = Redactor(secrets: ["some-other-secret-value", Self.key])
        var cassette = Cassette(interactions: [CassetteInteraction(
            request: redactor.redact(HTTPRequest(url: "https://api.anthropic.com/v1/messages", headers: [("x-api-key", Self.key)], body: Array(#"{"q":1}"#.utf8))),
            response: CassetteResponse(status: 200, chunks: [
                CassetteChunk(atMs: 1, bytes: Array("event: ping\n\n".utf8)),
                CassetteChunk(atMs: 2, bytes: Array("data: {\"text\":\"your key is \(Self.key)\"}\n\n".utf8)),
            ]))])
        let clean = CassetteCodec.encode(Cassette(interactions: [CassetteInteraction(request: cassette.interactions[0].request, response: CassetteResponse(status: 200))]))
        #expect(redactor.leaks(in: clean).isEmpty)

        let encoded = CassetteCodec.encode(cassette)
        let leaks = redactor.leaks(in: encoded)
        try #require(leaks.count == 1)
        let byte = try #require(offset(of: Self.key, in: encoded))
        #expect(leaks[0] == "secret 2 of 2 (sk-a…, 53 chars) found at byte \(byte) (in $.interactions[0].response.chunks[1].text)")
        #expect(!leaks[0].contains(String(Self.key.suffix(12))))

        // In a header name: the reported path must not reveal it either.
        cassette.interactions[0].response?.chunks = nil
        cassette.interactions[0].request.headers["x-\(Self.key)"] = "1"
        let again = redactor.leaks(in: CassetteCodec.encode(cassette))
        #expect(again.count == 1)
        #expect(again.first?.hasSuffix(#"(in $.interactions[0].request.headers["x-<redacted>"])"#) == true)
        #expect(again.first?.contains(Self.key) == false)
        let slashy = Redactor(secrets: ["abc/def/ghi/jkl/m"])
        #expect(slashy.leaks(in: Array(#"{"a":["abc\/def\/ghi\/jkl\/m"]}"#.utf8)) == ["secret 1 of 1 (ab…, 17 chars) found at byte 7 (in $.a[0])"])
    }

    @Test("a password in the URL and signature-like query values are redacted; the rest of the URL stays (issue 16)")
    func urlCredentials() {
        let r = Redactor(secrets: [])
        let request = HTTPRequest(method: "POST", url: "https://user:hunter2hunter2@proxy.example/v1/chat/completions?sig=abc&x=1&signature=def&token=t")
        #expect(r.redact(request).url == "https://user:<redacted>@proxy.example/v1/chat/completions?sig=<redacted>&x=1&signature=<redacted>&token=<redacted>")
        let bare = HTTPRequest(method: "GET", url: "http://tokenonly@host/x")
        #expect(r.redact(bare).url == "http://<redacted>@host/x")
    }

    @Test("a registered secret is redacted from every error message (issue 16)")
    func errorMessagesAreRedacted() {
        Secrets.register("sk-registered-in-a-test-0123456789")
        let e = LLMError(.auth, "invalid x-api-key: sk-registered-in-a-test-0123456789", status: 401)
        #expect(e.message == "invalid x-api-key: <redacted>")
        #expect(e.description == "auth (401): invalid x-api-key: <redacted>")
        #expect(Secrets.headerProblem("abc\r\nX-Injected: yes") == "contains a carriage return (\\r), which a header value cannot hold")
        #expect(Secrets.headerProblem("sk-plain-key") == nil)
    }

    @Test("the leak scan finds a key in a base64 chunk and one spelled with JSON \\u escapes (issue 16)")
    func decodedLeaks() {
        let key = "sk-decoded-form-0123456789abcdef"
        let r = Redactor(secrets: [key])
        // Not UTF-8 on its own (0xFF), so the codec stores the chunk as base64.
        let chunk = CassetteChunk(atMs: 0, bytes: [0xFF] + Array("data: \(key)\n\n".utf8))
        let cassette = Cassette(interactions: [CassetteInteraction(
            request: CassetteRequest(method: "POST", url: "/v1/messages"),
            response: CassetteResponse(status: 200, chunks: [chunk]))])
        let encoded = CassetteCodec.encode(cassette)
        #expect(!String(decoding: encoded, as: UTF8.self).contains(key), "the chunk should be base64 here")
        #expect(r.leaks(in: encoded).first?.contains("found once decoded, in $.interactions[0].response.chunks[0]") == true, "\(r.leaks(in: encoded))")
        // The same key in a JSON body, every character escaped.
        let escaped = key.unicodeScalars.map { String(format: "\\u%04x", $0.value) }.joined()
        let text = String(decoding: CassetteCodec.encode(Cassette(interactions: [CassetteInteraction(
            request: CassetteRequest(method: "POST", url: "/v1/messages", body: .json(.object(["k": .string("PLACEHOLDER")]))),
            response: nil, error: CassetteTransportError(kind: "network", message: "x", atMs: 0))])), as: UTF8.self)
            .replacingOccurrences(of: "PLACEHOLDER", with: escaped)
        #expect(r.leaks(in: Array(text.utf8)).first?.contains("found once decoded, in $.interactions[0].request.body") == true, "\(r.leaks(in: Array(text.utf8)))")
    }
}

import JSON
import LLMCore
import Testing

@Suite struct CassetteMatcherTests {
    private static let messages = "https://api.anthropic.com/v1/messages"

    private func recorded(_ requests: [(method: String, url: String, body: String)]) -> Cassette {
        Cassette(interactions: requests.map { r in
            CassetteInteraction(
                request: CassetteRequest(method: r.method, url: r.url, body: r.body.isEmpty ? nil : CassetteBody(bytes: Array(r.body.utf8))),
                response: CassetteResponse(status: 200))
        })
    }

    private func recorded(_ bodies: String...) -> Cassette {
        recorded(bodies.map { ("POST", Self.messages, $0) })
    }

    private func live(_ body: String, url: String = Self.messages, method: String = "POST") -> HTTPRequest {
        HTTPRequest(method: method, url: url, headers: [("content-type", "application/json")], body: Array(body.utf8))
    }

    private func miss(_ result: Result<Int, CassetteMiss>) -> CassetteMiss? {
        if case .failure(let miss) = result { return miss }
        return nil
    }

    @Test func keyOrderWhitespaceAndNumberSpellingAreIgnored() {
        var matcher = CassetteMatcher(cassette: recorded(#"{"model":"m","max_tokens":10,"temperature":1,"stop":["a"]}"#))
        let body = "{\n  \"stop\" : [ \"a\" ],\n  \"temperature\": 1.0, \"max_tokens\":10,\"model\":\"m\"\n}"
        #expect(matcher.match(live(body)).index == 0)
    }

    @Test func numbersThatDifferDoNotMatch() throws {
        var matcher = CassetteMatcher(cassette: recorded(#"{"temperature":1}"#))
        let m = try #require(miss(matcher.match(live(#"{"temperature":1.5}"#))))
        #expect(m.differences == ["body.temperature: recorded 1, now 1.5"])
    }

    @Test func topLevelIgnoredFieldsDoNotMatterNestedOnesDo() throws {
        let cassette = recorded(
            #"{"model":"m","metadata":{"user_id":"run-1"},"user":"a","messages":[{"content":"x","metadata":1}]}"#)
        var matcher = CassetteMatcher(cassette: cassette)
        #expect(matcher.match(live(#"{"model":"m","metadata":{"user_id":"run-2"},"messages":[{"content":"x","metadata":1}]}"#)).index == 0)

        var again = CassetteMatcher(cassette: cassette)
        let nested = again.match(live(#"{"model":"m","messages":[{"content":"x","metadata":2}]}"#))
        #expect(miss(nested)?.differences == ["body.messages[0].metadata: recorded 1, now 2"])

        var rules = MatchRules()
        try rules.add(parsing: "ignore:messages")
        var custom = CassetteMatcher(cassette: cassette, rules: rules)
        #expect(custom.match(live(#"{"model":"m"}"#)).index == 0)
    }

    @Test func anotherHostAndPortMatchButTheQueryCounts() throws {
        let cassette = recorded([
            ("POST", Self.messages, #"{"a":1}"#),
            ("GET", "https://api.openai.com/v1/models?limit=2", ""),
        ])
        var matcher = CassetteMatcher(cassette: cassette)
        #expect(matcher.match(live(#"{"a":1}"#, url: "http://127.0.0.1:8089/v1/messages")).index == 0)
        #expect(matcher.match(live("", url: "/v1/models?limit=2", method: "GET")).index == 1)

        var other = CassetteMatcher(cassette: cassette)
        let m = try #require(miss(other.match(live("", url: "http://localhost/v1/models?limit=3", method: "GET"))))
        #expect(m.request == "GET /v1/models?limit=3")
        #expect(m.nearest == 1)
        #expect(m.differences == [#"query: recorded "limit=2", now "limit=3""#])
    }

    @Test func identicalRequestsReplayInRecordedOrder() {
        var matcher = CassetteMatcher(cassette: recorded(#"{"q":"a"}"#, #"{"q":"b"}"#, #"{"q":"a"}"#))
        #expect(matcher.unused == [0, 1, 2])
        #expect(matcher.match(live(#"{"q":"a"}"#)).index == 0)
        #expect(matcher.match(live(#"{"q":"a"}"#)).index == 2)
        #expect(matcher.unused == [1])
        #expect(matcher.match(live(#"{"q":"b"}"#)).index == 1)
        #expect(matcher.unused == [])
    }

    @Test func missNamesTheNearestAndWhatDiffers() throws {
        let cassette = recorded([
            ("GET", "https://api.anthropic.com/v1/models", ""),
            ("POST", Self.messages, #"{"model":"other","messages":[{"role":"user","content":"Bye"}],"max_tokens":5}"#),
            ("POST", Self.messages, #"{"model":"m","messages":[{"role":"user","content":"Start"},{"role":"user","content":"Hi"}],"temperature":0.5}"#),
        ])
        var matcher = CassetteMatcher(cassette: cassette)
        let result = matcher.match(live(#"{"model":"m","messages":[{"role":"user","content":"Start"},{"role":"user","content":"Hello"}]}"#))
        let m = try #require(miss(result))
        #expect(m.request == "POST /v1/messages")
        #expect(m.nearest == 2)
        #expect(m.alreadyReplayed == 0)
        #expect(m.code == "cassette_miss")
        // String content is compared as the text block it stands for (issue 12).
        #expect(m.description == #"no recorded interaction matches POST /v1/messages; nearest is #2 (POST /v1/messages): body.messages[1].content[0].text: recorded "Hi", now "Hello"; body.temperature: recorded 0.5, now missing"#)
    }

    @Test func missListsFiveDifferencesAndCountsTheRestAndAbbreviatesValues() throws {
        let long = String(repeating: "x", count: 200)
        var matcher = CassetteMatcher(cassette: recorded(#"{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":"\#(long)"}"#))
        let m = try #require(miss(matcher.match(live(#"{"a":0,"b":0,"c":0,"d":0,"e":0,"f":0,"g":"y","h":[1]}"#))))
        #expect(m.differences.count == 5)
        #expect(m.unlistedDifferences == 3)
        #expect(m.description.hasSuffix("; and 3 more differences"))

        var second = CassetteMatcher(cassette: recorded(#"{"g":"\#(long)"}"#))
        let g = try #require(miss(second.match(live(#"{"g":"y","h":[1]}"#))))
        #expect(g.differences == [#"body.g: recorded ""# + String(repeating: "x", count: 58) + #"…, now "y""#, "body.h: recorded missing, now [1]"])
    }

    @Test func missAfterEveryIdenticalRecordingWasReplayedSaysSo() throws {
        var matcher = CassetteMatcher(cassette: recorded(#"{"q":1}"#, #"{"q":1}"#))
        #expect(matcher.match(live(#"{"q":1}"#)).index == 0)
        #expect(matcher.match(live(#"{"q":1}"#)).index == 1)
        let m = try #require(miss(matcher.match(live(#"{"q":1}"#))))
        #expect(m.alreadyReplayed == 2)
        #expect(m.code == "cassette_exhausted")
        #expect(m.description == "no unused recorded interaction matches POST /v1/messages; all 2 recorded interactions for POST /v1/messages were already replayed")

        // With another recording still unused, that one is the nearest.
        var mixed = CassetteMatcher(cassette: recorded(#"{"q":1}"#, #"{"q":2}"#))
        #expect(mixed.match(live(#"{"q":1}"#)).index == 0)
        let n = try #require(miss(mixed.match(live(#"{"q":1}"#))))
        #expect(n.nearest == 1)
        #expect(n.description == "no unused recorded interaction matches POST /v1/messages; the only recorded interaction identical to it was already replayed; nearest unused is #1 (POST /v1/messages): body.q: recorded 2, now 1")
    }

    @Test func missWhenOnlyUsedRecordingsRemainNamesTheNearestAsReplayed() throws {
        var matcher = CassetteMatcher(cassette: recorded(#"{"q":1}"#))
        #expect(matcher.match(live(#"{"q":1}"#)).index == 0)
        let m = try #require(miss(matcher.match(live(#"{"q":2}"#))))
        #expect(m.nearest == 0)
        #expect(m.alreadyReplayed == 0)
        #expect(m.description == "no recorded interaction matches POST /v1/messages; nearest is #0 (POST /v1/messages, already replayed): body.q: recorded 1, now 2")
    }

    @Test func missWithoutTheEndpointListsWhatTheCassetteHas() throws {
        var matcher = CassetteMatcher(cassette: recorded(#"{"q":1}"#, #"{"q":2}"#))
        let m = try #require(miss(matcher.match(live("", url: "https://api.anthropic.com/v1/models", method: "GET"))))
        #expect(m.nearest == nil)
        #expect(m.description == "no recorded interaction matches GET /v1/models; the cassette has no GET /v1/models, only POST /v1/messages (×2)")

        var empty = CassetteMatcher(cassette: Cassette())
        #expect(miss(empty.match(live("{}")))?.description == "no recorded interaction matches POST /v1/messages; the cassette is empty")
    }

    @Test func nonJSONBodiesCompareAsBytes() throws {
        let form = "grant_type=client_credentials&scope=read+write"
        var matcher = CassetteMatcher(cassette: recorded(form, form))
        #expect(matcher.match(live(form)).index == 0)
        let m = try #require(miss(matcher.match(live("grant_type=client_credentials&scope=read"))))
        #expect(m.differences == [#"body (first difference at byte 40): recorded "…edentials&scope=read+write", now "…edentials&scope=read""#])

        let binary: [UInt8] = [0xFF, 0x00, 0xC3, 0x28]
        let cassette = Cassette(interactions: [CassetteInteraction(
            request: CassetteRequest(method: "PUT", url: "/upload", body: CassetteBody(bytes: binary)), response: CassetteResponse(status: 204))])
        var bytes = CassetteMatcher(cassette: cassette)
        #expect(bytes.match(HTTPRequest(method: "PUT", url: "http://x/upload", body: binary + [1])).isFailure)
        #expect(bytes.match(HTTPRequest(method: "PUT", url: "http://x/upload", body: binary)).index == 0)
    }

    @Test func liveRequestsAreRedactedBeforeMatchingAndInMisses() throws {
        let secret = "sk-ant-api03-" + String(repeating: "Q7", count: 20)
        let redactor = Redactor(secrets: [secret])
        let request = live(#"{"key_in_body":"\#(secret)","q":1}"#, url: "https://example.com/v1/messages?key=\(secret)")
        let cassette = Cassette(interactions: [CassetteInteraction(request: redactor.redact(request), response: CassetteResponse(status: 200))])

        var matcher = CassetteMatcher(cassette: cassette, redactor: redactor)
        #expect(matcher.match(request).index == 0)
        // Replay without the secret configured: the redacted recording still matches.
        var unconfigured = CassetteMatcher(cassette: cassette)
        #expect(unconfigured.match(request).index == 0)

        var strict = CassetteMatcher(cassette: cassette, redactor: redactor)
        let changed = live(#"{"key_in_body":"\#(secret)","q":2}"#, url: "https://example.com/v1/messages?key=\(secret)")
        let m = try #require(miss(strict.match(changed)))
        #expect(m.request == "POST /v1/messages?key=<redacted>")
        #expect(m.differences == ["body.q: recorded 1, now 2"])
        #expect(!m.description.contains(secret))
    }

    // Issue 12: what the provider treats as equal, the matcher does too.
    @Test func anthropicStringContentIsATextBlockAndBetaIsNotCompared() {
        var matcher = CassetteMatcher(cassette: recorded([
            ("POST", Self.messages + "?beta=true", #"{"model":"m","system":"be brief","messages":[{"role":"user","content":[{"type":"text","text":"hello"}]}]}"#)]))
        #expect(matcher.match(live(#"{"model":"m","system":[{"type":"text","text":"be brief"}],"messages":[{"role":"user","content":"hello"}]}"#)).index == 0)
    }

    @Test func openAIStreamOptionsToolArgumentsAndEmptyContent() {
        let url = "https://api.openai.com/v1/chat/completions"
        let recordedBody = #"{"model":"g","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"assistant","content":"","tool_calls":[{"id":"c1","type":"function","function":{"name":"w","arguments":"{\"city\":\"Paris\"}"}}]}]}"#
        let liveBody = #"{"model":"g","stream":true,"messages":[{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"w","arguments":"{\"city\": \"Paris\"}"}}]}]}"#
        var matcher = CassetteMatcher(cassette: recorded([("POST", url, recordedBody), ("POST", url, recordedBody)]))
        #expect(matcher.match(live(liveBody, url: url)).index == 0)
        let noContent = liveBody.replacingOccurrences(of: #""content":null,"#, with: "")
        #expect(matcher.match(live(noContent, url: url)).index == 1, "no content key at all is the same too")
    }

    @Test func embeddingsMatchWhateverEncodingWasAskedFor() {
        let url = "https://api.openai.com/v1/embeddings"
        var matcher = CassetteMatcher(cassette: recorded([("POST", url, #"{"model":"e","input":["a"],"encoding_format":"base64"}"#)]))
        #expect(matcher.match(live(#"{"model":"e","input":["a"]}"#, url: url)).index == 0)
    }

    @Test func repeatsReplaysUsedRecordingsInOrderAndResetStartsOver() throws {
        var matcher = CassetteMatcher(cassette: recorded(#"{"n":1}"#, #"{"n":1}"#))
        #expect(matcher.match(live(#"{"n":1}"#)).index == 0)
        #expect(matcher.match(live(#"{"n":1}"#)).index == 1)
        #expect(miss(matcher.match(live(#"{"n":1}"#)))?.alreadyReplayed == 2)
        matcher.repeats = true
        #expect(matcher.match(live(#"{"n":1}"#)).index == 0)
        #expect(matcher.match(live(#"{"n":1}"#)).index == 1)
        var once = CassetteMatcher(cassette: recorded(#"{"n":1}"#))
        _ = once.match(live(#"{"n":1}"#))
        once.reset()
        #expect(once.match(live(#"{"n":1}"#)).index == 0)
    }

    @Test func matchCanIgnoreANestedFieldOrTheQuery() throws {
        var rules = MatchRules()
        try rules.add(parsing: "ignore:options.temperature")
        try rules.add(parsing: "query:ignore")
        var matcher = CassetteMatcher(cassette: recorded([("POST", Self.messages + "?x=1", #"{"options":{"temperature":1,"k":2}}"#)]), rules: rules)
        #expect(matcher.match(live(#"{"options":{"temperature":0.2,"k":2}}"#)).index == 0)
        #expect(throws: LLMError.self) { try rules.add(parsing: "loose") }
    }
}

extension Result {
    fileprivate var index: Success? { try? get() }
    fileprivate var isFailure: Bool { index == nil }
}

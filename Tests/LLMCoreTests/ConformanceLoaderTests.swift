import Foundation
import Testing
import TestSupport

/// The fixture loader reads every cassette shape found in Tests/Fixtures/conformance.
@Suite struct ConformanceLoaderTests {
    static let yamlFiles = ((try? Fixtures.conformanceFiles(endingWith: ".yaml")) ?? []).map {
        $0.deletingLastPathComponent().lastPathComponent + "/" + $0.lastPathComponent
    }

    private func json(_ data: Data?) throws -> [String: Any] {
        let bytes = try #require(data)
        return try #require(try JSONSerialization.jsonObject(with: bytes) as? [String: Any])
    }

    @Test func conformanceRootIsInsideTheRepository() {
        #expect(FileManager.default.fileExists(atPath: Fixtures.conformance("SOURCES.md").path))
        #expect(Self.yamlFiles.count == 35)  // 25 + gemini/'s 10
    }

    @Test(arguments: yamlFiles)
    func everyCassetteLoads(_ file: String) throws {
        let cassette = try VCRCassette.load(Fixtures.conformance(file))
        #expect(!cassette.interactions.isEmpty)
        for interaction in cassette.interactions {
            #expect(!interaction.request.method.isEmpty)
            #expect(interaction.request.uri.hasPrefix("http"))
            #expect((200..<600).contains(interaction.response.status))
            #expect(!interaction.response.body.isEmpty)
            let type = interaction.response.header("content-type").first ?? ""
            if type.hasPrefix("application/json") {
                #expect(throws: Never.self) { try JSONSerialization.jsonObject(with: interaction.response.body) }
            }
        }
    }

    @Test(arguments: [("llm-anthropic__test_tools.yaml", 2), ("llm-anthropic__test_stream_events_thinking.yaml", 1)])
    func gzippedBodiesAreInflated(_ file: String, interactions: Int) throws {
        let cassette = try VCRCassette.load(Fixtures.conformance("anthropic/" + file))
        #expect(cassette.interactions.count == interactions)
        for interaction in cassette.interactions {
            #expect(interaction.response.bodyWasGzipped)
            #expect(interaction.response.header("Content-Encoding") == ["gzip"])
            let text = try #require(String(data: interaction.response.body, encoding: .utf8))
            #expect(text.hasPrefix("event: message_start"))
            #expect(text.hasSuffix("\n\n"))
        }
    }

    @Test func vcrpyStringBodiesAndHeadersKeepTheirText() throws {
        let cassette = try VCRCassette.load(Fixtures.conformance("anthropic/llm-anthropic__test_prompt.yaml"))
        let request = try #require(cassette.interactions.first).request
        #expect(request.method == "POST")
        #expect(request.uri == "https://api.anthropic.com/v1/messages")
        #expect(request.header("X-Stainless-Read-Timeout") == ["600"])
        #expect(request.headers["anthropic-version"] == ["2023-06-01"])
        // YAML folded the recorded line break inside the single-quoted body back into a space.
        let body = try #require(request.body.flatMap { String(data: $0, encoding: .utf8) })
        #expect(body.contains(#""text":"Two names for a pet pelican, be brief""#))
        #expect(try json(request.body)["max_tokens"] as? Int == 8192)
        let response = try #require(cassette.interactions.first).response
        #expect(response.status == 200 && response.statusMessage == "OK" && !response.bodyWasGzipped)
    }

    @Test func pydanticParsedBodiesBecomeJSON() throws {
        let cassette = try VCRCassette.load(
            Fixtures.conformance("anthropic/pydantic-ai__test_anthropic_model_thinking_part_redacted_stream.yaml"))
        let request = try json(try #require(cassette.interactions.first).request.body)
        #expect(request["max_tokens"] as? Int == 4096)
        #expect(request["stream"] as? Bool == true)
        #expect((request["thinking"] as? [String: Any])?["budget_tokens"] as? Int == 1024)
        let body = try #require(cassette.interactions.first).request.body ?? Data()
        #expect(String(decoding: body, as: UTF8.self).hasPrefix(#"{"max_tokens":4096,"messages":[{"content":"#))

        let errors = try VCRCassette.load(Fixtures.conformance("errors/pydantic-ai__openrouter_429_rate_limited.yaml"))
        #expect(errors.interactions.count == 3)
        let error = try #require(try json(errors.interactions[0].response.body)["error"] as? [String: Any])
        #expect(error["code"] as? Int == 429)
        #expect(error["message"] as? String == "Provider returned error")
        #expect(errors.interactions[0].response.status == 429)
    }

    @Test func literalBlockBodiesKeepTheirBlankLines() throws {
        let cassette = try VCRCassette.load(
            Fixtures.conformance("openai/pydantic-ai__test_run_stream_sync_streams_real_model.yaml"))
        let text = String(decoding: cassette.interactions[0].response.body, as: UTF8.self)
        #expect(text.hasPrefix("data: {"))
        #expect(text.hasSuffix("data: [DONE]\n\n"))
    }

    @Test func chunkFixturesSkipEmptyLines() throws {
        let lines = try ChunkFixture.load(Fixtures.conformance("anthropic/vercel-ai__anthropic-text.chunks.txt"))
        #expect(lines.count == 12)  // the last line has no newline
        for line in lines {
            #expect(throws: Never.self) { try JSONSerialization.jsonObject(with: Data(line.utf8)) }
        }
        #expect(try ChunkFixture.load(Fixtures.conformance("openai/vercel-ai__openai-text.chunks.txt")).count == 303)
    }

    @Test func gzipRoundTripsAndRejectsDamage() throws {
        let hello = try #require(Data(base64Encoded: "H4sIAAAAAAACA8tIzcnJ5wIAIDA6NgYAAAA="))
        #expect(try Gzip.decompress(hello) == Data("hello\n".utf8))
        #expect(try Gzip.decompress(hello + hello) == Data("hello\nhello\n".utf8))
        #expect(throws: GzipError.self) { try Gzip.decompress(hello.prefix(hello.count - 5)) }
        #expect(throws: GzipError.self) { try Gzip.decompress(Data("hello".utf8)) }
        #expect(throws: GzipError.self) { try Gzip.decompress(Data()) }
    }
}

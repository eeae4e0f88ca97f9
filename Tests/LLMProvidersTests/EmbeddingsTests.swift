// OpenAI /embeddings: request bodies and recorded responses, base64 and float.
import Foundation
import JSON
import LLMCore
import LLMProviders
import Testing

@Suite struct EmbeddingsTests {
    static let recordings = [
        "openai/pydantic-ai__embeddings_TestOpenAI.test_query.yaml",
        "openai/pydantic-ai__embeddings_TestOpenAI.test_documents.yaml",
        "openai/vercel-ai__openai-embedding.json",
    ]
    let provider = OpenAIProvider(endpoint: ProviderEndpoint(baseURL: "http://127.0.0.1:8080/v1/", apiKey: nil), name: "local")

    @Test func requestAsksForBase64ByDefault() throws {
        let http = try provider.embeddingRequest(EmbeddingRequest(model: "text-embedding-3-small", inputs: ["hello", "world"]))
        #expect(http.url == "http://127.0.0.1:8080/v1/embeddings")
        #expect(http.header("authorization") == nil)
        #expect(String(decoding: http.body, as: UTF8.self)
            == #"{"model":"text-embedding-3-small","input":["hello","world"],"encoding_format":"base64"}"#)
        let floats = try provider.embeddingRequest(EmbeddingRequest(model: "m", inputs: ["a"], dimensions: 256, base64: false))
        #expect(String(decoding: floats.body, as: UTF8.self)
            == #"{"model":"m","input":["a"],"encoding_format":"float","dimensions":256}"#)
    }

    @Test func base64SingleInput() throws {
        let interaction = try Recordings.interaction(Self.recordings[0], 0)
        let response = try provider.parseEmbeddingResponse(Array(interaction.response.body))
        #expect(response.model == "text-embedding-3-small")
        #expect(response.usage == Usage(inputTokens: 4))
        #expect(response.vectors.count == 1)
        // 8192 base64 characters = 6144 bytes = 1536 float32s.
        #expect(response.vectors[0].count == 1536)
        // "sDqdvA…": bytes B0 3A 9D BC, little-endian 0xBC9D3AB0 = -1.22835 × 2⁻⁶, worked out by hand.
        #expect(abs(response.vectors[0][0] - -0.019193) < 1e-6)
    }

    @Test func base64InputsInOrder() throws {
        let interaction = try Recordings.interaction(Self.recordings[1], 0)
        let response = try provider.parseEmbeddingResponse(Array(interaction.response.body))
        #expect(response.usage == Usage(inputTokens: 2))
        #expect(response.vectors.map(\.count) == [1536, 1536])
        // "PsaJPA…" → 0x3C89C63E = 0.016818; "x4stvA…" → 0xBC2D8BC7 = -0.010592.
        #expect(abs(response.vectors[0][0] - 0.016818) < 1e-6)
        #expect(abs(response.vectors[1][0] - -0.010592) < 1e-6)
    }

    @Test func floatVectors() throws {
        let response = try provider.parseEmbeddingResponse(try Recordings.bytes(Self.recordings[2]))
        #expect(response.vectors == [
            [0.0057293195, -0.012727811, 0.020042092, -0.013437585, 0.022833068],
            [-0.037104916, -0.05178114, -0.008340587, 0.001164541, -0.0035253682],
        ])
        #expect(response.usage.inputTokens == 12)
        #expect(response.model == "text-embedding-3-small")
    }

    @Test func itemsAreReorderedByIndex() throws {
        let body = #"{"data":[{"index":1,"embedding":[2.0]},{"index":0,"embedding":"AACAPw=="}],"model":"m","usage":{"prompt_tokens":3}}"#
        let response = try provider.parseEmbeddingResponse(Array(body.utf8))
        #expect(response.vectors == [[1.0], [2.0]])  // AACAPw== is 1.0f little-endian
    }

    @Test func repeatedIndexOrBadBase64IsABadResponse() {
        for body in [
            #"{"data":[{"index":0,"embedding":[1]},{"index":0,"embedding":[2]}]}"#,
            #"{"data":[{"index":0,"embedding":"AAC!Pw=="}]}"#,
            #"{"data":[{"index":0,"embedding":"AACAPwA="}]}"#,  // 5 bytes: not whole floats
        ] {
            #expect(caught { () throws(LLMError) in try provider.parseEmbeddingResponse(Array(body.utf8)) }?.kind == .badResponse)
        }
    }

    @Test func anthropicHasNoEmbeddings() {
        let anthropic = AnthropicProvider(endpoint: ProviderEndpoint(baseURL: AnthropicProvider.defaultBaseURL, apiKey: "k"))
        #expect(caught { () throws(LLMError) in try anthropic.embeddingRequest(EmbeddingRequest(model: "x", inputs: ["a"])) }?.kind
            == .invalidRequest)
    }
}

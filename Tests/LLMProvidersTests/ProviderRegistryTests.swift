// Every registered provider is complete: a test fails here when a descriptor
// leaves out what the rest of Moonwire relies on (issue 14).
import Foundation
import JSON
import LLMCore
import LLMProviders
import Testing
import TestSupport

@Suite struct ProviderRegistryTests {
    static let kinds = ProviderRegistry.all.map(\.kind.rawValue)

    @Test func kindsAreDistinctAndNamed() {
        #expect(Self.kinds == ["anthropic", "openai", "gemini"])
        #expect(Set(Self.kinds).count == Self.kinds.count)
        #expect(ProviderKind(rawValue: "gemini") == .gemini)
        #expect(ProviderKind(rawValue: "gemni") == nil)
        #expect(ProviderRegistry.kindList == #""anthropic", "openai" or "gemini""#)
    }

    @Test(arguments: ProviderRegistry.all.map(\.kind.rawValue))
    func descriptorIsComplete(_ name: String) throws {
        let d = try #require(ProviderKind(rawValue: name)).descriptor
        #expect(!d.displayName.isEmpty)
        #expect(!d.keyVariables.isEmpty && d.keyVariables.allSatisfy { $0.hasSuffix("_API_KEY") })
        #expect(d.baseURLVariable.hasSuffix("_BASE_URL"))
        #expect(d.defaultBaseURL.hasPrefix("https://") && !d.defaultBaseURL.hasSuffix("/"))
        #expect(!d.modelPrefixes.isEmpty)
        for prefix in d.modelPrefixes { #expect(ProviderRegistry.serving(model: prefix + "-x")?.kind == d.kind, "\(prefix)") }

        // The provider it makes carries the name it is given and sends the key.
        let provider = d.make(ProviderEndpoint(baseURL: d.defaultBaseURL, apiKey: "key-0123456789abcdef"), "route-\(name)")
        #expect(provider.name == "route-\(name)")
        let model = d.modelPrefixes[0] + "-test"
        let chat = try provider.chatRequest(ChatRequest(model: model, messages: [Message(role: .user, text: "hi")]), stream: true)
        #expect(chat.url.hasPrefix(d.defaultBaseURL))
        #expect(chat.headers.contains { $0.value.contains("key-0123456789abcdef") }, "the key is sent")
        #expect(chat.headers.allSatisfy { !$0.value.contains("key-0123456789abcdef") || Redactor.isSensitiveHeader($0.name) },
                "the header carrying the key is one the redactor knows")

        // Its request paths are recognised as its own, so injected faults take its shape…
        let path = try #require(URLComponents(string: chat.url)?.path)
        #expect(ProviderRegistry.serving(path: path).kind == d.kind, "\(path)")
        if d.supportsEmbeddings {
            let embed = try provider.embeddingRequest(EmbeddingRequest(model: model, inputs: ["a"]))
            #expect(ProviderRegistry.serving(path: URLComponents(string: embed.url)?.path ?? "").kind == d.kind)
        } else {
            #expect(caught { () throws(LLMError) in try provider.embeddingRequest(EmbeddingRequest(model: model, inputs: ["a"])) }?.kind == .invalidRequest)
        }

        // …and its fault shapes read back, through its own parsers, as the errors they stand for.
        for (status, kind) in [(429, LLMError.Kind.rateLimited), (500, .server), (503, .server), (529, .overloaded)] {
            let body = d.faults.errorBody(status, "injected")
            let error = provider.error(for: HTTPResponseHead(status: status, headers: [d.faults.requestIDHeader: "req_1"]), body: Array(body.utf8))
            #expect(error.kind == kind, "\(name) \(status): \(error)")
            #expect(error.message == "injected", "\(name) \(status): \(error.message)")
        }
        let streamed = StreamHarness.run(provider, Array(d.faults.overloadedEvent.utf8), split: .whole).error
        #expect(streamed != nil && [.overloaded, .server].contains(streamed!.kind), "\(name): \(String(describing: streamed))")

        // A price entry for its models.
        let prices = try String(contentsOf: Repository.root.appendingPathComponent("stdlib/llm_prices.lua"), encoding: .utf8)
        #expect(d.modelPrefixes.contains { prices.contains("[\"\($0)") }, "stdlib/llm_prices.lua prices no \(name) model")
    }
}

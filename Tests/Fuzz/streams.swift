// libFuzzer target: the Anthropic and OpenAI stream parsers and the stream
// accumulator. Any bytes end in events or a typed LLMError, never a crash.
import LLMCore
import LLMProviders

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzStreams(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let buffer = UnsafeRawBufferPointer(start: data, count: size)
    let providers: [any ChatProvider] = [
        AnthropicProvider(endpoint: ProviderEndpoint(baseURL: "http://127.0.0.1", apiKey: "k")),
        OpenAIProvider(),
    ]
    for provider in providers {
        var parser = provider.makeStreamParser()
        var accumulator = StreamAccumulator(maxContentBytes: 1 << 20)
        do throws(LLMError) {
            for event in try parser.feed(buffer) + parser.finish() { try accumulator.apply(event) }
            _ = try accumulator.finish()
        } catch {
            _ = error.description
        }
    }
    return 0
}

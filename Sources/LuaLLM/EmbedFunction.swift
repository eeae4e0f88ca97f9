// llm.embed{ model = "text-embedding-3-small", input = "text" | { "a", "b" } }
//   -> { vectors = { {...}, {...} }, vector = {...} (single input), usage, model, provider }
import LLMCore
import LLMProviders
import LLMTransport
import LuaBridge

enum EmbedFunction {
    static let keys: Set<String> = ["model", "input", "dimensions", "provider", "base_url", "api_key", "encoding"]

    static func embed(_ call: LuaCall, runtime: LLMRuntime) throws -> Int32 {
        try call.checkTable(1)
        try call.checkOptions(1, allowed: keys)
        let o = LuaOptions(call, at: 1)
        let model = try runtime.configuration.model(try o.string("model"))
        var inputs: [String] = []
        var single = false
        call.rawField(1, "input")
        switch call.type(-1) {
        case .string:
            inputs = [call.rawString(-1)]
            single = true
        case .table:
            let n = call.rawLength(-1)
            let t = call.absolute(-1)
            for i in stride(from: 1, through: Int64(n), by: 1) {
                call.pushIndex(t, i)
                defer { call.pop() }
                guard call.type(-1) == .string else {
                    throw LuaArgumentError(argument: 1, "input[\(i)] must be a string, got \(call.typeName(-1))")
                }
                inputs.append(call.rawString(-1))
            }
            guard !inputs.isEmpty else { throw LuaArgumentError(argument: 1, "field 'input' is an empty list") }
        default:
            throw LuaArgumentError(argument: 1, "field 'input' must be a string or a list of strings, got \(call.typeName(-1))")
        }
        call.pop()
        var base64 = true
        if let encoding = try o.string("encoding") {
            guard encoding == "base64" || encoding == "float" else {
                throw LuaArgumentError(argument: 1, "field 'encoding' must be \"base64\" or \"float\"")
            }
            base64 = encoding == "base64"
        }
        let explicit = try o.string("provider").map { try LLMConfiguration.kind(named: $0, field: "provider", argument: 1) }
        let baseURL = try o.string("base_url")
        // The model's family when it has embeddings (gemini-embedding-*), else OpenAI-compatible.
        let family = ProviderRegistry.serving(model: model).flatMap { $0.supportsEmbeddings ? $0.kind : nil }
        let kind = explicit ?? family ?? .openai
        let provider = try runtime.configuration.provider(kind: kind, baseURL: baseURL, apiKey: try o.string("api_key"))
        let request = EmbeddingRequest(model: model, inputs: inputs, dimensions: try o.integer("dimensions").map { Int($0) }, base64: base64)
        try runtime.checkCanWait(call, what: "llm.embed")
        // Resilient by default, as plain chat calls are (llm.configure{ retry = ... }).
        let exchange = RetryingEmbedding(provider: provider, request: request, transport: runtime.transport,
                                         retry: runtime.plainSettings.retry, seed: runtime.nextPlainSeed())
        exchange.onRecord = runtime.callLog
        exchange.maxBodyBytes = runtime.plainSettings.maxResponseBytes
        let indicator = WaitIndicator.forRuntime(runtime)
        exchange.onRetry = { [weak runtime] info in if let runtime { indicator?.show(info, loop: runtime.loop) } }
        let wait = EmbeddingWait(exchange)
        exchange.start()
        return try runtime.await(call, wait, what: "llm.embed") { c in
            indicator?.clear()
            return try push(try exchange.result!.get(), single: single, provider: provider.name, on: c)
        }
    }

    private static func push(_ response: EmbeddingResponse, single: Bool, provider: String, on call: LuaCall) throws -> Int32 {
        call.newTable(recordCount: 5)
        let t = call.absolute(-1)
        call.newTable(arrayCount: Int32(response.vectors.count))
        let list = call.absolute(-1)
        for (i, vector) in response.vectors.enumerated() {
            pushVector(vector, call)
            call.setIndex(list, Int64(i + 1))
        }
        call.setField(t, "vectors")
        if single, let first = response.vectors.first {
            pushVector(first, call)
            call.setField(t, "vector")
        }
        call.push(usage: response.usage); call.setField(t, "usage")
        call.push(response.model); call.setField(t, "model")
        call.push(provider); call.setField(t, "provider")
        return 1
    }

    private static func pushVector(_ vector: [Float], _ call: LuaCall) {
        call.newTable(arrayCount: Int32(vector.count))
        let v = call.absolute(-1)
        for (j, x) in vector.enumerated() {
            call.push(Double(x))
            call.setIndex(v, Int64(j + 1))
        }
    }
}

/// An embeddings exchange as something a call waits for.
private final class EmbeddingWait: PendingOperation {
    let exchange: RetryingEmbedding
    var onReady: (() -> Void)?

    init(_ exchange: RetryingEmbedding) {
        self.exchange = exchange
        exchange.onFinish = { [weak self] in self?.onReady?() }
    }

    var isReady: Bool { exchange.isDone }
    func cancel(_ error: LLMError) { exchange.cancel(error) }
}

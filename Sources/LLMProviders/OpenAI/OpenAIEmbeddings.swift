// POST /embeddings: request body and response parsing. Vectors come as
// base64 little-endian float32 (`encoding_format: "base64"`, what openai-python
// asks for by default: 4× smaller than JSON floats) or as JSON float arrays,
// and are put back in input order by each item's `index`.
import JSON
import LLMCore

struct OpenAIEmbeddings {
    let provider: String

    func json(for request: EmbeddingRequest) -> JSONValue {
        var body: JSONObject = ["model": .string(request.model), "input": .array(request.inputs.map { .string($0) })]
        body["encoding_format"] = request.base64 ? "base64" : "float"
        if let dimensions = request.dimensions { body["dimensions"] = .int(Int64(dimensions)) }
        return .object(body)
    }

    func parse(_ body: [UInt8]) throws(LLMError) -> EmbeddingResponse {
        let json = try WireJSON.parse(body, what: "embeddings body", provider: provider)
        if let error = OpenAIWire.error(json, status: nil, provider: provider) { throw error }
        guard let items = json["data"]?.arrayValue else {
            throw bad("no data list: \(BodyExcerpt.text(body))")
        }
        var vectors = [[Float]?](repeating: nil, count: items.count)
        for (position, item) in items.enumerated() {
            let index = item.int("index") ?? position
            guard vectors.indices.contains(index), vectors[index] == nil else {
                throw bad("embedding index \(index) is repeated or out of range for \(items.count) items")
            }
            vectors[index] = try vector(item["embedding"], index: index)
        }
        return EmbeddingResponse(
            vectors: vectors.map { $0 ?? [] }, model: json.text("model") ?? "",
            usage: Usage(inputTokens: json["usage"]?.int("prompt_tokens") ?? 0))
    }

    private func vector(_ value: JSONValue?, index: Int) throws(LLMError) -> [Float] {
        switch value {
        case .string(let base64)?:
            guard let floats = Base64Codec.float32s(base64) else { throw bad("embedding \(index) is not base64 float32 data") }
            return floats
        case .array(let numbers)?:
            var floats: [Float] = []
            floats.reserveCapacity(numbers.count)
            for number in numbers {
                guard let double = number.doubleValue else { throw bad("embedding \(index) has a non-number") }
                floats.append(Float(double))
            }
            return floats
        default:
            throw bad("embedding \(index) has no vector")
        }
    }

    private func bad(_ message: String) -> LLMError {
        LLMError(.badResponse, "embeddings response: \(message)", provider: provider)
    }
}

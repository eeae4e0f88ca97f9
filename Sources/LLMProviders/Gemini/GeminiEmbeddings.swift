// `models/{model}:batchEmbedContents`: one request per input, vectors back in
// the same order as JSON float lists (Gemini has no base64 encoding). The API
// reports no token usage for embeddings.
import JSON
import LLMCore

struct GeminiEmbeddings {
    let provider: String

    func json(for request: EmbeddingRequest) -> JSONValue {
        let model = JSONValue.string("models/" + GeminiWire.modelName(request.model))
        return ["requests": .array(request.inputs.map { input in
            var item: JSONObject = ["model": model, "content": ["parts": [["text": .string(input)]]]]
            if let dimensions = request.dimensions { item["outputDimensionality"] = .int(Int64(dimensions)) }
            return .object(item)
        })]
    }

    func parse(_ body: [UInt8]) throws(LLMError) -> EmbeddingResponse {
        let json = try WireJSON.parse(body, what: "embeddings body", provider: provider)
        if let error = GeminiWire.error(json, status: nil, provider: provider) { throw error }
        guard let items = json["embeddings"]?.arrayValue else {
            throw bad("no embeddings list: \(BodyExcerpt.text(body))")
        }
        var vectors: [[Float]] = []
        vectors.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            guard let numbers = item["values"]?.arrayValue else { throw bad("embedding \(index) has no values") }
            var floats: [Float] = []
            floats.reserveCapacity(numbers.count)
            for number in numbers {
                guard let double = number.doubleValue else { throw bad("embedding \(index) has a non-number") }
                floats.append(Float(double))
            }
            vectors.append(floats)
        }
        return EmbeddingResponse(vectors: vectors, model: "", usage: Usage())
    }

    private func bad(_ message: String) -> LLMError {
        LLMError(.badResponse, "embeddings response: \(message)", provider: provider)
    }
}

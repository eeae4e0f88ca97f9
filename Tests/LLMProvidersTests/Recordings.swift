// Loading the shared conformance recordings for provider tests.
import Foundation
import LLMCore
import TestSupport

enum Recordings {
    static func interaction(_ file: String, _ index: Int) throws -> VCRInteraction {
        let cassette = try VCRCassette.load(Fixtures.conformance(file))
        guard cassette.interactions.indices.contains(index) else {
            throw FixtureError(file, "has \(cassette.interactions.count) interactions, not \(index + 1)")
        }
        return cassette.interactions[index]
    }

    static func bytes(_ file: String) throws -> [UInt8] {
        Array(try Data(contentsOf: Fixtures.conformance(file)))
    }

    /// Response headers as a transport hands them over: lower-cased names,
    /// the last value of a repeated header.
    static func head(_ response: VCRInteraction.Response) -> HTTPResponseHead {
        var headers: [String: String] = [:]
        for (name, values) in response.headers.sorted(by: { $0.key < $1.key }) {
            if let last = values.last { headers[name.lowercased()] = last }
        }
        return HTTPResponseHead(status: response.status, headers: headers)
    }

    /// A vercel/ai `*.chunks.txt` file framed back into SSE: Anthropic lines
    /// get `event: <type>` from their JSON `type`; OpenAI lines end with [DONE].
    static func anthropicSSE(_ file: String) throws -> [UInt8] {
        var text = ""
        for line in try ChunkFixture.load(Fixtures.conformance(file)) {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            let type = object?["type"] as? String ?? "message"
            text += "event: \(type)\ndata: \(line)\n\n"
        }
        return Array(text.utf8)
    }

    static func openAISSE(_ file: String) throws -> [UInt8] {
        let lines = try ChunkFixture.load(Fixtures.conformance(file))
        return Array((lines.map { "data: \($0)\n\n" }.joined() + "data: [DONE]\n\n").utf8)
    }
}

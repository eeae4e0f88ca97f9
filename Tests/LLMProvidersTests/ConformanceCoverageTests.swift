// Every recording under anthropic/, openai/, ollama/, gemini/ and errors/ has a test:
// a new cassette, interaction or fixture added to Tests/Fixtures/conformance fails
// here until someone writes down what it must decode to.
import Foundation
import Testing
import TestSupport

@Suite struct ConformanceCoverageTests {
    static let folders: Set = ["anthropic", "openai", "ollama", "errors", "gemini"]

    /// "folder/file" → interactions (1 for chunk and body files).
    static func recorded() throws -> [String: Int] {
        var found: [String: Int] = [:]
        for suffix in [".yaml", ".chunks.txt", ".json"] {
            for url in try Fixtures.conformanceFiles(endingWith: suffix) {
                let folder = url.deletingLastPathComponent().lastPathComponent
                guard folders.contains(folder) else { continue }
                let name = folder + "/" + url.lastPathComponent
                found[name] = suffix == ".yaml" ? try VCRCassette.load(url).interactions.count : 1
            }
        }
        return found
    }

    static func covered() -> [String: Set<Int>] {
        var covered: [String: Set<Int>] = [:]
        for recorded in AnthropicConformanceTests.cases + OpenAIConformanceTests.cases + GeminiConformanceTests.cases {
            switch recorded.source {
            case .cassette(let file, let index): covered[file, default: []].insert(index)
            case .chunks(let file), .body(let file): covered[file, default: []].insert(0)
            }
        }
        for recorded in ErrorConformanceTests.cases {
            switch recorded.source {
            case .cassette(let file, let index): covered[file, default: []].insert(index)
            case .body(let file, _): covered[file, default: []].insert(0)
            }
        }
        for file in EmbeddingsTests.recordings + GeminiConformanceTests.embeddings { covered[file, default: []].insert(0) }
        return covered
    }

    @Test func everyRecordingIsCovered() throws {
        let recorded = try Self.recorded()
        let covered = Self.covered()
        #expect(recorded.count == 46)
        for (file, count) in recorded.sorted(by: { $0.key < $1.key }) {
            #expect(covered[file] == Set(0..<count), "\(file): \(count) recorded, tested \(covered[file]?.sorted() ?? [])")
        }
        for file in covered.keys where recorded[file] == nil {
            Issue.record("\(file) is tested but not in the conformance folders")
        }
    }
}

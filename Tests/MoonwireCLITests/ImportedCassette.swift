// Imports a shared conformance cassette with the built binary into a
// temporary folder (never into the repository) and decodes the result.
import Foundation
import LLMCore
import Testing
import TestSupport

enum ImportedCassette {
    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("moonwire-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// `file` is relative to the conformance root, e.g. `anthropic/llm-anthropic__test_prompt.yaml`.
    /// Without `dir` the output goes to a temporary folder removed on return
    /// (the returned path is then gone); pass `dir` to keep the file.
    static func load(_ file: String, into dir: URL? = nil) throws -> (cassette: Cassette, path: String) {
        let folder = try dir ?? temporaryDirectory()
        defer { if dir == nil { try? FileManager.default.removeItem(at: folder) } }
        let out = folder.appendingPathComponent("imported.json")
        let result = try ProcessRunner.moonwire(["cassette", "import", Fixtures.conformance(file).path, "-o", out.path])
        guard result.status == 0 else {
            throw ImportFailure(description: "moonwire cassette import \(file) exited \(result.status): \(result.stderr)")
        }
        let bytes = try Data(contentsOf: out)
        return (try CassetteCodec.decode(Array(bytes)), out.path)
    }

    struct ImportFailure: Error, CustomStringConvertible {
        let description: String
    }
}

// VCR cassettes recorded by other projects (vcrpy / pytest-recording and
// pydantic-ai's serializer), read from the shared conformance data.
import Foundation
import Yams

public struct VCRCassette: Sendable {
    public var interactions: [VCRInteraction]

    public init(interactions: [VCRInteraction]) {
        self.interactions = interactions
    }

    public static func load(path: String) throws -> VCRCassette {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try VCRCassette(yaml: text, source: path)
    }

    public static func load(_ url: URL) throws -> VCRCassette {
        try load(path: url.path)
    }

    /// Parses cassette YAML; `source` names it in errors.
    public init(yaml: String, source: String = "<yaml>") throws {
        guard let root = try Yams.compose(yaml: yaml) else { throw FixtureError(source, "empty YAML document") }
        self = try VCRYAMLReader(source: source).cassette(root)
    }
}

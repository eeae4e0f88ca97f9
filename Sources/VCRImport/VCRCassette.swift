// VCR cassettes recorded by other projects (vcrpy / pytest-recording and
// pydantic-ai's serializer): the shared conformance data, and what
// `moonwire cassette import` converts.
import Foundation
import Yams

public struct VCRCassette: Sendable {
    public var interactions: [VCRInteraction]

    public init(interactions: [VCRInteraction]) {
        self.interactions = interactions
    }

    /// Every failure is a VCRFormatError naming `path`, so a command line can
    /// print it as it is.
    public static func load(path: String) throws -> VCRCassette {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read" : "no such file"
            throw VCRFormatError(path, reason)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw VCRFormatError(path, "not a VCR cassette (not UTF-8 text)")
        }
        return try VCRCassette(yaml: text, source: path)
    }

    public static func load(_ url: URL) throws -> VCRCassette {
        try load(path: url.path)
    }

    /// Parses cassette YAML; `source` names it in errors.
    public init(yaml: String, source: String = "<yaml>") throws {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw VCRFormatError(source, "not a VCR cassette (not valid YAML: \(error))")
        }
        guard let root else { throw VCRFormatError(source, "not a VCR cassette (empty YAML document)") }
        self = try VCRYAMLReader(source: source).cassette(root)
    }
}

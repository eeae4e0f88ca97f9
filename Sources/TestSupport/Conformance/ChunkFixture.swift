// vercel/ai `*.chunks.txt` fixtures: one decoded JSON event per line, the SSE
// framing already removed by the recorder.
import Foundation

public enum ChunkFixture {
    /// The non-empty lines of the file, each one JSON text.
    public static func load(path: String) throws -> [String] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return text.split(separator: "\n", omittingEmptySubsequences: true)
            .map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
            .filter { !$0.allSatisfy(\.isWhitespace) }
    }

    public static func load(_ url: URL) throws -> [String] {
        try load(path: url.path)
    }
}

// Path text for locations in JSON documents (`$.interactions[0].request.headers["x-api-key"]`),
// written the way JSONWriter names a bad value, so every message reads alike.
import JSON

enum JSONPathComponent {
    static func key(_ key: String) -> String {
        if isIdentifier(key) { return "." + key }
        return "[" + quoted(key) + "]"
    }

    static func index(_ index: Int) -> String { "[\(index)]" }

    /// `key` as a JSON string literal, quotes included.
    static func quoted(_ text: String) -> String {
        (try? JSONWriter.string(.string(text))) ?? "\"\(text)\""
    }

    private static func isIdentifier(_ key: String) -> Bool {
        guard let first = key.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return false }
        return key.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"): true
            default: false
            }
        }
    }
}

// SchemaText: how values appear inside violation and schema-error messages. Each
// rendering is cut short, so one huge string or object cannot swamp a message.

import JSON

enum SchemaText {
    /// Longest rendering of one value, in Unicode scalars, before it is cut with `…`.
    static let maxValueLength = 80

    /// A string in single quotes (`'x'`), the way lauxlib quotes names; any other
    /// value as compact JSON (`3`, `null`, `{"a":1}`).
    static func value(_ value: JSONValue) -> String {
        guard case .string(let string) = value else { return json(value) }
        return quoted(string)
    }

    /// `'text'`. Only control characters are escaped (`\n`, `\u001b`): a pattern
    /// such as `'\d{3}'` must read as written, not with doubled backslashes.
    static func quoted(_ string: String) -> String {
        var escaped = ""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case "\u{0}"..."\u{1F}", "\u{7F}":
                let hex = String(scalar.value, radix: 16)
                escaped += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return "'\(shortened(escaped))'"
    }

    /// Compact JSON as the writer produces it: `3`, `null`, `{"a":1}`.
    static func json(_ value: JSONValue) -> String {
        // Schema and parsed values are finite, so the writer's only failure cannot occur.
        shortened((try? JSONWriter.string(value)) ?? "?")
    }

    /// `["a", "b", 3]`, as an enum's allowed values.
    static func list(_ values: [JSONValue]) -> String {
        "[" + values.map { json($0) }.joined(separator: ", ") + "]"
    }

    /// `1 item`, `2 items`.
    static func count(_ count: Int, _ singular: String, _ plural: String) -> String {
        "\(count) \(count == 1 ? singular : plural)"
    }

    private static func shortened(_ text: String) -> String {
        guard text.unicodeScalars.count > maxValueLength else { return text }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: text.unicodeScalars.prefix(maxValueLength - 1))
        return String(scalars) + "…"
    }
}

// SchemaType: the seven names the `type` keyword accepts, and which JSONValues
// each admits.

import JSON

enum SchemaType: String, Sendable, CaseIterable {
    case null, boolean, integer, number, string, array, object

    func accepts(_ value: JSONValue) -> Bool {
        switch (self, value) {
        case (.null, .null), (.boolean, .bool), (.string, .string), (.array, .array), (.object, .object),
             (.number, .int), (.number, .double), (.integer, .int):
            true
        // Draft 2020-12 defines integers by value, so a model writing 3.0 gave an integer.
        case (.integer, .double(let double)):
            double.isFinite && double.rounded(.towardZero) == double
        default:
            false
        }
    }

    /// The type a value reports in messages. A float is a `number` even when it
    /// is integral, so "expected string, got number" names what was written.
    static func name(of value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "boolean"
        case .int: "integer"
        case .double: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// `string`, `string or null`, `string, integer or null`: in the schema's order.
    static func list(_ types: [SchemaType]) -> String {
        let names = types.map(\.rawValue)
        guard let last = names.last, names.count > 1 else { return names.first ?? "" }
        return names.dropLast().joined(separator: ", ") + " or " + last
    }
}

// Equality as JSON Schema defines it for enum, const and uniqueItems: numbers by
// mathematical value (1 equals 1.0, which JSONValue's == keeps apart) and objects
// regardless of key order.

import JSON

extension JSONValue {
    func schemaEquals(_ other: JSONValue) -> Bool {
        switch (self, other) {
        case (.int, .int), (.int, .double), (.double, .int), (.double, .double):
            return SchemaNumber(self)! == SchemaNumber(other)!
        case (.array(let lhs), .array(let rhs)):
            return lhs.count == rhs.count && zip(lhs, rhs).allSatisfy { $0.schemaEquals($1) }
        case (.object(let lhs), .object(let rhs)):
            guard lhs.count == rhs.count else { return false }
            return lhs.entries.allSatisfy { key, value in rhs[key].map(value.schemaEquals) ?? false }
        default:
            return self == other
        }
    }
}

// SchemaNode: one compiled subschema. Nodes refer to each other by index into the
// validator's node table, so recursive schemas ($ref cycles) need no reference types.

import JSON

struct SchemaNode: Sendable {
    /// Set for a boolean schema (`true` admits anything, `false` nothing); every
    /// other field is then empty.
    var constant: Bool?
    /// Empty when `type` is absent.
    var types: [SchemaType] = []
    var enumValues: [JSONValue]?
    var constValue: JSONValue?

    var properties: [String: Int] = [:]
    var patternProperties: [(pattern: SchemaPattern, node: Int)] = []
    var additionalProperties: Int?
    var required: [String] = []
    var minProperties: Int?
    var maxProperties: Int?

    var prefixItems: [Int] = []
    /// Applies to elements after `prefixItems`.
    var items: Int?
    var minItems: Int?
    var maxItems: Int?
    var uniqueItems = false

    var minimum: SchemaNumber?
    var maximum: SchemaNumber?
    var exclusiveMinimum: SchemaNumber?
    var exclusiveMaximum: SchemaNumber?
    var multipleOf: SchemaNumber?

    var minLength: Int?
    var maxLength: Int?
    var pattern: SchemaPattern?

    var ref: Int?
    var allOf: [Int] = []
    var anyOf: [Int] = []
    var oneOf: [Int] = []
    var not: Int?

    /// Subschemas applied to the same value rather than to a member or element. A
    /// cycle through these would recurse forever, so the compiler rejects one.
    var inPlaceSubschemas: [Int] {
        [ref, not].compactMap { $0 } + allOf + anyOf + oneOf
    }
}

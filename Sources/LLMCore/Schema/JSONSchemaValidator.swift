// JSONSchemaValidator: checks a model's structured output against the JSON Schema
// that requested it, so a script can retry with the violations as feedback instead
// of failing on a missing field later. This file is the public face; the compiler
// and evaluator behind it are internal.

import JSON

/// A compiled JSON Schema (draft 2020-12 semantics, with the common draft 4–7
/// spellings accepted) that validates `JSONValue`s. Build once, validate many
/// times, from any task.
///
/// Supported keywords: `type`, `enum`, `const`; `properties`, `patternProperties`,
/// `additionalProperties`, `required`, `minProperties`, `maxProperties`;
/// `prefixItems`, `items` (an array under `items` means `prefixItems`, with
/// `additionalItems` for the rest), `minItems`, `maxItems`, `uniqueItems`;
/// `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum` (number, or draft
/// 4's boolean), `multipleOf`; `minLength`, `maxLength` (in Unicode code points),
/// `pattern`; `allOf`, `anyOf`, `oneOf`, `not`; `$ref` to `#` or `#/json/pointer`
/// (`#/$defs/name`, `#/definitions/name`); boolean schemas. `integer` admits
/// integral floats such as `3.0`, and `enum`, `const` and `uniqueItems` compare
/// numbers by value (`1` equals `1.0`). Everything else (`format`, `title`,
/// `description`, `default`, `examples`, `nullable`, unknown keywords) is ignored,
/// as the specification says of keywords a validator does not know.
public struct JSONSchemaValidator: Sendable {
    /// At most this many violations are reported: a wildly wrong answer would
    /// otherwise yield a report no one reads and a retry prompt that wastes context.
    public static let maxViolations = 50

    private let nodes: [SchemaNode]

    /// Compiles `schema`, which must be an object or a boolean. Throws for a
    /// keyword whose value has the wrong type (`"required": "x"`), an invalid
    /// pattern, a `$ref` that is not local or resolves to nothing, and `$ref`s
    /// that loop without descending into the value.
    public init(schema: JSONValue) throws(SchemaError) {
        nodes = try SchemaCompiler.compile(schema)
    }

    /// Every way `value` fails the schema, up to `maxViolations`; empty when it is
    /// valid. Within an object, missing required members come first, then members
    /// in the object's own order; array elements come in order.
    public func validate(_ value: JSONValue) -> [SchemaViolation] {
        var evaluator = SchemaEvaluator(nodes: nodes, limit: Self.maxViolations)
        evaluator.evaluate(value, 0)
        return evaluator.violations
    }

    /// Whether `value` is valid; stops at the first violation.
    public func isValid(_ value: JSONValue) -> Bool {
        var evaluator = SchemaEvaluator(nodes: nodes, limit: 1)
        evaluator.evaluate(value, 0)
        return evaluator.violations.isEmpty
    }
}

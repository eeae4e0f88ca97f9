// SchemaError: a JSON Schema the validator cannot use. It is raised when the
// validator is built, so a bad schema fails before any request is sent.

/// A schema that is malformed or uses something the validator does not support.
public struct SchemaError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A short, stable identifier for logs, metrics and tests.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        private init(_ rawValue: String) { self.rawValue = rawValue }

        /// A subschema that is not an object or a boolean, or a keyword whose value
        /// has the wrong type or range (`"required": "x"`, `"minItems": -1`, a bad pattern).
        public static let invalidSchema = Code("schema_invalid")
        /// A `$ref` to another document or to an anchor: only `#` and `#/json/pointer`
        /// within the same schema are resolved.
        public static let unsupportedRef = Code("schema_unsupported_ref")
        /// A local `$ref` whose JSON pointer leads nowhere.
        public static let unresolvedRef = Code("schema_unresolved_ref")
        /// `$ref`s that lead back to the same schema without descending into the
        /// value (`{"$defs": {"a": {"$ref": "#/$defs/a"}}}`): validation would never end.
        public static let refCycle = Code("schema_ref_cycle")

        public var description: String { rawValue }
    }

    public var code: Code
    /// JSON pointer of the offending schema, in the form `$ref` uses: `#` is the
    /// root, `#/properties/age` a subschema (`~0` and `~1` escape `~` and `/`).
    public var path: String
    /// What is wrong, without the path: `'required' must be an array of strings, got string`.
    public var message: String

    init(_ code: Code, path: String, _ message: String) {
        self.code = code
        self.path = path
        self.message = message
    }

    public var description: String { "invalid JSON schema at \(path): \(message)" }
}

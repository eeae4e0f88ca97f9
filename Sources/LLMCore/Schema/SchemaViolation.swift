// SchemaViolation: one way a value fails its schema, worded to be shown to a person
// or fed back to a model that must correct its structured output.

/// One failed check. `path` says which value failed, `message` why.
public struct SchemaViolation: Sendable, Hashable, CustomStringConvertible {
    /// Where the offending value sits in the validated document: `$` is the whole
    /// document, `.name` an object member (`["two words"]` when the key is not an
    /// identifier), `[2]` an array element with indices counted from 0,
    /// e.g. `$.items[2].name`. Checks about an object's members as a whole
    /// (required, additionalProperties) name the object.
    public var path: String
    /// What is wrong, without the path: `expected integer, got string`.
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}

// JSONWriter: JSONValue to UTF-8. Output is deterministic for a given value and
// options, which the cassettes rely on, and always parses back to an equal value
// (integers stay integers, floats stay floats).

/// Encodes `JSONValue`s as compact or pretty-printed JSON.
public struct JSONWriter: Sendable {
    public struct Options: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }

        /// One member or element per line, indented by two spaces, `"key": value`.
        public static let pretty = Options(rawValue: 1 << 0)
        /// Object keys in Unicode code point order instead of insertion order.
        public static let sortedKeys = Options(rawValue: 1 << 1)
    }

    public var options: Options

    public init(options: Options = []) {
        self.options = options
    }

    /// Throws `nonFiniteNumber` for NaN or an infinity, naming the value's path.
    public func bytes(_ value: JSONValue) throws(JSONError) -> [UInt8] {
        var output = JSONOutput(pretty: options.contains(.pretty), sortedKeys: options.contains(.sortedKeys))
        do {
            try output.write(value, indent: 0)
        } catch {
            throw JSONError(.nonFiniteNumber, path: error.path, "\(error.number) is not a valid JSON number")
        }
        return output.bytes
    }

    public func string(_ value: JSONValue) throws(JSONError) -> String {
        String(decoding: try bytes(value), as: UTF8.self)
    }

    public static func bytes(_ value: JSONValue, options: Options = []) throws(JSONError) -> [UInt8] {
        try JSONWriter(options: options).bytes(value)
    }

    public static func string(_ value: JSONValue, options: Options = []) throws(JSONError) -> String {
        try JSONWriter(options: options).string(value)
    }
}

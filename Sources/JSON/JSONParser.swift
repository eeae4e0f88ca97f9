// JSONParser: the public entry points for reading JSON. The byte-level work is in
// JSONReader; this file only gets contiguous bytes out of whatever the caller has.

/// A strict RFC 8259 parser from UTF-8 bytes to `JSONValue`.
///
/// Rejected: a leading byte order mark, invalid UTF-8 anywhere, raw control
/// characters and lone surrogate escapes in strings, leading zeros, trailing
/// commas, and anything after the top-level value except whitespace.
/// Numbers without fraction or exponent that fit in Int64 become `.int`
/// (so `-0` is `.int(0)`); all others become `.double`. A number too large for
/// Double (`1e400`) is an error rather than an infinity the writer could not emit.
public struct JSONParser: Sendable {
    public static let defaultMaxDepth = 512

    /// Containers nested deeper than this are an error. The parser recurses once per
    /// level, so this bound is what keeps hostile input from overflowing the stack.
    public var maxDepth: Int

    public init(maxDepth: Int = JSONParser.defaultMaxDepth) {
        self.maxDepth = maxDepth
    }

    public func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONError) -> JSONValue {
        var reader = JSONReader(bytes: bytes, maxDepth: maxDepth)
        return try reader.readDocument()
    }

    public func parse(_ bytes: some Collection<UInt8>) throws(JSONError) -> JSONValue {
        // withContiguousStorageIfAvailable rethrows untyped errors, so carry a Result out.
        let result = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(JSONError) in try parse(buffer) }
        }
        if let result { return try result.get() }
        return try parse(Array(bytes))
    }

    public func parse(_ string: String) throws(JSONError) -> JSONValue {
        var string = string
        // withUTF8 makes a bridged or lazily-stored string contiguous first.
        let result = string.withUTF8 { buffer in
            Result { () throws(JSONError) in try parse(buffer) }
        }
        return try result.get()
    }

    /// Parses with the default options.
    public static func parse(_ bytes: some Collection<UInt8>) throws(JSONError) -> JSONValue {
        try JSONParser().parse(bytes)
    }

    /// Parses the UTF-8 of `string` with the default options.
    public static func parse(_ string: String) throws(JSONError) -> JSONValue {
        try JSONParser().parse(string)
    }
}

extension JSONParser {
    /// Decodes the JSON string whose opening quote is at `offset` of `bytes`:
    /// its value and the offset just past its closing quote, or nil if it is
    /// not a valid JSON string (bad escape, raw control character, invalid
    /// UTF-8, no closing quote). For readers that match a known shape
    /// byte by byte instead of building a tree.
    public static func string(in bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> (value: String, end: Int)? {
        guard offset < bytes.count, bytes[offset] == ASCII.quote else { return nil }
        var reader = JSONReader(bytes: bytes, maxDepth: 1)
        reader.index = offset
        guard let value = try? reader.readString() else { return nil }
        return (value, reader.index)
    }
}

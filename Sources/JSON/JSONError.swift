// JSONError: every failure of the JSON target, parse or write. One struct over a
// private code enum (STYLE.md), so new codes never break callers that switch on them.

/// A failure to read or write JSON. Parse errors carry the byte `offset` where the
/// problem was found; write errors carry the `path` of the offending value.
public struct JSONError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A short, stable identifier for logs, metrics and tests (`code.description`
    /// is the snake_case text, e.g. `expected_comma_or_brace`).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Base: String, Sendable {
            case unexpectedEnd = "unexpected_end"
            case expectedValue = "expected_value"
            case invalidLiteral = "invalid_literal"
            case invalidNumber = "invalid_number"
            case numberOutOfRange = "number_out_of_range"
            case expectedKey = "expected_key"
            case expectedColon = "expected_colon"
            case expectedCommaOrBracket = "expected_comma_or_bracket"
            case expectedCommaOrBrace = "expected_comma_or_brace"
            case controlCharacter = "control_character"
            case invalidEscape = "invalid_escape"
            case loneSurrogate = "lone_surrogate"
            case invalidUTF8 = "invalid_utf8"
            case depthLimitExceeded = "depth_limit_exceeded"
            case trailingCharacters = "trailing_characters"
            case nonFiniteNumber = "non_finite_number"
        }

        private let base: Base
        fileprivate init(_ base: Base) { self.base = base }
        public var description: String { base.rawValue }

        /// The input ended inside a value (or was empty).
        public static let unexpectedEnd = Code(.unexpectedEnd)
        /// A byte that cannot start a value.
        public static let expectedValue = Code(.expectedValue)
        /// Something starting like `true`, `false` or `null` that is not one.
        public static let invalidLiteral = Code(.invalidLiteral)
        /// A malformed number: leading zero, missing digits, `+1`, `1.`, `1e`.
        public static let invalidNumber = Code(.invalidNumber)
        /// A number whose magnitude overflows Double (e.g. `1e400`).
        public static let numberOutOfRange = Code(.numberOutOfRange)
        /// An object member not starting with a string key (includes `{"a":1,}`).
        public static let expectedKey = Code(.expectedKey)
        public static let expectedColon = Code(.expectedColon)
        public static let expectedCommaOrBracket = Code(.expectedCommaOrBracket)
        public static let expectedCommaOrBrace = Code(.expectedCommaOrBrace)
        /// A raw byte below 0x20 inside a string.
        public static let controlCharacter = Code(.controlCharacter)
        /// An unknown escape or a `\u` not followed by four hex digits.
        public static let invalidEscape = Code(.invalidEscape)
        /// A `\uD800`–`\uDFFF` escape that is not part of a high/low pair.
        public static let loneSurrogate = Code(.loneSurrogate)
        public static let invalidUTF8 = Code(.invalidUTF8)
        public static let depthLimitExceeded = Code(.depthLimitExceeded)
        /// Non-whitespace after the top-level value.
        public static let trailingCharacters = Code(.trailingCharacters)
        /// The writer met NaN or an infinity, which JSON cannot express.
        public static let nonFiniteNumber = Code(.nonFiniteNumber)
    }

    public let code: Code
    /// 0-based byte offset into the parser's input; nil for write errors.
    public let offset: Int?
    /// Location of the offending value for write errors, e.g. `$.a[2]`; nil for parse errors.
    public let path: String?
    /// Human explanation without the location, e.g. `expected ',' or '}' after object member`.
    public let reason: String

    init(_ code: Code, at offset: Int, _ reason: String) {
        self.code = code
        self.offset = offset
        self.path = nil
        self.reason = reason
    }

    init(_ code: Code, path: String, _ reason: String) {
        self.code = code
        self.offset = nil
        self.path = path
        self.reason = reason
    }

    public var description: String {
        if let offset { return "invalid JSON at byte \(offset): \(reason)" }
        return "cannot write JSON at \(path ?? "$"): \(reason)"
    }
}

// JSONReader: the recursive-descent core of JSONParser. It walks a borrowed byte
// buffer with an index and never copies input except into the values it returns.
// Strings and numbers live in JSONReader+Strings.swift and JSONReader+Numbers.swift.

struct JSONReader {
    let bytes: UnsafeBufferPointer<UInt8>
    let maxDepth: Int
    var index = 0
    var depth = 0
    /// Reused across strings that contain escapes, so decoding them costs no allocation
    /// beyond the resulting String.
    var scratch: [UInt8] = []
    /// Whether the string being read is all ASCII so far, which String can record.
    var stringIsASCII = true
    /// Elements of the arrays being read, innermost array last (see readArray).
    var elementStack: [JSONValue] = []

    init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    var isAtEnd: Bool { index >= bytes.count }

    func error(_ code: JSONError.Code, _ reason: String, at offset: Int? = nil) -> JSONError {
        JSONError(code, at: offset ?? index, reason)
    }

    func unexpectedEnd(_ reason: String) -> JSONError {
        JSONError(.unexpectedEnd, at: bytes.count, reason)
    }

    mutating func readDocument() throws(JSONError) -> JSONValue {
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
            throw error(.expectedValue, "byte order mark is not allowed")
        }
        skipWhitespace()
        let value = try readValue()
        skipWhitespace()
        if !isAtEnd { throw error(.trailingCharacters, "unexpected data after the JSON value") }
        return value
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case ASCII.space, ASCII.newline, ASCII.carriageReturn, ASCII.tab: index += 1
            default: return
            }
        }
    }

    mutating func readValue() throws(JSONError) -> JSONValue {
        guard index < bytes.count else { throw unexpectedEnd("expected a JSON value") }
        switch bytes[index] {
        case ASCII.quote: return .string(try readString())
        case ASCII.openBrace: return try readObject()
        case ASCII.openBracket: return try readArray()
        case ASCII.minus, ASCII.zero...ASCII.nine: return try readNumber()
        case ASCII.lowerT: try readLiteral("true"); return .bool(true)
        case ASCII.lowerF: try readLiteral("false"); return .bool(false)
        case ASCII.lowerN: try readLiteral("null"); return .null
        default: throw error(.expectedValue, "expected a JSON value")
        }
    }

    mutating func readLiteral(_ literal: StaticString) throws(JSONError) {
        let start = index
        let expected = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        for byte in expected {
            guard index < bytes.count else { throw unexpectedEnd("unterminated literal '\(literal)'") }
            guard bytes[index] == byte else {
                throw error(.invalidLiteral, "invalid literal, expected '\(literal)'", at: start)
            }
            index += 1
        }
    }

    /// Counts one level of nesting at the opening bracket `index` points to.
    mutating func enterContainer() throws(JSONError) {
        depth += 1
        if depth > maxDepth { throw error(.depthLimitExceeded, "nesting deeper than \(maxDepth) levels") }
        index += 1
        skipWhitespace()
    }

    mutating func readArray() throws(JSONError) -> JSONValue {
        try enterContainer()
        if index < bytes.count && bytes[index] == ASCII.closeBracket {
            index += 1
            depth -= 1
            return .array([])
        }
        // Elements collect on a stack shared by all arrays and move into one
        // exactly-sized array at the close, instead of regrowing each array.
        let base = elementStack.count
        while true {
            let element = try readValue()
            elementStack.append(element)
            skipWhitespace()
            guard index < bytes.count else { throw unexpectedEnd("unterminated array") }
            switch bytes[index] {
            case ASCII.comma:
                index += 1
                skipWhitespace()
            case ASCII.closeBracket:
                index += 1
                depth -= 1
                let elements = Array(elementStack[base...])
                elementStack.removeSubrange(base...)
                return .array(elements)
            default:
                throw error(.expectedCommaOrBracket, "expected ',' or ']' after array element")
            }
        }
    }

    mutating func readObject() throws(JSONError) -> JSONValue {
        try enterContainer()
        var object = JSONObject()
        if index < bytes.count && bytes[index] == ASCII.closeBrace {
            index += 1
            depth -= 1
            return .object(object)
        }
        while true {
            guard index < bytes.count else { throw unexpectedEnd("unterminated object") }
            guard bytes[index] == ASCII.quote else {
                throw error(.expectedKey, "expected '\"' to begin an object key")
            }
            let key = try readString()
            skipWhitespace()
            guard index < bytes.count else { throw unexpectedEnd("unterminated object") }
            guard bytes[index] == ASCII.colon else {
                throw error(.expectedColon, "expected ':' after object key")
            }
            index += 1
            skipWhitespace()
            object[key] = try readValue()
            skipWhitespace()
            guard index < bytes.count else { throw unexpectedEnd("unterminated object") }
            switch bytes[index] {
            case ASCII.comma:
                index += 1
                skipWhitespace()
            case ASCII.closeBrace:
                index += 1
                depth -= 1
                return .object(object)
            default:
                throw error(.expectedCommaOrBrace, "expected ',' or '}' after object member")
            }
        }
    }
}

// JSONOutput: the byte buffer JSONWriter fills. The path of a bad value is only
// assembled while a failure unwinds, so successful writes pay nothing for it.

/// Thrown inside the writer for NaN or an infinity; each container level adds its
/// own path component on the way out.
struct NonFiniteNumber: Error {
    enum Component {
        case key(String)
        case index(Int)
    }

    let number: Double
    /// Innermost first, because components are appended while unwinding.
    var components: [Component] = []

    /// `$.a[2]`, with keys that are not identifiers quoted: `$["a b"]`.
    var path: String {
        var path = "$"
        for component in components.reversed() {
            switch component {
            case .index(let index):
                path += "[\(index)]"
            case .key(let key) where Self.isIdentifier(key):
                path += ".\(key)"
            case .key(let key):
                var output = JSONOutput(pretty: false, sortedKeys: false)
                output.writeString(key)
                path += "[\(String(decoding: output.bytes, as: UTF8.self))]"
            }
        }
        return path
    }

    private static func isIdentifier(_ key: String) -> Bool {
        guard let first = key.utf8.first, !(ASCII.zero...ASCII.nine ~= first) else { return false }
        return key.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 ASCII.zero...ASCII.nine, UInt8(ascii: "_"): true
            default: false
            }
        }
    }
}

struct JSONOutput {
    var bytes: [UInt8] = []
    let pretty: Bool
    let sortedKeys: Bool

    init(pretty: Bool, sortedKeys: Bool) {
        self.pretty = pretty
        self.sortedKeys = sortedKeys
    }

    mutating func write(_ value: JSONValue, indent: Int) throws(NonFiniteNumber) {
        switch value {
        case .null: append("null")
        case .bool(let bool): append(bool ? "true" : "false")
        case .int(let int): writeInt(int)
        case .double(let double): try writeDouble(double)
        case .string(let string): writeString(string)
        case .array(let elements): try writeArray(elements, indent: indent)
        case .object(let object): try writeObject(object, indent: indent)
        }
    }

    private mutating func append(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    private mutating func newline(indent: Int) {
        guard pretty else { return }
        bytes.append(ASCII.newline)
        bytes.append(contentsOf: repeatElement(ASCII.space, count: indent * 2))
    }

    private mutating func writeInt(_ value: Int64) {
        if value < 0 { bytes.append(ASCII.minus) }
        var magnitude = value.magnitude
        var digitCount = 1
        var rest = magnitude
        while rest >= 10 { rest /= 10; digitCount += 1 }
        // Fill digits back to front in place, avoiding a String per number.
        bytes.append(contentsOf: repeatElement(ASCII.zero, count: digitCount))
        var position = bytes.count - 1
        repeat {
            bytes[position] = ASCII.zero + UInt8(magnitude % 10)
            magnitude /= 10
            position -= 1
        } while magnitude > 0
    }

    private mutating func writeDouble(_ value: Double) throws(NonFiniteNumber) {
        guard value.isFinite else { throw NonFiniteNumber(number: value) }
        // Swift's description is the shortest text that round-trips, and is already
        // valid JSON for finite values ("0.1", "2.0", "1e+300", "5e-324", "-0.0").
        let text = value.description.utf8
        bytes.append(contentsOf: text)
        // Defensive: a float must never read back as an integer.
        if !text.contains(where: { $0 == ASCII.period || $0 == ASCII.lowerE }) {
            append(".0")
        }
    }

    mutating func writeString(_ string: String) {
        bytes.append(ASCII.quote)
        let handled: Void? = string.utf8.withContiguousStorageIfAvailable { writeEscaped($0) }
        if handled == nil {
            let copy = Array(string.utf8)
            copy.withUnsafeBufferPointer { writeEscaped($0) }
        }
        bytes.append(ASCII.quote)
    }

    /// Copies runs of bytes that need no escaping in one go; only `"`, `\` and
    /// controls are escaped (not `/`, not non-ASCII), as RFC 8259 requires.
    private mutating func writeEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        var runStart = 0
        var position = 0
        while position < utf8.count {
            if position + 8 <= utf8.count {
                let mask = ASCII.attentionMask(ASCII.word(utf8, at: position), orNonASCII: false)
                if mask == 0 {
                    position += 8
                    continue
                }
                position += ASCII.bytesBeforeFirstFlag(mask)
            }
            let byte = utf8[position]
            position += 1
            guard byte < 0x20 || byte == ASCII.quote || byte == ASCII.backslash else { continue }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<position - 1]))
            runStart = position
            bytes.append(ASCII.backslash)
            switch byte {
            case ASCII.quote, ASCII.backslash: bytes.append(byte)
            case ASCII.newline: bytes.append(UInt8(ascii: "n"))
            case ASCII.tab: bytes.append(UInt8(ascii: "t"))
            case ASCII.carriageReturn: bytes.append(UInt8(ascii: "r"))
            case 0x08: bytes.append(UInt8(ascii: "b"))
            case 0x0C: bytes.append(UInt8(ascii: "f"))
            default:
                let hex: StaticString = "0123456789abcdef"
                append("u00")
                bytes.append(hex.utf8Start[Int(byte >> 4)])
                bytes.append(hex.utf8Start[Int(byte & 0xF)])
            }
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
    }

    private mutating func writeArray(_ elements: [JSONValue], indent: Int) throws(NonFiniteNumber) {
        guard !elements.isEmpty else { return append("[]") }
        bytes.append(ASCII.openBracket)
        for (index, element) in elements.enumerated() {
            if index > 0 { bytes.append(ASCII.comma) }
            newline(indent: indent + 1)
            do {
                try write(element, indent: indent + 1)
            } catch {
                var error = error
                error.components.append(.index(index))
                throw error
            }
        }
        newline(indent: indent)
        bytes.append(ASCII.closeBracket)
    }

    private mutating func writeObject(_ object: JSONObject, indent: Int) throws(NonFiniteNumber) {
        guard !object.isEmpty else { return append("{}") }
        var keys = object.keys
        if sortedKeys {
            // Byte order of UTF-8 is code point order: deterministic and independent
            // of Unicode normalisation, unlike String's `<`.
            keys.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        }
        bytes.append(ASCII.openBrace)
        for (position, key) in keys.enumerated() {
            if position > 0 { bytes.append(ASCII.comma) }
            newline(indent: indent + 1)
            writeString(key)
            bytes.append(ASCII.colon)
            if pretty { bytes.append(ASCII.space) }
            do {
                try write(object[key]!, indent: indent + 1)
            } catch {
                var error = error
                error.components.append(.key(key))
                throw error
            }
        }
        newline(indent: indent)
        bytes.append(ASCII.closeBrace)
    }
}

// String decoding for JSONReader. Unescaped strings (the common case) become a
// String straight from the input bytes; only strings with escapes go through the
// scratch buffer. UTF-8 is validated here because strings are the only place the
// grammar admits bytes above 0x7F.

extension JSONReader {
    /// Reads the string whose opening quote `index` points to.
    mutating func readString() throws(JSONError) -> String {
        index += 1
        let start = index
        stringIsASCII = true
        try skipPlainBytes()
        guard index < bytes.count else { throw unexpectedEnd("unterminated string") }
        if bytes[index] == ASCII.quote {
            let string = Self.makeString(UnsafeBufferPointer(rebasing: bytes[start..<index]), isASCII: stringIsASCII)
            index += 1
            return string
        }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while true {
            try readEscape()
            let runStart = index
            try skipPlainBytes()
            scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
            guard index < bytes.count else { throw unexpectedEnd("unterminated string") }
            if bytes[index] == ASCII.quote {
                index += 1
                return scratch.withUnsafeBufferPointer { Self.makeString($0, isASCII: stringIsASCII) }
            }
        }
    }

    /// Builds a String from bytes this reader has already validated as UTF-8.
    static func makeString(_ utf8: UnsafeBufferPointer<UInt8>, isASCII: Bool) -> String {
        if #available(macOS 26.0, iOS 26.0, tvOS 26.0, watchOS 26.0, visionOS 26.0, *) {
            // Skips the standard library's own validation pass, which took a third
            // of the parse time on text-heavy documents. Sound only because
            // skipUTF8Sequence and appendUTF8 admit nothing but valid UTF-8.
            return String(copying: UTF8Span(unchecked: utf8.span, isKnownASCII: isASCII))
        }
        return String(decoding: utf8, as: UTF8.self)
    }

    /// Advances over string content up to a quote, a backslash or the end of input,
    /// rejecting raw control characters and invalid UTF-8.
    mutating func skipPlainBytes() throws(JSONError) {
        let count = bytes.count
        while true {
            // Eight bytes per step up to the first that needs a closer look.
            while index + 8 <= count {
                let mask = ASCII.attentionMask(ASCII.word(bytes, at: index), orNonASCII: true)
                if mask != 0 {
                    index += ASCII.bytesBeforeFirstFlag(mask)
                    break
                }
                index += 8
            }
            guard index < count else { return }
            let byte = bytes[index]
            if byte == ASCII.quote || byte == ASCII.backslash { return }
            if byte < 0x20 { throw error(.controlCharacter, "unescaped control character in string") }
            if byte < 0x80 {
                index += 1
            } else {
                try skipUTF8Sequence()
            }
        }
    }

    /// Validates one multi-byte sequence per RFC 3629 (no overlongs, no surrogates,
    /// nothing above U+10FFFF). The error points at the sequence's first byte.
    mutating func skipUTF8Sequence() throws(JSONError) {
        let lead = bytes[index]
        var lower: UInt8 = 0x80, upper: UInt8 = 0xBF
        let length: Int
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; lower = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; upper = 0x9F
        case 0xF0: length = 4; lower = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; upper = 0x8F
        default: throw error(.invalidUTF8, "invalid UTF-8 byte")
        }
        guard index + length <= bytes.count,
              lower...upper ~= bytes[index + 1],
              length < 3 || bytes[index + 2] & 0xC0 == 0x80,
              length < 4 || bytes[index + 3] & 0xC0 == 0x80
        else { throw error(.invalidUTF8, "invalid UTF-8 sequence") }
        index += length
        stringIsASCII = false
    }

    /// Decodes the escape at `index` (a backslash) into `scratch`.
    mutating func readEscape() throws(JSONError) {
        let start = index
        guard index + 1 < bytes.count else { throw unexpectedEnd("unterminated string") }
        let letter = bytes[index + 1]
        index += 2
        switch letter {
        case ASCII.quote, ASCII.backslash, UInt8(ascii: "/"): scratch.append(letter)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(ASCII.newline)
        case UInt8(ascii: "r"): scratch.append(ASCII.carriageReturn)
        case UInt8(ascii: "t"): scratch.append(ASCII.tab)
        case UInt8(ascii: "u"):
            var scalar = try readHex4(escapeStart: start)
            if 0xDC00...0xDFFF ~= scalar {
                throw error(.loneSurrogate, "low surrogate escape without a preceding high surrogate", at: start)
            }
            if 0xD800...0xDBFF ~= scalar {
                guard index + 1 < bytes.count, bytes[index] == ASCII.backslash,
                      bytes[index + 1] == UInt8(ascii: "u") else {
                    throw error(.loneSurrogate, "high surrogate escape not followed by a low surrogate", at: start)
                }
                let secondStart = index
                index += 2
                let low = try readHex4(escapeStart: secondStart)
                guard 0xDC00...0xDFFF ~= low else {
                    throw error(.loneSurrogate, "high surrogate escape not followed by a low surrogate", at: start)
                }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            }
            appendUTF8(scalar)
        default:
            throw error(.invalidEscape, "invalid escape sequence", at: start)
        }
    }

    /// Reads the four hex digits of a `\u` escape at `index`.
    mutating func readHex4(escapeStart: Int) throws(JSONError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw unexpectedEnd("unterminated string") }
        var value: UInt32 = 0
        for byte in UnsafeBufferPointer(rebasing: bytes[index..<index + 4]) {
            let digit: UInt8
            switch byte {
            case ASCII.zero...ASCII.nine: digit = byte - ASCII.zero
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error(.invalidEscape, "invalid \\u escape, expected four hex digits", at: escapeStart)
            }
            value = value << 4 | UInt32(digit)
        }
        index += 4
        return value
    }

    /// Appends a non-surrogate scalar value as UTF-8.
    mutating func appendUTF8(_ scalar: UInt32) {
        if scalar >= 0x80 { stringIsASCII = false }
        switch scalar {
        case ..<0x80:
            scratch.append(UInt8(scalar))
        case ..<0x800:
            scratch.append(UInt8(0xC0 | scalar >> 6))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        case ..<0x10000:
            scratch.append(UInt8(0xE0 | scalar >> 12))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        default:
            scratch.append(UInt8(0xF0 | scalar >> 18))
            scratch.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        }
    }
}

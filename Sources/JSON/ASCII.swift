// Byte-level helpers shared by the reader and the writer.

/// ASCII bytes the grammar cares about, named so the switches read like RFC 8259.
enum ASCII {
    static let tab: UInt8 = 0x09, newline: UInt8 = 0x0A, carriageReturn: UInt8 = 0x0D
    static let space: UInt8 = 0x20, quote: UInt8 = 0x22, plus: UInt8 = 0x2B
    static let comma: UInt8 = 0x2C, minus: UInt8 = 0x2D, period: UInt8 = 0x2E
    static let zero: UInt8 = 0x30, nine: UInt8 = 0x39, colon: UInt8 = 0x3A
    static let openBracket: UInt8 = 0x5B, backslash: UInt8 = 0x5C, closeBracket: UInt8 = 0x5D
    static let openBrace: UInt8 = 0x7B, closeBrace: UInt8 = 0x7D
    static let lowerE: UInt8 = 0x65
    static let lowerF: UInt8 = 0x66, lowerN: UInt8 = 0x6E, lowerT: UInt8 = 0x74
}

extension ASCII {
    private static let ones: UInt64 = 0x0101_0101_0101_0101

    /// Flags (top bit of the byte) the bytes of `word` that are `"`, `\` or below
    /// 0x20, the bytes that end a run of plain string content in both directions,
    /// and with `orNonASCII` those above 0x7F. A SWAR borrow can flag a byte above
    /// a real hit, never one below it, so the lowest flag is always real.
    @inline(__always)
    static func attentionMask(_ word: UInt64, orNonASCII: Bool) -> UInt64 {
        let quotes = word ^ (ones &* UInt64(quote))
        let backslashes = word ^ (ones &* UInt64(backslash))
        let belowSpace = (word &- ones &* 0x20) & ~word
        let isQuote = (quotes &- ones) & ~quotes
        let isBackslash = (backslashes &- ones) & ~backslashes
        let nonASCII = orNonASCII ? word : 0
        return (belowSpace | isQuote | isBackslash | nonASCII) & (ones &* 0x80)
    }

    /// How many bytes precede the first one flagged in a nonzero `mask`.
    @inline(__always)
    static func bytesBeforeFirstFlag(_ mask: UInt64) -> Int {
        #if _endian(little)
        mask.trailingZeroBitCount >> 3
        #else
        mask.leadingZeroBitCount >> 3
        #endif
    }

    /// The eight bytes of `buffer` at `offset` (which must leave eight in range), in
    /// memory order: the first byte is the lowest lane on little-endian machines.
    @inline(__always)
    static func word(_ buffer: UnsafeBufferPointer<UInt8>, at offset: Int) -> UInt64 {
        UnsafeRawPointer(buffer.baseAddress! + offset).loadUnaligned(as: UInt64.self)
    }
}

/// Word-at-a-time byte scans for the SSE decoder's hot loop. Eight bytes are
/// tested per step (the SWAR "has zero byte" trick); a hit is then located
/// byte by byte, which keeps the result exact on any endianness.
enum ByteScan {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    @inline(__always)
    private static func hasZeroByte(_ word: UInt64) -> Bool {
        (word &- ones) & ~word & highs != 0
    }

    /// Index of the first CR or LF in `p[from..<to]`, or `to` if there is none.
    @inline(__always)
    static func lineBreak(_ p: UnsafePointer<UInt8>, from: Int, to: Int) -> Int {
        var i = from
        let raw = UnsafeRawPointer(p)
        while i &+ 8 <= to {
            let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            if hasZeroByte(word ^ (ones &* 0x0A)) || hasZeroByte(word ^ (ones &* 0x0D)) { break }
            i &+= 8
        }
        while i < to {
            let b = p[i]
            if b == 0x0A || b == 0x0D { return i }
            i &+= 1
        }
        return to
    }

    /// Index of the first `byte` in `p[from..<to]`, or `to` if there is none.
    @inline(__always)
    static func first(_ byte: UInt8, in p: UnsafePointer<UInt8>, from: Int, to: Int) -> Int {
        var i = from
        let raw = UnsafeRawPointer(p)
        let pattern = ones &* UInt64(byte)
        while i &+ 8 <= to {
            if hasZeroByte(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ pattern) { break }
            i &+= 8
        }
        while i < to {
            if p[i] == byte { return i }
            i &+= 1
        }
        return to
    }

    /// Offset of the first byte that does not start a well-formed UTF-8
    /// sequence (Unicode Table 3-7: no overlongs, surrogates or values above
    /// U+10FFFF; a sequence cut short counts as ill-formed), or `nil`.
    static func firstInvalidUTF8(_ p: UnsafePointer<UInt8>, count: Int) -> Int? {
        var i = 0
        let raw = UnsafeRawPointer(p)
        while i < count {
            if i &+ 8 <= count, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & highs == 0 {
                i &+= 8
                continue
            }
            let b0 = p[i]
            if b0 < 0x80 { i &+= 1; continue }
            let length: Int
            var low: UInt8 = 0x80, high: UInt8 = 0xBF  // allowed range of the second byte
            switch b0 {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xED: length = 3; high = 0x9F
            case 0xE1...0xEF: length = 3
            case 0xF0: length = 4; low = 0x90
            case 0xF4: length = 4; high = 0x8F
            case 0xF1...0xF3: length = 4
            default: return i
            }
            guard i &+ length <= count, p[i &+ 1] >= low, p[i &+ 1] <= high else { return i }
            var k = 2
            while k < length {
                guard p[i &+ k] & 0xC0 == 0x80 else { return i }
                k &+= 1
            }
            i &+= length
        }
        return nil
    }
}

import JSON
import Testing

/// The parser builds Strings from string bytes without a second validation pass,
/// so its UTF-8 check must agree exactly with the standard library's.
@Suite("JSONParser UTF-8 validation")
struct UTF8ValidationTests {
    static let edgeBytes: [UInt8] = [
        0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF,
        0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF,
    ]

    @Test func agreesWithStandardLibraryOnRandomBytes() throws {
        var random = SplitMix64(seed: 99)
        for _ in 0..<50_000 {
            var content: [UInt8] = []
            for _ in 0..<(1 + random.next() % 12) {
                switch random.next() % 4 {
                case 0: content.append(Self.edgeBytes[Int(random.next() % UInt64(Self.edgeBytes.count))])
                case 1: content.append(UInt8(ascii: "a") + UInt8(random.next() % 26))
                default: content.append(0x80 | UInt8(truncatingIfNeeded: random.next()))
                }
            }
            let decoded = String(decoding: content, as: UTF8.self)
            let isValid = Array(decoded.utf8) == content
            let input = [UInt8(ascii: "\"")] + content + [UInt8(ascii: "\"")]
            do {
                let value = try JSONParser.parse(input)
                #expect(isValid && value == .string(decoded), "accepted \(content)")
            } catch {
                #expect(!isValid && error.code == .invalidUTF8, "rejected \(content): \(error)")
            }
        }
    }

    /// Each special byte at every position relative to the eight-byte scan.
    @Test func specialBytesAtEveryScanPosition() throws {
        for position in 0..<20 {
            var content = Array(repeating: UInt8(ascii: "a"), count: 20)
            content[position] = 0x1F
            let error = #expect(throws: JSONError.self) { try JSONParser.parse([0x22] + content + [0x22]) }
            #expect(error?.code == .controlCharacter && error?.offset == position + 1)

            content[position] = 0xFF
            let utf8Error = #expect(throws: JSONError.self) { try JSONParser.parse([0x22] + content + [0x22]) }
            #expect(utf8Error?.code == .invalidUTF8 && utf8Error?.offset == position + 1)

            let prefix = String(repeating: "a", count: position)
            let text = prefix + "\"" + prefix + "\u{1}é"
            let written = try JSONWriter.string(.string(text))
            #expect(written == "\"\(prefix)\\\"\(prefix)\\u0001é\"")
            #expect(try JSONParser.parse(written) == .string(text))
        }
    }
}

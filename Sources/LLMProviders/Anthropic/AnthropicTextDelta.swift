// The event most of a stream is made of, read without a JSON tree:
//   {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}
// exactly as Anthropic sends it (compact, keys in this order). Anything else,
// or anything odd about it, returns nil and takes the general path, which
// also produces every error message.
import JSON

enum AnthropicTextDelta {
    private static let head = Array(#"{"type":"content_block_delta","index":"#.utf8)
    private static let middle = Array(#","delta":{"type":"text_delta","text":"#.utf8)
    private static let tail = Array("}}".utf8)

    /// The block index and text of a plain text delta, or nil.
    static func read(_ data: String) -> (index: Int, text: String)? {
        var data = data
        return data.withUTF8 { bytes -> (Int, String)? in
            guard bytes.count >= head.count + 1 + middle.count + 1 + tail.count, matches(head, bytes, at: 0) else { return nil }
            var i = head.count
            var index = 0
            let digitsStart = i
            while i < bytes.count, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9"), i - digitsStart < 9 {
                index = index * 10 + Int(bytes[i] - UInt8(ascii: "0"))
                i += 1
            }
            guard i > digitsStart, matches(middle, bytes, at: i) else { return nil }
            i += middle.count
            guard let (text, end) = JSONParser.string(in: bytes, at: i),
                  end + tail.count == bytes.count, matches(tail, bytes, at: end) else { return nil }
            return (index, text)
        }
    }

    private static func matches(_ literal: [UInt8], _ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
        guard offset + literal.count <= bytes.count else { return false }
        for (k, byte) in literal.enumerated() where bytes[offset + k] != byte { return false }
        return true
    }
}

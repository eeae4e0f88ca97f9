// Which value of a JSON document a byte offset falls in, so a leak report can
// say `$.interactions[2].response.chunks[5].text` instead of only a byte
// offset. A tokenizer that tracks the current path; it trusts its input (the
// codec's own output) and gives up quietly rather than failing on anything else.
import JSON

enum JSONPathLocator {
    private enum Frame {
        case object(key: String?)
        case array(index: Int)
    }

    static func path(at target: Int, in bytes: [UInt8]) -> String? {
        var stack: [Frame] = []
        var i = 0
        while i < bytes.count, i <= target {
            switch bytes[i] {
            case UInt8(ascii: "{"): stack.append(.object(key: nil))
            case UInt8(ascii: "["): stack.append(.array(index: 0))
            case UInt8(ascii: "}"), UInt8(ascii: "]"): _ = stack.popLast()
            case UInt8(ascii: ","):
                if case .array(let index)? = stack.last { stack[stack.count - 1] = .array(index: index + 1) }
            case UInt8(ascii: "\""):
                let end = stringEnd(from: i, in: bytes)
                if case .object? = stack.last, isKey(endingAt: end, in: bytes) {
                    guard case .string(let key)? = try? JSONParser.parse(bytes[i..<end]) else { return nil }
                    stack[stack.count - 1] = .object(key: key)
                }
                if target < end { return render(stack) }
                i = end
                continue
            default: break
            }
            i += 1
        }
        return i > target ? render(stack) : nil
    }

    /// The offset just past the closing quote of the string starting at `start`.
    private static func stringEnd(from start: Int, in bytes: [UInt8]) -> Int {
        var i = start + 1
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: "\\"): i += 2
            case UInt8(ascii: "\""): return i + 1
            default: i += 1
            }
        }
        return bytes.count
    }

    private static func isKey(endingAt end: Int, in bytes: [UInt8]) -> Bool {
        let next = bytes[end...].first { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\n") && $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\t") }
        return next == UInt8(ascii: ":")
    }

    private static func render(_ stack: [Frame]) -> String {
        var path = "$"
        for frame in stack {
            switch frame {
            case .object(let key?): path += JSONPathComponent.key(key)
            case .object(nil): break
            case .array(let index): path += JSONPathComponent.index(index)
            }
        }
        return path
    }
}

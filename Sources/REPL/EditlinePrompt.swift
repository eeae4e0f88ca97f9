// A prompt as libedit's readline shows it. lua.c hands `_PROMPT` to GNU
// readline, which writes escape sequences (colours, bold) through; libedit
// writes a control character as `^[`-style text or drops it unless it sits
// between two RL_PROMPT_START_IGNORE (\1) marks. So each escape sequence, and
// any other control character, is marked literal here (issue 11). A prompt
// that already carries \1 marks (written for readline) is left as it is.

enum EditlinePrompt {
    private static let mark: UInt8 = 0x01
    private static let escape: UInt8 = 0x1B

    static func literalEscapes(_ prompt: String) -> String {
        let bytes = Array(prompt.utf8)
        guard bytes.contains(where: { $0 < 0x20 || $0 == 0x7F }), !bytes.contains(mark) else { return prompt }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 8)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            guard b < 0x20 || b == 0x7F, b != UInt8(ascii: "\n") else {
                out.append(b)
                i += 1
                continue
            }
            let end = b == escape ? sequenceEnd(bytes, from: i) : i + 1
            out.append(mark)
            out.append(contentsOf: bytes[i..<end])
            out.append(mark)
            i = end
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// One past the escape sequence at `start`: CSI (`ESC [ … final`), OSC
    /// (`ESC ] … BEL` or `ESC ] … ESC \`), or ESC and one byte.
    private static func sequenceEnd(_ b: [UInt8], from start: Int) -> Int {
        var i = start + 1
        guard i < b.count else { return i }
        switch b[i] {
        case UInt8(ascii: "["):
            i += 1
            while i < b.count, !(0x40...0x7E).contains(b[i]) { i += 1 }
            return min(i + 1, b.count)
        case UInt8(ascii: "]"):
            i += 1
            while i < b.count {
                if b[i] == 0x07 { return i + 1 }
                if b[i] == escape, i + 1 < b.count, b[i + 1] == UInt8(ascii: "\\") { return i + 2 }
                i += 1
            }
            return i
        default:
            return i + 1
        }
    }
}

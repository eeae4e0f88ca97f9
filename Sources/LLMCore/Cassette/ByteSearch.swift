// Finding and replacing byte sequences, for secrets in bodies and encoded
// cassettes. Patterns are short (an API key) and inputs at most a few MB, so a
// first-byte scan is plenty and needs no tables.

enum ByteSearch {
    /// Start offsets of every non-overlapping occurrence of `pattern`.
    static func occurrences(of pattern: [UInt8], in bytes: [UInt8]) -> [Int] {
        guard let first = pattern.first, pattern.count <= bytes.count else { return [] }
        var found: [Int] = []
        var i = 0
        let last = bytes.count - pattern.count
        while i <= last {
            if bytes[i] == first && bytes[i..<i + pattern.count].elementsEqual(pattern) {
                found.append(i)
                i += pattern.count
            } else {
                i += 1
            }
        }
        return found
    }

    static func replacing(_ pattern: [UInt8], with replacement: [UInt8], in bytes: [UInt8]) -> [UInt8] {
        let found = occurrences(of: pattern, in: bytes)
        guard !found.isEmpty else { return bytes }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var copied = 0
        for start in found {
            out += bytes[copied..<start]
            out += replacement
            copied = start + pattern.count
        }
        out += bytes[copied...]
        return out
    }
}

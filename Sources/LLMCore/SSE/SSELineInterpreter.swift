// The per-line half of the SSE decoder: the spec's "process the field" and
// "dispatch the event" steps, fed one complete line at a time by SSEDecoder,
// which owns the byte framing (line terminators, chunk boundaries, limits).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Builds events from complete lines.
struct SSELineInterpreter: Sendable {
    let maxEventBytes: Int
    private(set) var commentCount = 0
    private(set) var reconnectionTime: Int?
    var atStreamStart = true  // a leading BOM is still to be skipped
    private var data: [UInt8] = []  // the spec's data buffer, each line + LF
    private var eventType: String?
    private var lastEventID: String?
    private var retry: Int?
    private var typeNames = TypeNameCache()

    init(maxEventBytes: Int) {
        self.maxEventBytes = maxEventBytes
    }

    /// Handles one complete line (terminator removed) starting at stream `offset`.
    mutating func line(
        _ start: UnsafePointer<UInt8>, count: Int, at offset: Int, into events: inout [SSEEvent]
    ) throws(SSEError) {
        var p = start, count = count, offset = offset
        if atStreamStart {
            atStreamStart = false
            if count >= 3, p[0] == 0xEF, p[1] == 0xBB, p[2] == 0xBF {
                p += 3
                count -= 3
                offset += 3
            }
        }
        if count == 0 { return dispatch(into: &events) }
        if p[0] == UInt8(ascii: ":") {
            commentCount += 1
            return
        }
        let colon = ByteScan.first(UInt8(ascii: ":"), in: p, from: 0, to: count)
        var valueStart = min(colon + 1, count)
        if valueStart < count, p[valueStart] == UInt8(ascii: " ") { valueStart += 1 }
        let value = UnsafeBufferPointer(start: p + valueStart, count: count - valueStart)
        let valueOffset = offset + valueStart

        switch Field(p, count: colon) {
        case .data:
            try Self.validate(value, at: valueOffset)
            guard data.count + value.count + 1 <= maxEventBytes else {
                throw .eventTooLarge(limit: maxEventBytes, offset: offset)
            }
            data.append(contentsOf: value)
            data.append(0x0A)
        case .event:
            try Self.validate(value, at: valueOffset)
            eventType = value.isEmpty ? nil : typeNames.string(value)
        case .id:
            // The spec ignores an id holding NUL: it could not round-trip
            // through the Last-Event-ID header.
            if !value.contains(0) {
                try Self.validate(value, at: valueOffset)
                lastEventID = value.isEmpty ? nil : String(decoding: value, as: UTF8.self)
            }
        case .retry:
            if let milliseconds = Self.asciiDigits(value) {
                retry = milliseconds
                reconnectionTime = milliseconds
            }
        case .other:
            break
        }
    }

    /// The spec's dispatch step, run at a blank line and at the end of a stream.
    mutating func dispatch(into events: inout [SSEEvent]) {
        defer {
            eventType = nil
            retry = nil
            data.removeAll(keepingCapacity: data.capacity <= 1 << 16)
        }
        guard !data.isEmpty else { return }  // e.g. only `event:` lines: not dispatched
        let text = data.withUnsafeBufferPointer { buffer in
            String(decoding: UnsafeBufferPointer(rebasing: buffer.dropLast()), as: UTF8.self)
        }
        events.append(SSEEvent(event: eventType, data: text, id: lastEventID, retry: retry))
    }

    private static func validate(_ value: UnsafeBufferPointer<UInt8>, at offset: Int) throws(SSEError) {
        guard let base = value.baseAddress else { return }
        if let bad = ByteScan.firstInvalidUTF8(base, count: value.count) {
            throw .invalidUTF8(offset: offset + bad)
        }
    }

    /// A `retry:` value: ASCII digits only, else ignored (so too when empty or
    /// too large for Int).
    private static func asciiDigits(_ value: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !value.isEmpty else { return nil }
        var result = 0
        for byte in value {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            let (times10, o1) = result.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int(byte - 0x30))
            if o1 || o2 { return nil }
            result = sum
        }
        return result
    }
}

/// The field names the spec gives meaning to; field names are case-sensitive.
private enum Field {
    case data, event, id, retry, other

    init(_ p: UnsafePointer<UInt8>, count: Int) {
        func matches(_ name: StaticString) -> Bool {
            guard name.utf8CodeUnitCount == count else { return false }
            for k in 0..<count where p[k] != name.utf8Start[k] { return false }
            return true
        }
        switch count {
        case 4 where matches("data"): self = .data
        case 5 where matches("event"): self = .event
        case 2 where matches("id"): self = .id
        case 5 where matches("retry"): self = .retry
        default: self = .other
        }
    }
}

/// Reuses the String for a recently seen event type: names like
/// "content_block_delta" are too long for Swift's inline small strings, and
/// one allocation per event would show in the decoder's throughput.
private struct TypeNameCache: Sendable {
    private var entries: [(bytes: [UInt8], name: String)] = []

    mutating func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        for entry in entries where entry.bytes.count == bytes.count
            && entry.bytes.withUnsafeBufferPointer({ memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }) {
            return entry.name
        }
        let name = String(decoding: bytes, as: UTF8.self)
        if entries.count == 8 { entries.removeFirst() }
        entries.append((Array(bytes), name))
        return name
    }
}

// SSEDecoder: the WHATWG "event stream interpretation" algorithm
// (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation)
// as a pure incremental value: bytes in, events out, no I/O, no clock.
//
// Decisions beyond the spec, all deliberate:
// - `finish()` dispatches a last event that lacks its closing blank line (the
//   spec discards it), because real servers end streams that way.
// - Invalid UTF-8 in a `data`, `event` or `id` value throws
//   `SSEError.invalidUTF8` with the stream offset, instead of the spec's silent
//   U+FFFD replacement: a corrupted model reply should fail loudly. Only whole
//   lines are decoded, so a character split across `feed` calls is fine.
//   Comments and unknown fields are ignored without being checked.
// - Lines and event data are bounded (`maxLineBytes`, `maxEventBytes`) so a
//   hostile or broken server cannot make the decoder grow without limit.
// - `[DONE]` and other payload conventions are not special here; they belong
//   to the provider adapters.
// - Comments (`:` lines, the usual keep-alives) produce no events, so an idle
//   timer reset only on returned events is not fooled by them; they are
//   counted in `commentCount` for callers that want to see them.

/// Incremental decoder of a `text/event-stream` body.
public struct SSEDecoder: Sendable {
    public let maxLineBytes: Int
    public let maxEventBytes: Int
    /// Bytes fed so far; error offsets count from the first of them.
    public private(set) var bytesConsumed = 0
    /// Comment lines seen so far (keep-alives).
    public var commentCount: Int { lines.commentCount }
    /// The stream's reconnection time from the latest valid `retry:` field.
    public var reconnectionTime: Int? { lines.reconnectionTime }

    private var lines: SSELineInterpreter
    private var carry: [UInt8] = []  // an unterminated line awaiting more bytes
    private var carryStart = 0  // stream offset of carry[0]
    private var pendingCR = false  // the last chunk ended in CR; skip one LF next
    private var failure: SSEError?

    public init(maxLineBytes: Int = 1 << 20, maxEventBytes: Int = 16 << 20) {
        self.maxLineBytes = maxLineBytes
        self.maxEventBytes = maxEventBytes
        self.lines = SSELineInterpreter(maxEventBytes: maxEventBytes)
    }

    /// Decodes the next chunk of the body; returns the events it completed.
    /// A fault is thrown at once; events completed earlier in the same chunk
    /// are dropped with the stream, and every later call throws it again.
    public mutating func feed(_ bytes: some Collection<UInt8>) throws(SSEError) -> [SSEEvent] {
        let contiguous = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(SSEError) in try feed(UnsafeRawBufferPointer(buffer)) }
        }
        if let contiguous { return try contiguous.get() }
        let copied = Array(bytes).withUnsafeBytes { buffer in
            Result { () throws(SSEError) in try feed(buffer) }
        }
        return try copied.get()
    }

    public mutating func feed(_ bytes: UnsafeRawBufferPointer) throws(SSEError) -> [SSEEvent] {
        if let failure { throw failure }
        var events: [SSEEvent] = []
        guard let base = bytes.baseAddress, bytes.count > 0 else { return events }
        do {
            try scan(base.assumingMemoryBound(to: UInt8.self), count: bytes.count, into: &events)
        } catch {
            failure = error
            throw error
        }
        bytesConsumed += bytes.count
        return events
    }

    /// Ends the stream: an unterminated last line is taken as complete and a
    /// pending event with data is dispatched (leniency, see the file header).
    /// The decoder is then ready for a new stream: a BOM is skipped again and
    /// the last event ID is kept, as a reconnecting EventSource keeps it.
    public mutating func finish() throws(SSEError) -> [SSEEvent] {
        if let failure { throw failure }
        var events: [SSEEvent] = []
        do {
            if !carry.isEmpty { try takeCarriedLine(into: &events) }
            lines.dispatch(into: &events)
        } catch {
            failure = error
            throw error
        }
        pendingCR = false
        lines.atStreamStart = true
        return events
    }

    private mutating func scan(
        _ p: UnsafePointer<UInt8>, count n: Int, into events: inout [SSEEvent]
    ) throws(SSEError) {
        var i = 0
        if pendingCR {
            pendingCR = false
            if p[0] == 0x0A { i = 1 }
        }
        while i < n {
            let end = ByteScan.lineBreak(p, from: i, to: n)
            if end == n {
                try stash(p + i, count: n - i, at: bytesConsumed + i)
                break
            }
            if carry.isEmpty {
                if end - i > maxLineBytes { throw .lineTooLong(limit: maxLineBytes, offset: bytesConsumed + i) }
                try lines.line(p + i, count: end - i, at: bytesConsumed + i, into: &events)
            } else {
                try stash(p + i, count: end - i, at: bytesConsumed + i)
                try takeCarriedLine(into: &events)
            }
            if p[end] == 0x0D {
                if end + 1 == n {
                    pendingCR = true
                    i = n
                } else {
                    i = p[end + 1] == 0x0A ? end + 2 : end + 1
                }
            } else {
                i = end + 1
            }
        }
    }

    private mutating func stash(_ p: UnsafePointer<UInt8>, count: Int, at offset: Int) throws(SSEError) {
        if carry.isEmpty { carryStart = offset }
        guard carry.count + count <= maxLineBytes else {
            throw .lineTooLong(limit: maxLineBytes, offset: carryStart)
        }
        carry.append(contentsOf: UnsafeBufferPointer(start: p, count: count))
    }

    private mutating func takeCarriedLine(into events: inout [SSEEvent]) throws(SSEError) {
        // Swapped out so that the line's bytes are not borrowed from self.
        var bytes: [UInt8] = []
        swap(&bytes, &carry)
        defer {
            bytes.removeAll(keepingCapacity: bytes.capacity <= 1 << 16)
            carry = bytes
        }
        let start = carryStart
        try bytes.withUnsafeBufferPointer { (buffer) throws(SSEError) in
            try lines.line(buffer.baseAddress!, count: buffer.count, at: start, into: &events)
        }
    }
}

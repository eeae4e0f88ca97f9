// Call outcomes of the last `length` seconds, with running counts, for the
// breaker's failure rate. A time window (not the last N calls) so a burst of
// old failures stops counting once it is old, however few calls follow.

struct OutcomeWindow: Sendable, Equatable {
    private struct Entry: Sendable, Equatable {
        let time: Double
        let failed: Bool
    }

    let length: Double
    private var entries: [Entry] = []
    /// Entries before this index have expired; dropped in batches so that
    /// expiring one entry is O(1) amortised.
    private var first = 0
    private(set) var failures = 0

    init(length: Double) {
        self.length = length
    }

    var calls: Int { entries.count - first }

    var failureRate: Double { calls == 0 ? 0 : Double(failures) / Double(calls) }

    mutating func record(failed: Bool, at now: Double) {
        expire(at: now)
        entries.append(Entry(time: now, failed: failed))
        if failed { failures += 1 }
    }

    /// Forgets outcomes at or before `now - length`.
    mutating func expire(at now: Double) {
        while first < entries.count, entries[first].time <= now - length {
            if entries[first].failed { failures -= 1 }
            first += 1
        }
        if first > 64, first * 2 > entries.count {
            entries.removeFirst(first)
            first = 0
        }
    }

    mutating func clear() {
        entries.removeAll(keepingCapacity: true)
        first = 0
        failures = 0
    }
}

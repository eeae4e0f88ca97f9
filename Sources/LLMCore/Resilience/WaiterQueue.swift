// Reservations waiting for the rate limiter, in admission order: higher
// priority first, first come first served within a priority. A sorted array:
// the queue is bounded (1000 by default), so O(n) insertion is cheap and the
// order is plain to see.

struct WaiterQueue: Sendable {
    struct Waiter: Sendable, Equatable {
        let id: ReservationID
        let cost: Int
        /// The part of `cost` that is expected output (max_tokens).
        var output = 0
        let priority: Int
    }

    private(set) var waiters: [Waiter] = []

    var count: Int { waiters.count }
    var first: Waiter? { waiters.first }

    /// True when someone at `priority` or above waits; a newcomer must not
    /// overtake them even if the buckets could serve it now.
    func hasWaiter(atOrAbove priority: Int) -> Bool {
        (waiters.first?.priority ?? .min) >= priority
    }

    /// Places the waiter after everyone of its priority or higher. IDs grow,
    /// so arrival order within a priority is kept.
    mutating func insert(_ waiter: Waiter) {
        var low = 0, high = waiters.count
        while low < high {
            let mid = (low + high) / 2
            if waiters[mid].priority >= waiter.priority { low = mid + 1 } else { high = mid }
        }
        waiters.insert(waiter, at: low)
    }

    mutating func removeFirst() -> Waiter {
        waiters.removeFirst()
    }

    mutating func remove(_ id: ReservationID) -> Bool {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return false }
        waiters.remove(at: index)
        return true
    }
}

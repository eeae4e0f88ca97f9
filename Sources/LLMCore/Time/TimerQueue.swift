// A min-heap of timers keyed by deadline; ties fire in scheduling order so
// virtual-time runs are deterministic.

public struct TimerID: Hashable, Sendable {
    let raw: UInt64
}

public struct TimerQueue<Payload> {
    private struct Entry {
        let deadline: Double
        let id: UInt64
        let payload: Payload
        func before(_ other: Entry) -> Bool {
            deadline < other.deadline || (deadline == other.deadline && id < other.id)
        }
    }

    private var heap: [Entry] = []
    /// Ids in the heap and not cancelled, so cancel is O(1) however many wait.
    private var live = Set<UInt64>()
    private var cancelled = Set<UInt64>()
    private var nextID: UInt64 = 0

    public init() {}

    public var isEmpty: Bool { heap.count == cancelled.count }

    @discardableResult
    public mutating func schedule(at deadline: Double, _ payload: Payload) -> TimerID {
        nextID += 1
        heap.append(Entry(deadline: deadline, id: nextID, payload: payload))
        live.insert(nextID)
        siftUp(heap.count - 1)
        return TimerID(raw: nextID)
    }

    public mutating func cancel(_ id: TimerID) {
        if live.remove(id.raw) != nil { cancelled.insert(id.raw) }
    }

    /// The earliest live deadline.
    public mutating func nextDeadline() -> Double? {
        dropCancelledTop()
        return heap.first?.deadline
    }

    /// Removes and returns the earliest timer if it is due at `now`.
    public mutating func popDue(now: Double) -> Payload? {
        dropCancelledTop()
        guard let top = heap.first, top.deadline <= now else { return nil }
        live.remove(top.id)
        return removeTop().payload
    }

    private mutating func dropCancelledTop() {
        while let top = heap.first, cancelled.remove(top.id) != nil { _ = removeTop() }
    }

    private mutating func removeTop() -> Entry {
        let top = heap[0]
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            siftDown(0)
        }
        return top
    }

    private mutating func siftUp(_ i: Int) {
        var child = i
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].before(heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ i: Int) {
        var parent = i
        while true {
            let l = 2 * parent + 1, r = l + 1
            var smallest = parent
            if l < heap.count && heap[l].before(heap[smallest]) { smallest = l }
            if r < heap.count && heap[r].before(heap[smallest]) { smallest = r }
            if smallest == parent { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}

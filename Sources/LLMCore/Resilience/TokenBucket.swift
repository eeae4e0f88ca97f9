// A token bucket holding at most one minute's allowance and refilling
// continuously at that allowance per minute. It starts full. The level may go
// below zero: a reservation larger than the estimate, reconciled afterwards,
// is a debt that later requests wait out.

struct TokenBucket: Sendable, Equatable {
    /// Floating-point refill can land a hair under a whole token at the very
    /// instant we computed it would be whole; this much shortfall counts as none.
    static let slack = 1e-9

    /// The per-minute allowance, which is also the most the bucket holds.
    let capacity: Double
    private(set) var level: Double
    /// When `level` was last brought up to date; nil until first used.
    private(set) var updatedAt: Double?

    init(perMinute: Int) {
        capacity = Double(perMinute)
        level = capacity
    }

    mutating func refill(to now: Double) {
        if let updatedAt, now > updatedAt {
            // elapsed · capacity / 60 (not elapsed · rate): exact for whole
            // seconds and per-minute limits that divide 60, as tests assume.
            level = min(capacity, level + (now - updatedAt) * capacity / 60)
        }
        updatedAt = max(updatedAt ?? now, now)
    }

    /// A cost above the capacity could never be covered; it is let through
    /// when the bucket is full, and its excess becomes debt.
    func covers(_ cost: Double) -> Bool {
        level + Self.slack >= min(cost, capacity)
    }

    /// Seconds from `updatedAt` until the bucket covers `cost` (0 if it does).
    func wait(for cost: Double) -> Double {
        covers(cost) ? 0 : (min(cost, capacity) - level) * 60 / capacity
    }

    mutating func take(_ amount: Double) {
        level -= amount
    }

    mutating func giveBack(_ amount: Double) {
        level = min(capacity, level + amount)
    }
}

// Time as the event loop sees it. Every wait (backoff, queue, timeouts, replay
// timing) is measured on a Clock, so tests swap in a VirtualClock and time-based
// behaviour becomes exact and instant.
import Foundation

public protocol Clock: AnyObject {
    /// Seconds on a monotonic scale; only differences are meaningful.
    var now: Double { get }
    /// True when the loop may jump straight to the next timer instead of waiting.
    var isVirtual: Bool { get }
    /// Moves virtual time forward (a real clock ignores this).
    func advance(to instant: Double)
}

public final class MonotonicClock: Clock {
    public init() {}
    public var now: Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
    public var isVirtual: Bool { false }
    public func advance(to instant: Double) {}
}

public final class VirtualClock: Clock {
    public private(set) var now: Double
    public init(start: Double = 0) { now = start }
    public var isVirtual: Bool { true }
    public func advance(to instant: Double) { now = max(now, instant) }
    public func advance(by seconds: Double) { now += max(0, seconds) }
}

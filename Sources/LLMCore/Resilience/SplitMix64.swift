// SplitMix64 (Steele, Lea & Flood 2014; Vigna's reference `splitmix64.c`):
// a tiny seeded generator whose whole state is one UInt64, so a per-call
// jitter source is cheap to copy and its sequence is fixed by its seed.

public struct SplitMix64: RandomNumberGenerator, JitterSource, Sendable, Equatable {
    public private(set) var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The top 53 bits as a fraction: every Double in [0, 1) that this can
    /// return is equally likely, and the mapping is simple enough to
    /// reproduce by hand in a test.
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }
}

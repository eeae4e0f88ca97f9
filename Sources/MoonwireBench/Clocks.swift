// Wall and per-thread CPU clocks. The thread CPU clock is what the calling
// thread (Moonwire's event loop) itself spent, which a busy neighbour on the
// shared machine inflates far less than wall time.
import Glibc

enum Clocks {
    static func wall() -> Double { read(CLOCK_MONOTONIC) }
    static func threadCPU() -> Double { read(CLOCK_THREAD_CPUTIME_ID) }

    private static func read(_ clock: clockid_t) -> Double {
        var ts = timespec()
        clock_gettime(clock, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Wall and thread-CPU seconds `body` took.
    static func measure(_ body: () throws -> Void) rethrows -> (wall: Double, cpu: Double) {
        let (w0, c0) = (wall(), threadCPU())
        try body()
        return (wall() - w0, threadCPU() - c0)
    }
}

// A jitter source that returns the fractions a test lists, in order (then
// repeats them), so expected backoffs can be worked out by hand.
import LLMCore

struct ScriptedJitter: JitterSource {
    let units: [Double]
    private(set) var drawn = 0

    init(_ units: [Double]) {
        self.units = units
    }

    mutating func nextUnit() -> Double {
        defer { drawn += 1 }
        return units[drawn % units.count]
    }
}

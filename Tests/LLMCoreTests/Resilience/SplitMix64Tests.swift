// SplitMix64 against Vigna's reference `splitmix64.c`, and the fractions it
// feeds the backoff jitter.
import LLMCore
import Testing

@Suite struct SplitMix64Tests {
    @Test func matchesTheReferenceImplementation() {
        var generator = SplitMix64(seed: 0)
        let outputs = (0..<5).map { _ in generator.next() }
        #expect(outputs == [
            0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F,
            0xF88B_B8A8_724C_81EC, 0x1B39_896A_51A8_749B,
        ])
    }

    @Test func unitsAreTheTop53BitsAsAFraction() {
        var generator = SplitMix64(seed: 0)
        #expect(generator.nextUnit() == Double(0xE220_A839_7B1D_CDAF as UInt64 >> 11) * 0x1p-53)
        #expect(generator.nextUnit() == 0.43152799704850997)
    }

    @Test func theSameSeedGivesTheSameSequence() {
        var a = SplitMix64(seed: 42), b = SplitMix64(seed: 42)
        for _ in 0..<100 { #expect(a.nextUnit() == b.nextUnit()) }
        var generator = SplitMix64(seed: 7)
        for _ in 0..<10_000 {
            let unit = generator.nextUnit()
            #expect(unit >= 0 && unit < 1)
        }
    }
}

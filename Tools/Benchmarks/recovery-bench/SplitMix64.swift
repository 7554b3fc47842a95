/// SplitMix64: a tiny, seedable generator, so every run (and every machine) benchmarks the
/// very same events, and the log and the raw floor are measured on identical data.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0 ..< bound` (the modulo bias is irrelevant for a workload).
    mutating func below(_ bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }
}

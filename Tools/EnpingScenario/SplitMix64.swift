/// The scenario's only source of randomness: SplitMix64, so that one seed always gives the
/// same history, on every platform and every Swift version (no Foundation, no system RNG).
/// recovery-bench draws its workload from it too.
public struct SplitMix64 {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `0 ..< bound` (bound > 0), without modulo bias worth noticing.
    mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0, "empty range")
        return Int(next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// A number in `0 ..< bound` as `next() % bound`: the bench's workloads were drawn this way,
    /// so they stay the events its published figures measured (the bias is irrelevant there).
    public mutating func belowByRemainder(_ bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }

    /// A uniform integer in `low ... high`.
    mutating func range(_ low: Int, _ high: Int) -> Int {
        precondition(low <= high, "empty range \(low)...\(high)")
        return low + below(high - low + 1)
    }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool {
        Double(next() >> 11) * 0x1p-53 < p
    }

    /// Shuffles `items` in place (Fisher–Yates).
    mutating func shuffle<T>(_ items: inout [T]) {
        guard items.count > 1 else { return }
        for i in stride(from: items.count - 1, to: 0, by: -1) {
            items.swapAt(i, below(i + 1))
        }
    }
}

extension PersonalNumbers {
    /// A run of decimal digits: how many, and their value while it fits (18 digits do).
    public struct DigitRun: Sendable, Equatable {
        public internal(set) var count = 0
        public internal(set) var value: UInt64 = 0

        public init() {}

        /// No identifier is longer than 18 digits; a longer run only needs its length.
        static let longest = 18

        var isEmpty: Bool { count == 0 }

        mutating func append(_ digit: UInt8) {
            count += 1
            if count <= Self.longest { value = value &* 10 &+ UInt64(digit) }
        }

        /// Digit `index` (0 = the first).
        func digit(_ index: Int) -> UInt8 {
            UInt8(value / PersonalNumbers.powersOfTen[count - 1 - index] % 10)
        }

        /// `self` followed by `other`, or nil when the joined run is too long to matter.
        func joined(with other: DigitRun) -> DigitRun? {
            guard count + other.count <= Self.longest else { return nil }
            var joined = self
            joined.count += other.count
            joined.value = value * PersonalNumbers.powersOfTen[other.count] + other.value
            return joined
        }

        var digits: String { String(decoding: (0 ..< count).map { 0x30 + digit($0) }, as: UTF8.self) }
    }
}

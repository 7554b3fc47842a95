/// How many non-voided check-ins a participant made in each local calendar month, for the
/// monthly cap. Months are kept sorted in a small array, searched from the latest: check-ins
/// arrive mostly in date order, so the month sought is nearly always the last one, and no
/// hashing is paid per check-in.
public struct MonthlyCheckIns: Equatable, Sendable {
    /// A month (year × 12 + month − 1) and its count.
    public struct Month: Equatable, Sendable {
        public let month: Int32
        public internal(set) var count: Int32
    }

    /// The months with check-ins, in ascending order (as stored).
    public private(set) var months: [Month] = []

    public init() {}

    /// The count of `month`.
    public subscript(month: Int32) -> Int32 {
        guard let position = position(of: month) else { return 0 }
        return months[position].count
    }

    /// Counts one more check-in in `month`; returns the count before it.
    mutating func increment(_ month: Int32) -> Int32 {
        if let position = position(of: month) {
            defer { months[position].count += 1 }
            return months[position].count
        }
        var insertAt = months.count
        while insertAt > 0, months[insertAt - 1].month > month { insertAt -= 1 }
        months.insert(Month(month: month, count: 1), at: insertAt)
        return 0
    }

    /// Restores a stored count (months in ascending order, as `months` lists them).
    mutating func restore(month: Int32, count: Int32) {
        months.append(Month(month: month, count: count))
    }

    mutating func reserveCapacity(_ count: Int) { months.reserveCapacity(count) }

    private func position(of month: Int32) -> Int? {
        var position = months.count - 1
        while position >= 0 {
            let found = months[position].month
            if found == month { return position }
            if found < month { return nil }
            position -= 1
        }
        return nil
    }
}

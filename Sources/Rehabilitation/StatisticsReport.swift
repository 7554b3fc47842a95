import EventLog

/// `recovery stats`: the city's figures for a year, as of a day, over the ledger as it stood
/// at `headSeq`.
public struct StatisticsReport: Sendable {
    public let year: Int
    public let asOf: CivilDate
    public let headSeq: UInt64
    public let city: CityFigures
    /// Every town of the city, in the city's order (one, with `--town`).
    public let towns: [(town: Town, figures: CityFigures)]
}

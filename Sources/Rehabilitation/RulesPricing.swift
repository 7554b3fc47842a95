import EventLog

/// The points of every rules version as plain numbers, keyed by the UTC instant each version
/// takes effect (local midnight of `effective_from`): what pricing an event needs, with no
/// object references. Rebuild threads price millions of events side by side, and a shared
/// reference count is a cache line they would fight over.
public struct RulesPricing: Sendable {
    /// One version's points.
    struct Version: Sendable {
        let startsAt: Int64
        let checkIn: Int64
        let checkInMonthlyCap: Int64
        let testNegative: Int64
        let testPositive: Int64
        let testRefused: Int64
        let trainingAttended: Int64
        let educationCompleted: Int64
        let jobPlaced: Int64
    }

    /// In the order of `PointsRules.versions` (by `effective_from`).
    let versions: [Version]

    init(_ versions: [RulesVersion]) {
        self.versions = versions.map { version in
            Version(startsAt: CityZone.startOfDay(version.effectiveFrom), checkIn: version.checkIn,
                    checkInMonthlyCap: version.checkInMonthlyCap, testNegative: version.testNegative,
                    testPositive: version.testPositive, testRefused: version.testRefused,
                    trainingAttended: version.trainingAttended, educationCompleted: version.educationCompleted,
                    jobPlaced: version.jobPlaced)
        }
    }

    private init(copying versions: [Version]) {
        self.versions = versions.map { $0 }
    }

    /// The number of the version in force at the UTC instant `at` (the latest whose local
    /// start day is on or before `at`'s local day), or nil before the first.
    func version(at instant: Int64) -> Int? {
        var position = versions.count - 1
        while position >= 0, versions[position].startsAt > instant { position -= 1 }
        return position >= 0 ? position : nil
    }

    /// A copy sharing no storage with this one, for a thread of its own.
    func copiedForThread() -> RulesPricing { RulesPricing(copying: versions) }
}

/// Enping's eleven towns (the ids of the city file), with a rough share of the caseload and
/// the number of social workers who record events, so that towns differ in size.
struct EnpingTown {
    let id: String
    let weight: Int
    let workers: Int

    /// All towns, in the city file's order.
    static let all: [EnpingTown] = [
        EnpingTown(id: "encheng", weight: 22, workers: 3),
        EnpingTown(id: "hengpi", weight: 7, workers: 1),
        EnpingTown(id: "shengtang", weight: 8, workers: 2),
        EnpingTown(id: "liangxi", weight: 7, workers: 1),
        EnpingTown(id: "shahu", weight: 9, workers: 2),
        EnpingTown(id: "niujiang", weight: 9, workers: 2),
        EnpingTown(id: "juntang", weight: 10, workers: 2),
        EnpingTown(id: "datian", weight: 6, workers: 1),
        EnpingTown(id: "naji", weight: 5, workers: 1),
        EnpingTown(id: "dahuai", weight: 8, workers: 2),
        EnpingTown(id: "dongcheng", weight: 9, workers: 2),
    ]

    private static let totalWeight = all.reduce(0) { $0 + $1.weight }

    /// A town index drawn by caseload share.
    static func random(_ rng: inout SplitMix64) -> Int {
        var k = rng.below(totalWeight)
        for (i, town) in all.enumerated() {
            if k < town.weight { return i }
            k -= town.weight
        }
        return 0
    }
}

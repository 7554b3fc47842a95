/// One line of the report: a figure of the log, its raw-LMDB floor, and whether the log
/// meets its target. Kept as numbers (for `--json`) with their display text (for the table).
struct FigureResult {
    /// A measured value and how it is shown.
    struct Measure {
        let value: Double
        let unit: String
        let text: String
    }

    /// Which way a target points, and what it applies to.
    enum Goal {
        case atLeast(Double)
        case atMost(Double)

        func isMet(by value: Double) -> Bool {
            switch self {
            case .atLeast(let bound): value >= bound
            case .atMost(let bound): value <= bound
            }
        }

        var symbol: String {
            switch self {
            case .atLeast: "≥"
            case .atMost: "≤"
            }
        }

        var bound: Double {
            switch self {
            case .atLeast(let bound), .atMost(let bound): bound
            }
        }
    }

    let number: Int
    let name: String
    let log: Measure
    let raw: Measure
    /// How the log compares with the floor; what `ratioMeaning` says it is.
    let ratio: Double
    let ratioMeaning: String
    /// The value the target applies to: `ratio`, or (for the import) the log's own figure.
    let judged: Double
    let judgedMeaning: String
    let goal: Goal
    let targetText: String
    var notes: [String]
    /// Further conditions of the target, beside `goal` (e.g. a p99 bound on a throughput
    /// figure); the figure passes when every one is met.
    var conditions: [Condition] = []
    /// Several measurements behind one figure (e.g. one per load level), for `--json`.
    var measurements: [Measurement] = []

    /// A further condition: `measured` (what `meaning` says) against `goal`.
    struct Condition {
        let meaning: String
        let measured: Double
        let goal: Goal
    }

    /// One labelled set of numbers.
    struct Measurement {
        let label: String
        let values: [(String, Double)]
    }

    var passed: Bool { goal.isMet(by: judged) && conditions.allSatisfy { $0.goal.isMet(by: $0.measured) } }
}

extension FigureResult {
    /// The same result with one more note.
    func noting(_ note: String) -> FigureResult {
        var copy = self
        copy.notes.append(note)
        return copy
    }
}

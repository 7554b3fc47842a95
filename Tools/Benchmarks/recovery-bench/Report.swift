import Foundation

/// Renders the results: an aligned table for people, or JSON for scripts that track the
/// figures over time.
struct Report {
    let options: BenchOptions
    let figures: [FigureResult]
    let facts: [(String, String)]
    let wallSeconds: Double

    func table() -> String {
        let header = ["#", "figure", "log", "raw LMDB floor", "ratio", "target", "result"]
        var rows = [header]
        for figure in figures {
            rows.append([
                String(figure.number), figure.name, figure.log.text, figure.raw.text,
                figure.judgedMeaning == "the ratio" ? Self.fixed(figure.ratio, 3)
                    : figure.ratio == 0 ? "—" : "(\(Self.fixed(figure.ratio, 3)))",
                figure.targetText, figure.passed ? "pass" : "FAIL",
            ])
        }
        let widths = (0 ..< header.count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        var lines: [String] = []
        for (index, row) in rows.enumerated() {
            let cells = row.enumerated().map { column, text in
                let padding = String(repeating: " ", count: widths[column] - text.count)
                return column == 1 ? text + padding : padding + text
            }
            lines.append(cells.joined(separator: "  "))
            if index == 0 { lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")) }
        }
        lines.append("")
        for figure in figures {
            let applies = ([figure.judgedMeaning] + figure.conditions.map(\.meaning)).joined(separator: " and ")
            lines.append(figure.ratio == 0
                ? "\(figure.number). \(figure.name): the target applies to \(applies)"
                : "\(figure.number). \(figure.name): ratio = \(figure.ratioMeaning); the target applies to \(applies)")
            for note in figure.notes { lines.append("   \(note)") }
        }
        lines.append("")
        for (name, value) in facts { lines.append("\(name): \(value)") }
        lines.append("wall time: \(Self.fixed(wallSeconds, 1)) s")
        return lines.joined(separator: "\n")
    }

    func json() throws -> String {
        let object: [String: Any] = [
            "events": options.events,
            "participants": options.participants,
            "durable_appends": options.durableAppends,
            "lookups": options.lookups,
            "wall_seconds": wallSeconds,
            "facts": Dictionary(facts, uniquingKeysWith: { first, _ in first }),
            "all_passed": figures.allSatisfy(\.passed),
            "figures": figures.map { figure -> [String: Any] in
                var object: [String: Any] = [
                    "figure": figure.number,
                    "name": figure.name,
                    "log": ["value": figure.log.value, "unit": figure.log.unit],
                    "raw": ["value": figure.raw.value, "unit": figure.raw.unit],
                    "ratio": figure.ratio,
                    "ratio_meaning": figure.ratioMeaning,
                    "target": [
                        "comparison": figure.goal.symbol, "value": figure.goal.bound,
                        "applies_to": figure.judgedMeaning, "measured": figure.judged,
                    ] as [String: Any],
                    "pass": figure.passed,
                    "notes": figure.notes,
                ]
                if !figure.conditions.isEmpty {
                    object["also_required"] = figure.conditions.map { condition -> [String: Any] in
                        ["comparison": condition.goal.symbol, "value": condition.goal.bound, "applies_to": condition.meaning,
                         "measured": condition.measured.isFinite ? condition.measured : NSNull(), "pass": condition.goal.isMet(by: condition.measured)]
                    }
                }
                if !figure.measurements.isEmpty {
                    object["measurements"] = figure.measurements.map { measurement -> [String: Any] in
                        var entry: [String: Any] = ["label": measurement.label]
                        for (key, value) in measurement.values { entry[key] = value.isFinite ? value : NSNull() }
                        return entry
                    }
                }
                return object
            },
        ]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    // MARK: Number formatting

    static func fixed(_ value: Double, _ decimals: Int) -> String {
        String(format: "%.\(decimals)f", value)
    }

    /// `1,234,567`.
    static func grouped(_ value: Double) -> String {
        let digits = String(Int(value.rounded()))
        var result = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0, character != "-" { result.append(",") }
            result.append(character)
        }
        return result
    }

    static func rate(_ eventsPerSecond: Double) -> String { grouped(eventsPerSecond) + " ev/s" }

    /// Microseconds below 10 ms, milliseconds above.
    static func duration(nanoseconds: Double) -> String {
        nanoseconds < 10_000_000 ? fixed(nanoseconds / 1_000, 1) + " µs" : fixed(nanoseconds / 1_000_000, 2) + " ms"
    }
}

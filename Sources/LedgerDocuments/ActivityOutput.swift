import EventLog
import Rehabilitation

/// Renders `recovery activity` (docs/statistics.md): JSON with the documented codes, the CSV
/// with one row per scope (the city, each town's total, each of its actors), and the table
/// for people with the towns' Chinese names.
package enum ActivityOutput {
    package static func json(_ report: ActivityReport) -> OrderedJSON {
        .object([
            ("period", .object([
                ("kind", .string(report.period.kind.rawValue)), ("name", .string(report.period.name)),
                ("from", .string(report.period.from.description)), ("to", .string(report.period.to.description)),
            ])),
            ("head_seq", .seq(report.headSeq)),
            ("city", .object([
                ("under_measure", .int(report.underMeasure)), ("contact_alerts", .int(report.contactAlerts)),
                ("totals", counts(report.city)),
            ])),
            ("towns", .array(report.towns.map { town in
                .object([
                    ("town", .string(town.town.id)),
                    ("under_measure", .int(town.underMeasure)), ("contact_alerts", .int(town.contactAlerts)),
                    ("totals", counts(town.totals)),
                    ("actors", .array(town.actors.map { row in .object([("actor", .string(row.actor))] + members(row.counts)) })),
                ])
            })),
        ])
    }

    package static func counts(_ counts: ActivityCounts) -> OrderedJSON { .object(members(counts)) }

    /// The counts' members in the documented order: the counted types by their catalogue
    /// names (`test_result` split by result), `other`, `contacted`, `voids`.
    private static func members(_ counts: ActivityCounts) -> [(String, OrderedJSON)] {
        var members: [(String, OrderedJSON)] = ActivityCounts.countedTypes.map { type in
            if type == .testResult {
                return (type.name, .object(TestResult.allCases.map { ($0.name, .int(counts.count($0))) }))
            }
            return (type.name, .int(counts.count(type)))
        }
        members += [("other", .int(counts.other)), ("contacted", .int(counts.contacted)), ("voids", .int(counts.voids))]
        return members
    }

    /// The count columns: the JSON paths of the counts joined with dots, with their words.
    static let countColumns: [(column: TabularColumn, value: @Sendable (ActivityCounts) -> Int)] = {
        var columns: [(column: TabularColumn, value: @Sendable (ActivityCounts) -> Int)] = []
        for type in ActivityCounts.countedTypes {
            let label = Vocabulary.eventType(type)
            if type == .testResult {
                for result in TestResult.allCases {
                    let choice = Vocabulary.choice(result.name)
                    columns.append((TabularColumn(type.name + "." + result.name, Label(label.zh + choice.zh, label.en + " " + choice.en), numeric: true),
                                    { $0.count(result) }))
                }
            } else {
                columns.append((TabularColumn(type.name, label, numeric: true), { $0.count(type) }))
            }
        }
        columns.append((TabularColumn("other", Label("其他", "other"), numeric: true), { $0.other }))
        columns.append((TabularColumn("contacted", Label("接触人数", "contacted"), numeric: true), { $0.contacted }))
        columns.append((TabularColumn("voids", Label("撤销", "voids"), numeric: true), { $0.voids }))
        return columns
    }()

    /// Every column: the scope (`town`: `city` or a town id; `actor`: `*` for a total), the
    /// counts, and the last day's `under_measure` and `contact_alerts` (on total rows only).
    package static var columns: [TabularColumn] {
        [TabularColumn("town", Label("镇街", "town")), TabularColumn("actor", Label("记录人", "actor"))]
            + countColumns.map(\.column)
            + [TabularColumn("under_measure", Label("执行中", "under a measure"), numeric: true),
               TabularColumn("contact_alerts", Label(Vocabulary.alertKind(.contact).zh, "contact alerts"), numeric: true)]
    }

    /// The rows: the city, then per town its total and its actors (sorted by id).
    package static func rows(_ report: ActivityReport, cityName: String) -> [[TabularCell]] {
        let total = TabularCell.code("*", Label("合计", "total"))
        func row(_ town: TabularCell, _ actor: TabularCell, _ counts: ActivityCounts, measure: (Int, Int)?) -> [TabularCell] {
            [town, actor] + countColumns.map { .integer(Int64($0.value(counts))) }
                + (measure.map { [.integer(Int64($0.0)), .integer(Int64($0.1))] } ?? [.empty, .empty])
        }
        var rows = [row(.code("city", Label(cityName, "city")), total, report.city, measure: (report.underMeasure, report.contactAlerts))]
        for town in report.towns {
            let name = TabularCell.code(town.town.id, Label(town.town.name, town.town.id))
            rows.append(row(name, total, town.totals, measure: (town.underMeasure, town.contactAlerts)))
            for entry in town.actors { rows.append(row(name, .text(entry.actor), entry.counts, measure: nil)) }
        }
        return rows
    }

    /// The document in `form`: for people a title line, a note and the table; else the CSV.
    package static func write(_ report: ActivityReport, cityName: String, form: TabularForm, emit: @escaping ([UInt8]) -> Void) throws(SpreadsheetCSV.Failure) {
        if case .table(let language) = form {
            let period = report.period
            let city = DisplayText.escaped(cityName)
            emit(Array((language == .zh
                ? "\(city) \(period.name) 工作量统计（\(period.from) 至 \(period.to)，账本序号 \(report.headSeq)；执行中、未按期报到截至 \(period.to)）\n"
                : "\(city) activity \(period.name) (\(period.from) to \(period.to), ledger seq \(report.headSeq); under a measure and contact alerts as of \(period.to))\n").utf8))
        }
        var writer = TabularWriter(columns: columns, form: form, emit: emit)
        for row in rows(report, cityName: cityName) { try writer.add(row) }
        try writer.finish()
    }
}

import EventLog
import Rehabilitation

/// The alerts as `alerts` and `demo` print them (JSON and the table for people).
package enum AlertsOutput {
    package static func json(_ alerts: [Alert], day: CivilDate) -> OrderedJSON {
        .object([
            ("as_of", .string(day.description)),
            ("alerts", .array(alerts.map { alert in
                var members: [(String, OrderedJSON)] = [
                    ("participant", .string(alert.participant)), ("town", .string(alert.town)), ("kind", .string(alert.kind.rawValue)),
                ]
                if let level = alert.level { members.append(("level", .string(level.rawValue))) }
                members.append(("since", .string(alert.since.description)))
                if let days = alert.daysOverdue { members.append(("days_overdue", .int(days))) }
                return .object(members)
            })),
        ])
    }

    package static let columns: [TabularColumn] = [
        TabularColumn("town", Label("镇街", "town")),
        TabularColumn("participant", Label("人员", "participant")),
        TabularColumn("kind", Label("类型", "kind")),
        TabularColumn("level", Label("级别", "level")),
        TabularColumn("since", Label("起始日期", "since")),
        TabularColumn("days_overdue", Label("逾期天数", "days overdue"), numeric: true),
    ]

    package static func cells(_ alert: Alert, city: City) -> [TabularCell] {
        [.code(alert.town, Label(city.town(alert.town)?.name ?? alert.town, alert.town)), .text(alert.participant),
         .code(alert.kind.rawValue, Vocabulary.alertKind(alert.kind)),
         alert.level.map { .code($0.rawValue, Vocabulary.alertLevel($0)) } ?? .empty,
         .date(alert.since), alert.daysOverdue.map { .integer(Int64($0)) } ?? .empty]
    }

    /// The worklist in `form`: for people a title line and the table, else CSV.
    package static func write(_ alerts: [Alert], day: CivilDate, city: City, form: TabularForm, emit: @escaping ([UInt8]) -> Void) throws(SpreadsheetCSV.Failure) {
        if case .table(let language) = form {
            emit(Array((language == .zh ? "\(day) 的预警：\(alerts.count) 条\n" : "alerts on \(day): \(alerts.count)\n").utf8))
            if alerts.isEmpty { return }
        }
        var writer = TabularWriter(columns: columns, form: form, emit: emit)
        for alert in alerts { try writer.add(cells(alert, city: city)) }
        try writer.finish()
    }

    /// The table for people (`demo` prints it).
    package static func table(_ alerts: [Alert], day: CivilDate, city: City, language: Language = .zh) -> String {
        var bytes: [UInt8] = []
        try? write(alerts, day: day, city: city, form: .table(language)) { bytes.append(contentsOf: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }
}

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

    package static func table(_ alerts: [Alert], day: CivilDate, city: City) -> String {
        var lines = ["alerts on \(day): \(alerts.count)"]
        let rows = alerts.map { alert in
            [city.town(alert.town)?.name ?? alert.town, alert.participant, alert.kind.rawValue, alert.level?.rawValue ?? "",
             alert.since.description, alert.daysOverdue.map(String.init) ?? ""]
        }
        if !rows.isEmpty {
            lines.append(contentsOf: TextTable.render(header: ["town", "participant", "kind", "level", "since", "days overdue"], rows: rows))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

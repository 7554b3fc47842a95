import ArgumentParser
import EventLog
import Foundation
import Rehabilitation

/// `recovery alerts`: who needs action today — lost contact, serious violations, relapses to report.
struct AlertsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts", abstract: "Participants under a measure who need action on a day (default: today, Asia/Shanghai).")

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: ArgumentHelp("The local day (default: today in Asia/Shanghai).", valueName: "DATE"))
    var asOf: String?

    @Option(help: ArgumentHelp("Only this town.", valueName: "ID"))
    var town: String?

    @OptionGroup var output: TableOrJSONOptions

    func validate() throws {
        if let asOf, CivilDate(asOf) == nil { throw ValidationError("--as-of must be a date YYYY-MM-DD") }
    }

    func run() throws {
        let ledger = try storeOptions.openLedger()
        if let town, ledger.city.town(town) == nil {
            throw CLIFailure("\(DisplayText.escaped(PersonalNumbers.redacted(town))) is not a town of \(DisplayText.escaped(ledger.city.name))",
                             exitCode: .rejectedInput)
        }
        let today = CityZone.localDate(ofUTC: Int64(Date().timeIntervalSince1970 * 1000))
        let day = asOf.flatMap { CivilDate($0) } ?? today
        let alerts = try ledger.alerts(on: day, town: town)
        if output.isJSON {
            StandardStreams.print(Self.json(alerts, day: day).text)
        } else {
            StandardStreams.write(Array(Self.table(alerts, day: day, city: ledger.city).utf8))
        }
    }

    static func json(_ alerts: [Alert], day: CivilDate) -> OrderedJSON {
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

    static func table(_ alerts: [Alert], day: CivilDate, city: City) -> String {
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

import ArgumentParser
import EventLog
import LedgerDocuments
import Foundation
import Rehabilitation

/// `recovery alerts`: who needs action today — lost contact, serious violations, relapses to report.
struct AlertsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts", abstract: "Participants under a measure who need action on a day (default: today, Asia/Shanghai).")

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: ArgumentHelp("The local day (default: today in Asia/Shanghai).", valueName: "DATE"))
    var asOf: String?

    @Option(help: ArgumentHelp("Only this town (id or Chinese name).", valueName: "TOWN"), completion: TownCompletion.kind)
    var town: String?

    @OptionGroup var output: TableJSONCSVOptions

    func validate() throws {
        if let asOf, CivilDate(asOf) == nil { throw ValidationError("--as-of must be a date YYYY-MM-DD") }
    }

    func run() throws {
        let ledger = try storeOptions.openLedger()
        let town = try town.map { try TownArgument.resolve($0, in: ledger.city) }
        let today = CityZone.localDate(ofUTC: Int64(Date().timeIntervalSince1970 * 1000))
        let day = asOf.flatMap { CivilDate($0) } ?? today
        let alerts = try ledger.alerts(on: day, town: town)
        if output.isJSON {
            StandardStreams.print(AlertsOutput.json(alerts, day: day).text)
        } else {
            do {
                try AlertsOutput.write(alerts, day: day, city: ledger.city, form: output.form) { StandardStreams.write($0) }
            } catch {
                throw CLIFailure(error.description, exitCode: .internalError)
            }
        }
    }
}

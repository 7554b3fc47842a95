import ArgumentParser
import EventLog
import LedgerDocuments
import Rehabilitation

/// `recovery audit`: replays a participant's history from the log and compares the result
/// with the balance projection.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Replay a participant's history from the log; exit 1 if the projection disagrees.")

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: ArgumentHelp("The participant id.", valueName: "P"))
    var participant: String

    @Option(help: ArgumentHelp("Replay the ledger as it stood at this seq (rules adopted by then included).", valueName: "N"))
    var atSeq: UInt64?

    @OptionGroup var output: TableOrJSONOptions

    func validate() throws {
        if atSeq == 0 { throw ValidationError("--at-seq must be 1 or more") }
    }

    func run() throws {
        let ledger = try storeOptions.openLedger()
        guard let report = try ledger.audit(participant, atSeq: atSeq) else {
            throw CLIFailure("unknown participant \(DisplayText.escaped(PersonalNumbers.redacted(participant))): the ledger holds no events for them"
                + (atSeq.map { " up to seq \($0)" } ?? ""), exitCode: .rejectedInput)
        }
        if output.isJSON {
            StandardStreams.print(AuditDocument.json(report).text)
        } else {
            StandardStreams.write(Array(Self.table(report).utf8))
        }
        if !report.consistent { throw ExitCode.damageFound }
    }

    static func table(_ report: AuditReport) -> String {
        var lines = ["audit of \(DisplayText.escaped(report.participant)) at seq \(report.headSeq) (chain hash \(report.headHash))"]
        lines.append(LogTable.pad("SEQ", 8) + LogTable.pad("AT (Asia/Shanghai)", 21) + LogTable.pad("TYPE", 22)
            + LogTable.pad("RULES", 8) + LogTable.pad("DELTA", 7) + LogTable.pad("BALANCE", 9) + LogTable.pad("VOIDED BY", 16) + "ID")
        for row in report.rows {
            lines.append(LogTable.pad(String(row.event.seq), 8) + LogTable.pad(CityZone.localString(row.event.at), 21)
                + LogTable.pad(row.event.type, 22) + LogTable.pad(row.ruleVersion ?? "-", 8) + LogTable.pad(String(row.delta), 7)
                + LogTable.pad(String(row.balance), 9) + LogTable.pad(row.voidedBy ?? "-", 16) + DisplayText.escaped(row.event.id))
        }
        let projection = report.projectionBalance.map(String.init) ?? "not compared (replay cut at an earlier seq)"
        lines.append("balance \(report.balance); projection \(projection); \(report.consistent ? "consistent" : "INCONSISTENT")")
        return lines.joined(separator: "\n") + "\n"
    }
}

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

    @OptionGroup var output: TableJSONCSVOptions

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
            try Self.write(report, form: output.form, city: ledger.city)
        }
        if !report.consistent { throw ExitCode.damageFound }
    }

    static let columns: [TabularColumn] = [
        TabularColumn("seq", Label("序号", "seq"), numeric: true),
        TabularColumn("at", Label("时间", "at (Asia/Shanghai)")),
        TabularColumn("type", Label("类型", "type")),
        TabularColumn("data", Label("内容", "what")),
        TabularColumn("rules", Label("规则版本", "rules")),
        TabularColumn("delta", Label("积分变化", "delta"), numeric: true),
        TabularColumn("balance", Label("积分余额", "balance"), numeric: true),
        TabularColumn("voided_by", Label("撤销记录", "voided by")),
        TabularColumn("recorded_at", Label("录入时间", "recorded at")),
        TabularColumn("backdated", Label("补录", "backdated")),
        TabularColumn("id", Label("编号", "id")),
    ]

    /// Empty in CSV, `-` for people.
    static func optional(_ text: String?) -> TabularCell { .code(text ?? "", Label(text ?? "-", text ?? "-")) }

    /// The replay as a table (a title, the rows, the verdict) or as CSV (the rows alone).
    static func write(_ report: AuditReport, form: TabularForm, city: City) throws {
        let participant = DisplayText.escaped(report.participant)
        if case .table(let language) = form {
            StandardStreams.print(language == .zh
                ? "人员 \(participant) 的审计（截至序号 \(report.headSeq)，链哈希 \(report.headHash)）"
                : "audit of \(participant) at seq \(report.headSeq) (chain hash \(report.headHash))")
        }
        var writer = TabularWriter(columns: columns, form: form) { StandardStreams.write($0) }
        do {
            for row in report.rows {
                let event = row.event
                let cells = LogTable.cells(event, city: city, form: form)
                try writer.add([
                    cells[0], cells[1], cells[2], cells[5], Self.optional(row.ruleVersion), .delta(row.delta),
                    .text(String(row.balance)), Self.optional(row.voidedBy), cells[6], cells[7], cells[8],
                ])
            }
            try writer.finish()
        } catch {
            throw CLIFailure(error.description, exitCode: .internalError)
        }
        guard case .table(let language) = form else { return }
        let projection = report.projectionBalance.map(String.init)
        if language == .zh {
            StandardStreams.print("余额 \(report.balance)；投影 \(projection ?? "未比较（回放截止于较早的序号）")；\(report.consistent ? "一致" : "不一致")")
        } else {
            StandardStreams.print("balance \(report.balance); projection \(projection ?? "not compared (replay cut at an earlier seq)"); \(report.consistent ? "consistent" : "INCONSISTENT")")
        }
    }
}

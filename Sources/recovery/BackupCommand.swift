import ArgumentParser
import EventLog
import Rehabilitation

/// `recovery backup`: a consistent, compacted copy made while others keep appending.
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "Write a consistent, compacted copy of the ledger to DEST, verify it, print its head hash.")

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: ArgumentHelp("A folder that does not exist yet (or is empty).", valueName: "DEST"))
    var destination: String

    @Flag(help: "Print {\"events\":N,\"head_seq\":N,\"head_hash\":\"…\"}.")
    var json = false

    @Flag(help: "Also copy the signing key (owner-only); without it a backup holds no private key.")
    var withKey = false

    @OptionGroup var languageOptions: LanguageOptions

    func run() throws {
        let ledger = try storeOptions.openLedger()
        let key = withKey ? try Proofs.signer(folder: storeOptions.folder) : nil
        let report = try ledger.backup(to: destination)
        guard report.ok else {
            throw CLIFailure("the copy in \(destination) does not verify: seq \(report.firstBadSeq ?? 0): \(report.reason ?? "")",
                             exitCode: .internalError)
        }
        if let key { try SigningKeyFile.write(key, to: SigningKeyFile.path(in: destination)) }
        if json {
            StandardStreams.print("{\"events\":\(report.events),\"head_seq\":\(report.headSeq),\"head_hash\":\"\(report.headHash)\"}")
        } else {
            StandardStreams.print(languageOptions.say("已备份 \(report.events) 条事件到 \(destination)，已核验；末条序号 \(report.headSeq)，链哈希 \(report.headHash)",
                                                      "backed up \(report.events) events to \(destination); verified; head seq \(report.headSeq), head hash \(report.headHash)"))
        }
    }
}

import ArgumentParser
import EventLog
import Foundation
import LMDB
import Rehabilitation

/// `recovery restore`: a ledger from a backup, checked before anything is written, into a
/// folder that holds no ledger.
struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Verify a backup, then copy it into the store folder (exit 73 if that folder holds a ledger or other files).",
        discussion: """
            The backup is verified as `recovery verify` would (chain, indexes, projections); a \
            damaged backup is refused with 1 and nothing is written. The copy is verified again \
            and gets a head witness of its own head. The signing key comes along when the backup \
            holds one (`backup --with-key`); otherwise make or copy one (`recovery key`).
            """)

    @Argument(help: ArgumentHelp("The backup folder (from `recovery backup`).", valueName: "BACKUP"))
    var backup: String

    @OptionGroup var storeOptions: StoreOptions

    @Flag(help: "Print {\"events\":N,\"head_seq\":N,\"head_hash\":\"…\",\"key\":BOOL}.")
    var json = false

    @OptionGroup var languageOptions: LanguageOptions

    func run() throws {
        let target = storeOptions.folder
        // Refused before the backup is even opened: a restore never replaces a ledger.
        if StoreFolder.presence(of: (target as NSString).appendingPathComponent("data.mdb")) == .present {
            throw CLIFailure("\(target) already holds a ledger: a restore never replaces one; restore into a new folder, or move that ledger away first; nothing was changed",
                             exitCode: .ledgerExists)
        }
        guard StoreFolder.presence(of: (backup as NSString).appendingPathComponent("data.mdb")) == .present else {
            throw CLIFailure("no backup in \(backup): it holds no data.mdb (name the folder `recovery backup` wrote)", exitCode: .noLedger)
        }
        let (checked, _, _) = try VerifyCommand.verify(folder: backup, digest: nil)
        guard checked.ok else {
            let place = checked.firstBadSeq.map { " at seq \($0)" } ?? ""
            throw CLIFailure("the backup in \(backup) does not verify\(place): \(checked.reason ?? ""); nothing was written", exitCode: .damageFound)
        }
        let ledger = try Ledger.open(at: backup)
        let report = try ledger.backup(to: target)
        guard report.ok else {
            throw CLIFailure("the copy in \(target) does not verify: seq \(report.firstBadSeq ?? 0): \(report.reason ?? "")", exitCode: .internalError)
        }
        let keyPath = SigningKeyFile.path(in: backup)
        let withKey = FileManager.default.fileExists(atPath: keyPath)
        if withKey { try SigningKeyFile.write(try SigningKeyFile.read(path: keyPath), to: SigningKeyFile.path(in: target)) }
        if json {
            StandardStreams.print("{\"events\":\(report.events),\"head_seq\":\(report.headSeq),\"head_hash\":\"\(report.headHash)\",\"key\":\(withKey)}")
        } else {
            let say = languageOptions.say
            StandardStreams.print(say("已从 \(backup) 恢复 \(report.events) 条事件到 \(target)，已核验；末条序号 \(report.headSeq)，链哈希 \(report.headHash)",
                                      "restored \(report.events) events from \(backup) into \(target); verified; head seq \(report.headSeq), head hash \(report.headHash)"))
            StandardStreams.print(withKey ? say("签名私钥随备份一同恢复", "the signing key came with the backup")
                                          : say("备份中没有签名私钥：请从安全处复制，或用 `recovery key create` 新建", "the backup holds no signing key: copy it from a safe place, or make one with `recovery key create`"))
        }
    }
}

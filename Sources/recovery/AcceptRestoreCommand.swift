import ArgumentParser
import EventLog

/// `recovery accept-restore`: after an older backup was restored on purpose, makes the
/// store's current head its witness, so that commands stop refusing it as rolled back.
struct AcceptRestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accept-restore",
        abstract: "Accept the store's current head after a deliberate restore of an older backup.",
        discussion: """
            Every command refuses a store that is behind its head witness (head.witness): it lost \
            committed events, or an older copy replaced it. When an older backup was restored on \
            purpose, this verifies the whole chain and, only if it is intact, records the store's \
            head as the new witness. It prints the witness it replaced.
            """)

    @OptionGroup var storeOptions: StoreOptions

    @OptionGroup var languageOptions: LanguageOptions

    func run() throws {
        let log = try EventLog.open(at: storeOptions.folder, checkingWitness: false)
        let (report, previous) = try log.acceptHead()
        guard report.ok else {
            throw CLIFailure("the store does not verify (\(report.reason ?? "")); nothing was accepted", exitCode: .damageFound)
        }
        let before = switch previous {
        case .missing: "no witness"
        case .unreadable: "a damaged witness"
        case .found(let witness): "the witness of \(witness)"
        }
        StandardStreams.print(languageOptions.say("已接受末条序号 \(report.headSeq)（哈希 \(report.headHash)）为台账的见证；替换了 \(before)",
                                                  "accepted head seq \(report.headSeq) (hash \(report.headHash)) as the store's witness; it replaced \(before)"))
    }
}

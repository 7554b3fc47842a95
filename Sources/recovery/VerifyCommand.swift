import ArgumentParser
import EventLog
import LedgerDocuments
import LMDB
import Rehabilitation

/// `recovery verify`: recomputes the whole chain and checks every index entry.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Recompute the hash chain and check every index entry; exit 1 on any damage.")

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: ArgumentHelp("Also check that the chain hash at SEQ is HEX (a digest published earlier).", valueName: "SEQ:HEX"))
    var digest: String?

    @OptionGroup var output: TableOrJSONOptions

    func validate() throws {
        if let digest, Self.parseDigest(digest) == nil {
            throw ValidationError("--digest must be SEQ:HEX, a positive seq and 64 hexadecimal digits")
        }
    }

    static func parseDigest(_ text: String) -> (seq: UInt64, hash: [UInt8])? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let seq = UInt64(parts[0]), seq > 0, let hash = ChainHash.bytes(fromHex: String(parts[1])) else { return nil }
        return (seq, hash)
    }

    func run() throws {
        // Damage that makes LMDB fault is found damage here, not an internal error.
        FaultGuard.install(message: Self.faultMessage, exitStatus: ExitCode.damageFound.rawValue)
        let report: VerificationReport
        var accessRecords: Int?
        do {
            (report, accessRecords) = try Self.verify(folder: storeOptions.folder, digest: digest.flatMap(Self.parseDigest))
        } catch LogError.damagedStore(let reason) {
            report = VerificationReport(ok: false, events: 0, headSeq: 0, headHash: "", firstBadSeq: nil, reason: reason)
        } catch LogError.damaged(let seq, let reason) {
            report = VerificationReport(ok: false, events: 0, headSeq: 0, headHash: "", firstBadSeq: seq, reason: reason)
        }
        if output.isJSON {
            StandardStreams.print(VerifyDocument.json(report, accessRecords: accessRecords).text)
        } else if report.ok {
            StandardStreams.print("ok: \(report.events) events, chain intact, indexes consistent")
            StandardStreams.print("head seq \(report.headSeq), head hash \(report.headHash)")
            if let accessRecords, accessRecords > 0 { StandardStreams.print("access log: \(accessRecords) records, chain intact") }
        } else if let seq = report.firstBadSeq {
            StandardStreams.print("DAMAGED at seq \(seq): \(report.reason ?? "")")
        } else {
            StandardStreams.print("DAMAGED: \(report.reason ?? "")")
        }
        if !report.ok { throw ExitCode.damageFound }
    }

    /// The log's chain, indexes, metadata and witness, then the projection's seals.
    static func verify(folder: String, digest: (seq: UInt64, hash: [UInt8])?) throws -> (report: VerificationReport, accessRecords: Int?) {
        let log = try EventLog.open(at: folder, checkingWitness: false, checkingStructure: true)
        let report = try log.verify(digest: digest)
        guard report.ok else { return (report, nil) }
        // A ledger (a log with a city) keeps projections beside the log; a bare log does not.
        guard try log.metadata("city") != nil else { return (report, nil) }
        let checked = try Ledger.open(at: folder).verifyBeyondLog(report)
        return (checked.report, checked.accessRecords)
    }

    static let faultMessage =
        "recovery: DAMAGED: reading the store made the storage engine fault: its pages are damaged; restore from a backup\n"
}

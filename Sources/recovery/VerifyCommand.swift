import ArgumentParser
import Foundation
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

    @Option(help: ArgumentHelp("Only prove, in O(log n), that the ledger extends CHECKPOINT (a checkpoint published earlier); exit 1 where it does not.", valueName: "CHECKPOINT"))
    var against: String?

    @Option(help: ArgumentHelp("With --against: the verifier key the checkpoint was signed with (default: this ledger's own).", valueName: "VERIFIER_KEY"))
    var key: String?

    @OptionGroup var output: TableOrJSONOptions

    @OptionGroup var languageOptions: LanguageOptions

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
        if let against { return try Self.verify(folder: storeOptions.folder, against: against, key: key, json: output.isJSON) }
        // Damage that makes LMDB fault is found damage here, not an internal error.
        FaultGuard.install(message: Self.faultMessage, exitStatus: ExitCode.damageFound.rawValue)
        let parsed = digest.flatMap(Self.parseDigest)
        var report: VerificationReport
        var accessRecords: Int?
        var beyondHead = false
        do {
            (report, accessRecords, beyondHead) = try Self.verify(folder: storeOptions.folder, digest: parsed)
        } catch LogError.damagedStore(let reason) {
            report = VerificationReport(ok: false, events: 0, headSeq: 0, headHash: "", firstBadSeq: nil, reason: reason)
        } catch LogError.damaged(let seq, let reason) {
            report = VerificationReport(ok: false, events: 0, headSeq: 0, headHash: "", firstBadSeq: seq, reason: reason)
        }
        // A digest of a seq the ledger has not reached is no damage, but it is not confirmed
        // either: this is an older copy, or lost events, or another ledger's digest.
        let beyondReason = parsed.map {
            "the digest is for seq \($0.seq), but this ledger's head is seq \(report.headSeq): it cannot be checked here (an older copy of the ledger, events lost since the digest was published, or another ledger's digest)"
        }
        if output.isJSON {
            let digestState = parsed.map { VerifyDocument.Digest(seq: $0.seq, checked: report.ok && !beyondHead) }
            StandardStreams.print(VerifyDocument.json(report, accessRecords: accessRecords, digest: digestState,
                                                      beyondHead: beyondHead ? beyondReason : nil).text)
        } else if report.ok {
            let say = languageOptions.say
            StandardStreams.print(say("正常：\(report.events) 条事件，哈希链完整，索引一致", "ok: \(report.events) events, chain intact, indexes consistent"))
            StandardStreams.print(say("末条序号 \(report.headSeq)，链哈希 \(report.headHash)", "head seq \(report.headSeq), head hash \(report.headHash)"))
            if let accessRecords, accessRecords > 0 {
                StandardStreams.print(say("访问日志：\(accessRecords) 条记录，哈希链完整", "access log: \(accessRecords) records, chain intact"))
            }
            if let parsed {
                StandardStreams.print(beyondHead ? say("摘要未核验：\(beyondReason ?? "")", "DIGEST NOT CHECKED: \(beyondReason ?? "")")
                                                 : say("摘要：序号 \(parsed.seq) 的链哈希与公布值相同", "digest: the chain hash at seq \(parsed.seq) is the published one"))
            }
        } else if let seq = report.firstBadSeq {
            StandardStreams.print(languageOptions.say("已损坏，序号 \(seq)：\(report.reason ?? "")", "DAMAGED at seq \(seq): \(report.reason ?? "")"))
        } else {
            StandardStreams.print(languageOptions.say("已损坏：\(report.reason ?? "")", "DAMAGED: \(report.reason ?? "")"))
        }
        if !report.ok || beyondHead { throw ExitCode.damageFound }
    }

    /// The log's chain, indexes, metadata and witness, then the projection's seals; and
    /// whether `digest` names a seq beyond the head (then it was not checked).
    static func verify(folder: String, digest: (seq: UInt64, hash: [UInt8])?) throws -> (report: VerificationReport, accessRecords: Int?, digestBeyondHead: Bool) {
        let log = try EventLog.open(at: folder, checkingWitness: false, checkingStructure: true)
        let beyondHead = try digest.map { $0.seq > (try log.head().seq) } ?? false
        let report = try log.verify(digest: beyondHead ? nil : digest)
        guard report.ok else { return (report, nil, beyondHead) }
        // A ledger (a log with a city) keeps projections beside the log; a bare log does not.
        guard try log.metadata("city") != nil else { return (report, nil, beyondHead) }
        let checked = try Ledger.open(at: folder).verifyBeyondLog(report)
        return (checked.report, checked.accessRecords, beyondHead)
    }

    /// `--against`: the checkpoint's signature and origin, then the ledger's root at its size
    /// (O(log n) stored nodes), then the consistency path from it to the current tree.
    static func verify(folder: String, against path: String, key: String?, json: Bool) throws {
        let log = try EventLog.open(at: folder)
        let verifier = try key.map(Proofs.verifierKey) ?? Proofs.signer(folder: folder).verifier
        let note = try TextFile.read(path, what: "checkpoint file")
        var failure: String?
        var checkpoint: Checkpoint?
        var current: (size: UInt64, root: [UInt8])?
        do {
            let opened = try ProofDocument.openCheckpoint(note, key: verifier)
            checkpoint = opened
            do {
                // One pass over the stored tree: both roots and the path between them.
                let proof = try Proofs.treeAnswer { try log.consistencyProof(from: opened.size) }
                current = (proof.new, proof.newRoot)
                if proof.oldRoot != opened.root {
                    failure = "the ledger's first \(opened.size) events have root \(ChainHash.hex(proof.oldRoot)), not the checkpoint's \(ChainHash.hex(opened.root)): the history up to seq \(opened.size) was changed since the checkpoint"
                } else if !Merkle.isConsistent(from: opened.size, to: proof.new, oldRoot: opened.root, newRoot: proof.newRoot, proof: proof.path) {
                    failure = "the ledger's stored tree does not lead from the checkpoint to its current root: run `recovery verify`"
                }
            } catch let failed as CLIFailure where failed.exitCode == .damageFound {
                let events = try log.head().seq
                current = (events, try Proofs.treeAnswer { try log.treeRoot() }.root)
                failure = "the checkpoint covers \(opened.size) events, but the ledger holds \(events): events acknowledged under it are missing (the ledger was rolled back or replaced)"
            }
        } catch let refusal as ProofDocument.Refusal {
            failure = "\(path): \(refusal.reason)"
        }
        if json {
            StandardStreams.print(OrderedJSON.object([
                ("ok", .bool(failure == nil)), ("checkpoint_size", checkpoint.map { .seq($0.size) } ?? .null),
                ("tree_size", current.map { .seq($0.size) } ?? .null),
                ("root", current.map { .string(Data($0.root).base64EncodedString()) } ?? .null), ("reason", .optional(failure)),
            ]).text)
        } else if let failure {
            StandardStreams.print("DISAGREES: \(failure)")
        } else if let checkpoint, let current {
            StandardStreams.print("ok: the ledger (\(current.size) events, root \(ChainHash.hex(current.root))) extends the checkpoint of \(checkpoint.size) events signed by \(verifier.name)")
        }
        if failure != nil { throw ExitCode.damageFound }
    }

    static let faultMessage =
        "recovery: DAMAGED: reading the store made the storage engine fault: its pages are damaged; restore from a backup\n"
}

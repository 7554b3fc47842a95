import ArgumentParser
import EventLog
import Foundation
import LedgerDocuments
import Rehabilitation

/// What the proof commands share: the ledger's key, reading documents, and the failures they
/// end with (docs/proofs.md has the contract).
enum Proofs {
    /// The store's signing key, or a failure saying how to make one.
    static func signer(folder: String) throws -> SignedNote.SignerKey {
        do {
            return try SigningKeyFile.read(path: SigningKeyFile.path(in: folder))
        } catch let failure as SigningKeyFile.Failure {
            throw CLIFailure(failure.description, exitCode: .internalError)
        }
    }

    /// A verifier key given on the command line: its text, or a file holding it.
    static func verifierKey(_ argument: String) throws -> SignedNote.VerifierKey {
        var text = argument
        if !argument.contains("+"), FileManager.default.fileExists(atPath: argument) {
            text = try TextFile.read(argument, what: "key file").trimmingCharacters(in: .whitespacesAndNewlines)
        }
        do { return try SignedNote.VerifierKey(text) } catch {
            throw CLIFailure("--key: \(error.description) (give NAME+KEYID+BASE64 as `recovery key show` prints it, or a file holding it)",
                             exitCode: .validationFailure)
        }
    }

    /// The bytes of a document to check, as they are (one byte more than a document may hold,
    /// so that `ProofDocument.check` refuses a longer one).
    static func document(_ path: String) throws -> [UInt8] {
        do {
            return try TextFile.readBytes(path, what: "proof file", maximumBytes: ProofDocument.maximumBytes)
        } catch let failure as CLIFailure {
            // A file that cannot be read is no input (EX_NOINPUT), as Tools/proof_check.py says too.
            throw CLIFailure(failure.message, exitCode: ExitCode(66))
        }
    }

    /// A checkpoint file signed by this ledger's key, checked against the ledger: it must be
    /// of a size the ledger has, with the root the ledger's tree has at that size.
    static func ledgerCheckpoint(_ path: String, log: EventLog, key: SignedNote.VerifierKey) throws -> (note: String, checkpoint: Checkpoint) {
        let note = try TextFile.read(path, what: "checkpoint file")
        let checkpoint: Checkpoint
        do { checkpoint = try ProofDocument.openCheckpoint(note, key: key) } catch {
            throw CLIFailure("\(path): \(error.reason)", exitCode: .damageFound)
        }
        let root = try treeAnswer { try log.treeRoot(size: checkpoint.size) }
        guard root.root == checkpoint.root else {
            throw CLIFailure("\(path): the ledger's tree of size \(checkpoint.size) has root \(Data(root.root).base64EncodedString()), not the checkpoint's \(Data(checkpoint.root).base64EncodedString()): this ledger does not extend that checkpoint",
                             exitCode: .damageFound)
        }
        return (note, checkpoint)
    }

    /// Runs a tree question; a question the ledger cannot answer (a size it does not have)
    /// is exit 1, a store without a tree exit 70.
    static func treeAnswer<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as TreeError {
            if case .noTree = error { throw CLIFailure(error.description, exitCode: .internalError) }
            throw CLIFailure(error.description, exitCode: .damageFound)
        }
    }

    /// Writes `text` to `path` (a new file or one replaced whole) or prints it.
    static func emit(_ text: String, to path: String?) throws {
        guard let path else {
            StandardStreams.write(Array(text.utf8))
            return
        }
        do { try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw CLIFailure("\(path): cannot write (\(error.localizedDescription))", exitCode: .internalError)
        }
    }

    /// A proof document: written to `out` when given, then printed as it is (`--json`) or as
    /// `summary` and the path's hashes in hex.
    static func deliver(_ document: String, out: String?, json: Bool, path: [[UInt8]], summary: [String]) throws {
        if let out { try emit(document, to: out) }
        if json {
            StandardStreams.write(Array(document.utf8))
            return
        }
        for line in summary { StandardStreams.print(line) }
        for hash in path { StandardStreams.print("  \(ChainHash.hex(hash))") }
        if let out { StandardStreams.print("proof written to \(out)") }
    }

    static func hexShort(_ root: [UInt8]) -> String { String(ChainHash.hex(root).prefix(16)) }
}

/// `recovery key`: the ledger's signing key.
struct KeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key", abstract: "Show or make the ledger's signing key (Ed25519; docs/proofs.md).",
        subcommands: [Show.self, Create.self])

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Print the public key in the C2SP verifier-key form NAME+KEYID+BASE64.")
        @OptionGroup var storeOptions: StoreOptions

        func run() throws {
            _ = try storeOptions.openLedger()
            StandardStreams.print(try Proofs.signer(folder: storeOptions.folder).verifier.text)
        }
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create", abstract: "Make the signing key of a ledger that has none (one made before proofs); never replaces one.")
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: ArgumentHelp("The ledger's origin, which names its checkpoints and key.", valueName: "NAME"))
        var origin: String?

        func run() throws {
            let ledger = try storeOptions.openLedger()
            let origin = origin ?? Ledger.defaultOrigin(of: ledger.city)
            guard SignedNote.isValidName(origin) else { throw CLIFailure("--origin: not empty, no space, no +", exitCode: .validationFailure) }
            do {
                let key = try SigningKeyFile.create(in: storeOptions.folder, origin: origin)
                StandardStreams.print(key.verifier.text)
            } catch let failure as SigningKeyFile.Failure {
                throw CLIFailure(failure.description, exitCode: .ledgerExists)
            }
        }
    }
}

/// `recovery checkpoint`: the signed statement of the ledger's current state.
struct CheckpointCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint", abstract: "Print (or write) the signed checkpoint of the ledger's current tree (C2SP tlog-checkpoint).")
    @OptionGroup var storeOptions: StoreOptions
    @Flag(help: "Print {origin, tree_size, root, root_hex, checkpoint, key} as JSON.")
    var json = false
    @Option(help: ArgumentHelp("Write the checkpoint note to FILE for publishing.", valueName: "FILE"))
    var out: String?

    @OptionGroup var languageOptions: LanguageOptions

    func run() throws {
        let ledger = try storeOptions.openLedger()
        let key = try Proofs.signer(folder: storeOptions.folder)
        let tree = try Proofs.treeAnswer { try ProofDocument.checkpoint(of: ledger.log, key: key) }
        let note = tree.note
        if let out { try Proofs.emit(note, to: out) }
        if json {
            StandardStreams.print(ProofDocument.checkpointJSON(tree, key: key).text)
        } else if let out {
            StandardStreams.print(languageOptions.say("已将 \(tree.size) 条事件的检查点（根哈希 \(Proofs.hexShort(tree.root))…）写入 \(out)",
                                                      "wrote the checkpoint of \(tree.size) events (root \(Proofs.hexShort(tree.root))…) to \(out)"))
        } else {
            StandardStreams.write(Array(note.utf8))
        }
    }
}

/// `recovery prove`: inclusion and consistency proofs.
struct ProveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prove", abstract: "Prove that an event is in the ledger, or that the ledger extends an earlier checkpoint.",
        subcommands: [Inclusion.self, Consistency.self])

    struct Inclusion: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "inclusion", abstract: "The record at SEQ, its leaf index and audit path against a signed checkpoint.")
        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: "The event's seq.") var seq: UInt64
        @Option(help: ArgumentHelp("A checkpoint published earlier (default: the current one).", valueName: "FILE"))
        var checkpoint: String?
        @Flag(help: "Print the proof document (docs/proofs.md).") var json = false
        @Option(help: ArgumentHelp("Write the proof document to FILE.", valueName: "FILE")) var out: String?

        @OptionGroup var languageOptions: LanguageOptions

        func run() throws {
            let ledger = try storeOptions.openLedger()
            let key = try Proofs.signer(folder: storeOptions.folder)
            let published = try checkpoint.map { try Proofs.ledgerCheckpoint($0, log: ledger.log, key: key.verifier) }
            let proof = try Proofs.treeAnswer { try ledger.log.inclusionProof(seq: seq, size: published?.checkpoint.size) }
            let note = try published?.note ?? ProofDocument.checkpointNote(key: key, size: proof.size, root: proof.root)
            let document = ProofDocument.inclusion(note: note, size: proof.size, root: proof.root,
                                                   entries: [.init(entry: proof.entry, path: proof.path)]).text + "\n"
            try Proofs.deliver(document, out: out, json: json, path: proof.path, summary: [
                languageOptions.say("序号 \(seq)（叶 \(seq - 1)）在 \(proof.size) 条事件的树中，根哈希 \(ChainHash.hex(proof.root))",
                                    "seq \(seq) (leaf \(seq - 1)) is in the tree of \(proof.size) events, root \(ChainHash.hex(proof.root))"),
                languageOptions.say("事件：\(proof.entry.event.type)，\(proof.entry.event.stream)，\(Timestamp.utcString(proof.entry.event.at))",
                                    "event: \(proof.entry.event.type) of \(proof.entry.event.stream) at \(Timestamp.utcString(proof.entry.event.at))"),
                languageOptions.say("审计路径（\(proof.path.count) 个哈希，自叶一侧起）：", "audit path (\(proof.path.count) hashes, leaf side first):"),
            ])
        }
    }

    struct Consistency: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "consistency", abstract: "The consistency path from an earlier checkpoint to a later one (default: the current one).")
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: ArgumentHelp("The earlier checkpoint.", valueName: "FILE")) var from: String
        @Option(help: ArgumentHelp("The later checkpoint (default: the current one).", valueName: "FILE")) var to: String?
        @Flag(help: "Print the proof document (docs/proofs.md).") var json = false
        @Option(help: ArgumentHelp("Write the proof document to FILE.", valueName: "FILE")) var out: String?

        @OptionGroup var languageOptions: LanguageOptions

        func run() throws {
            let ledger = try storeOptions.openLedger()
            let key = try Proofs.signer(folder: storeOptions.folder)
            let old = try Proofs.ledgerCheckpoint(from, log: ledger.log, key: key.verifier)
            let new = try to.map { try Proofs.ledgerCheckpoint($0, log: ledger.log, key: key.verifier) }
            if let new, new.checkpoint.size < old.checkpoint.size {
                throw CLIFailure("--to (size \(new.checkpoint.size)) is older than --from (size \(old.checkpoint.size))", exitCode: .damageFound)
            }
            let proof = try Proofs.treeAnswer { try ledger.log.consistencyProof(from: old.checkpoint.size, to: new?.checkpoint.size) }
            let newNote = try new?.note ?? ProofDocument.checkpointNote(key: key, size: proof.new, root: proof.newRoot)
            let document = ProofDocument.consistency(
                old: (old.note, old.checkpoint.size, proof.oldRoot), new: (newNote, proof.new, proof.newRoot), path: proof.path).text + "\n"
            try Proofs.deliver(document, out: out, json: json, path: proof.path, summary: [
                languageOptions.say("\(proof.new) 条事件的树（根哈希 \(ChainHash.hex(proof.newRoot))）延续了 \(old.checkpoint.size) 条事件的树（根哈希 \(ChainHash.hex(proof.oldRoot))）",
                                    "the tree of \(proof.new) events (root \(ChainHash.hex(proof.newRoot))) extends the tree of \(old.checkpoint.size) (root \(ChainHash.hex(proof.oldRoot)))"),
                languageOptions.say("一致性路径（\(proof.path.count) 个哈希）：", "consistency path (\(proof.path.count) hashes):"),
            ])
        }
    }
}

/// `recovery check-proof`: checks a document with nothing but the ledger's public key.
struct CheckProofCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-proof",
        abstract: "Check a proof, a receipt or a checkpoint with the ledger's public key alone; exit 0 if it holds, 1 if not.")
    @Argument(help: ArgumentHelp("The document: a proof or receipt (JSON) or a checkpoint note.", valueName: "FILE"), completion: .file())
    var file: String
    @Option(help: ArgumentHelp("The ledger's verifier key, as `recovery key show` prints it (or a file holding it).", valueName: "VERIFIER_KEY"))
    var key: String
    @Flag(help: "Print {ok, proof, origin, tree_size, root, …} or {ok:false, reason} as JSON.") var json = false

    @OptionGroup var languageOptions: LanguageOptions

    func run() throws {
        let verifier = try Proofs.verifierKey(key)
        let bytes = try Proofs.document(file)
        do {
            let checked = try ProofDocument.check(bytes, key: verifier)
            let kind = checked.kind?.rawValue ?? "checkpoint"
            if json {
                var members: [(String, OrderedJSON)] = [
                    ("ok", .bool(true)), ("proof", .string(kind)), ("origin", .string(checked.checkpoint.origin)),
                    ("tree_size", .seq(checked.checkpoint.size)), ("root", .string(Data(checked.checkpoint.root).base64EncodedString())),
                ]
                if let old = checked.old { members += [("old_size", .seq(old.size))] }
                if checked.kind == .inclusion || checked.kind == .receipt { members.append(("seqs", .array(checked.entries.map { .seq($0.event.seq) }))) }
                StandardStreams.print(OrderedJSON.object(members).text)
                return
            }
            let zh = languageOptions.language == .zh
            switch checked.kind {
            case nil where zh:
                StandardStreams.print("ok: \(checked.checkpoint.origin) 的检查点，由 \(verifier.name)+\(String(verifier.id, radix: 16)) 签名：\(checked.checkpoint.size) 条事件，根哈希 \(ChainHash.hex(checked.checkpoint.root))")
            case .consistency where zh:
                StandardStreams.print("ok: \(checked.checkpoint.size) 条事件的树延续了 \(checked.old?.size ?? 0) 条事件的树；两个检查点均由 \(checked.checkpoint.origin) 签名")
            case .inclusion where zh, .receipt where zh:
                for entry in checked.entries {
                    StandardStreams.print("ok: 序号 \(entry.event.seq)（\(entry.event.type)，\(entry.event.stream)，\(Timestamp.utcString(entry.event.at))）在 \(checked.checkpoint.size) 条事件的树中")
                }
                StandardStreams.print("检查点：\(checked.checkpoint.origin)，\(checked.checkpoint.size) 条事件，根哈希 \(ChainHash.hex(checked.checkpoint.root))，签名有效")
            case nil:
                StandardStreams.print("ok: a checkpoint of \(checked.checkpoint.origin) signed by \(verifier.name)+\(String(verifier.id, radix: 16)): \(checked.checkpoint.size) events, root \(ChainHash.hex(checked.checkpoint.root))")
            case .consistency:
                StandardStreams.print("ok: the tree of \(checked.checkpoint.size) events extends the tree of \(checked.old?.size ?? 0) events; both checkpoints signed by \(checked.checkpoint.origin)")
            case .inclusion, .receipt:
                for entry in checked.entries {
                    StandardStreams.print("ok: seq \(entry.event.seq) \(entry.event.type) of \(entry.event.stream) at \(Timestamp.utcString(entry.event.at)) is in the tree of \(checked.checkpoint.size) events")
                }
                StandardStreams.print("checkpoint: \(checked.checkpoint.origin), \(checked.checkpoint.size) events, root \(ChainHash.hex(checked.checkpoint.root)), signature valid")
            }
        } catch {
            if json {
                StandardStreams.print(OrderedJSON.object([("ok", .bool(false)), ("reason", .string(error.reason))]).text)
            } else {
                StandardStreams.print(languageOptions.language == .zh ? "REFUSED: 不通过：\(error.reason)" : "REFUSED: \(error.reason)")
            }
            throw ExitCode.damageFound
        }
    }
}

/// `recovery receipt`: a participant's events with their inclusion proofs, for them to keep.
struct ReceiptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receipt", abstract: "A receipt of one event or of a participant's whole history: each event, its inclusion proof and the signed checkpoint.")
    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: "The participant.") var participant: String
    @Option(help: ArgumentHelp("Only the event at SEQ (one of the participant's).", valueName: "SEQ")) var seq: UInt64?
    @Flag(help: "Print the receipt document (JSON) instead of the printable page.") var json = false
    @Option(name: .customLong("out"), help: ArgumentHelp("Write PREFIX.json (the receipt) and PREFIX.txt (the printable page); a .json or .txt you type is dropped.",
                               valueName: "PREFIX"))
    var outOption: String?

    @OptionGroup var languageOptions: LanguageOptions

    /// The prefix without the extension a user is likely to type (`--out receipt.json`).
    private var out: String? {
        guard let given = outOption else { return nil }
        for suffix in [".json", ".txt"] where given.hasSuffix(suffix) && given.count > suffix.count { return String(given.dropLast(suffix.count)) }
        return given
    }

    func run() throws {
        let ledger = try storeOptions.openLedger()
        let key = try Proofs.signer(folder: storeOptions.folder)
        // A system stream (rules, identities) is no participant's: no receipt of it.
        let built = Ledger.isSystemStream(participant)
            ? nil : try Proofs.treeAnswer { try ProofDocument.receipt(of: ledger.log, participant: participant, seq: seq, key: key) }
        guard let built else {
            throw CLIFailure(seq.map { "seq \($0) is not an event of \(participant)" } ?? "no events of \(participant) in the ledger",
                             exitCode: .rejectedInput)
        }
        let document = built.document.text + "\n"
        let page = ReceiptPage.text(participant: participant, entries: built.entries, size: built.size, root: built.root,
                                    key: key.verifier, documentName: out.map { ($0 as NSString).lastPathComponent + ".json" } ?? "receipt.json",
                                    city: ledger.city)
        if let out {
            try Proofs.emit(document, to: out + ".json")
            try Proofs.emit(page, to: out + ".txt")
            StandardStreams.print(languageOptions.say("已写入 \(out).json 和 \(out).txt：\(participant) 的 \(built.entries.count) 条事件，检查点 \(built.size) 条事件（根哈希 \(Proofs.hexShort(built.root))）",
                                                      "wrote \(out).json and \(out).txt: \(built.entries.count) events of \(participant) under the checkpoint of \(built.size) events (root \(Proofs.hexShort(built.root)))"))
        } else {
            StandardStreams.write(Array((json ? document : page).utf8))
        }
    }
}

/// `recovery upgrade`: gives a ledger made before the Merkle tree its tree (and a key).
struct UpgradeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upgrade", abstract: "Give a ledger made before proofs its Merkle tree (format 2) and, if it has none, a signing key.")
    @OptionGroup var storeOptions: StoreOptions
    @Option(help: ArgumentHelp("The origin for a new signing key (default: the city's).", valueName: "NAME"))
    var origin: String?

    @OptionGroup var languageOptions: LanguageOptions

    func run() throws {
        let ledger = try storeOptions.openLedger()
        guard ledger.log.hasTree else {
            throw CLIFailure(TreeError.noTree(folder: storeOptions.folder).description, exitCode: .internalError)
        }
        let keyPath = SigningKeyFile.path(in: storeOptions.folder)
        if !FileManager.default.fileExists(atPath: keyPath) {
            let name = origin ?? Ledger.defaultOrigin(of: ledger.city)
            guard SignedNote.isValidName(name) else { throw CLIFailure("--origin: not empty, no space, no +", exitCode: .validationFailure) }
            let key = try SigningKeyFile.create(in: storeOptions.folder, origin: name)
            StandardStreams.print("made the signing key \(key.verifier.text)")
        }
        let tree = try ledger.log.treeRoot()
        StandardStreams.print(languageOptions.say("格式 \(EventLog.formatName)：默克尔树覆盖 \(tree.size) 条事件，根哈希 \(ChainHash.hex(tree.root))",
                                                  "format \(EventLog.formatName): the Merkle tree covers \(tree.size) events, root \(ChainHash.hex(tree.root))"))
    }
}

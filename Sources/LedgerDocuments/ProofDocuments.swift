import EventLog
import Foundation

/// The proof documents of docs/proofs.md — checkpoints (C2SP signed notes), inclusion proofs,
/// participant receipts and consistency proofs — written and checked. Checking needs only the
/// document and the ledger's verifier key, never the ledger.
package enum ProofDocument {
    /// The documents' version (`version` member).
    package static let version: Int64 = 1
    /// The signature algorithm's name in documents; its signed-note type byte is 0x01.
    package static let signatureAlgorithm = "ed25519"
    /// The checkpoint's extension line naming the tree's hash algorithm.
    package static let hashLine = "hash " + MerkleStore.hashAlgorithm
    /// The largest document read: a receipt of a long history is a few MiB.
    package static let maximumBytes = 64 << 20
    /// Entries one document may carry.
    package static let maximumEntries = 100_000
    /// Hashes one path may hold: a tree of 2^64 leaves needs 64.
    package static let maximumPathLength = 64

    package enum Kind: String, CaseIterable, Sendable {
        case inclusion, receipt, consistency
    }

    // MARK: Writing

    /// The signed checkpoint of the tree of `size` events with root `root`.
    package static func checkpointNote(key: SignedNote.SignerKey, size: UInt64, root: [UInt8]) throws -> String {
        try key.sign(Checkpoint(origin: key.name, size: size, root: root, extensions: [hashLine]).text)
    }

    /// One entry: the event as `recovery log --format jsonl` prints it, without its chain hash,
    /// its leaf index and its audit path.
    package struct Entry {
        package let entry: LoggedEntry
        package let path: [[UInt8]]

        package init(entry: LoggedEntry, path: [[UInt8]]) {
            self.entry = entry
            self.path = path
        }

        var json: OrderedJSON {
            var line: [UInt8] = []
            LogJSONL.write(entry, into: &line, withChainHash: false)
            if line.last == 0x0A { line.removeLast() }
            return .object([
                ("leaf_index", .seq(entry.event.seq - 1)),
                ("event", .written(line)),
                ("path", .array(path.map { .string(Data($0).base64EncodedString()) })),
            ])
        }
    }

    private static func header(_ kind: Kind) -> [(String, OrderedJSON)] {
        [("proof", .string(kind.rawValue)), ("version", .integer(version)),
         ("hash_algorithm", .string(MerkleStore.hashAlgorithm)), ("signature_algorithm", .string(signatureAlgorithm))]
    }

    /// An inclusion proof (one entry) or a participant's receipt (their entries), against `note`.
    package static func inclusion(note: String, size: UInt64, root: [UInt8], entries: [Entry], participant: String? = nil) -> OrderedJSON {
        var members = header(participant == nil ? .inclusion : .receipt)
        members += [("checkpoint", .string(note)), ("tree_size", .seq(size)), ("root", .string(Data(root).base64EncodedString()))]
        if let participant { members.append(("participant", .string(participant))) }
        members.append(("entries", .array(entries.map(\.json))))
        return .object(members)
    }

    /// A consistency proof between two signed checkpoints.
    package static func consistency(
        old: (note: String, size: UInt64, root: [UInt8]), new: (note: String, size: UInt64, root: [UInt8]), path: [[UInt8]]
    ) -> OrderedJSON {
        .object(header(.consistency) + [
            ("old_checkpoint", .string(old.note)), ("old_size", .seq(old.size)), ("old_root", .string(Data(old.root).base64EncodedString())),
            ("new_checkpoint", .string(new.note)), ("new_size", .seq(new.size)), ("new_root", .string(Data(new.root).base64EncodedString())),
            ("path", .array(path.map { .string(Data($0).base64EncodedString()) })),
        ])
    }

    // MARK: Building from a ledger's log (the command line and the server share these)

    /// The signed checkpoint of the tree of `size` events (default: all of them).
    package static func checkpoint(of log: EventLog, key: SignedNote.SignerKey, size: UInt64? = nil) throws -> (note: String, size: UInt64, root: [UInt8]) {
        let tree = try log.treeRoot(size: size)
        return (try checkpointNote(key: key, size: tree.size, root: tree.root), tree.size, tree.root)
    }

    /// `recovery checkpoint --json` and `GET /v1/checkpoint`.
    package static func checkpointJSON(_ checkpoint: (note: String, size: UInt64, root: [UInt8]), key: SignedNote.SignerKey) -> OrderedJSON {
        .object([
            ("origin", .string(key.name)), ("tree_size", .seq(checkpoint.size)), ("root", .string(Data(checkpoint.root).base64EncodedString())),
            ("root_hex", .string(ChainHash.hex(checkpoint.root))), ("checkpoint", .string(checkpoint.note)), ("key", .string(key.verifier.text)),
        ])
    }

    /// A participant's receipt: every event of theirs in the current tree (or the one at `seq`),
    /// each with its audit path, under a checkpoint signed now; nil when there is none.
    package static func receipt(of log: EventLog, participant: String, seq: UInt64? = nil, key: SignedNote.SignerKey)
        throws -> (document: OrderedJSON, entries: [LoggedEntry], size: UInt64, root: [UInt8])? {
        let tree = try log.treeRoot()
        var seqs: [UInt64] = []
        try log.events(of: participant) { entry in
            if entry.event.seq <= tree.size, seq == nil || entry.event.seq == seq { seqs.append(entry.event.seq) }
            // Bounded by the checkpoint (later events belong to a later receipt) and the entry limit.
            return entry.event.seq < tree.size && seqs.count < maximumEntries
        }
        guard !seqs.isEmpty else { return nil }
        let entries = try seqs.map { seq in
            let proof = try log.inclusionProof(seq: seq, size: tree.size)
            return Entry(entry: proof.entry, path: proof.path)
        }
        let note = try checkpointNote(key: key, size: tree.size, root: tree.root)
        return (inclusion(note: note, size: tree.size, root: tree.root, entries: entries, participant: participant), entries.map(\.entry), tree.size, tree.root)
    }

    // MARK: Checking

    /// Why a document is refused: the first thing found wrong.
    package struct Refusal: Error, CustomStringConvertible, Equatable {
        package let reason: String
        init(_ reason: String) { self.reason = reason }
        package var description: String { reason }
    }

    /// What a document that passed every check shows.
    package struct Checked {
        /// nil for a bare checkpoint.
        package let kind: Kind?
        package let checkpoint: Checkpoint
        package let note: String
        /// The older checkpoint of a consistency proof.
        package let old: Checkpoint?
        package let entries: [LoggedEntry]
        package let participant: String?
    }

    /// Opens a signed checkpoint: signed by `key`, for `key`'s origin, hashed with SHA-256.
    package static func openCheckpoint(_ note: String, key: SignedNote.VerifierKey, what: String = "the checkpoint") throws(Refusal) -> Checkpoint {
        let text: String
        let checkpoint: Checkpoint
        do {
            text = try SignedNote.open(note, key: key)
            checkpoint = try Checkpoint(text: text)
        } catch {
            throw Refusal("\(what): \(error.description)")
        }
        guard checkpoint.origin == key.name else {
            throw Refusal("\(what) is for origin \(checkpoint.origin), not \(key.name)")
        }
        let named = checkpoint.extensions.filter { $0.hasPrefix("hash ") }
        guard named == [hashLine] else {
            throw Refusal("\(what) names its hash algorithm \(named.isEmpty ? "nowhere" : named.map { String($0.dropFirst(5)) }.joined(separator: " and ")); a checkpoint names exactly one, and this checker knows only \(MerkleStore.hashAlgorithm)")
        }
        guard checkpoint.size > 0 || checkpoint.root == Merkle.emptyRoot else {
            throw Refusal("\(what) is of the empty tree, whose root is the SHA-256 of nothing, but names another root")
        }
        return checkpoint
    }

    /// Checks a document (a JSON proof or receipt, or a checkpoint note) against `key`.
    package static func check(_ bytes: [UInt8], key: SignedNote.VerifierKey) throws(Refusal) -> Checked {
        guard bytes.count <= maximumBytes else { throw Refusal("the document is longer than \(maximumBytes) bytes") }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw Refusal("the document is not UTF-8 text") }
        guard bytes.first == UInt8(ascii: "{") else {
            return Checked(kind: nil, checkpoint: try openCheckpoint(text, key: key), note: text, old: nil, entries: [], participant: nil)
        }
        let document: [String: JSONValue]
        do {
            guard let members = try JSONParser.parse(bytes).objectMembers else { throw Refusal("the document is not a JSON object") }
            document = members
        } catch let refusal as Refusal {
            throw refusal
        } catch {
            throw Refusal("the document is not JSON (\(error))")
        }
        let reader = Members(document, what: "the document")
        guard let kind = Kind(rawValue: try reader.string("proof")) else {
            throw Refusal("the document's `proof` is not one of \(Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard try reader.integer("version") == version else { throw Refusal("the document's version is not \(version)") }
        guard try reader.string("hash_algorithm") == MerkleStore.hashAlgorithm else {
            throw Refusal("the document's hash algorithm is not \(MerkleStore.hashAlgorithm), the only one this checker knows")
        }
        guard try reader.string("signature_algorithm") == signatureAlgorithm else {
            throw Refusal("the document's signature algorithm is not \(signatureAlgorithm), the only one this checker knows")
        }
        switch kind {
        case .consistency:
            try reader.requireExactly(["proof", "version", "hash_algorithm", "signature_algorithm", "old_checkpoint", "old_size",
                                       "old_root", "new_checkpoint", "new_size", "new_root", "path"])
            let oldNote = try reader.string("old_checkpoint")
            let newNote = try reader.string("new_checkpoint")
            let old = try openCheckpoint(oldNote, key: key, what: "the old checkpoint")
            let new = try openCheckpoint(newNote, key: key, what: "the new checkpoint")
            try agree(old, size: reader.integer("old_size"), root: reader.hash("old_root"), members: ("old_size", "old_root"))
            try agree(new, size: reader.integer("new_size"), root: reader.hash("new_root"), members: ("new_size", "new_root"))
            guard old.size <= new.size else { throw Refusal("the old checkpoint (size \(old.size)) is larger than the new one (size \(new.size))") }
            let path = try reader.path("path")
            guard Merkle.isConsistent(from: old.size, to: new.size, oldRoot: old.root, newRoot: new.root, proof: path) else {
                throw Refusal("the consistency path does not lead from the tree of size \(old.size) to the tree of size \(new.size): the newer tree does not extend the older one, or the proof was altered")
            }
            return Checked(kind: kind, checkpoint: new, note: newNote, old: old, entries: [], participant: nil)
        case .inclusion, .receipt:
            let participant: String?
            if kind == .receipt {
                try reader.requireExactly(["proof", "version", "hash_algorithm", "signature_algorithm", "checkpoint", "tree_size", "root", "participant", "entries"])
                participant = try reader.string("participant")
            } else {
                try reader.requireExactly(["proof", "version", "hash_algorithm", "signature_algorithm", "checkpoint", "tree_size", "root", "entries"])
                participant = nil
            }
            let note = try reader.string("checkpoint")
            let checkpoint = try openCheckpoint(note, key: key)
            try agree(checkpoint, size: reader.integer("tree_size"), root: reader.hash("root"), members: ("tree_size", "root"))
            guard case .array(let entryValues)? = document["entries"] else { throw Refusal("the document's `entries` is not an array") }
            guard entryValues.count <= maximumEntries else { throw Refusal("more than \(maximumEntries) entries") }
            guard kind == .receipt || entryValues.count == 1 else { throw Refusal("an inclusion proof has exactly one entry") }
            var entries: [LoggedEntry] = []
            for (position, value) in entryValues.enumerated() {
                let entry = try checkEntry(value, number: position + 1, checkpoint: checkpoint)
                if let participant, entry.event.stream != participant {
                    throw Refusal("entry \(position + 1) (seq \(entry.event.seq)) is an event of \(entry.event.stream), not of \(participant)")
                }
                if let last = entries.last, entry.event.seq <= last.event.seq {
                    throw Refusal("entry \(position + 1) (seq \(entry.event.seq)) does not follow seq \(last.event.seq)")
                }
                entries.append(entry)
            }
            return Checked(kind: kind, checkpoint: checkpoint, note: note, old: nil, entries: entries, participant: participant)
        }
    }

    /// The document's copy of a checkpoint's size and root must be the signed ones.
    private static func agree(_ checkpoint: Checkpoint, size: Int64, root: [UInt8], members: (size: String, root: String)) throws(Refusal) {
        guard size >= 0, UInt64(size) == checkpoint.size else {
            throw Refusal("`\(members.size)` is \(size), but the signed checkpoint's size is \(checkpoint.size)")
        }
        guard root == checkpoint.root else { throw Refusal("`\(members.root)` is not the signed checkpoint's root") }
    }

    private static func checkEntry(_ value: JSONValue, number: Int, checkpoint: Checkpoint) throws(Refusal) -> LoggedEntry {
        guard let members = value.objectMembers else { throw Refusal("entry \(number) is not an object") }
        let reader = Members(members, what: "entry \(number)")
        try reader.requireExactly(["leaf_index", "event", "path"])
        guard let event = members["event"]?.objectMembers, let recordText = event["record"]?.stringValue,
              let record = Data(base64Encoded: recordText).map(Array.init), Data(record).base64EncodedString() == recordText else {
            throw Refusal("entry \(number)'s event has no `record` in base64")
        }
        let entry: LoggedEntry
        do { entry = try LoggedEntry(record: record) } catch { throw Refusal("entry \(number)'s record cannot be decoded: \(error.reason)") }
        // The readable members must be exactly what the record says: written again from it,
        // they must be the same JSON.
        var written: [UInt8] = []
        LogJSONL.write(entry, into: &written, withChainHash: false)
        guard let expected = try? JSONParser.parse(written), expected == members["event"] else {
            throw Refusal("entry \(number)'s event members do not match its record (seq \(entry.event.seq))")
        }
        let index = try reader.integer("leaf_index")
        guard index >= 0, UInt64(index) == entry.event.seq - 1 else {
            throw Refusal("entry \(number)'s leaf index \(index) is not its seq \(entry.event.seq) − 1")
        }
        guard entry.event.seq <= checkpoint.size else {
            throw Refusal("entry \(number) (seq \(entry.event.seq)) is not in the tree of size \(checkpoint.size)")
        }
        let path = try reader.path("path")
        guard Merkle.rootFromInclusion(index: UInt64(index), size: checkpoint.size, leafHash: Merkle.leafHash(record), proof: path) == checkpoint.root else {
            throw Refusal("entry \(number) (seq \(entry.event.seq)): its record and audit path do not lead to the checkpoint's root: the record or the path was altered, or the event is not in this ledger")
        }
        return entry
    }

    /// Typed reads of an object's members, each refusal naming the member.
    private struct Members {
        let members: [String: JSONValue]
        let what: String

        init(_ members: [String: JSONValue], what: String) {
            self.members = members
            self.what = what
        }

        func requireExactly(_ names: Set<String>) throws(Refusal) {
            if let missing = names.subtracting(members.keys).sorted().first { throw Refusal("\(what) has no `\(missing)`") }
            if let extra = Set(members.keys).subtracting(names).sorted().first { throw Refusal("\(what) has an unknown member `\(extra)`") }
        }

        func string(_ name: String) throws(Refusal) -> String {
            guard let text = members[name]?.stringValue else { throw Refusal("\(what)'s `\(name)` is missing or not a string") }
            return text
        }

        func integer(_ name: String) throws(Refusal) -> Int64 {
            guard let number = members[name]?.integerValue else { throw Refusal("\(what)'s `\(name)` is missing or not an integer") }
            return number
        }

        func hash(_ name: String) throws(Refusal) -> [UInt8] {
            let text = try string(name)
            guard let bytes = Data(base64Encoded: text).map(Array.init), bytes.count == Merkle.hashSize,
                  Data(bytes).base64EncodedString() == text else {
                throw Refusal("\(what)'s `\(name)` is not the base64 of a 32-byte hash")
            }
            return bytes
        }

        func path(_ name: String) throws(Refusal) -> [[UInt8]] {
            guard case .array(let values)? = members[name] else { throw Refusal("\(what)'s `\(name)` is not an array") }
            guard values.count <= ProofDocument.maximumPathLength else { throw Refusal("\(what)'s `\(name)` is longer than any tree's") }
            var hashes: [[UInt8]] = []
            for (position, value) in values.enumerated() {
                guard let text = value.stringValue, let bytes = Data(base64Encoded: text).map(Array.init), bytes.count == Merkle.hashSize,
                      Data(bytes).base64EncodedString() == text else {
                    throw Refusal("\(what)'s `\(name)`[\(position)] is not the base64 of a 32-byte hash")
                }
                hashes.append(bytes)
            }
            return hashes
        }
    }
}

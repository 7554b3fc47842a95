import EventLog
import Foundation
import Rehabilitation
import Testing
@preconcurrency import Glibc

/// The proof commands' contract (docs/proofs.md §5): checkpoints, inclusion and consistency
/// proofs, receipts, `check-proof` and `verify --against`, with what bad input and damage get.
@Suite("Proofs from the command line")
struct ProofCommandTests {
    /// A ledger with enrolments and check-ins of a few participants (seq 1 is init's rules).
    static func ledger(events: Int = 40) throws -> TemporaryStore {
        let store = try TemporaryStore().initialised().enrolled(["P-000001", "P-000002", "P-000003"])
        if events > 0 {
            let lines = (0 ..< events).map { eventLine(id: "c-\($0)", participant: "P-00000\($0 % 3 + 1)", data: #"{"channel":"in_person"}"#) }
            #expect(try store.recovery(["import", try store.jsonLines("more.jsonl", lines)]).status == 0)
        }
        return store
    }

    static func key(_ store: TemporaryStore) throws -> String {
        let outcome = try store.recovery(["key", "show"])
        guard outcome.status == 0 else { throw CLITestFailure("key show: \(outcome.stderr)") }
        return outcome.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func check(_ path: String, key: String) throws -> RecoveryBinary.Outcome {
        try RecoveryBinary.run(["check-proof", path, "--key", key])
    }

    /// `path` with the byte at `offset` changed.
    static func altered(_ path: String, offset: Int, in store: TemporaryStore, name: String) throws -> String {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[offset] = bytes[offset] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        let url = store.file(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    @Test("init makes an owner-only key; key show prints the C2SP verifier key; backup leaves the key out unless asked")
    func signingKey() throws {
        let store = try Self.ledger(events: 0)
        let key = try Self.key(store)
        #expect(key.hasPrefix("enping.recovery-ledger+"))
        #expect(try SignedNote.VerifierKey(key).name == "enping.recovery-ledger")
        let keyPath = SigningKeyFile.path(in: store.store)
        let mode = try FileManager.default.attributesOfItem(atPath: keyPath)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try store.recovery(["backup", store.file("plain").path]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: SigningKeyFile.path(in: store.file("plain").path)))
        #expect(try store.recovery(["backup", store.file("keyed").path, "--with-key"]).status == 0)
        let copied = SigningKeyFile.path(in: store.file("keyed").path)
        #expect(try String(contentsOfFile: copied, encoding: .utf8) == (try String(contentsOfFile: keyPath, encoding: .utf8)))
        #expect(try FileManager.default.attributesOfItem(atPath: copied)[.posixPermissions] as? Int == 0o600)
        // A key others may read is refused, not used.
        chmod(keyPath, 0o644)
        let exposed = try store.recovery(["checkpoint"])
        #expect(exposed.status == 70 && exposed.stderr.contains("chmod 600"), "\(exposed.stderr)")
        chmod(keyPath, 0o600)
        #expect(try store.recovery(["key", "create"]).status == 73)
        let named = try TemporaryStore()
        #expect(try named.recovery(["init", "--origin", "has space"]).status == 64)
        #expect(try named.recovery(["init", "--origin", "example.org/ledger"]).status == 0)
        #expect(try Self.key(named).hasPrefix("example.org/ledger+"))
    }

    @Test("checkpoint, inclusion proof, receipt and consistency proof check with the public key alone")
    func roundTrip() throws {
        let store = try Self.ledger()
        let key = try Self.key(store)
        let first = store.file("cp-44").path
        #expect(try store.recovery(["checkpoint", "--out", first]).status == 0)
        let note = try String(contentsOfFile: first, encoding: .utf8)
        #expect(note.hasPrefix("enping.recovery-ledger\n44\n"))
        #expect(note.contains("\nhash sha-256\n\n— enping.recovery-ledger "))
        #expect(try Self.check(first, key: key).status == 0)

        for seq in [1, 2, 17, 44] {
            let path = store.file("inclusion-\(seq).json").path
            let made = try store.recovery(["prove", "inclusion", String(seq), "--out", path])
            #expect(made.status == 0, "\(made.stderr)")
            let checked = try Self.check(path, key: key)
            #expect(checked.status == 0 && checked.stdout.contains("seq \(seq) "), "\(checked.stdout) \(checked.stderr)")
        }
        let receipt = try store.recovery(["receipt", "P-000002", "--out", store.file("receipt").path])
        #expect(receipt.status == 0, "\(receipt.stderr)")
        let page = try String(contentsOf: store.file("receipt.txt"), encoding: .utf8)
        #expect(page.contains("P-000002") && page.contains("签到") && page.contains(key))
        let receiptCheck = try Self.check(store.file("receipt.json").path, key: key)
        #expect(receiptCheck.status == 0)
        #expect(receiptCheck.stdout.components(separatedBy: "ok: seq").count - 1 == 14, "\(receiptCheck.stdout)")
        #expect(try store.recovery(["receipt", "P-999999"]).status == 65)
        // A prefix typed with its extension names the same two files, not receipt2.json.json.
        #expect(try store.recovery(["receipt", "P-000002", "--out", store.file("receipt2.json").path]).status == 0)
        #expect(FileManager.default.fileExists(atPath: store.file("receipt2.json").path)
            && FileManager.default.fileExists(atPath: store.file("receipt2.txt").path)
            && !FileManager.default.fileExists(atPath: store.file("receipt2.json.json").path))

        // More events; the old checkpoint is extended, and proofs against it still hold.
        let later = (0 ..< 30).map { eventLine(id: "d-\($0)", participant: "P-000001", data: #"{"channel":"online"}"#) }
        #expect(try store.recovery(["import", try store.jsonLines("later.jsonl", later)]).status == 0)
        let old = try store.recovery(["prove", "inclusion", "17", "--checkpoint", first, "--json"])
        #expect(old.status == 0)
        #expect(try jsonObject(old.stdout)["tree_size"] as? Int == 44)
        let consistency = store.file("consistency.json").path
        #expect(try store.recovery(["prove", "consistency", "--from", first, "--out", consistency]).status == 0)
        let document = try jsonObject(try String(contentsOfFile: consistency, encoding: .utf8))
        #expect(document["old_size"] as? Int == 44 && document["new_size"] as? Int == 74)
        #expect(try Self.check(consistency, key: key).status == 0)
        let against = try store.recovery(["verify", "--against", first])
        #expect(against.status == 0 && against.stdout.hasPrefix("ok: the ledger (74 events"), "\(against.stdout)")
        let second = store.file("cp-74").path
        #expect(try store.recovery(["checkpoint", "--out", second]).status == 0)
        #expect(try store.recovery(["prove", "consistency", "--from", first, "--to", second]).status == 0)
        #expect(try store.recovery(["prove", "consistency", "--from", second, "--to", first]).status == 1)
    }

    @Test("a changed byte of a proof, a receipt or a checkpoint, another key or another origin: exit 1 with a reason, never a crash")
    func tampering() throws {
        let store = try Self.ledger()
        let key = try Self.key(store)
        let checkpoint = store.file("cp").path
        #expect(try store.recovery(["checkpoint", "--out", checkpoint]).status == 0)
        let proof = store.file("proof.json").path
        #expect(try store.recovery(["prove", "inclusion", "20", "--out", proof]).status == 0)
        #expect(try store.recovery(["receipt", "P-000001", "--out", store.file("r").path]).status == 0)
        var refused = 0
        for (path, name) in [(checkpoint, "cp"), (proof, "proof"), (store.file("r.json").path, "receipt")] {
            let size = try Data(contentsOf: URL(fileURLWithPath: path)).count
            // Bytes spread over the whole document (its final line feed aside).
            for offset in stride(from: 0, to: size - 1, by: max(1, size / 23)) {
                let bad = try Self.altered(path, offset: offset, in: store, name: "\(name)-\(offset)")
                let outcome = try Self.check(bad, key: key)
                #expect(outcome.status == 1, "\(name) byte \(offset): \(outcome.status) \(outcome.stdout) \(outcome.stderr)")
                #expect(outcome.stdout.hasPrefix("REFUSED: "), "\(name) byte \(offset): \(outcome.stdout)")
                refused += 1
            }
        }
        #expect(refused > 60)
        // Another ledger's key, and another origin.
        let other = try TemporaryStore()
        #expect(try other.recovery(["init", "--origin", "other.example"]).status == 0)
        let otherKey = try Self.key(other)
        let wrongKey = try Self.check(proof, key: otherKey)
        #expect(wrongKey.status == 1 && wrongKey.stdout.contains("no signature by other.example"), "\(wrongKey.stdout)")
        let otherCheckpoint = other.file("cp").path
        #expect(try other.recovery(["checkpoint", "--out", otherCheckpoint]).status == 0)
        let foreign = try store.recovery(["verify", "--against", otherCheckpoint])
        #expect(foreign.status == 1 && foreign.stdout.contains("DISAGREES"), "\(foreign.stdout)")
        let foreignOrigin = try store.recovery(["verify", "--against", otherCheckpoint, "--key", otherKey])
        #expect(foreignOrigin.status == 1, "\(foreignOrigin.stdout)")
        // Malformed documents and keys.
        let garbage = try store.jsonLines("garbage.json", ["{\"proof\":\"inclusion\",\"version\":1}"])
        let malformed = try Self.check(garbage, key: key)
        #expect(malformed.status == 1 && malformed.stdout.contains("hash_algorithm"), "\(malformed.stdout)")
        #expect(try Self.check(proof, key: "not-a-key").status == 64)
        // A seq the ledger does not have.
        #expect(try store.recovery(["prove", "inclusion", "99"]).status == 1)
        // A checkpoint of a tree size the ledger does not have: a copy (same key) that went on.
        let copy = store.file("copy").path
        #expect(try store.recovery(["backup", copy, "--with-key"]).status == 0)
        #expect(try RecoveryBinary.run(["import", try store.jsonLines("later.jsonl", [eventLine(id: "later-1", participant: "P-000001")]), "--store", copy]).status == 0)
        let ahead = store.file("ahead").path
        #expect(try RecoveryBinary.run(["checkpoint", "--out", ahead, "--store", copy]).status == 0)
        let behind = try store.recovery(["verify", "--against", ahead])
        #expect(behind.status == 1 && behind.stdout.contains("covers 45 events, but the ledger holds 44"), "\(behind.stdout)")
        let beyond = try store.recovery(["prove", "inclusion", "3", "--checkpoint", ahead])
        #expect(beyond.status == 1 && beyond.stderr.contains("no tree of size 45"), "\(beyond.stderr)")
    }

    @Test("a checkpoint from before a SIGKILLed import is still extended by the ledger after it")
    func killedImport() throws {
        let store = try Self.ledger()
        let checkpoint = store.file("before").path
        #expect(try store.recovery(["checkpoint", "--out", checkpoint]).status == 0)
        let lines = (0 ..< 20_000).map { eventLine(id: "k-\($0)", participant: "P-00000\($0 % 3 + 1)", data: #"{"channel":"in_person"}"#) }
        let file = try store.jsonLines("big.jsonl", lines)
        var killed = 0
        for attempt in 0 ..< 6 {
            let process = Process()
            process.executableURL = try RecoveryBinary.executable()
            process.arguments = ["import", file, "--store", store.store]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(useconds_t(50_000 + attempt * 60_000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            if process.terminationReason == .uncaughtSignal { killed += 1 }
            let against = try store.recovery(["verify", "--against", checkpoint])
            #expect(against.status == 0, "after attempt \(attempt): \(against.stdout) \(against.stderr)")
        }
        #expect(killed > 0, "no import was killed while it ran")
        #expect(try store.recovery(["import", file]).status == 0)
        #expect(try store.recovery(["verify", "--against", checkpoint]).status == 0)
        #expect(try store.recovery(["verify"]).status == 0)
    }

    @Test("a ledger rebuilt from a changed export, even with the same key, does not extend the checkpoint")
    func rebuiltLedger() throws {
        let store = try Self.ledger()
        let key = try Self.key(store)
        let checkpoint = store.file("published").path
        #expect(try store.recovery(["checkpoint", "--out", checkpoint]).status == 0)
        // The export's events, one participant's check-in changed to online, into a new ledger.
        let exported = try store.recovery(["log", "--format", "jsonl"]).stdout.split(separator: "\n").dropFirst().map { line -> String in
            var object = try jsonObject(String(line))
            for member in ["seq", "recorded_at", "hash", "record"] { object.removeValue(forKey: member) }
            if object["id"] as? String == "c-7" { object["data"] = ["channel": "online"] }
            return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        }
        let rebuilt = try TemporaryStore().initialised()
        #expect(try rebuilt.recovery(["import", try rebuilt.jsonLines("export.jsonl", exported)]).status == 0)
        // The same signing key, as an attacker with the files would have.
        try FileManager.default.removeItem(atPath: SigningKeyFile.path(in: rebuilt.store))
        try FileManager.default.copyItem(atPath: SigningKeyFile.path(in: store.store), toPath: SigningKeyFile.path(in: rebuilt.store))
        let against = try rebuilt.recovery(["verify", "--against", checkpoint, "--key", key])
        #expect(against.status == 1, "\(against.stdout)")
        #expect(against.stdout.contains("was changed since the checkpoint"), "\(against.stdout)")
        #expect(try rebuilt.recovery(["verify"]).status == 0, "the rebuilt ledger is consistent in itself")
    }

    @Test("a ledger made before the tree is given it by upgrade, with a key; proofs then hold")
    func upgrade() throws {
        let store = try TemporaryStore()
        do {
            let ledger = try Ledger.create(at: store.store, clock: EventLog.systemClock, withTree: false)
            #expect(!ledger.log.hasTree)
        }
        _ = try store.enrolled(["P-000001"])  // opening it for writing builds the tree
        #expect(try store.recovery(["checkpoint"]).status == 70, "no key yet")
        let upgraded = try store.recovery(["upgrade"])
        #expect(upgraded.status == 0 && upgraded.stdout.contains("covers 2 events"), "\(upgraded.stdout) \(upgraded.stderr)")
        let key = try Self.key(store)
        let proof = store.file("p.json").path
        #expect(try store.recovery(["prove", "inclusion", "2", "--out", proof]).status == 0)
        #expect(try Self.check(proof, key: key).status == 0)
        #expect(try store.recovery(["verify"]).status == 0)
    }
}

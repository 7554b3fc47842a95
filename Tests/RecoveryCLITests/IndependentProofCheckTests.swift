import Foundation
import Testing

/// Checks that docs/proofs.md is enough to check the ledger's proofs without this code: the
/// Python checker (Tools/proof_check.py), written from the document alone, accepts the signed
/// checkpoint, inclusion proof, receipt and consistency proof that `recovery` writes; and it and
/// `recovery check-proof` agree on altered copies: both refuse (exit 1) every copy with one byte
/// changed, and every document checked with another ledger's key.
@Suite("Independent proof check")
struct IndependentProofCheckTests {
    /// The repository root, from this file's path (Tests/RecoveryCLITests/<file>).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let checker = root.appendingPathComponent("Tools/proof_check.py")

    @Test("the Python checker accepts the checkpoint and proofs the ledger writes, as check-proof does")
    func checkerAcceptsRealDocuments() throws {
        let ledger = try Ledger()
        for document in ledger.documents {
            let own = try RecoveryBinary.run(["check-proof", document.file.path, "--key", ledger.keyFile.path])
            #expect(own.status == 0, "check-proof \(document.name): \(own.stdout) \(own.stderr)")
            let checked = try Self.runPython(Self.checker, arguments: [document.file.path, "--key", ledger.keyFile.path])
            #expect(checked.status == 0, "\(document.name): \(checked.stdout) \(checked.stderr)")
            let lines = checked.stdout.split(separator: "\n")
            #expect(!lines.isEmpty && lines.allSatisfy { $0.hasPrefix("ok: ") }, "\(document.name): \(checked.stdout)")
            #expect(checked.stdout.contains("signed by \(ledger.keyName)"), "\(document.name): \(checked.stdout)")
        }
        let inclusion = try Self.runPython(Self.checker, arguments: [ledger.inclusion.file.path, "--key", ledger.key])
        #expect(inclusion.stdout.hasPrefix("ok: seq 5 check_in of P-001001 "), "\(inclusion.stdout)")
        let receipt = try Self.runPython(Self.checker, arguments: [ledger.receipt.file.path, "--key", ledger.key])
        #expect(receipt.stdout.components(separatedBy: " of P-001001 at ").count - 1 == 10, "\(receipt.stdout)")

        // Several files at once (the key given as text): one verdict line per file, in order.
        let files = ledger.documents.map(\.file.path)
        let all = try Self.runPython(Self.checker, arguments: files + ["--key", ledger.key])
        #expect(all.status == 0, "\(all.stdout) \(all.stderr)")
        let verdicts = all.stdout.split(separator: "\n").map(String.init)
        #expect(verdicts.count == files.count, "\(all.stdout)")
        for (verdict, file) in zip(verdicts, files) {
            #expect(verdict.hasPrefix("ok: \(file): "), "\(verdict)")
        }
        #expect(verdicts.last?.contains("extends the tree of \(ledger.firstSize) events") == true, "\(all.stdout)")
    }

    @Test("every copy with one byte changed is refused by both checkers")
    func changedBytesAreRefused() throws {
        let ledger = try Ledger()
        var alterations: [Alteration] = []
        for document in ledger.documents {
            alterations += try Self.byteFlips(of: document, ledger: ledger)
        }
        #expect(alterations.count >= 120)
        try Self.expectRefusedByBoth(alterations, key: ledger.keyFile.path, folder: ledger.folder)
    }

    /// docs/proofs.md: "a checker MUST refuse a base64 text that is not the canonical encoding
    /// of its bytes". The last character before `=` carries bits that decoding drops; changing
    /// only those leaves the decoded bytes (the signature, the hash) as they were.
    @Test("base64 that is not the canonical encoding of its bytes is refused by both checkers")
    func nonCanonicalBase64IsRefused() throws {
        let ledger = try Ledger()
        var alterations: [Alteration] = []
        for document in ledger.documents {
            let bytes = document.bytes
            // Every signature by the ledger's key: `— NAME BASE64(KEYID ‖ SIGNATURE)`, 92 characters with one `=`.
            let signer = "\u{2014} \(ledger.keyName) "
            var from = 0
            while let line = Self.offset(of: signer, in: bytes, from: from) {
                let start = line + signer.utf8.count
                let padding = try #require(Self.offset(of: "=", in: bytes, from: start))
                #expect(padding - start == 91, "\(document.name): a signature of \(padding - start + 1) characters")
                alterations.append(try Self.nonCanonical(document, lastCharacter: padding - 1, "the signature at \(line)"))
                from = start
            }
            // A hash outside the notes: the document's root and one path hash (44 characters, one `=`).
            for member in ["\"root\":\"", "\"new_root\":\"", "\"path\":[\""] {
                if let value = Self.offset(of: member, in: bytes) {
                    alterations.append(try Self.nonCanonical(document, lastCharacter: value + member.utf8.count + 42, member))
                }
            }
        }
        #expect(alterations.count == 11)
        try Self.expectRefusedByBoth(alterations, key: ledger.keyFile.path, folder: ledger.folder)
    }

    /// docs/proofs.md §4: a proof document is UTF-8; §5: check-proof exits 1 when it refuses a document.
    @Test("a copy that is no longer UTF-8 is refused (exit 1) by both checkers")
    func invalidUTF8IsRefused() throws {
        let ledger = try Ledger()
        var alterations: [Alteration] = []
        for document in ledger.documents {
            let bytes = document.bytes
            let origin = try #require(Self.offset(of: ledger.keyName, in: bytes))
            let middle = try #require(bytes.indices.first { $0 >= bytes.count / 2 && bytes[$0] < 0x80 })
            for (what, offset) in [("the origin", origin + 3), ("an ASCII byte in the middle", middle),
                                   ("the last byte before the line feed", bytes.count - 2)] {
                var altered = bytes
                altered[offset] ^= 0x80
                #expect(String(validating: altered, as: UTF8.self) == nil)
                alterations.append(Alteration(description: "\(document.name): \(what) (byte \(offset)) with its high bit set",
                                              bytes: altered))
            }
        }
        try Self.expectRefusedByBoth(alterations, key: ledger.keyFile.path, folder: ledger.folder)
    }

    /// docs/proofs.md §4: a member missing, a member not listed, a duplicate member or a member
    /// of the wrong JSON type.
    @Test("documents with a member missing, added, repeated or of the wrong type are refused by both checkers")
    func malformedMembersAreRefused() throws {
        let ledger = try Ledger()
        let inclusion = String(decoding: ledger.inclusion.bytes, as: UTF8.self)
        let consistency = String(decoding: ledger.consistency.bytes, as: UTF8.self)
        let size = ledger.firstSize
        let edits: [(String, String, String, String)] = [
            ("inclusion", inclusion, #"{"proof":"#, #"{"note":"hello","proof":"#),
            ("inclusion", inclusion, #""version":1,"#, #""version":1,"version":1,"#),
            ("inclusion", inclusion, #""signature_algorithm":"ed25519","#, ""),
            ("inclusion", inclusion, #""version":1,"#, #""version":1.0,"#),
            ("inclusion", inclusion, #""version":1,"#, #""version":true,"#),
            ("inclusion", inclusion, #""tree_size":\#(size),"#, #""tree_size":"\#(size)","#),
            ("inclusion", inclusion, #""seq":5,"#, #""seq":5,"seq":5,"#),
            ("inclusion", inclusion, #""seq":5,"#, ""),
            ("inclusion", inclusion, #""event":{"#, #""event":{"hash":"00","#),
            ("inclusion", inclusion, #""leaf_index":4,"#, #""leaf_index":5,"#),
            ("inclusion", inclusion, #""proof":"inclusion""#, #""proof":"receipt""#),
            ("inclusion", inclusion, #""hash_algorithm":"sha-256""#, #""hash_algorithm":"sm3""#),
            ("consistency", consistency, #""old_size":\#(size),"#, #""old_size":\#(size).0,"#),
            ("consistency", consistency, #""path":["#, #""path":[null,"#),
            ("consistency", consistency, #""proof":"consistency""#, #""proof":"Consistency""#),
        ]
        var alterations: [Alteration] = []
        for (name, text, old, new) in edits {
            #expect(text.components(separatedBy: old).count == 2, "\(name): \(old) is not in it exactly once")
            alterations.append(Alteration(description: "\(name): \(old) → \(new)",
                                          bytes: Array(text.replacingOccurrences(of: old, with: new).utf8)))
        }
        try Self.expectRefusedByBoth(alterations, key: ledger.keyFile.path, folder: ledger.folder)
    }

    @Test("every document is refused by both checkers with another ledger's key")
    func otherKeyIsRefused() throws {
        let ledger = try Ledger()
        // A ledger of another origin, and one of the same origin with a key of its own.
        for origin in ["other.example", nil] {
            let other = try TemporaryStore()
            let created = try other.recovery(["init"] + (origin.map { ["--origin", $0] } ?? []))
            try #require(created.status == 0, "init: \(created.stderr)")
            let shown = try other.recovery(["key", "show"])
            try #require(shown.status == 0, "key show: \(shown.stderr)")
            let otherKey = shown.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(otherKey != ledger.key && otherKey.hasPrefix("\(origin ?? ledger.keyName)+"))

            for document in ledger.documents {
                let own = try RecoveryBinary.run(["check-proof", document.file.path, "--key", otherKey])
                #expect(own.status == 1 && own.stdout.hasPrefix("REFUSED:"),
                        "check-proof \(document.name) with \(otherKey): \(own.status) \(own.stdout) \(own.stderr)")
            }
            let checked = try Self.runPython(Self.checker, arguments: ledger.documents.map(\.file.path) + ["--key", otherKey])
            #expect(checked.status == 1, "\(checked.stdout) \(checked.stderr)")
            let verdicts = checked.stdout.split(separator: "\n")
            #expect(verdicts.count == ledger.documents.count && verdicts.allSatisfy { $0.hasPrefix("REFUSED: ") },
                    "\(checked.stdout)")
        }
    }

    @Test("a malformed key is a usage error (64) for both checkers")
    func malformedKeyIsUsageError() throws {
        let ledger = try Ledger()
        let parts = ledger.key.split(separator: "+", maxSplits: 2).map(String.init)
        try #require(parts.count == 3)
        let keys = [
            "\(parts[0])+00000000+\(parts[2])",          // a key id that is not the key's
            "\(parts[0])+\(parts[1])0+\(parts[2])",                // 9 hex digits
            "\(parts[0])+\(parts[1])+\(parts[2].dropLast(4))",
            "\(parts[0])+\(parts[1])",
            URL(fileURLWithPath: ledger.folder.store).appendingPathComponent("signing.key").path,  // the signer key
        ]
        for key in keys {
            let own = try RecoveryBinary.run(["check-proof", ledger.inclusion.file.path, "--key", key])
            #expect(own.status == 64, "check-proof --key \(key): \(own.status) \(own.stdout) \(own.stderr)")
            let checked = try Self.runPython(Self.checker, arguments: [ledger.inclusion.file.path, "--key", key])
            #expect(checked.status == 64, "--key \(key): \(checked.status) \(checked.stdout) \(checked.stderr)")
            #expect(!checked.stderr.contains("Traceback") && !checked.stderr.contains("PRIVATE"), "\(checked.stderr)")
        }
    }

    /// docs/proofs.md §4: a proof document is at most 64 MiB; a receipt has up to 100,000 entries.
    @Test("a receipt larger than 1 MiB is accepted by both checkers")
    func largeReceiptIsAccepted() throws {
        let folder = try TemporaryStore().initialised().enrolled(["P-000123"])
        let events = try folder.jsonLines("events.jsonl", (1 ... 1500).map { eventLine(id: "large-\($0)") })
        let imported = try folder.recovery(["import", events])
        try #require(imported.status == 0, "import: \(imported.stderr)")
        let shown = try folder.recovery(["key", "show"])
        try #require(shown.status == 0, "key show: \(shown.stderr)")
        let key = shown.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let prefix = folder.file("receipt").path
        let written = try folder.recovery(["receipt", "P-000123", "--out", prefix])
        try #require(written.status == 0, "receipt: \(written.stderr)")
        let receipt = prefix + ".json"
        #expect(try Data(contentsOf: URL(fileURLWithPath: receipt)).count > 1 << 20)

        let own = try RecoveryBinary.run(["check-proof", receipt, "--key", key])
        #expect(own.status == 0, "check-proof: \(own.status) \(own.stdout.prefix(300)) \(own.stderr)")
        let checked = try Self.runPython(Self.checker, arguments: [receipt, "--key", key])
        #expect(checked.status == 0, "\(checked.stdout.suffix(300)) \(checked.stderr)")
        #expect(checked.stdout.components(separatedBy: " of P-000123 at ").count - 1 == 1501)
    }

    // MARK: Fixtures

    struct Document {
        let name: String
        let file: URL
        let bytes: [UInt8]

        init(_ name: String, _ file: URL) throws {
            self.name = name
            self.file = file
            bytes = Array(try Data(contentsOf: file))
        }
    }

    /// A ledger with the sample events, its verifier key, and the four documents of the
    /// brief: a checkpoint of the first import, an inclusion proof of seq 5 and a receipt of
    /// P-001001 under it, and (after a second import) a consistency proof from it.
    struct Ledger {
        let folder: TemporaryStore
        let key: String
        let keyFile: URL
        let checkpoint: Document
        let inclusion: Document
        let receipt: Document
        let consistency: Document
        /// The size of the first checkpoint.
        let firstSize: Int

        var documents: [Document] { [checkpoint, inclusion, receipt, consistency] }
        var keyName: String { String(key.prefix { $0 != "+" }) }

        init() throws {
            let store = try TemporaryStore()
            folder = store
            func recovery(_ arguments: [String]) throws -> String {
                let outcome = try store.recovery(arguments)
                guard outcome.status == 0 else {
                    throw CLITestFailure("recovery \(arguments.joined(separator: " ")): \(outcome.status) \(outcome.stderr)")
                }
                return outcome.stdout
            }
            let sample = IndependentProofCheckTests.root.appendingPathComponent("Tools/sample-events.jsonl")
            _ = try recovery(["init"])
            _ = try recovery(["import", sample.path])
            key = try recovery(["key", "show"]).trimmingCharacters(in: .whitespacesAndNewlines)
            keyFile = store.file("key")
            try Data((key + "\n").utf8).write(to: keyFile)

            let checkpointFile = store.file("checkpoint")
            _ = try recovery(["checkpoint", "--out", checkpointFile.path])
            _ = try recovery(["prove", "inclusion", "5", "--out", store.file("inclusion.json").path])
            _ = try recovery(["receipt", "P-001001", "--out", store.file("receipt").path])
            // More events (other ids and participants), then the consistency proof from the checkpoint.
            let more = try String(contentsOf: sample, encoding: .utf8)
                .replacingOccurrences(of: #""id":""#, with: #""id":"x"#)
                .replacingOccurrences(of: "P-00", with: "P-90")
            let moreFile = store.file("more.jsonl")
            try Data(more.utf8).write(to: moreFile)
            _ = try recovery(["import", moreFile.path])
            _ = try recovery(["prove", "consistency", "--from", checkpointFile.path, "--out",
                              store.file("consistency.json").path])

            checkpoint = try Document("checkpoint", checkpointFile)
            inclusion = try Document("inclusion", store.file("inclusion.json"))
            receipt = try Document("receipt", store.file("receipt.json"))
            consistency = try Document("consistency", store.file("consistency.json"))
            let lines = String(decoding: checkpoint.bytes, as: UTF8.self).split(separator: "\n")
            firstSize = try #require(lines.count > 1 ? Int(lines[1]) : nil)
        }
    }

    // MARK: Alterations

    struct Alteration {
        let description: String
        let bytes: [UInt8]
    }

    /// One bit flipped in each of 12 bytes spread over the document, and in each of the
    /// places that carry meaning (docs/proofs.md §3, §4): the note's origin, size, root,
    /// extension line, em dash, signer name and signature; member names; every member of an
    /// entry and its event; the record; path hashes; sizes and roots. The bit is chosen so that
    /// the copy stays UTF-8 (a copy that is not UTF-8 is `invalidUTF8IsRefused`'s case).
    static func byteFlips(of document: Document, ledger: Ledger) throws -> [Alteration] {
        let bytes = document.bytes
        var targets: [(String, Int)] = []
        func at(_ what: String, _ needle: String, plus: [Int], from start: Int = 0) {
            guard let found = offset(of: needle, in: bytes, from: start) else {
                Issue.record("\(document.name): \(needle) not found for \(what)")
                return
            }
            targets += plus.map { (what, found + $0) }
        }
        /// A signed note inside the document from `start`, with line feeds written as `newline`.
        func note(_ label: String, from start: Int, newline: String) throws {
            let text = String(decoding: bytes[start...], as: UTF8.self)
            let lines = text.components(separatedBy: newline)
            try #require(lines.count > 5, "\(document.name): \(label) is not a note")
            let size = lines[1], root = lines[2]
            at("\(label): origin", ledger.keyName, plus: [7], from: start)
            at("\(label): size line", newline + size + newline, plus: [newline.utf8.count], from: start)
            at("\(label): root line", root, plus: [0, root.utf8.count - 2], from: start)
            at("\(label): extension line", "hash sha-256", plus: [5, 11], from: start)
            let signer = "\u{2014} \(ledger.keyName) "
            at("\(label): em dash", signer, plus: [0], from: start)
            at("\(label): signer name", signer, plus: [4 + ledger.keyName.utf8.count - 1], from: start)
            at("\(label): signature", signer, plus: [0, 1, 6, 40, 90].map { signer.utf8.count + $0 }, from: start)
        }

        switch document.name {
        case "checkpoint":
            try note("the checkpoint", from: 0, newline: "\n")
        case "inclusion", "receipt":
            at("member name", #""proof""#, plus: [1])
            at("proof", #""proof":""#, plus: [10])
            at("version", #""version":"#, plus: [10])
            at("hash_algorithm", #""hash_algorithm":""#, plus: [19])
            at("signature_algorithm", #""signature_algorithm":""#, plus: [23])
            try note("the checkpoint", from: try #require(offset(of: #""checkpoint":""#, in: bytes)) + 14, newline: "\\n")
            at("tree_size", #""tree_size":"#, plus: [12])
            at("root", #""root":""#, plus: [8, 30])
            let entries = try #require(offset(of: #""entries":["#, in: bytes))
            at("member name", #""entries""#, plus: [3])
            at("leaf_index", #""leaf_index":"#, plus: [13], from: entries)
            at("event.seq", #""seq":"#, plus: [6], from: entries)
            at("event.id", #""id":""#, plus: [6], from: entries)
            at("event.type", #""type":""#, plus: [8], from: entries)
            at("event.participant", #""participant":""#, plus: [22], from: entries)
            at("event.at", #""at":""#, plus: [19], from: entries)
            at("event.actor", #""actor":""#, plus: [9], from: entries)
            at("event.data", #""data":{"#, plus: [8, 9], from: entries)
            at("event.recorded_at", #""recorded_at":""#, plus: [30], from: entries)
            at("event.record", #""record":""#, plus: [10, 12, 40, 60], from: entries)
            at("path", #""path":[""#, plus: [9, 30, 60], from: entries)
            if document.name == "receipt" {
                at("participant", #""participant":""#, plus: [15, 22])
                let last = try #require(lastOffset(of: #""record":""#, in: bytes))
                targets += [10, 33, 50].map { ("the last entry's record", last + $0) }
            }
        case "consistency":
            try note("the old checkpoint", from: try #require(offset(of: #""old_checkpoint":""#, in: bytes)) + 18,
                     newline: "\\n")
            try note("the new checkpoint", from: try #require(offset(of: #""new_checkpoint":""#, in: bytes)) + 18,
                     newline: "\\n")
            at("proof", #""proof":""#, plus: [10])
            at("old_size", #""old_size":"#, plus: [11])
            at("new_size", #""new_size":"#, plus: [11])
            at("old_root", #""old_root":""#, plus: [40])
            at("new_root", #""new_root":""#, plus: [12])
            at("member name", #""path":["#, plus: [1])
            at("path", #""path":[""#, plus: [9, 30, 60, 200])
        default:
            Issue.record("unknown document \(document.name)")
        }
        targets.append(("the closing brace or last byte", bytes.count - 2))
        targets.append(("the final line feed", bytes.count - 1))
        for offset in stride(from: 1, to: bytes.count, by: max(1, bytes.count / 12)) {
            targets.append(("spread", offset))
        }

        return try targets.enumerated().map { index, target throws -> Alteration in
            let (what, offset) = target
            // A bit (0–6) whose flip leaves valid UTF-8; the preferred one varies with the target.
            for step in 0 ..< 7 {
                let bit = (index + step) % 7
                var altered = bytes
                altered[offset] ^= UInt8(1 << bit)
                if String(validating: altered, as: UTF8.self) != nil {
                    return Alteration(description: "\(document.name): byte \(offset) (\(what)) bit \(bit)", bytes: altered)
                }
            }
            throw CLITestFailure("\(document.name): no bit of byte \(offset) flips to valid UTF-8")
        }
    }

    static let base64Alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// The document with the base64 character at `offset` (the last before one `=`) changed in
    /// its lowest bit only: one of the two bits that decoding drops, so the bytes decode the same.
    static func nonCanonical(_ document: Document, lastCharacter offset: Int, _ what: String) throws -> Alteration {
        var altered = document.bytes
        #expect(altered[offset + 1] == UInt8(ascii: "=") && altered[offset + 2] != UInt8(ascii: "="),
                "\(document.name): \(what) does not end in one `=`")
        let value = try #require(base64Alphabet.firstIndex(of: altered[offset]), "\(document.name): \(what)")
        altered[offset] = base64Alphabet[value ^ 1]
        return Alteration(description: "\(document.name): \(what): the dropped bits of byte \(offset) set", bytes: altered)
    }

    /// Writes every alteration to a file and expects both checkers to refuse each: check-proof
    /// with exit 1 and `REFUSED:`, proof_check.py (one run for all files) with a `REFUSED:`
    /// verdict line per file and exit 1. Lists every alteration that either checker did not refuse.
    static func expectRefusedByBoth(_ alterations: [Alteration], key: String, folder: TemporaryStore) throws {
        var files: [URL] = []
        for (index, alteration) in alterations.enumerated() {
            let file = folder.file("altered-\(index)")
            try Data(alteration.bytes).write(to: file)
            files.append(file)
        }
        let checked = try runPython(checker, arguments: files.map(\.path) + ["--key", key])
        #expect(checked.status == 1, "proof_check.py: exit \(checked.status) \(checked.stderr)")
        let verdicts = checked.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(verdicts.count == files.count + 1, "proof_check.py printed \(verdicts.count - 1) verdicts for \(files.count) files")

        var notRefused: [String] = []
        for (index, (alteration, file)) in zip(alterations, files).enumerated() {
            let verdict = index < verdicts.count ? verdicts[index] : "(no verdict)"
            if !verdict.hasPrefix("REFUSED: \(file.path): ") {
                notRefused.append("\(alteration.description): proof_check.py says \(verdict)")
            }
            let own = try RecoveryBinary.run(["check-proof", file.path, "--key", key])
            if own.status != 1 || !own.stdout.hasPrefix("REFUSED:") {
                let said = (own.stdout + own.stderr).split(separator: "\n").first.map(String.init) ?? ""
                notRefused.append("\(alteration.description): check-proof exits \(own.status): \(said)")
            }
        }
        let listed = notRefused.joined(separator: "\n")
        #expect(notRefused.isEmpty, "\(notRefused.count) of \(2 * alterations.count) verdicts are not refusals:\n\(listed)")
    }

    // MARK: Helpers

    /// The offset of the first occurrence of `needle`'s UTF-8 in `bytes` at or after `start`.
    static func offset(of needle: String, in bytes: [UInt8], from start: Int = 0) -> Int? {
        let pattern = Array(needle.utf8)
        guard !pattern.isEmpty, start >= 0, bytes.count >= pattern.count else { return nil }
        var index = start
        while index + pattern.count <= bytes.count {
            if bytes[index] == pattern[0], bytes[index ..< index + pattern.count].elementsEqual(pattern) {
                return index
            }
            index += 1
        }
        return nil
    }

    static func lastOffset(of needle: String, in bytes: [UInt8]) -> Int? {
        var last: Int?
        while let found = offset(of: needle, in: bytes, from: (last ?? -1) + 1) { last = found }
        return last
    }

    static func runPython(
        _ script: URL, arguments: [String] = [], stdin: [UInt8]? = nil
    ) throws -> RecoveryBinary.Outcome {
        try RecoveryBinary.runProgram(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", script.path] + arguments, stdin: stdin,
            currentDirectory: root)
    }
}

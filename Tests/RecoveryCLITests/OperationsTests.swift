import Foundation
import Testing

/// The operations of issue 13: restore, --version, the one error form, backup's 73 and
/// `verify --digest`'s report.
@Suite("Operations")
struct OperationsTests {
    @Test("restore verifies the backup first, refuses a ledger or other files in the way (73), and brings the key only from a keyed backup")
    func restore() throws {
        let source = try TemporaryStore().initialised().enrolled(["P-1"])
        let lines = (1 ... 20).map { eventLine(id: "restore-marker-\($0)", participant: "P-1", at: String(format: "2022-03-%02dT09:30:00+08:00", $0)) }
        #expect(try source.recovery(["import", try source.jsonLines("events.jsonl", lines)]).status == 0)
        let head = try jsonObject(try source.recovery(["verify", "--json"]).stdout)["head_hash"] as? String
        let plain = source.file("plain").path, keyed = source.file("keyed").path
        #expect(try source.recovery(["backup", plain]).status == 0)
        #expect(try source.recovery(["backup", keyed, "--with-key"]).status == 0)

        let first = source.file("restored").path
        let restored = try RecoveryBinary.run(["restore", plain, "--store", first, "--json"])
        #expect(restored.status == 0, "\(restored.stderr)")
        let report = try jsonObject(restored.stdout)
        #expect(report["head_hash"] as? String == head && report["key"] as? Bool == false)
        let verified = try RecoveryBinary.run(["verify", "--store", first, "--json"])
        let verifiedHead = try jsonObject(verified.stdout)["head_hash"] as? String
        #expect(verified.status == 0 && verifiedHead == head)
        #expect(!FileManager.default.fileExists(atPath: first + "/signing.key"), "a backup without the key restores without it")

        let second = source.file("restored-keyed").path
        #expect(try RecoveryBinary.run(["restore", keyed, "--store", second]).status == 0)
        let key = try source.recovery(["key", "show"]).stdout
        #expect(try RecoveryBinary.run(["key", "show", "--store", second]).stdout == key && !key.isEmpty)

        // Nothing is ever written over: a ledger (73), a folder with files (73).
        let over = try RecoveryBinary.run(["restore", plain, "--store", first])
        #expect(over.status == 73 && over.stderr.hasPrefix("recovery: ") && over.stderr.contains("already holds a ledger"))
        let junk = source.file("junk")
        try FileManager.default.createDirectory(at: junk, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: junk.appendingPathComponent("notes.txt"))
        #expect(try RecoveryBinary.run(["restore", plain, "--store", junk.path]).status == 73)
        #expect(try RecoveryBinary.run(["restore", source.file("no-such-backup").path, "--store", source.file("r3").path]).status == 66)

        // A damaged backup is refused before anything is written.
        let damaged = source.file("damaged").path
        #expect(try source.recovery(["backup", damaged]).status == 0)
        let dataFile = URL(fileURLWithPath: damaged + "/data.mdb")
        var bytes = try Data(contentsOf: dataFile)
        let found = try #require(bytes.range(of: Data("restore-marker-7".utf8)).map(\.lowerBound), "the marker is in the copy")
        bytes[found + 3] ^= 0x01
        try bytes.write(to: dataFile)
        let target = source.file("from-damaged").path
        let refused = try RecoveryBinary.run(["restore", damaged, "--store", target])
        #expect(refused.status == 1 && refused.stderr.contains("does not verify"), "\(refused.status) \(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: target + "/data.mdb"))
    }

    @Test("--version names the program, the record format and LMDB; argument errors use the one `recovery:` form (64)")
    func versionAndErrorForm() throws {
        let version = try RecoveryBinary.run(["--version"])
        #expect(version.status == 0)
        let pattern = #/^recovery \d+\.\d+\.\d+ \(record format recovery-ledger/\d+, LMDB \d+\.\d+\.\d+\)\n$/#
        #expect(version.stdout.wholeMatch(of: pattern) != nil, "\(version.stdout)")
        let bad = try RecoveryBinary.run(["stats", "--no-such-option"])
        #expect(bad.status == 64)
        let lines = bad.stderr.split(separator: "\n")
        #expect(!lines.isEmpty && lines.allSatisfy { $0.hasPrefix("recovery: ") }, "\(bad.stderr)")
        #expect(!bad.stderr.contains("Error: "))
    }

    @Test("backup onto a file is 73; verify --digest reports the digest it checked, and one beyond the head plainly (1, not damage)")
    func backupAndDigest() throws {
        let store = try TemporaryStore().initialised().enrolled(["P-1"])
        let file = store.file("a-file")
        try Data("x".utf8).write(to: file)
        let onFile = try store.recovery(["backup", file.path])
        #expect(onFile.status == 73 && onFile.stderr.contains("not an empty folder"), "\(onFile.status) \(onFile.stderr)")

        let first = try #require(store.recovery(["log", "--format", "jsonl"]).stdout.split(separator: "\n").first)
        let hash = try #require(try jsonObject(String(first))["hash"] as? String)
        let checked = try store.recovery(["verify", "--json", "--digest", "1:\(hash)"])
        #expect(checked.status == 0)
        let digest = try jsonObject(checked.stdout)["digest"] as? [String: Any]
        #expect(digest?["seq"] as? Int == 1 && digest?["checked"] as? Bool == true)
        #expect(try store.recovery(["verify", "--digest", "1:\(hash)"]).stdout.contains("digest: the chain hash at seq 1 is the published one"))

        let zeros = String(repeating: "0", count: 64)
        let wrong = try store.recovery(["verify", "--json", "--digest", "1:\(zeros)"])
        let wrongSeq = try jsonObject(wrong.stdout)["first_bad_seq"] as? Int
        #expect(wrong.status == 1 && wrongSeq == 1)

        let head = try store.headSeq()
        let beyond = try store.recovery(["verify", "--json", "--digest", "99:\(zeros)"])
        #expect(beyond.status == 1)
        let report = try jsonObject(beyond.stdout)
        #expect(report["ok"] as? Bool == false && report["first_bad_seq"] == nil && report["head_seq"] as? Int == head)
        #expect((report["digest"] as? [String: Any])?["checked"] as? Bool == false)
        #expect((report["reason"] as? String)?.contains("head is seq \(head)") == true)
        let text = try store.recovery(["verify", "--digest", "99:\(zeros)"])
        #expect(text.status == 1 && text.stdout.contains("DIGEST NOT CHECKED") && !text.stdout.contains("DAMAGED"), "\(text.stdout)")
    }
}

import EventLog
import Foundation
import Rehabilitation
import Testing

/// A stored record the catalogue does not describe is damage, never "no effect": `rebuild`,
/// `audit`, a replayed `stats` and `verify` stop with exit 1 and name the seq. Such records
/// are written here through the log layer (package access: nothing outside the package can),
/// as an older or newer writer, or a forger, could have written them.
@Suite("Unknown stored records")
struct UnknownRecordTests {
    /// A ledger with P-1 enrolled and one check-in, then `odd` appended raw (seq 4), then a
    /// normal check-in (seq 5, so a cut at seq 4 is below the head).
    static func store(with odd: NewEvent) throws -> TemporaryStore {
        let store = try TemporaryStore().initialised().enrolled(["P-1"])
        let add = try store.recovery(["append"], stdin: eventLine(id: "c1", participant: "P-1"))
        try #require(add.status == 0, "\(add.stderr)")
        do {
            let log = try EventLog.open(at: store.store)
            _ = try log.appendBatch { writer in try writer.append(odd) }
        }
        let after = try store.recovery(["append"], stdin: eventLine(id: "c2", participant: "P-1", at: "2022-03-02T09:30:00+08:00"))
        try #require(after.status == 0, "\(after.stderr)")
        return store
    }

    static let odd: [(String, NewEvent)] = [
        ("an unknown type", NewEvent(id: "x1", type: "intake", stream: "P-1", at: 1_646_098_200_000, actor: "sw", data: .object([:]))),
        ("an unknown choice", NewEvent(id: "x2", type: "test_result", stream: "P-1", at: 1_646_098_200_000, actor: "sw",
                                       data: .object(["result": .string("unclear")]))),
        ("a missing field", NewEvent(id: "x3", type: "aid_paid", stream: "P-1", at: 1_646_098_200_000, actor: "sw",
                                     data: .object(["kind": .string("temporary")]))),
        ("a system type in a participant's stream", NewEvent(id: "x4", type: "rules_adopted", stream: "P-1", at: 1_646_098_200_000,
                                                             actor: "sw", data: .object(["document": .string("x")]))),
    ]

    @Test("rebuild, audit, stats at a cut and verify exit 1 naming the seq", arguments: 0 ..< odd.count)
    func refused(_ index: Int) throws {
        let (label, event) = Self.odd[index]
        let store = try Self.store(with: event)
        for arguments in [["rebuild"], ["audit", "P-1"], ["stats", "--year", "2022", "--at-seq", "4"]] {
            let outcome = try store.recovery(arguments)
            #expect(outcome.status == 1, "\(label): \(arguments) exit \(outcome.status): \(outcome.stderr)")
            #expect(outcome.stderr.contains("seq 4"), "\(label): \(arguments): \(outcome.stderr)")
        }
        let verify = try store.recovery(["verify", "--json"])
        #expect(verify.status == 1, "\(label): \(verify.stdout)")
        #expect(try jsonObject(verify.stdout)["first_bad_seq"] as? Int == 4, "\(label): \(verify.stdout)")
    }
}

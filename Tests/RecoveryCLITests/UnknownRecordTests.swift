import EventLog
import Foundation
import Rehabilitation
import Testing

/// A stored record the catalogue does not describe is damage, never "no effect": `rebuild`,
/// `audit`, `stats` and `verify` stop with exit 1 and name the seq. (`stats` at the head
/// replays the log because the projection's mark shows it lags the log.) Such records
/// are written here through the log layer (package access: nothing outside the package can),
/// as an older or newer writer, or a forger, could have written them.
@Suite("Unknown stored records")
struct UnknownRecordTests {
    /// A ledger with P-1 enrolled and two check-ins (seq 1–4), then `odd` appended raw (seq 5).
    static func store(with odd: NewEvent) throws -> TemporaryStore {
        let store = try TemporaryStore().initialised().enrolled(["P-1"])
        for (id, at) in [("c1", "2022-03-01T09:30:00+08:00"), ("c2", "2022-03-02T09:30:00+08:00")] {
            let add = try store.recovery(["append"], stdin: eventLine(id: id, participant: "P-1", at: at))
            try #require(add.status == 0, "\(add.stderr)")
        }
        let log = try EventLog.open(at: store.store)
        _ = try log.appendBatch { writer in try writer.append(odd) }
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
        for arguments in [["rebuild"], ["audit", "P-1"], ["stats", "--year", "2022", "--at-seq", "5"], ["stats", "--year", "2022"]] {
            let outcome = try store.recovery(arguments)
            #expect(outcome.status == 1, "\(label): \(arguments) exit \(outcome.status): \(outcome.stderr)")
            #expect(outcome.stderr.contains("seq 5"), "\(label): \(arguments): \(outcome.stderr)")
        }
        let verify = try store.recovery(["verify", "--json"])
        #expect(verify.status == 1, "\(label): \(verify.stdout)")
        #expect(try jsonObject(verify.stdout)["first_bad_seq"] as? Int == 5, "\(label): \(verify.stdout)")
    }

    @Test("an event appended around the ledger leaves the projection's mark behind: seen, not trusted, repaired by rebuild")
    func eventAroundTheLedger() throws {
        let store = try Self.store(with: NewEvent(id: "x9", type: "check_in", stream: "P-1", at: 1_646_098_200_000, actor: "sw"))
        let balance = try store.recovery(["balance", "P-1"])
        #expect(balance.status == 70 && balance.stderr.contains("did not apply"), "\(balance.status) \(balance.stderr)")
        let alerts = try store.recovery(["alerts", "--as-of", "2022-03-10"])
        #expect(alerts.status == 70, "\(alerts.stderr)")
        let verify = try store.recovery(["verify", "--json"])
        #expect(verify.status == 1)
        #expect(try jsonObject(verify.stdout)["first_bad_seq"] as? Int == 5, "\(verify.stdout)")
        // Nothing is appended on top of a stale projection: its states would price it wrongly.
        let append = try store.recovery(["append"], stdin: eventLine(id: "c3", participant: "P-1", at: "2022-03-03T09:30:00+08:00"))
        #expect(append.status == 70 && append.stderr.contains("rebuild"), "\(append.stderr)")
        // stats at the head replays the log, so its figures count the event.
        let stats = try store.recovery(["stats", "--year", "2022", "--json"])
        #expect(stats.status == 0, "\(stats.stderr)")
        let rebuild = try store.recovery(["rebuild"])
        #expect(rebuild.status == 0, "\(rebuild.stderr)")
        #expect(try store.recovery(["verify"]).status == 0)
        #expect(try store.recovery(["balance", "P-1"]).status == 0)
        let after = try store.recovery(["stats", "--year", "2022", "--json"])
        #expect(after.stdout == stats.stdout, "the replayed figures equal the rebuilt projection's")
    }
}

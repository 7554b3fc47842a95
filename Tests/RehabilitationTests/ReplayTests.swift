@testable import EventLog
import Foundation
import LMDB
@testable import Rehabilitation
import Testing

/// The replay a participant at a time (`Ledger.replayParticipants`), which `rebuild`,
/// `rebuild --check`, `rules diff` and the statistics of a cut go through.
@Suite("Replay by participant, a batch at a time")
struct ReplayTests {
    /// Seven participants with check-ins, a void, a positive test and a rules adoption (a
    /// system stream among the participants' streams).
    private func sampleLedger() throws -> Ledger {
        let ledger = try makeLedger()
        var lines = (1 ... 7).map { enrol("P-\($0)") }
        for day in 1 ... 28 {
            lines.append(line("check_in", "P-\(day % 7 + 1)", at: "2022-03-\(day < 10 ? "0" : "")\(day)", id: "c\(day)"))
        }
        lines.append(line("voided", "P-2", at: "2022-04-01", data: #"{"event":"c1","reason":"r"}"#))
        lines.append(line("test_result", "P-3", at: "2022-04-02", data: #"{"result":"positive"}"#))
        try ledger.submit(lines)
        let changed = try PointsRules(document: PointsRules.defaultDocument.replacingOccurrences(of: "check_in = 2 ", with: "check_in = 7 "))
        _ = try ledger.adopt(changed, actor: "office")
        try ledger.submit([line("check_in", "P-5", at: "2022-04-03", id: "late")])
        return ledger
    }

    private func storedStates(of ledger: Ledger) throws -> [(key: [UInt8], state: ParticipantState)] {
        try ledger.log.read { transaction in
            var states: [(key: [UInt8], state: ParticipantState)] = []
            try transaction.withCursor(try ledger.states(in: transaction)) { cursor in
                guard try cursor.move(.first) else { return }
                repeat {
                    states.append(try cursor.withCurrent { key, value in (key.copiedBytes(), try ParticipantState(decoding: value)) })
                } while try cursor.move(.next)
            }
            return states
        }
    }

    @Test("every batch size gives the projection's states, in key order, each participant once, every event counted")
    func batchSizes() throws {
        let ledger = try sampleLedger()
        let head = try ledger.log.head().seq
        let rules = try ledger.adoptedRules()
        let stored = try storedStates(of: ledger)
        #expect(stored.count == 7)
        for (events, participants) in [(1, 1), (5, 2), (9, 3), (1 << 16, 2_048)] {
            var seen: [(key: [UInt8], state: ParticipantState)] = []
            var batches = 0
            let count = try ledger.log.read { transaction in
                try ledger.replayParticipants(in: transaction, rules: rules, through: head, batchEvents: events, batchParticipants: participants) { batch in
                    batches += 1
                    #expect(batch.keys.count == batch.states.count && batch.encoded.isEmpty)
                    #expect(batch.keys.count <= participants)
                    for index in batch.keys.indices { seen.append((batch.keys[index], batch.states[index])) }
                }
            }
            #expect(count == Int(head), "batches of \(events) events / \(participants) participants")
            #expect(seen.map(\.key) == stored.map(\.key))
            #expect(seen.map(\.state) == stored.map(\.state))
            #expect(batches >= (participants == 1 ? 7 : 1))
        }
    }

    @Test("replaying under two documents finds exactly the events each participant's own replay reprices, in order")
    func repricing() throws {
        let ledger = try sampleLedger()
        let head = try ledger.log.head().seq
        let adopted = try ledger.adoptedRules()
        var expected: [(String, UInt64, Int64, Int64)] = []
        for participant in (1 ... 7).map({ "P-\($0)" }) {
            expected += try ledger.repricedEvents(of: participant, under: .standard).map { (participant, $0.event.seq, $0.before, $0.after) }
        }
        #expect(expected.count > 10)
        for (events, participants) in [(1, 1), (5, 2), (1 << 16, 2_048)] {
            var seen: [(String, UInt64, Int64, Int64)] = []
            _ = try ledger.log.read { transaction in
                try ledger.replayParticipants(in: transaction, rules: .standard, through: head, comparing: adopted,
                                              batchEvents: events, batchParticipants: participants) { batch in
                    seen += batch.repriced.map { (batch.participant($0.participant), $0.seq, $0.before, $0.after) }
                }
            }
            #expect(seen.map(\.0) == expected.map(\.0))
            #expect(seen.map(\.1) == expected.map(\.1))
            #expect(seen.map(\.2) == expected.map(\.2) && seen.map(\.3) == expected.map(\.3))
        }
    }

    @Test("a cut replays each participant through it, and skips those who come later")
    func cut() throws {
        let first = [enrol("P-1"), enrol("P-2", at: "2022-01-02"), line("check_in", "P-1", at: "2022-02-01"), line("check_in", "P-1", at: "2022-02-03")]
        let ledger = try makeLedger()
        try ledger.submit(first)
        try ledger.submit([enrol("P-3", at: "2022-01-03"), line("check_in", "P-1", at: "2022-02-02")])
        // The same first events alone, projected as they were appended.
        let alone = try makeLedger()
        try alone.submit(first)
        let expected = try storedStates(of: alone)
        let through = try alone.log.head().seq
        var seen: [(key: [UInt8], state: ParticipantState)] = []
        let count = try ledger.log.read { transaction in
            try ledger.replayParticipants(in: transaction, rules: .standard, through: through) { batch in
                for index in batch.keys.indices { seen.append((batch.keys[index], batch.states[index])) }
            }
        }
        #expect(count == Int(through))
        #expect(seen.map(\.key) == expected.map(\.key))
        #expect(seen.map(\.state) == expected.map(\.state))
        #expect(expected.first?.state.balance ?? 0 > 0)
    }

    @Test("an event the stream index misses, or an entry naming another stream's event, stops rebuild and its check")
    func indexDamage() throws {
        for damage in ["missing", "stray"] {
            let ledger = try sampleLedger()
            let index = ledger.log.databases.byStream
            try ledger.log.environment.write { transaction in
                if damage == "missing" {
                    #expect(try transaction.removeValue(forKey: Array("P-3".utf8), in: index))
                } else {
                    _ = try transaction.put(SeqKey.encode(4), forKey: Array("P-404".utf8), in: index)
                }
            }
            #expect(throws: LogError.self, "\(damage)") { try ledger.rebuild() }
            #expect(throws: LogError.self, "\(damage)") { try ledger.checkProjections() }
            #expect(throws: LogError.self, "\(damage)") { try ledger.statistics(year: 2022, asOf: CivilDate(year: 2022, month: 12, day: 31)!, cut: .seq(5)) }
        }
    }
}

@testable import EventLog
import Foundation
import LMDB
@testable import Rehabilitation
import Testing

/// A rules adoption writes the re-priced states into the other states database over many
/// transactions, then switches to them in the one that appends the adoption (`Ledger+States`).
@Suite("Staged rules adoption")
struct StagedAdoptionTests {
    static let tripled = try! PointsRules(document: PointsRules.defaultDocument.replacingOccurrences(of: "check_in = 2 ", with: "check_in = 3 "))

    /// A ledger of `participants` participants with a few check-ins each.
    static func ledger(participants: Int = 300) throws -> Ledger {
        let ledger = try makeLedger()
        var lines: [String] = []
        for number in 0 ..< participants {
            lines.append(enrol("P-\(number)"))
            for day in 0 ..< 1 + number % 3 { lines.append(line("check_in", "P-\(number)", at: "2022-02-0\(day + 1)")) }
        }
        #expect(try ledger.submit(lines).isEmpty)
        return ledger
    }

    static func currentStates(_ ledger: Ledger) throws -> (name: String, entries: Int, other: Int) {
        try ledger.reading { transaction in
            let current = try ledger.states(in: transaction)
            let other = current.name == Ledger.statesDatabases.first ? ledger.secondStates! : ledger.firstStates
            return (current.name, try transaction.entryCount(current), try transaction.entryCount(other))
        }
    }

    @Test("an adoption switches to the other states database and empties the first; the next one switches back")
    func switchesBackAndForth() throws {
        let ledger = try Self.ledger()
        #expect(try Self.currentStates(ledger) == ("participants", 300, 0))
        let preview = try ledger.diff(adopting: Self.tripled)
        #expect(try ledger.adopt(Self.tripled, actor: "office") == preview)
        #expect(try Self.currentStates(ledger) == ("participants_alt", 300, 0))
        #expect(try ledger.points("P-2") == 9 && ledger.checkProjections().consistent)
        #expect(try ledger.projectionSealProblem() == nil && ledger.projectionLag() == nil)
        #expect(try ledger.adopt(PointsRules.standard, actor: "office").changed.count == 300)
        #expect(try Self.currentStates(ledger) == ("participants", 300, 0))
        #expect(try ledger.points("P-2") == 6 && ledger.checkProjections().consistent)
        // Appends after the switch price with the rules adopted last and land in the current states.
        #expect(try ledger.submit([line("check_in", "P-0", at: "2022-03-05")]).isEmpty)
        #expect(try ledger.points("P-0") == 4 && ledger.checkProjections().consistent)
    }

    @Test("the adoption in one transaction (after stagings overtaken) gives the same states and empties a staging left behind")
    func oneTransactionAdoption() throws {
        let ledger = try Self.ledger()
        _ = try #require(try ledger.stageStates(rules: Self.tripled, bytesPerTransaction: 4_096))
        let preview = try ledger.diff(adopting: Self.tripled)
        #expect(try ledger.adopt(Self.tripled, actor: "office", reason: nil, stagings: 0) == preview)
        #expect(try Self.currentStates(ledger) == ("participants", 300, 0))
        #expect(try ledger.points("P-2") == 9 && ledger.checkProjections().consistent)
    }

    @Test("a staging in many small transactions stages every state, each as a rebuild makes it")
    func stagesInSmallTransactions() throws {
        let ledger = try Self.ledger()
        // A few states a transaction: the 300 states take dozens of commits.
        let staged = try #require(try ledger.stageStates(rules: Self.tripled, bytesPerTransaction: 1_024))
        #expect(staged.count == 300 && staged.balances["P-2"] == 9 && staged.commits > 20)
        let diff = try #require(try ledger.switchStates(to: staged, document: Self.tripled, actor: "office", reason: nil))
        #expect(diff.changed.count == 300 && diff.repricedTotal == 600)
        #expect(try ledger.checkProjections().consistent && ledger.adoptedRules().document == Self.tripled.document)
    }

    @Test("a staging that another writer overtook switches nothing; the adoption still lands")
    func overtakenStaging() throws {
        let ledger = try Self.ledger()
        let staged = try #require(try ledger.stageStates(rules: Self.tripled, bytesPerTransaction: 4_096))
        #expect(try ledger.submit([line("check_in", "P-0", at: "2022-03-05")]).isEmpty)
        #expect(try ledger.switchStates(to: staged, document: Self.tripled, actor: "office", reason: nil) == nil)
        #expect(try ledger.adoptedRules().document == PointsRules.standard.document)
        #expect(try ledger.points("P-0") == 4 && Self.currentStates(ledger).name == "participants")
        // The adoption stages again and prices the new check-in too.
        _ = try ledger.adopt(Self.tripled, actor: "office")
        #expect(try ledger.points("P-0") == 6 && ledger.checkProjections().consistent)
    }

    @Test("an overtaken switch commits nothing: an event that went around the ledger still shows as the projection's lag")
    func overtakenSwitchKeepsTheMark() throws {
        let ledger = try Self.ledger(participants: 5)
        let staged = try #require(try ledger.stageStates(rules: Self.tripled, bytesPerTransaction: 4_096))
        _ = try ledger.log.append(NewEvent(id: nil, type: "check_in", stream: "P-0", at: 1_646_100_000_000, actor: "sw-test", data: .object([:])))
        let lag = try #require(try ledger.projectionLag())
        #expect(try ledger.switchStates(to: staged, document: Self.tripled, actor: "office", reason: nil) == nil)
        #expect(try ledger.projectionLag()?.seq == lag.seq)
        #expect(try ledger.adoptedRules().document == PointsRules.standard.document)
    }

    @Test("a second staging takes the first one over: the first cannot switch, the second can")
    func takenOverStaging() throws {
        let ledger = try Self.ledger()
        let first = try #require(try ledger.stageStates(rules: Self.tripled, bytesPerTransaction: 4_096))
        let doubled = try PointsRules(document: PointsRules.defaultDocument.replacingOccurrences(of: "check_in = 2 ", with: "check_in = 4 "))
        let second = try #require(try ledger.stageStates(rules: doubled, bytesPerTransaction: 4_096))
        #expect(try ledger.switchStates(to: first, document: Self.tripled, actor: "office", reason: nil) == nil)
        #expect(try ledger.switchStates(to: second, document: doubled, actor: "office", reason: nil) != nil)
        #expect(try ledger.points("P-2") == 12 && ledger.checkProjections().consistent)
    }

    @Test("a staging left behind (a crash before the switch) changes no reading, and the next adoption empties it")
    func abandonedStaging() throws {
        let ledger = try Self.ledger()
        _ = try #require(try ledger.stageStates(rules: Self.tripled, bytesPerTransaction: 4_096))
        #expect(try Self.currentStates(ledger) == ("participants", 300, 300))
        #expect(try ledger.points("P-2") == 6 && ledger.checkProjections().consistent && ledger.projectionSealProblem() == nil)
        #expect(try ledger.audit("P-2")?.consistent == true)
        // Any later write of the ledger still writes the current states only.
        #expect(try ledger.submit([line("check_in", "P-0", at: "2022-03-05")]).isEmpty)
        #expect(try ledger.points("P-0") == 4)
        _ = try ledger.adopt(Self.tripled, actor: "office")
        #expect(try Self.currentStates(ledger) == ("participants_alt", 300, 0))
        #expect(try ledger.points("P-0") == 6 && ledger.checkProjections().consistent)
    }

    @Test("a projection naming a states database that is not one of the two is damage")
    func unknownStatesDatabase() throws {
        let ledger = try Self.ledger(participants: 3)
        let marks = try #require(ledger.projectionMarks)
        _ = try ledger.log.appendBatch { writer in try writer.transaction.put(Array("events".utf8), forKey: Ledger.statesKey, in: marks) }
        #expect {
            _ = try ledger.balance(of: "P-1")
        } throws: { error in
            guard case LedgerError.damagedProjection(let reason) = error else { return false }
            return reason.contains("unknown states database")
        }
        #expect(try ledger.projectionSealProblem()?.contains("unknown states database") == true)
        // A rebuild recomputes every state into the first database and drops the bad name.
        _ = try ledger.rebuild()
        #expect(try Self.currentStates(ledger) == ("participants", 3, 0))
        #expect(try ledger.points("P-1") == 4 && ledger.projectionSealProblem() == nil && ledger.checkProjections().consistent)
    }
}

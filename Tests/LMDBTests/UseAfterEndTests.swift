import Foundation
import LMDB
import Testing

/// A fresh environment whose database "main" maps [1] → [2], [2] → [3], [3] → [1]: each value is
/// also a key, so a cursor's current value can be followed into the same database.
private func makeStore() throws -> (Environment, Database) {
    let environment = try Environment.open(path: try makeFolder())
    let database = try environment.write { transaction in
        let database = try transaction.openDatabase("main", options: .create)
        for (key, value): (UInt8, UInt8) in [(1, 2), (2, 3), (3, 1)] { try transaction.put([value], forKey: [key], in: database) }
        return database
    }
    return (environment, database)
}

/// `body` throws the wrapper's use-after-end error, naming `subject` in its message.
private func expectUsedAfterEnd(
    _ subject: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
) {
    let error = #expect(throws: LMDBError.self, sourceLocation: sourceLocation) { try body() }
    #expect(error?.code == LMDBError.usedAfterEndCode, sourceLocation: sourceLocation)
    #expect(error?.isUsedAfterEnd == true, sourceLocation: sourceLocation)
    #expect(error?.description.contains("\(subject) used after its closure ended") == true, sourceLocation: sourceLocation)
}

@Suite("Transactions and cursors refuse use after their closure")
struct UseAfterEndTests {
    @Test("a read transaction kept past its closure refuses every entry point")
    func readTransactionKeptPastItsClosure() throws {
        let (environment, database) = try makeStore()
        var kept: Transaction?
        let inside = try environment.read { transaction in
            kept = transaction
            return try transaction.bytes(in: database, forKey: [1])
        }
        #expect(inside == [2])
        let transaction = try #require(kept)
        expectUsedAfterEnd("transaction") { _ = try transaction.bytes(in: database, forKey: [1]) }
        expectUsedAfterEnd("transaction") { _ = try transaction.value(in: database, forKey: [1]) { $0.count } }
        expectUsedAfterEnd("transaction") { _ = try transaction.value(in: database, forKey: "a") { $0.count } }
        expectUsedAfterEnd("transaction") { _ = try transaction.openDatabase("main") }
        expectUsedAfterEnd("transaction") { _ = try transaction.entryCount(database) }
        expectUsedAfterEnd("transaction") { try transaction.withCursor(database) { _ -> Void in Issue.record("the cursor was lent") } }
    }

    @Test("a write transaction kept past its commit, or its abort, refuses every entry point and writes nothing")
    func writeTransactionKeptPastItsClosure() throws {
        let (environment, database) = try makeStore()
        var committed: WriteTransaction?
        try environment.write { transaction in
            committed = transaction
            try transaction.put([4], forKey: [4], in: database)
        }
        var aborted: WriteTransaction?
        struct Refused: Error {}
        #expect(throws: Refused.self) {
            try environment.write { transaction in
                aborted = transaction
                throw Refused()
            }
        }
        for transaction in [try #require(committed), try #require(aborted)] {
            expectUsedAfterEnd("transaction") { try transaction.put([9], forKey: [9], in: database) }
            expectUsedAfterEnd("transaction") { try transaction.put([9], forKey: "z", in: database) }
            expectUsedAfterEnd("transaction") { try transaction.removeValue(forKey: [1], in: database) }
            expectUsedAfterEnd("transaction") { try transaction.removeAllEntries(database) }
            expectUsedAfterEnd("transaction") { _ = try transaction.openDatabase("other", options: .create) }
            expectUsedAfterEnd("transaction") { _ = try transaction.appendCursor(for: database) }
            expectUsedAfterEnd("transaction") { _ = try transaction.bytes(in: database, forKey: [1]) }
            expectUsedAfterEnd("transaction") { _ = try transaction.entryCount(database) }
        }
        #expect(try environment.read { try $0.entryCount(database) } == 4)
        #expect(try environment.read { try $0.bytes(in: database, forKey: [1]) } == [2])
    }

    @Test("a cursor kept past its closure is refused, even while its transaction is still open")
    func cursorKeptPastItsClosure() throws {
        let (environment, database) = try makeStore()
        var keptPastTransaction: Cursor?
        try environment.read { transaction in
            let cursor = try transaction.withCursor(database) { cursor throws -> Cursor in
                #expect(try cursor.move(.first))
                #expect(try cursor.followCurrentValue(into: database, of: transaction) { $0[0] } == 3)
                return cursor
            }
            keptPastTransaction = cursor
            expectUsedAfterEnd("cursor") { _ = try cursor.move(.next) }
            expectUsedAfterEnd("cursor") { _ = try cursor.move(.setKey, key: [2]) }
            expectUsedAfterEnd("cursor") { _ = try cursor.duplicateCount() }
            expectUsedAfterEnd("cursor") { _ = try cursor.followCurrentValue(into: database, of: transaction) { $0.count } }
            // The transaction itself is still usable.
            #expect(try transaction.entryCount(database) == 3)
        }
        let cursor = try #require(keptPastTransaction)
        expectUsedAfterEnd("cursor") { _ = try cursor.move(.first) }
        expectUsedAfterEnd("cursor") { _ = try cursor.duplicateCount() }
    }

    @Test("an open cursor refuses to follow its value into a transaction kept past its closure")
    func cursorFollowingIntoAnEndedTransaction() throws {
        let (environment, database) = try makeStore()
        var kept: Transaction?
        try environment.read { kept = $0 }
        let ended = try #require(kept)
        try environment.read { transaction in
            try transaction.withCursor(database) { cursor throws -> Void in
                #expect(try cursor.move(.first))
                expectUsedAfterEnd("transaction") { _ = try cursor.followCurrentValue(into: database, of: ended) { $0.count } }
            }
        }
    }

    @Test("an append cursor lives until its transaction ends, then is refused (after a commit and after an abort)")
    func appendCursorKeptPastItsTransaction() throws {
        let (environment, database) = try makeStore()
        var committed: AppendCursor?
        try environment.write { transaction in
            let cursor = try transaction.appendCursor(for: database)
            committed = cursor
            #expect(try cursor.put([5], forKey: [5], options: .append))
            // The same cursor for the whole transaction, usable after the call that opened it.
            #expect(try transaction.appendCursor(for: database) === cursor)
            #expect(try cursor.put([6], forKey: [6], options: .append))
        }
        var aborted: AppendCursor?
        struct Refused: Error {}
        #expect(throws: Refused.self) {
            try environment.write { transaction in
                aborted = try transaction.appendCursor(for: database)
                throw Refused()
            }
        }
        for cursor in [try #require(committed), try #require(aborted)] {
            expectUsedAfterEnd("append cursor") { try cursor.put([7], forKey: [7], options: .append) }
            expectUsedAfterEnd("append cursor") { try cursor.put([7], forKey: "z", options: .append) }
        }
        // A later transaction lends a cursor of its own; the kept one stays refused inside it.
        try environment.write { transaction in
            let fresh = try transaction.appendCursor(for: database)
            #expect(fresh !== committed)
            expectUsedAfterEnd("append cursor") { try committed?.put([7], forKey: [7], options: .append) }
            #expect(try fresh.put([8], forKey: [8], options: .append))
        }
        #expect(try environment.read { try $0.entryCount(database) } == 6)
        #expect(try environment.read { try $0.bytes(in: database, forKey: [7]) } == nil)
    }

    @Test("reading a cursor's current entry after its closure ended traps (in a child process)")
    func currentEntryAfterTheClosureTraps() async throws {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let environment = try Environment.open(path: try makeFolder())
            let database = try environment.write { transaction in
                let database = try transaction.openDatabase("main", options: .create)
                try transaction.put([2], forKey: [1], in: database)
                return database
            }
            let cursor = try environment.read { transaction in
                try transaction.withCursor(database) { cursor in
                    _ = try cursor.move(.first)
                    return cursor
                }
            }
            _ = cursor.withCurrentValue { $0.count }
        }
        // The trap itself, not a failed set-up, ended the child.
        let standardError = String(decoding: try #require(result).standardErrorContent, as: UTF8.self)
        #expect(standardError.contains("LMDB cursor on main used after its closure ended"))
    }
}

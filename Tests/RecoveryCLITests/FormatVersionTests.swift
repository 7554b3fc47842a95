@testable import EventLog
import Foundation
import LMDB
import Testing

/// A store of another format is refused, never misread: exit 70, naming both formats.
@Suite("Another format version")
struct FormatVersionTests {
    @Test("a store marked recovery-ledger/3 is refused by every command with both formats named")
    func refused() throws {
        let store = try TemporaryStore().initialised()
        do {
            // Rewrite the format marker as a newer program would, with a valid metadata checksum,
            // so that only the format (not damage) can be the reason for refusing it.
            let environment = try Environment.open(path: store.store)
            try environment.write { transaction in
                let databases = LogDatabases(try LogDatabases.names.map { try transaction.openDatabase($0) }, merkle: nil)
                _ = try transaction.put(Array("recovery-ledger/3".utf8), forKey: Array("format".utf8), in: databases.meta)
                _ = try transaction.put(Array(try EventLog.metadataChecksum(in: transaction, databases: databases).utf8),
                                        forKey: Array(EventLog.checksumKey.utf8), in: databases.meta)
            }
        }
        for arguments in [["log"], ["stats", "--year", "2022"], ["verify"], ["append", "--event", eventLine(id: "x")]] {
            let outcome = try store.recovery(arguments)
            #expect(outcome.status == 70, "\(arguments): \(outcome.status) \(outcome.stderr)")
            #expect(outcome.stderr.contains("recovery-ledger/3") && outcome.stderr.contains(EventLog.formatName), "\(arguments): \(outcome.stderr)")
        }
    }
}

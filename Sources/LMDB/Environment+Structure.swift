import CLMDB
@preconcurrency import Glibc

extension Environment {
    /// Checks the structure of the environment's current snapshot (see `StructureWalker`) and
    /// returns the first damage found, or nil when every tree is sound: then LMDB can follow
    /// its pages safely. Throws an `LMDBError` when the file cannot be read, or when writers
    /// kept committing so that no stable snapshot could be checked.
    ///
    /// The pages are read with `pread`, never through LMDB: the walk opens no database and no
    /// cursor. A read transaction stays open meanwhile, so writers cannot reuse the snapshot's
    /// pages, and the snapshot is the one whose meta page holds that transaction's id.
    package func checkStructure() throws -> StructureDamage? {
        var transactions: Set<UInt64> = []
        var metaDamage: StructureDamage?
        for _ in 0 ..< 8 {
            switch try read({ transaction in try checkSnapshot(of: transaction) }) {
            case .checked(let damage):
                return damage
            case .moved(let transaction, let damage):
                transactions.insert(transaction)
                metaDamage = damage
            }
        }
        // The same transaction every time, yet no meta page holds it: the meta pages are damaged.
        if transactions.count == 1, let metaDamage { return metaDamage }
        throw LMDBError(code: EAGAIN, operation: "check the structure of \(path): writers kept committing, so no snapshot stayed still long enough")
    }

    private enum SnapshotCheck {
        /// The walk ran: what it found.
        case checked(StructureDamage?)
        /// Neither meta page holds the transaction's snapshot any more (or is damaged).
        case moved(transaction: UInt64, StructureDamage)
    }

    private func checkSnapshot(of transaction: Transaction) throws -> SnapshotCheck {
        let id = try transaction.snapshotID()
        var statistics = MDB_stat()
        try LMDBError.check(mdb_env_stat(pointer, &statistics), "read the page size of \(path)")
        let pageSize = Int(statistics.ms_psize)
        guard let file = try DataFile(folder: path) else {
            throw LMDBError(code: ENOENT, operation: "open \(path)/data.mdb to check it")
        }
        let readings = [MetaPage.read(0, of: file, pageSize: pageSize), MetaPage.read(1, of: file, pageSize: pageSize)]
        // LMDB's readers take meta page `id % 2` (mdb_txn_renew0).
        let expected = Int(id & 1)
        guard let reading = readings.first(where: { $0.number == expected && $0.transaction == id })
            ?? readings.first(where: { $0.transaction == id })
        else {
            let found = readings[expected].transaction.map { "transaction \($0)" } ?? "nothing readable"
            return .moved(transaction: id, StructureDamage(page: expected, database: nil, reason:
                "LMDB's snapshot is transaction \(id), but its meta page holds \(found)"))
        }
        do {
            let meta = try reading.result.get()
            guard meta.pageSize == pageSize else {
                throw StructureDamage(page: reading.number, database: nil, reason:
                    "the meta page gives a page size of \(meta.pageSize), not the \(pageSize) LMDB uses")
            }
            try StructureWalker(file: file, meta: meta).checkAll()
            return .checked(nil)
        } catch let problem as MetaPage.MetaProblem {
            return .checked(StructureDamage(page: reading.number, database: nil, reason: problem.reason))
        } catch let damage as StructureDamage {
            return .checked(damage)
        }
    }
}

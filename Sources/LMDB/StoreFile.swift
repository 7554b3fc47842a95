import CLMDB
@preconcurrency import Glibc

/// Checks of an environment's `data.mdb` that must happen before LMDB maps it: LMDB reads
/// pages through its map without knowing how long the file is, so a truncated file makes it
/// die by SIGBUS instead of reporting an error.
package enum StoreFile {
    /// Reads the two meta pages of `folder/data.mdb` with `pread` and throws a damage error
    /// (`MDB_CORRUPTED`, `isDamage`) when LMDB could not use the file safely: a meta page that
    /// is not valid (LMDB needs both), a file shorter than two pages, or a file shorter than
    /// the pages its newest meta page says are in use. Returns without error when there is no
    /// `data.mdb` (the caller decides what "no ledger" means).
    ///
    /// A file may legitimately end before its last page when the missing pages are all free
    /// (LMDB does not write pages it allocated and freed again in one transaction), so for a
    /// short file the free list is read too.
    package static func checkBeforeMapping(folder: String) throws(LMDBError) {
        var previous: UInt64?
        // A writer in another process may commit while the file is read: when the newest meta
        // changed meanwhile, look again.
        for _ in 0 ..< 4 {
            guard let file = try DataFile(folder: folder) else { return }
            let meta = try newestMeta(of: file)
            guard let missing = try missingPagesNotFree(in: file, meta: meta) else { return }
            if previous == meta.transaction {
                throw damage("data.mdb is \(file.size) bytes, shorter than the \(missing.expected) bytes its meta page says: the file was truncated (\(missing.reason))")
            }
            previous = meta.transaction
        }
        throw LMDBError(code: EAGAIN, operation: "check \(folder)/data.mdb: writers kept committing while it was read")
    }

    /// The valid meta page with the larger transaction id, as `mdb_env_pick_meta` chooses.
    private static func newestMeta(of file: DataFile) throws(LMDBError) -> MetaPage {
        guard file.size > 0 else {
            throw damage("data.mdb is empty (0 bytes): it was truncated, or its creation never finished")
        }
        let (first, second) = MetaPage.readBoth(of: file)
        switch (first.result, second.result) {
        case let (.success(zero), .success(one)):
            let meta = zero.transaction >= one.transaction ? zero : one
            guard file.size >= 2 * meta.pageSize else {
                throw damage("data.mdb is \(file.size) bytes, shorter than its two \(meta.pageSize)-byte meta pages: the file was truncated")
            }
            return meta
        case let (.failure(zero), .failure(one)):
            throw damage("data.mdb has no valid meta page: in page 0 \(zero.reason); in page 1 \(one.reason)")
        case let (.failure(problem), .success), let (.success, .failure(problem)):
            // LMDB refuses a file with one bad meta page (mdb_env_read_header): say why.
            let number = first.meta == nil ? 0 : 1
            throw damage("meta page \(number) of data.mdb is damaged: \(problem.reason)")
        }
    }

    /// Nil when every page up to the meta's last page lies in the file or is listed as free;
    /// otherwise the size the file should have and why the shortfall is damage.
    private static func missingPagesNotFree(in file: DataFile, meta: MetaPage) throws(LMDBError) -> (expected: String, reason: String)? {
        let (pages, overflowed) = meta.lastPage.addingReportingOverflow(1)
        let (expected, tooLarge) = pages.multipliedReportingOverflow(by: UInt64(meta.pageSize))
        if !overflowed, !tooLarge, expected <= UInt64(file.size) { return nil }
        let expectedText = overflowed || tooLarge ? "more than 2^64" : String(expected)
        do {
            let walker = try StructureWalker(file: file, meta: meta)
            try walker.checkFreeDatabase()
            let missing = walker.lastPage + 1 - walker.filePages
            if walker.freePagesBeyondEnd == missing { return nil }
            return (expectedText, "only \(walker.freePagesBeyondEnd) of the \(missing) missing pages are free")
        } catch {
            return (expectedText, "its free list cannot be read: \(error)")
        }
    }

    private static func damage(_ sentence: String) -> LMDBError {
        LMDBError(code: MDB_CORRUPTED, operation: sentence)
    }
}

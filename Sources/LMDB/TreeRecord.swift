/// One stored `MDB_db`: the root and statistics of a B+tree (the free-page database, the main
/// database, a named database, or the sub-database holding one key's duplicates).
struct TreeRecord {
    /// `md_pad`: the page size in the free database's record, the value size of a DUPFIXED
    /// sub-database.
    let pad: UInt32
    let flags: UInt16
    let depth: Int
    let branchPages: UInt64
    let leafPages: UInt64
    let overflowPages: UInt64
    let entries: UInt64
    /// `md_root`, `PageLayout.invalidPage` for an empty tree.
    let root: UInt64

    /// Reads the record stored at `offset` of `page`, which must hold its 48 bytes.
    init(in page: PageView, at offset: Int) {
        pad = page.uint32(at: offset)
        flags = page.uint16(at: offset + 4)
        depth = Int(page.uint16(at: offset + 6))
        branchPages = page.uint64(at: offset + 8)
        leafPages = page.uint64(at: offset + 16)
        overflowPages = page.uint64(at: offset + 24)
        entries = page.uint64(at: offset + 32)
        root = page.uint64(at: offset + 40)
    }

    var isEmpty: Bool { root == PageLayout.invalidPage }
}

/// The on-disk layout of LMDB 0.9.24 pages on a 64-bit little-endian host (`mdb.c`:
/// `MDB_page`, `MDB_node`, `MDB_db`, `MDB_meta`). LMDB writes its structures in host order.
enum PageLayout {
    /// `PAGEHDRSZ`: `mp_pgno` (8 bytes), `mp_pad` (2), `mp_flags` (2), `mp_lower`/`mp_upper`
    /// (2 + 2, or together the 4-byte `mp_pages` of an overflow page).
    static let headerSize = 16
    /// `NODESIZE`: `mn_lo`, `mn_hi`, `mn_flags`, `mn_ksize`, 2 bytes each.
    static let nodeHeaderSize = 8
    /// `sizeof(MDB_db)`.
    static let treeRecordSize = 48
    /// `sizeof(MDB_meta)`, which starts right after the page header of pages 0 and 1.
    static let metaSize = 136
    /// `P_INVALID`: the root of an empty tree.
    static let invalidPage = UInt64.max
    /// The deepest tree LMDB's cursors can walk (`CURSOR_STACK`).
    static let maximumDepth = 32
    /// `MDB_MAGIC` and `MDB_DATA_VERSION`.
    static let magic: UInt32 = 0xBEEF_C0DE
    static let dataVersion: UInt32 = 1

    // Page flags (`P_*`).
    static let branch: UInt16 = 0x01
    static let leaf: UInt16 = 0x02
    static let overflow: UInt16 = 0x04
    static let meta: UInt16 = 0x08
    /// `P_DIRTY` and `P_KEEP` are in-memory marks; LMDB clears them before writing but keeps
    /// `P_DIRTY` in sub-pages, so they are ignored when checking a page's kind.
    static let inMemoryMarks: UInt16 = 0x10 | 0x8000
    static let leaf2: UInt16 = 0x20
    static let subPage: UInt16 = 0x40

    // Leaf node flags (`F_*`).
    static let bigData: UInt16 = 0x01
    static let subData: UInt16 = 0x02
    static let duplicateData: UInt16 = 0x04

    // Database flags (`MDB_db.md_flags`), as `mdb_dbi_open` stores them.
    static let reverseKey: UInt16 = 0x02
    static let duplicateSort: UInt16 = 0x04
    static let integerKey: UInt16 = 0x08
    static let duplicateFixed: UInt16 = 0x10
    static let integerDuplicate: UInt16 = 0x20
    static let reverseDuplicate: UInt16 = 0x40
    static let databaseFlags: UInt16 = 0x7E

    /// `OVPAGES`: the pages an overflow run needs for `size` bytes of data.
    static func overflowPages(for size: Int, pageSize: Int) -> Int {
        (headerSize - 1 + size) / pageSize + 1
    }
}

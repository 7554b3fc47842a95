/// Checks the structure of one LMDB snapshot, reading `data.mdb` with `pread`.
///
/// LMDB trusts its pages: it follows page numbers, node offsets and sizes as stored, so on a
/// damaged file (flipped bytes, a truncated file, a zeroed page) it dies by SIGSEGV or
/// SIGBUS, or aborts on an assertion. This walker checks every page before following it,
/// like libmdbx's `mdbx_chk`, and reports the first damage found:
/// - every tree (the main database, each named database found in it, each key's duplicates
///   sub-database, and the free database) has a root within pages 2 … last page, a depth of
///   at most 32 with every leaf at the recorded depth, and counts of entries and of branch,
///   leaf and overflow pages equal to those its `MDB_db` record gives;
/// - every page is reached once (no cycle, no page shared between trees or both free and in
///   use), lies within the file, carries its own number and the type its place requires;
/// - every page's free-space bounds and node offsets lie inside the page, and every key and
///   inline value fits in it; keys (and duplicate values) ascend strictly in the tree's order,
///   also across pages (each page's keys lie within the bounds its parent gives it);
/// - overflow runs, duplicates sub-pages and sub-database records are well formed;
/// - the free lists name pages within the file's range, in descending order, none in use.
/// Every loop is bounded by the page size or the page count, so damage cannot make it hang.
final class StructureWalker {
    let file: DataFile
    let meta: MetaPage
    let pageSize: Int
    let lastPage: Int
    /// Whole pages in the file, which may end before `lastPage` when its last pages are free.
    let filePages: Int
    /// Free pages that lie beyond the end of the file.
    var freePagesBeyondEnd = 0

    var visited: PageSet
    let buffers: PageBuffers
    /// The database being walked, for reports.
    var database: String?
    /// Where in the database the walk is (a key's duplicates), prefixed to reasons.
    var context = ""
    /// Named databases found in the main database, walked after it.
    var namedDatabases: [(name: String, record: TreeRecord, page: Int)] = []

    init(file: DataFile, meta: MetaPage) throws(StructureDamage) {
        self.file = file
        self.meta = meta
        pageSize = meta.pageSize
        filePages = file.size / meta.pageSize
        // A file may end before its last page only where the free lists name the missing pages,
        // at 8 bytes each within the file: this bound also keeps the page set in proportion.
        let limit = UInt64(filePages) + UInt64(file.size / 8)
        guard meta.lastPage <= limit, filePages >= 2 else {
            throw StructureDamage(page: meta.number, database: nil, reason:
                "the meta page says the last page is \(meta.lastPage), but data.mdb holds only \(filePages) pages")
        }
        lastPage = Int(meta.lastPage)
        visited = PageSet(lastPage: lastPage)
        _ = visited.insert(0)
        _ = visited.insert(1)
        buffers = PageBuffers(pageSize: pageSize)
    }

    /// Walks the main database, every named database, then the free database.
    func checkAll() throws(StructureDamage) {
        database = StructureDamage.mainDatabase
        try checkDatabaseFlags(meta.main.flags, recordPage: meta.number)
        try walkTree(meta.main, kind: .database(flags: meta.main.flags, holdsDatabases: true), slotBase: 0, recordPage: meta.number)
        let named = namedDatabases
        namedDatabases = []
        for (name, record, page) in named {
            database = name
            try checkDatabaseFlags(record.flags, recordPage: page)
            try walkTree(record, kind: .database(flags: record.flags, holdsDatabases: false), slotBase: 0, recordPage: page)
        }
        try checkFreeDatabase()
    }

    /// Walks the free database alone, counting free pages beyond the end of the file.
    func checkFreeDatabase() throws(StructureDamage) {
        database = StructureDamage.freeDatabase
        try walkTree(meta.free, kind: .freeDatabase, slotBase: 0, recordPage: meta.number)
    }

    func damage(_ page: Int?, _ reason: String) -> StructureDamage {
        StructureDamage(page: page, database: database, reason: context + reason)
    }

    private func checkDatabaseFlags(_ flags: UInt16, recordPage: Int) throws(StructureDamage) {
        guard flags & ~PageLayout.databaseFlags == 0 else {
            throw damage(recordPage, "the database's record has flags 0x\(hex(flags)), with bits LMDB does not define")
        }
    }

    // MARK: Trees

    /// Walks the tree `record` describes; `slotBase` picks the buffers of its levels and
    /// `recordPage` is where the record is stored, for reports.
    func walkTree(_ record: TreeRecord, kind: TreeKind, slotBase: Int, recordPage: Int) throws(StructureDamage) {
        if record.isEmpty {
            let pages = record.branchPages | record.leafPages | record.overflowPages
            guard record.depth == 0, record.entries == 0, pages == 0 else {
                throw damage(recordPage, "the record of an empty tree gives depth \(record.depth) and \(record.entries) entries")
            }
            return
        }
        guard record.root >= 2, record.root <= UInt64(lastPage) else {
            throw damage(recordPage, "the tree's root page \(record.root) lies outside pages 2…\(lastPage)")
        }
        guard record.depth >= 1, record.depth <= PageLayout.maximumDepth else {
            throw damage(recordPage, "the tree's depth \(record.depth) is outside 1…\(PageLayout.maximumDepth)")
        }
        let root = Int(record.root)
        var tally = TreeTally()
        try walk(page: root, level: 1, depth: record.depth, kind: kind, slotBase: slotBase, lower: nil, upper: nil, tally: &tally)
        try compare(tally, with: record, root: root)
    }

    private func compare(_ tally: TreeTally, with record: TreeRecord, root: Int) throws(StructureDamage) {
        let counts: [(String, UInt64, UInt64)] = [
            ("entries", record.entries, tally.entries),
            ("branch pages", record.branchPages, tally.branchPages),
            ("leaf pages", record.leafPages, tally.leafPages),
            ("overflow pages", record.overflowPages, tally.overflowPages),
        ]
        for (what, recorded, found) in counts where recorded != found {
            throw damage(root, "the tree's record counts \(recorded) \(what), but the tree has \(found)")
        }
    }

    /// Walks page `number` at `level` (the root is level 1) and everything below it. Its keys
    /// must lie in `lower ..< upper` (nil: unbounded), the range its parent gives it.
    private func walk(
        page number: Int, level: Int, depth: Int, kind: TreeKind, slotBase: Int,
        lower: UnsafeRawBufferPointer?, upper: UnsafeRawBufferPointer?, tally: inout TreeTally
    ) throws(StructureDamage) {
        let page = try read(page: number, slot: slotBase + level - 1)
        let flags = page.flags & ~PageLayout.inMemoryMarks
        let bounds = KeyBounds(lower: lower, upper: upper, order: kind.keyOrder)
        if level < depth {
            guard flags == PageLayout.branch else {
                throw damage(number, "it is \(describe(flags)) at level \(level) of a tree of depth \(depth), where a branch page belongs")
            }
            let count = try checkFrame(page, number: number)
            tally.branchPages += 1
            var previous: UnsafeRawBufferPointer?
            for index in 0 ..< count {
                let node = try node(index, of: page, number: number)
                let child = node.child
                guard child >= 2, child <= UInt64(lastPage) else {
                    let place = child < 2 ? "a meta page" : "beyond the last page \(lastPage)"
                    throw damage(number, "branch node \(index) points at page \(child), \(place)")
                }
                // LMDB never compares the key of branch node 0: the parent's bound stands for it.
                guard index > 0 else { continue }
                let key = page.slice(at: node.keyOffset, count: node.keySize)
                try check(key, "the key of node \(index)", after: previous, bounds: bounds,
                          isFirst: index == 1, isLast: index == count - 1, page: number)
                previous = key
            }
            for index in 0 ..< count {
                let node = try node(index, of: page, number: number)
                let childLower = index == 0 ? lower : page.slice(at: node.keyOffset, count: node.keySize)
                var childUpper = upper
                if index < count - 1 {
                    let next = try self.node(index + 1, of: page, number: number)
                    childUpper = page.slice(at: next.keyOffset, count: next.keySize)
                }
                try walk(page: Int(node.child), level: level + 1, depth: depth, kind: kind, slotBase: slotBase,
                         lower: childLower, upper: childUpper, tally: &tally)
            }
        } else {
            let expected = kind.fixedKeySize == nil ? PageLayout.leaf : PageLayout.leaf | PageLayout.leaf2
            guard flags == expected else {
                throw damage(number, "it is \(describe(flags)) at level \(level), the leaf level of its tree, where \(describe(expected)) belongs")
            }
            let count = try checkFrame(page, number: number)
            tally.leafPages += 1
            if let keySize = kind.fixedKeySize {
                try checkFixedSize(page, count: count, keySize: keySize, bounds: bounds, number: number)
                tally.entries += UInt64(count)
                return
            }
            var previous: UnsafeRawBufferPointer?
            for index in 0 ..< count {
                let node = try node(index, of: page, number: number)
                let key = page.slice(at: node.keyOffset, count: node.keySize)
                try check(key, "the key of node \(index)", after: previous, bounds: bounds,
                          isFirst: index == 0, isLast: index == count - 1, page: number)
                tally.entries += try checkValue(of: node, index: index, key: key, in: page, number: number, kind: kind, tally: &tally)
                previous = key
            }
        }
    }

    // MARK: Pages

    /// Reads page `number` (within 2 … last page) into the buffer of `slot`, marking it visited
    /// and checking that it lies in the file and carries its own number.
    func read(page number: Int, slot: Int) throws(StructureDamage) -> PageView {
        precondition(number >= 2 && number <= lastPage, "page number not checked")
        guard visited.insert(number) else {
            throw damage(number, "the page is reached a second time (a cycle, a page shared by two trees, or a page both free and in use)")
        }
        guard number < filePages else {
            throw damage(number, "the page lies beyond the end of data.mdb, which holds only \(filePages) pages: the file was truncated")
        }
        let buffer = buffers[slot]
        guard file.readFully(into: buffer, at: number * pageSize) else {
            throw damage(number, "the page cannot be read from data.mdb")
        }
        // Safety: the buffer is this slot's, untouched until the walk leaves this level.
        let page = PageView(bytes: UnsafeRawBufferPointer(buffer))
        guard page.number == UInt64(number) else {
            throw damage(number, "the page's header says it is page \(page.number) (a misplaced, overwritten or zeroed page)")
        }
        return page
    }

    /// Checks `mp_lower`/`mp_upper` of a page or sub-page and returns its number of entries,
    /// at least one (LMDB frees pages that become empty).
    func checkFrame(_ page: PageView, number: Int) throws(StructureDamage) -> Int {
        let lower = page.lower
        let upper = page.upper
        guard lower >= PageLayout.headerSize, lower <= upper, upper <= page.size, (lower - PageLayout.headerSize) % 2 == 0 else {
            throw damage(number, "its free-space bounds are wrong (lower \(lower), upper \(upper), in \(page.size) bytes)")
        }
        guard page.keyCount > 0 else { throw damage(number, "it holds no entries") }
        return page.keyCount
    }

    /// Node `index` of a page whose frame is checked: its offset lies in the node area and its
    /// key fits in the page.
    func node(_ index: Int, of page: PageView, number: Int) throws(StructureDamage) -> PageNode {
        let offset = page.nodeOffset(index)
        guard offset >= page.upper, offset <= page.size - PageLayout.nodeHeaderSize else {
            throw damage(number, "node \(index) starts at byte \(offset), outside the node area (bytes \(page.upper)…\(page.size - PageLayout.nodeHeaderSize))")
        }
        let node = PageNode(page: page, offset: offset)
        guard node.keyOffset + node.keySize <= page.size else {
            throw damage(number, "the \(node.keySize)-byte key of node \(index) runs past the end of the page")
        }
        return node
    }

    /// Checks the packed values of a LEAF2 page or sub-page.
    func checkFixedSize(_ page: PageView, count: Int, keySize: Int, bounds: KeyBounds, number: Int) throws(StructureDamage) {
        guard keySize > 0, PageLayout.headerSize + count * keySize <= page.size else {
            throw damage(number, "its \(count) values of \(keySize) bytes do not fit in \(page.size) bytes")
        }
        var previous: UnsafeRawBufferPointer?
        for index in 0 ..< count {
            let value = page.slice(at: PageLayout.headerSize + index * keySize, count: keySize)
            try check(value, "value \(index)", after: previous, bounds: bounds, isFirst: index == 0, isLast: index == count - 1, page: number)
            previous = value
        }
    }

    // MARK: Key order

    /// Checks that `key` sorts after `previous` and, when it is the first or last of its page,
    /// within the page's bounds.
    func check(
        _ key: UnsafeRawBufferPointer, _ what: @autoclosure () -> String, after previous: UnsafeRawBufferPointer?,
        bounds: KeyBounds, isFirst: Bool, isLast: Bool, page number: Int
    ) throws(StructureDamage) {
        if let previous {
            guard let order = bounds.order.compare(previous, key) else {
                throw damage(number, "\(what()) (\(show(key))) and the one before it are not integers of one size")
            }
            guard order < 0 else {
                throw damage(number, "\(what()) (\(show(key))) does not sort after the one before it (\(show(previous)))")
            }
        }
        if isFirst, let lower = bounds.lower {
            guard let order = bounds.order.compare(lower, key), order <= 0 else {
                throw damage(number, "\(what()) (\(show(key))) sorts before the key the parent page gives this page (\(show(lower)))")
            }
        }
        if isLast, let upper = bounds.upper {
            guard let order = bounds.order.compare(key, upper), order < 0 else {
                throw damage(number, "\(what()) (\(show(key))) does not sort before the parent page's next key (\(show(upper)))")
            }
        }
    }

    // MARK: Messages

    func describe(_ flags: UInt16) -> String {
        switch flags {
        case PageLayout.branch: "a branch page"
        case PageLayout.leaf: "a leaf page"
        case PageLayout.leaf | PageLayout.leaf2: "a LEAF2 leaf page"
        case PageLayout.leaf | PageLayout.subPage: "a sub-page"
        case PageLayout.leaf | PageLayout.leaf2 | PageLayout.subPage: "a LEAF2 sub-page"
        case PageLayout.overflow: "an overflow page"
        case PageLayout.meta: "a meta page"
        default: "a page with flags 0x\(hex(flags))"
        }
    }

    /// A key for a message: quoted when it is printable ASCII, else its first bytes in hex.
    func show(_ key: UnsafeRawBufferPointer) -> String {
        if !key.isEmpty, key.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            return "\"" + String(decoding: key.prefix(40), as: UTF8.self) + (key.count > 40 ? "…\"" : "\"")
        }
        let digits = key.prefix(16).map { byte in (byte < 16 ? "0" : "") + String(byte, radix: 16) }.joined()
        return key.isEmpty ? "empty" : "0x" + digits + (key.count > 16 ? "…" : "")
    }

    func hex<Value: BinaryInteger>(_ value: Value) -> String {
        String(value, radix: 16, uppercase: true)
    }
}

/// The range of keys a page may hold, given by its parent, and the order they are compared in.
struct KeyBounds {
    let lower: UnsafeRawBufferPointer?
    let upper: UnsafeRawBufferPointer?
    let order: KeyComparison
}

/// One `MDB_node` of a page whose offset has been checked.
struct PageNode {
    let offset: Int
    /// `mn_lo | mn_hi << 16`: a leaf node's data size.
    let dataSize: Int
    let flags: UInt16
    let keySize: Int

    init(page: PageView, offset: Int) {
        self.offset = offset
        dataSize = Int(page.uint16(at: offset)) | Int(page.uint16(at: offset + 2)) << 16
        flags = page.uint16(at: offset + 4)
        keySize = Int(page.uint16(at: offset + 6))
    }

    var keyOffset: Int { offset + PageLayout.nodeHeaderSize }
    var dataOffset: Int { keyOffset + keySize }
    /// A branch node's child page: `mn_lo`, `mn_hi` and, on 64-bit hosts, `mn_flags`.
    var child: UInt64 { UInt64(dataSize) | UInt64(flags) << 32 }
}

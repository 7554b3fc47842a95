/// The data of leaf nodes: inline values, overflow runs, named databases' records, a key's
/// duplicates (in a sub-page or a sub-database), and the free database's page lists.
extension StructureWalker {
    /// Checks the data of leaf node `index` and returns how many entries it holds.
    func checkValue(
        of node: PageNode, index: Int, key: UnsafeRawBufferPointer, in page: PageView, number: Int,
        kind: TreeKind, tally: inout TreeTally
    ) throws(StructureDamage) -> UInt64 {
        if kind.values == .duplicates {
            guard node.flags == 0, node.dataSize == 0 else {
                throw damage(number, "node \(index) holds data (flags 0x\(hex(node.flags)), \(node.dataSize) bytes), which a duplicate value never has")
            }
            return 1
        }
        switch node.flags {
        case 0:
            guard node.dataOffset + node.dataSize <= page.size else {
                throw damage(number, "the \(node.dataSize)-byte data of node \(index) runs past the end of the page")
            }
            if kind.values == .freeLists {
                try checkFreeList(key: key, node: node, index: index, in: page, number: number, overflowPage: nil)
            }
            return 1
        case PageLayout.bigData:
            guard kind.duplicates == nil else {
                throw damage(number, "node \(index) keeps its data on overflow pages, which a database with sorted duplicates never does")
            }
            let first = try checkOverflow(of: node, index: index, in: page, number: number, tally: &tally)
            if kind.values == .freeLists {
                try checkFreeList(key: key, node: node, index: index, in: page, number: number, overflowPage: first)
            }
            return 1
        case PageLayout.subData:
            guard kind.values == .recordsAndDatabases else {
                throw damage(number, "node \(index) is marked as a named database's record outside the main database")
            }
            let record = try treeRecord(of: node, index: index, in: page, number: number)
            namedDatabases.append((name: String(decoding: key, as: UTF8.self), record: record, page: number))
            return 1
        case PageLayout.duplicateData:
            guard let duplicates = kind.duplicates else {
                throw damage(number, "node \(index) is marked as holding duplicates in a database without sorted duplicates")
            }
            return UInt64(try checkSubPage(of: node, index: index, key: key, in: page, number: number, duplicates: duplicates))
        case PageLayout.duplicateData | PageLayout.subData:
            guard let duplicates = kind.duplicates else {
                throw damage(number, "node \(index) is marked as holding duplicates in a database without sorted duplicates")
            }
            return try walkDuplicates(of: node, index: index, key: key, in: page, number: number, duplicates: duplicates)
        default:
            throw damage(number, "node \(index) has flags 0x\(hex(node.flags)), which LMDB does not define")
        }
    }

    /// The 48-byte `MDB_db` record that is the data of node `index`.
    private func treeRecord(of node: PageNode, index: Int, in page: PageView, number: Int) throws(StructureDamage) -> TreeRecord {
        guard node.dataSize == PageLayout.treeRecordSize, node.dataOffset + node.dataSize <= page.size else {
            throw damage(number, "node \(index) holds a database record of \(node.dataSize) bytes, not \(PageLayout.treeRecordSize) (or one running past the end of the page)")
        }
        return TreeRecord(in: page, at: node.dataOffset)
    }

    // MARK: Overflow pages

    /// Checks the overflow run that holds the data of node `index` and returns its first page.
    private func checkOverflow(
        of node: PageNode, index: Int, in page: PageView, number: Int, tally: inout TreeTally
    ) throws(StructureDamage) -> Int {
        guard node.dataOffset + 8 <= page.size else {
            throw damage(number, "the overflow page number of node \(index) runs past the end of the page")
        }
        let first = page.uint64(at: node.dataOffset)
        guard first >= 2, first <= UInt64(lastPage) else {
            throw damage(number, "node \(index) points at overflow page \(first), outside pages 2…\(lastPage)")
        }
        let start = Int(first)
        let header = try read(page: start, slot: PageBuffers.scratch)
        let flags = header.flags & ~PageLayout.inMemoryMarks
        guard flags == PageLayout.overflow else {
            throw damage(start, "it is \(describe(flags)) where node \(index) of page \(number) needs an overflow page")
        }
        let pages = header.overflowCount
        guard pages >= 1, pages <= lastPage - start + 1 else {
            throw damage(start, "its run of \(pages) overflow pages does not fit within pages \(start)…\(lastPage)")
        }
        guard pages >= PageLayout.overflowPages(for: node.dataSize, pageSize: pageSize) else {
            throw damage(start, "its run of \(pages) overflow pages is too short for the \(node.dataSize) bytes of node \(index) of page \(number)")
        }
        guard start + pages <= filePages else {
            throw damage(start, "its run of \(pages) overflow pages ends beyond the end of data.mdb (\(filePages) pages): the file was truncated")
        }
        for other in start + 1 ..< start + pages where !visited.insert(other) {
            throw damage(other, "page \(other - start) of the overflow run starting at page \(start) is reached a second time")
        }
        tally.overflowPages += UInt64(pages)
        return start
    }

    // MARK: Duplicates

    /// Checks the duplicates sub-page that is the data of node `index`; returns its value count.
    private func checkSubPage(
        of node: PageNode, index: Int, key: UnsafeRawBufferPointer, in page: PageView, number: Int,
        duplicates: TreeKind.Duplicates
    ) throws(StructureDamage) -> Int {
        let size = node.dataSize
        guard node.dataOffset + size <= page.size else {
            throw damage(number, "the \(size)-byte duplicates sub-page of node \(index) runs past the end of the page")
        }
        guard size >= PageLayout.headerSize else {
            throw damage(number, "node \(index) holds a \(size)-byte duplicates sub-page, shorter than a page header")
        }
        let sub = page.subPage(at: node.dataOffset, count: size)
        let saved = context
        context += "in the duplicates sub-page of node \(index) (key \(show(key))): "
        defer { context = saved }
        let flags = sub.flags & ~PageLayout.inMemoryMarks
        let expected = PageLayout.leaf | PageLayout.subPage | (duplicates.areFixedSize ? PageLayout.leaf2 : 0)
        guard flags == expected else {
            throw damage(number, "it is \(describe(flags)) where \(describe(expected)) belongs")
        }
        let count = try checkFrame(sub, number: number)
        let bounds = KeyBounds(lower: nil, upper: nil, order: duplicates.order)
        if duplicates.areFixedSize {
            try checkFixedSize(sub, count: count, keySize: sub.pad, bounds: bounds, number: number)
            return count
        }
        var previous: UnsafeRawBufferPointer?
        for valueIndex in 0 ..< count {
            let value = try self.node(valueIndex, of: sub, number: number)
            guard value.flags == 0, value.dataSize == 0 else {
                throw damage(number, "node \(valueIndex) holds data, which a duplicate value never has")
            }
            let bytes = sub.slice(at: value.keyOffset, count: value.keySize)
            try check(bytes, "value \(valueIndex)", after: previous, bounds: bounds,
                      isFirst: false, isLast: false, page: number)
            previous = bytes
        }
        return count
    }

    /// Walks the duplicates sub-database whose record is the data of node `index`; returns
    /// its value count.
    private func walkDuplicates(
        of node: PageNode, index: Int, key: UnsafeRawBufferPointer, in page: PageView, number: Int,
        duplicates: TreeKind.Duplicates
    ) throws(StructureDamage) -> UInt64 {
        let record = try treeRecord(of: node, index: index, in: page, number: number)
        let saved = context
        context += "in the duplicates of node \(index) (key \(show(key))): "
        defer { context = saved }
        let expectedFlags = duplicates.areFixedSize ? PageLayout.duplicateFixed : 0
        guard record.flags & ~PageLayout.integerKey == expectedFlags else {
            throw damage(number, "the sub-database's record has flags 0x\(hex(record.flags)), not 0x\(hex(expectedFlags))")
        }
        guard !record.isEmpty, record.entries > 0 else {
            throw damage(number, "the sub-database's record is empty, but a key's duplicates never are")
        }
        var keySize: Int?
        if duplicates.areFixedSize {
            guard record.pad > 0, Int(record.pad) <= pageSize - PageLayout.headerSize else {
                throw damage(number, "the sub-database's record gives a value size of \(record.pad) bytes")
            }
            keySize = Int(record.pad)
        }
        // Sub-trees use the second half of the buffers; they never nest (their leaves hold no data).
        try walkTree(record, kind: .duplicates(duplicates, fixedKeySize: keySize), slotBase: PageLayout.maximumDepth, recordPage: number)
        return record.entries
    }

    // MARK: Free lists

    /// Checks one free list (`MDB_IDL`: a count, then that many page numbers) held inline in
    /// node `index` or, when `overflowPage` is given, on the overflow run starting there.
    private func checkFreeList(
        key: UnsafeRawBufferPointer, node: PageNode, index: Int, in page: PageView, number: Int, overflowPage: Int?
    ) throws(StructureDamage) {
        guard key.count == 8 else {
            throw damage(number, "the key of node \(index) is \(key.count) bytes, not an 8-byte transaction id")
        }
        // Safety: the key holds 8 bytes (checked above).
        let transaction = key.loadUnaligned(as: UInt64.self)
        guard transaction <= meta.transaction else {
            throw damage(number, "node \(index) lists pages freed by transaction \(transaction), after this snapshot's transaction \(meta.transaction)")
        }
        let size = node.dataSize
        let list = "the free list of transaction \(transaction) (node \(index))"
        guard size >= 8 else { throw damage(number, "\(list) is \(size) bytes, too short for its count") }
        var previous: UInt64?
        guard let overflowPage else {
            let count = page.uint64(at: node.dataOffset)
            guard count <= UInt64(size / 8 - 1) else {
                throw damage(number, "\(list) counts \(count) pages, more than its \(size) bytes hold")
            }
            for entry in 0 ..< Int(count) {
                try markFree(page.uint64(at: node.dataOffset + 8 * (entry + 1)), after: &previous, list: list, number: number)
            }
            return
        }
        // The list starts after the run's page header and continues over the run's pages.
        let start = overflowPage * pageSize + PageLayout.headerSize
        let scratch = buffers[PageBuffers.scratch]
        // Safety: the scratch buffer holds a page, at least 512 bytes; slices stay inside it.
        let countBytes = UnsafeMutableRawBufferPointer(rebasing: scratch[0 ..< 8])
        guard file.readFully(into: countBytes, at: start) else {
            throw damage(overflowPage, "\(list) cannot be read from data.mdb")
        }
        // Safety: `countBytes` holds the 8 bytes just read.
        let count = UnsafeRawBufferPointer(countBytes).loadUnaligned(as: UInt64.self)
        guard count <= UInt64(size / 8 - 1) else {
            throw damage(number, "\(list) counts \(count) pages, more than its \(size) bytes hold")
        }
        var done = 0
        let total = Int(count) * 8
        while done < total {
            // Safety: the chunk is a prefix of the page-sized scratch buffer.
            let chunk = UnsafeMutableRawBufferPointer(rebasing: scratch[0 ..< min(pageSize, total - done)])
            guard file.readFully(into: chunk, at: start + 8 + done) else {
                throw damage(overflowPage, "\(list) cannot be read from data.mdb")
            }
            let words = PageView(bytes: UnsafeRawBufferPointer(chunk))
            for offset in stride(from: 0, to: chunk.count, by: 8) {
                try markFree(words.uint64(at: offset), after: &previous, list: list, number: number)
            }
            done += chunk.count
        }
    }

    /// Records `free` as a free page: within the file's range, below the list's previous page
    /// (LMDB keeps lists in descending order), and neither in use nor listed before.
    private func markFree(_ free: UInt64, after previous: inout UInt64?, list: String, number: Int) throws(StructureDamage) {
        guard free >= 2, free <= UInt64(lastPage) else {
            throw damage(number, "\(list) names page \(free), outside pages 2…\(lastPage)")
        }
        if let previous, free >= previous {
            throw damage(number, "\(list) is not in descending order (page \(free) after page \(previous))")
        }
        previous = free
        guard visited.insert(Int(free)) else {
            throw damage(number, "\(list) names page \(free), which is in use (or listed as free twice)")
        }
        if Int(free) >= filePages { freePagesBeyondEnd += 1 }
    }
}

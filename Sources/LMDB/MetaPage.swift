/// One of the two meta pages (pages 0 and 1), where every LMDB snapshot starts: the page size,
/// the last page in use, the committing transaction and the roots of the free and main trees.
struct MetaPage {
    /// 0 or 1.
    let number: Int
    /// `mm_psize` (`mm_dbs[FREE_DBI].md_pad`).
    let pageSize: Int
    /// `mm_last_pg`.
    let lastPage: UInt64
    /// `mm_txnid`.
    let transaction: UInt64
    let free: TreeRecord
    let main: TreeRecord

    /// What is read of a meta page: the header and `MDB_meta`.
    static let storedSize = PageLayout.headerSize + PageLayout.metaSize

    /// The page sizes LMDB could have written.
    static let pageSizes = (9 ... 16).map { 1 << $0 }

    /// A meta page as read: its transaction id (whatever the rest holds), and the meta itself
    /// or why it is not valid.
    struct Reading {
        let number: Int
        let transaction: UInt64?
        let result: Result<MetaPage, MetaProblem>

        var meta: MetaPage? { try? result.get() }
    }

    /// Why a meta page is not valid, as a sentence fragment.
    struct MetaProblem: Error {
        let reason: String
    }

    /// Reads meta page `number` of a file whose pages are `pageSize` bytes.
    static func read(_ number: Int, of file: DataFile, pageSize: Int) -> Reading {
        var bytes = [UInt8](repeating: 0, count: storedSize)
        // Safety: the buffer is the array's own storage, used only inside the closures.
        let complete = bytes.withUnsafeMutableBytes { buffer in
            file.readFully(into: buffer, at: number * pageSize)
        }
        guard complete else {
            return Reading(number: number, transaction: nil, result: .failure(MetaProblem(
                reason: "it lies beyond the end of the file (\(file.size) bytes)")))
        }
        return bytes.withUnsafeBytes { buffer in
            let page = PageView(bytes: buffer)
            let transaction = page.uint64(at: PageLayout.headerSize + 128)
            return Reading(number: number, transaction: transaction, result: parse(page, number: number))
        }
    }

    /// Reads both meta pages. The second one's place depends on the page size, which the first
    /// one records; when the first is damaged every possible page size is tried.
    static func readBoth(of file: DataFile) -> (Reading, Reading) {
        let first = read(0, of: file, pageSize: 0)
        if let meta = first.meta {
            let second = read(1, of: file, pageSize: meta.pageSize)
            if let other = second.meta, other.pageSize != meta.pageSize {
                return (first, Reading(number: 1, transaction: second.transaction, result: .failure(MetaProblem(
                    reason: "its page size \(other.pageSize) differs from the \(meta.pageSize) of page 0"))))
            }
            return (first, second)
        }
        for size in pageSizes {
            let candidate = read(1, of: file, pageSize: size)
            if candidate.meta?.pageSize == size { return (first, candidate) }
        }
        return (first, read(1, of: file, pageSize: 4096))
    }

    /// Checks what `mdb_env_read_header` checks (the `P_META` flag, magic and version), and
    /// that the page size is a power of two LMDB could use.
    private static func parse(_ page: PageView, number: Int) -> Result<MetaPage, MetaProblem> {
        let base = PageLayout.headerSize
        guard page.flags & PageLayout.meta != 0 else {
            return .failure(MetaProblem(reason: "its header flags 0x\(hex(page.flags)) do not mark a meta page"))
        }
        let magic = page.uint32(at: base)
        guard magic == PageLayout.magic else {
            return .failure(MetaProblem(reason: "its magic number is 0x\(hex(magic)), not 0xBEEFC0DE"))
        }
        let version = page.uint32(at: base + 4)
        guard version == PageLayout.dataVersion else {
            return .failure(MetaProblem(reason: "it is format version \(version), not version 1"))
        }
        let free = TreeRecord(in: page, at: base + 24)
        let main = TreeRecord(in: page, at: base + 24 + PageLayout.treeRecordSize)
        let pageSize = Int(free.pad)
        guard pageSizes.contains(pageSize) else {
            return .failure(MetaProblem(reason: "its page size \(pageSize) is not a power of two from 512 to 65536"))
        }
        let lastPage = page.uint64(at: base + 120)
        guard lastPage >= 1 else {
            return .failure(MetaProblem(reason: "its last page \(lastPage) leaves no room for the meta pages"))
        }
        return .success(MetaPage(
            number: number, pageSize: pageSize, lastPage: lastPage,
            transaction: page.uint64(at: base + 128), free: free, main: main))
    }

    private static func hex<Value: BinaryInteger>(_ value: Value) -> String {
        String(value, radix: 16, uppercase: true)
    }
}

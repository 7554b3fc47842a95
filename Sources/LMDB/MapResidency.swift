import CLMDB
import Synchronization
@preconcurrency import Glibc

/// Keeps this process's resident share of the data file's map under a fixed size, whatever
/// the reads and whatever the kernel maps for them.
///
/// Every page a read touches stays in the process's resident set until the map lets go of it,
/// so a scan's memory grew with the log (issue 15). How much one touch maps is the kernel's
/// choice: 64 KiB around it for small page-cache folios, and since Linux 6.18 the whole large
/// folio the page lies in — measured on this machine, 241 touches 8 MiB apart in a 1.9 GB data
/// file mapped 1.27 MiB each, and `MADV_RANDOM` changed nothing. So a fixed number of reads
/// between releases bounded nothing (one `audit` mapped 198 MiB in 10 ms).
///
/// What one fault maps lies in the page table of the touched address, one 2 MiB region of the
/// address space. The wrapper notes the region of each value LMDB lends (its first and last
/// byte, per database, so alternating walks do not count twice); on entering a new region it
/// reads the process's file-backed resident pages (`/proc/self/statm`, a microsecond) and gives
/// the map back once they exceed what they were after the last release by `budgetBytes`. A
/// sequential scan enters a region every 2 MiB of values, a random read at most two.
/// Where statm cannot be read, every `regionsBetweenReleases` regions entered release instead.
package final class MapResidency: Sendable {
    /// log2 of the bytes one page table spans (x86-64, and arm64 with 4 KiB pages).
    static let regionShift = 21
    /// How far the file-backed resident set may grow past its size after the last release.
    /// Small against the process's own ~25 MiB of code, so a command's peak hardly depends on
    /// the log's length; a release costs a `madvise` and the faults that map pages back.
    package static let budgetBytes = 8 << 20
    /// Without statm: regions entered between releases (each maps at most 2 MiB, with LMDB's
    /// branch pages beside them).
    static let regionsBetweenReleases = 4
    /// A transaction's slots for the last region read, one a database handle (modulo): as many
    /// as `Environment.open` allows databases by default. Two handles sharing a slot only make
    /// their alternating reads look like new regions, which costs a statm read each.
    static let regionSlots = 16

    private let start: UInt
    private let end: UInt
    /// `/proc/self/statm`, read with `pread`; -1 when it cannot be opened. One descriptor for
    /// the process, open for its life: one per environment added hundreds to a test process
    /// holding hundreds of stores (Foundation's `Process.run` then crashed in a `memcpy` with
    /// over 1,300 descriptors open).
    private static let statm: Int32 = Glibc.open("/proc/self/statm", O_RDONLY | O_CLOEXEC)
    private let pageBytes: Int
    /// File-backed resident pages after the last release (statm's third field).
    private let baselinePages = Atomic<Int>(0)
    private let entered = Atomic<Int>(0)

    init(map: (address: UInt, bytes: Int)) {
        start = map.address
        end = map.address + UInt(map.bytes)
        pageBytes = max(4_096, sysconf(Int32(_SC_PAGESIZE)))
        baselinePages.store(sharedPages() ?? 0, ordering: .relaxed)
    }

    /// Notes that a read lent `value`; `last` is the region the same database was read in last
    /// (updated). True when the map should be given back now.
    @inline(__always)
    func shouldRelease(after value: MDB_val, last: inout UInt) -> Bool {
        guard let pointer = value.mv_data else { return false }
        let address = UInt(bitPattern: pointer)
        // A value in a write transaction's dirty pages lies on the heap, not in the map.
        guard address >= start, address < end else { return false }
        let first = address >> Self.regionShift
        let final = (address + UInt(max(value.mv_size, 1)) - 1) >> Self.regionShift
        guard first != last || final != first else { return false }
        let regions = Int(final - first) + (first == last ? 0 : 1)
        last = final
        return entered(regions)
    }

    private func entered(_ regions: Int) -> Bool {
        if let over = isOverBudget() { return over }
        let after = entered.wrappingAdd(regions, ordering: .relaxed).newValue
        return after / Self.regionsBetweenReleases != (after - regions) / Self.regionsBetweenReleases
    }

    /// Whether the file-backed resident pages have grown past `budgetBytes` since the last
    /// release; nil without statm. Also what `Environment.copy`'s releaser polls, as LMDB's
    /// own copy loop lends nothing to note.
    func isOverBudget(bytes budget: Int = budgetBytes) -> Bool? {
        guard let shared = sharedPages() else { return nil }
        let baseline = baselinePages.load(ordering: .relaxed)
        // Pages released elsewhere (another environment, the program's own code) lower the
        // count: growth is measured from the lowest point since the last release.
        if shared < baseline { baselinePages.store(shared, ordering: .relaxed) }
        return (shared - baseline) * pageBytes > budget
    }

    /// Called after each release: what stays resident (the program's code, pages another
    /// thread touched since) is the new baseline.
    func released() {
        if let shared = sharedPages() { baselinePages.store(shared, ordering: .relaxed) }
    }

    /// The process's file-backed (and shared-memory) resident pages, from statm; nil without it.
    private func sharedPages() -> Int? {
        let statm = Self.statm
        guard statm >= 0 else { return nil }
        // statm is seven decimal numbers on one line: 128 bytes hold them.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 128) { buffer -> Int? in
            // Safety: pread writes at most buffer.count bytes into the temporary buffer it is given.
            let count = pread(statm, buffer.baseAddress, buffer.count, 0)
            guard count > 0 else { return nil }
            var field = 0
            var value = 0
            for byte in buffer[0 ..< count] {
                if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") {
                    if field == 2 { return value }
                    field += 1
                    value = 0
                } else if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                    value = value &* 10 &+ Int(byte - UInt8(ascii: "0"))
                } else {
                    return nil
                }
            }
            return nil
        }
    }
}

/// A set of page numbers in `0 ... lastPage` as a bitset: one bit per page, so checking a
/// file of N pages takes N / 8 bytes.
struct PageSet {
    private var words: [UInt64]
    let capacity: Int

    init(lastPage: Int) {
        precondition(lastPage >= 0, "a page set needs at least one page")
        capacity = lastPage + 1
        words = Array(repeating: 0, count: (capacity + 63) / 64)
    }

    /// Adds `page`; false when it was already there.
    mutating func insert(_ page: Int) -> Bool {
        precondition(page >= 0 && page < capacity, "page outside the set")
        let mask: UInt64 = 1 << UInt64(page & 63)
        let word = page >> 6
        if words[word] & mask != 0 { return false }
        words[word] |= mask
        return true
    }

    func contains(_ page: Int) -> Bool {
        precondition(page >= 0 && page < capacity, "page outside the set")
        return words[page >> 6] & (1 << UInt64(page & 63)) != 0
    }
}

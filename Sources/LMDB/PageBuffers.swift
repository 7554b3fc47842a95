/// Page-sized buffers reused for the whole walk: one per tree level (a parent page stays
/// intact while its children are read, so keys of ancestors can bound those of descendants)
/// and one scratch buffer for overflow headers and free lists. Allocated on first use.
final class PageBuffers {
    /// Levels of a database's tree, then of a duplicates sub-tree, then the scratch buffer.
    static let slotCount = 2 * PageLayout.maximumDepth + 1
    static let scratch = slotCount - 1

    private let pageSize: Int
    private var slots: [UnsafeMutableRawBufferPointer?]

    init(pageSize: Int) {
        self.pageSize = pageSize
        slots = Array(repeating: nil, count: Self.slotCount)
    }

    deinit {
        // Safety: each buffer was allocated here and no view into it outlives the walker.
        for case let buffer? in slots { buffer.deallocate() }
    }

    /// The buffer of `slot`: level `n` of a database's tree is slot `n - 1`, level `n` of a
    /// duplicates sub-tree slot `maximumDepth + n - 1`.
    subscript(slot: Int) -> UnsafeMutableRawBufferPointer {
        precondition(slot >= 0 && slot < Self.slotCount, "no such buffer")
        if let buffer = slots[slot] { return buffer }
        // Safety: freed in deinit only; views into it never outlive the walker that owns this.
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: pageSize, alignment: 8)
        slots[slot] = buffer
        return buffer
    }
}

/// A view of one page, or of a sub-page inside a leaf node, read into a buffer of this
/// process. Every accessor checks its range: the checker tests stored offsets before using
/// them, so a failed `precondition` here is a bug in the checker, never damaged data.
struct PageView {
    /// The page's bytes; `count` is the page size (for a sub-page, the node's data size).
    let bytes: UnsafeRawBufferPointer

    var size: Int { bytes.count }

    func uint16(at offset: Int) -> UInt16 {
        precondition(offset >= 0 && offset + 2 <= bytes.count, "read outside the page")
        // Safety: the two bytes lie inside `bytes` (checked above); LMDB stores host order.
        return bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self)
    }

    func uint32(at offset: Int) -> UInt32 {
        precondition(offset >= 0 && offset + 4 <= bytes.count, "read outside the page")
        // Safety: the four bytes lie inside `bytes` (checked above).
        return bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
    }

    func uint64(at offset: Int) -> UInt64 {
        precondition(offset >= 0 && offset + 8 <= bytes.count, "read outside the page")
        // Safety: the eight bytes lie inside `bytes` (checked above).
        return bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
    }

    /// `count` bytes from `offset`, e.g. a key.
    func slice(at offset: Int, count: Int) -> UnsafeRawBufferPointer {
        precondition(offset >= 0 && count >= 0 && offset + count <= bytes.count, "slice outside the page")
        // Safety: the range lies inside `bytes` (checked above) and the slice lives no longer
        // than the buffer, which the checker keeps unchanged while the view is in use.
        return UnsafeRawBufferPointer(rebasing: bytes[offset ..< offset + count])
    }

    /// A sub-page held in this page's bytes.
    func subPage(at offset: Int, count: Int) -> PageView {
        PageView(bytes: slice(at: offset, count: count))
    }

    // The header fields.
    var number: UInt64 { uint64(at: 0) }
    /// `mp_pad`: the key size of a LEAF2 sub-page.
    var pad: Int { Int(uint16(at: 8)) }
    var flags: UInt16 { uint16(at: 10) }
    var lower: Int { Int(uint16(at: 12)) }
    var upper: Int { Int(uint16(at: 14)) }
    /// `mp_pages`: the length of an overflow run, in pages.
    var overflowCount: Int { Int(uint32(at: 12)) }
    /// `NUMKEYS`, meaningful once `lower` is known to be at least the header size.
    var keyCount: Int { (lower - PageLayout.headerSize) >> 1 }
    /// `mp_ptrs[index]`: where node `index` starts, from the start of the page.
    func nodeOffset(_ index: Int) -> Int { Int(uint16(at: PageLayout.headerSize + 2 * index)) }
}

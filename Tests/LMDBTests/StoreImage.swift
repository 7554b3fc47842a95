import Foundation
import LMDB

/// The bytes of a `data.mdb`, with just enough knowledge of LMDB 0.9.24's layout (read from
/// `mdb.c`, independently of the checker) to find the pages a test damages.
struct StoreImage {
    var bytes: [UInt8]

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    init(folder: String) throws {
        bytes = Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/data.mdb")))
    }

    /// Writes the bytes as the `data.mdb` of a new folder and returns the folder.
    func write() throws -> String {
        let folder = try makeFolder()
        try Data(bytes).write(to: URL(fileURLWithPath: folder + "/data.mdb"))
        return folder
    }

    // Integers in host (little-endian) order, as LMDB stores them.
    func uint16(at offset: Int) -> Int { Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 }
    func uint64(at offset: Int) -> UInt64 {
        (0 ..< 8).reduce(0) { value, index in value | UInt64(bytes[offset + index]) << (8 * UInt64(index)) }
    }
    mutating func setUInt16(_ value: Int, at offset: Int) {
        bytes[offset] = UInt8(value & 0xFF)
        bytes[offset + 1] = UInt8(value >> 8 & 0xFF)
    }
    mutating func setUInt64(_ value: UInt64, at offset: Int) {
        for index in 0 ..< 8 { bytes[offset + index] = UInt8(value >> (8 * UInt64(index)) & 0xFF) }
    }

    /// `mm_psize`, the free database record's `md_pad` in meta page 0.
    var pageSize: Int { uint16(at: 16 + 24) | uint16(at: 16 + 26) << 16 }

    /// The start of `MDB_meta` in the meta page with the larger transaction id.
    var metaOffset: Int {
        let first = 16
        let second = pageSize + 16
        return uint64(at: first + 128) >= uint64(at: second + 128) ? first : second
    }

    var lastPage: Int { Int(uint64(at: metaOffset + 120)) }
    var freeRecord: Int { metaOffset + 24 }
    var mainRecord: Int { metaOffset + 72 }

    // `MDB_db` fields at a record's offset.
    func root(ofRecord record: Int) -> Int { Int(truncatingIfNeeded: uint64(at: record + 40)) }
    func depth(ofRecord record: Int) -> Int { uint16(at: record + 6) }
    func entriesOffset(ofRecord record: Int) -> Int { record + 32 }

    // Page header fields.
    func base(_ page: Int) -> Int { page * pageSize }
    func flags(_ page: Int) -> Int { uint16(at: base(page) + 10) }
    func lowerOffset(_ page: Int) -> Int { base(page) + 12 }
    func upperOffset(_ page: Int) -> Int { base(page) + 14 }
    func keyCount(_ page: Int) -> Int { (uint16(at: lowerOffset(page)) - 16) / 2 }
    func pointerOffset(_ page: Int, _ index: Int) -> Int { base(page) + 16 + 2 * index }
    /// Where node `index` of `page` starts in the file.
    func node(_ page: Int, _ index: Int) -> Int { base(page) + uint16(at: pointerOffset(page, index)) }
    func keySize(ofNode node: Int) -> Int { uint16(at: node + 6) }
    func key(ofNode node: Int) -> [UInt8] { Array(bytes[node + 8 ..< node + 8 + keySize(ofNode: node)]) }
    func dataOffset(ofNode node: Int) -> Int { node + 8 + keySize(ofNode: node) }
    func nodeFlags(_ node: Int) -> Int { uint16(at: node + 4) }
    func child(ofNode node: Int) -> Int { uint16(at: node) | uint16(at: node + 2) << 16 | uint16(at: node + 4) << 32 }

    /// The record of a named database, in the main database's root leaf.
    func record(of name: String) -> Int? {
        let main = root(ofRecord: mainRecord)
        for index in 0 ..< keyCount(main) {
            let node = node(main, index)
            if key(ofNode: node) == Array(name.utf8) { return dataOffset(ofNode: node) }
        }
        return nil
    }

    /// The first leaf reached from `page` through the first children.
    func firstLeaf(from page: Int) -> Int {
        var page = page
        while flags(page) & 0x01 != 0 { page = child(ofNode: node(page, 0)) }
        return page
    }
}

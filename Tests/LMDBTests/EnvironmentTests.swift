import Foundation
import LMDB
import Testing

/// A fresh folder per test: Swift Testing runs tests in parallel in one process, and LMDB
/// allows one open environment per folder and process.
func makeFolder() throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("lmdb-test-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Big-endian keys, so a cursor walks them in the order they were written.
enum SeqKeyBytes {
    static func key(_ value: Int) -> [UInt8] { withUnsafeBytes(of: UInt64(value).bigEndian, Array.init) }
}

@Suite("LMDB wrapper")
struct EnvironmentTests {
    @Test("a committed write is visible to later readers; a thrown write leaves nothing")
    func writeCommitsAndThrowAborts() throws {
        let environment = try Environment.open(path: try makeFolder())
        let database = try environment.write { try $0.openDatabase("main", options: .create) }
        try environment.write { try $0.put([1, 2, 3], forKey: Array("a".utf8), in: database) }
        struct Refused: Error {}
        #expect(throws: Refused.self) {
            try environment.write { transaction in
                try transaction.put([9], forKey: Array("b".utf8), in: database)
                throw Refused()
            }
        }
        let (a, b) = try environment.read { transaction in
            (try transaction.bytes(in: database, forKey: Array("a".utf8)), try transaction.bytes(in: database, forKey: Array("b".utf8)))
        }
        #expect(a == [1, 2, 3])
        #expect(b == nil)
    }

    /// How many bytes of `[address, address + bytes)` are mapped in this process's page tables,
    /// from /proc/self/pagemap (bit 63 of each page's entry: present). It reads only that range's
    /// entries: /proc/self/smaps walks every mapping of the process, and this one holds many
    /// environments of 256 GiB each, at every sample.
    static func residentBytes(at address: UInt, bytes: Int) throws -> Int? {
        let page = 4_096
        guard let handle = FileHandle(forReadingAtPath: "/proc/self/pagemap") else { return nil }
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(address) / UInt64(page) * 8)
        let count = (bytes + page - 1) / page
        guard let data = try handle.read(upToCount: count * 8), data.count == count * 8 else { return nil }
        var present = 0
        data.withUnsafeBytes { raw in
            for index in 0 ..< count where raw.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self) >> 63 == 1 { present += 1 }
        }
        return present * page
    }

    @Test("releasing gives back the data file's mapped pages; what was read stays the same")
    func releasesMappedPages() throws {
        let environment = try Environment.open(path: try makeFolder())
        let database = try environment.write { try $0.openDatabase("main", options: .create) }
        // One value of 4 MB: the wrapper decides about releasing when LMDB lends it, before
        // its pages are touched, so reading it maps all of them.
        let value = (0 ..< 4_000_000).map { UInt8($0 % 251) }
        try environment.write { try $0.put(value, forKey: Array("big".utf8), in: database) }
        let region = try #require(environment.mappedRegion, "the data file's map is found in /proc/self/maps")
        #expect(region.bytes >= value.count)
        func sum() throws -> Int {
            try environment.read { try $0.value(in: database, forKey: Array("big".utf8)) { span in
                (0 ..< span.count).reduce(0) { $0 + Int(span[$1]) }
            } ?? -1 }
        }
        let before = try sum()
        let touched = try #require(try Self.residentBytes(at: region.address, bytes: 8 << 20))
        #expect(touched >= value.count, "reading 4 MB maps its pages (\(touched) bytes resident)")
        environment.releaseMappedPages()
        let released = try #require(try Self.residentBytes(at: region.address, bytes: 8 << 20))
        #expect(released < touched / 4, "\(released) bytes still resident of \(touched)")
        #expect(try sum() == before)
        #expect(before == value.reduce(0) { $0 + Int($1) })
    }

    @Test("reads in order and at random keep the map's resident pages under a fixed bound")
    func boundsMappedPages() throws {
        let environment = try Environment.open(path: try makeFolder())
        let database = try environment.write { try $0.openDatabase("main", options: .create) }
        // 96 MB of values, each of 4,000 bytes on an overflow page of its own: twelve times the
        // budget, so reads that kept their pages mapped would show it.
        let count = 24_576, size = 4_000
        for first in stride(from: 0, to: count, by: 4_096) {
            try environment.write { transaction in
                for key in first ..< first + 4_096 {
                    try transaction.put([UInt8](repeating: UInt8(key % 251), count: size), forKey: SeqKeyBytes.key(key), in: database)
                }
            }
        }
        let region = try #require(environment.mappedRegion)
        // The budget, a region's overshoot on each side, and what other tests running in this
        // process release meanwhile (growth is measured from the lowest point): far below 96 MB.
        let bound = 3 * MapResidency.budgetBytes + (4 << 20)
        var peak = 0
        var total = 0
        let written = environment.usage().usedBytes
        #expect(written >= count * size)
        func sample(_ index: Int) throws {
            guard index % 1_024 == 0 else { return }
            peak = max(peak, try #require(try Self.residentBytes(at: region.address, bytes: written)))
        }
        try environment.read { transaction in
            try transaction.withCursor(database) { cursor in
                var index = 0
                guard try cursor.move(.first) else { return }
                repeat {
                    total += cursor.withCurrentValue { span in Int(span[0]) + Int(span[span.count - 1]) + span.count }
                    try sample(index)
                    index += 1
                } while try cursor.move(.next)
            }
        }
        #expect(total == (0 ..< count).reduce(0) { $0 + 2 * ($1 % 251) + size })
        #expect(peak > 0 && peak <= bound, "a walk over 96 MB kept \(peak) bytes mapped (bound \(bound))")
        peak = 0
        total = 0
        try environment.read { transaction in
            // 7,919 is prime and does not divide the count: every key once, far apart.
            for index in 0 ..< count {
                let key = index * 7_919 % count
                total += try transaction.value(in: database, forKey: SeqKeyBytes.key(key)) { span in Int(span[0]) + span.count } ?? -1
                try sample(index)
            }
        }
        #expect(total == (0 ..< count).reduce(0) { $0 + $1 % 251 + size })
        #expect(peak > 0 && peak <= bound, "random reads over 96 MB kept \(peak) bytes mapped (bound \(bound))")
    }

    @Test("no-overwrite puts report an existing key instead of replacing it")
    func noOverwrite() throws {
        let environment = try Environment.open(path: try makeFolder())
        let database = try environment.write { try $0.openDatabase("main", options: .create) }
        let (first, second) = try environment.write { transaction in
            (try transaction.put([1], forKey: [7], in: database, options: .noOverwrite),
             try transaction.put([2], forKey: [7], in: database, options: .noOverwrite))
        }
        #expect(first && !second)
        #expect(try environment.read { try $0.bytes(in: database, forKey: [7]) } == [1])
    }

    @Test("the map has one fixed size; a write that fills it is aborted with MAP_FULL and leaves nothing")
    func fullMapIsReported() throws {
        let environment = try Environment.open(path: try makeFolder(), mapSize: 1 << 20)
        let database = try environment.write { try $0.openDatabase("main", options: .create) }
        let value = [UInt8](repeating: 0xAB, count: 2000)
        let error = #expect(throws: LMDBError.self) {
            try environment.write { transaction in
                for item in 0 ..< 4000 {
                    let key = withUnsafeBytes(of: UInt32(item).bigEndian) { Array($0) }
                    try transaction.put(value, forKey: key, in: database)
                }
            }
        }
        #expect(error?.isMapFull == true)
        #expect(environment.usage().mapSize == 1 << 20)
        #expect(try environment.read { try $0.entryCount(database) } == 0)
    }

    @Test("every environment maps the same large size, so no process ever has to grow or adopt a map")
    func fixedMapSize() throws {
        let environment = try Environment.open(path: try makeFolder())
        #expect(environment.usage().mapSize == Environment.defaultMapSize)
    }

    @Test("emptying a database removes every entry and duplicate, keeps it open, and keeps the map's resident pages bounded")
    func emptiesDatabase() throws {
        let folder = try makeFolder()
        let environment = try Environment.open(path: folder)
        let (states, index) = try environment.write { transaction in
            (try transaction.openDatabase("states", options: .create),
             try transaction.openDatabase("index", options: [.create, .duplicateSort, .duplicateFixed]))
        }
        // 96 MB of 1,500-byte values on leaf pages (two a page), as a projection's states lie:
        // a removal that kept the pages it read mapped would show it.
        let count = 65_536, size = 1_500
        for first in stride(from: 0, to: count, by: 8_192) {
            try environment.write { transaction in
                for key in first ..< first + 8_192 {
                    try transaction.put([UInt8](repeating: UInt8(key % 251), count: size), forKey: SeqKeyBytes.key(key), in: states, options: .append)
                    try transaction.put(SeqKeyBytes.key(key), forKey: Array("p\(key % 7)".utf8), in: index)
                }
            }
        }
        let region = try #require(environment.mappedRegion)
        let written = environment.usage().usedBytes
        environment.releaseMappedPages()
        // The file read through once by another process, from a cold cache: the kernel's
        // read-ahead fills the page cache with large folios, as a store that has been read
        // has, and a fault then maps a whole folio (MapResidency). Not this process: closing a
        // descriptor of the store's files would drop LMDB's locks.
        try Self.readColdInAnotherProcess(folder + "/data.mdb")
        let resident = try environment.write { transaction -> Int in
            #expect(try transaction.entryCount(states) == count && transaction.entryCount(index) == count)
            try transaction.removeAllEntries(states)
            try transaction.removeAllEntries(index)
            #expect(try transaction.entryCount(states) == 0 && transaction.entryCount(index) == 0)
            return try #require(try Self.residentBytes(at: region.address, bytes: written))
        }
        let bound = 3 * MapResidency.budgetBytes + (4 << 20)
        #expect(resident <= bound, "emptying 96 MB kept \(resident) bytes mapped (bound \(bound))")
        let (first, again) = try environment.read { transaction in
            (try transaction.withCursor(states) { try $0.move(.first) }, try transaction.entryCount(index))
        }
        #expect(!first && again == 0)
        try environment.write { try $0.put([7], forKey: SeqKeyBytes.key(1), in: states) }
        #expect(try environment.read { try $0.bytes(in: states, forKey: SeqKeyBytes.key(1)) } == [7])
    }

    /// Evicts `path` from the page cache and reads it in 1 MiB chunks, in a Python child.
    static func readColdInAnotherProcess(_ path: String) throws {
        let reader = Process()
        reader.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        reader.arguments = ["-c", """
            import os, sys
            fd = os.open(sys.argv[1], os.O_RDONLY)
            os.fsync(fd)
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            while os.read(fd, 1 << 20): pass
            """, path]
        try reader.run()
        reader.waitUntilExit()
        #expect(reader.terminationStatus == 0)
    }

    @Test("cursors walk keys in order and duplicates within a key")
    func cursorsWalkDuplicates() throws {
        let environment = try Environment.open(path: try makeFolder())
        let index = try environment.write { try $0.openDatabase("index", options: [.create, .duplicateSort, .duplicateFixed]) }
        try environment.write { transaction in
            for value: UInt8 in [3, 1, 2] { try transaction.put([value], forKey: Array("p".utf8), in: index) }
            try transaction.put([9], forKey: Array("q".utf8), in: index)
        }
        let (values, count) = try environment.read { transaction in
            try transaction.withCursor(index) { cursor -> ([UInt8], Int) in
                var seen: [UInt8] = []
                guard try cursor.move(.setKey, key: Array("p".utf8)) else { return ([], 0) }
                let count = try cursor.duplicateCount()
                repeat { seen.append(cursor.withCurrentValue { $0[0] }) } while try cursor.move(.nextDuplicate)
                return (seen, count)
            }
        }
        #expect(values == [1, 2, 3])
        #expect(count == 3)
    }

    @Test("LMDB failures carry their code and LMDB's message")
    func errorsCarryCodeAndMessage() throws {
        let environment = try Environment.open(path: try makeFolder())
        let error = #expect(throws: LMDBError.self) {
            try environment.read { try $0.openDatabase("missing") }
        }
        #expect(error?.isNotFound == true)
        #expect(error?.message.isEmpty == false)
        #expect(error?.description.contains("missing") == true)
    }

    @Test("opening the same folder twice in a process returns the same environment")
    func oneEnvironmentPerFolder() throws {
        let folder = try makeFolder()
        let first = try Environment.open(path: folder)
        let second = try Environment.open(path: folder + "/.")
        #expect(first === second)
    }
}

@Suite("Key order")
struct KeyOrderTests {
    @Test("strings order as LMDB orders their UTF-8 bytes", arguments: [
        ("a", "b", true), ("b", "a", false), ("ab", "abc", true), ("abc", "ab", false), ("", "a", true), ("a", "a", false),
        ("Z", "a", true), ("é", "z", false), ("ev-0000009", "ev-0000010", true),
    ])
    func order(_ lhs: String, _ rhs: String, _ expected: Bool) {
        #expect(KeyOrder.precedes(lhs, rhs) == expected)
    }
}

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

    /// This process's resident bytes of the mapping that starts at `address` (/proc/self/smaps).
    static func residentBytes(ofMappingAt address: UInt) throws -> Int? {
        // /proc files report size 0, so they are read to their end rather than by their size.
        guard let handle = FileHandle(forReadingAtPath: "/proc/self/smaps") else { return nil }
        defer { try? handle.close() }
        let smaps = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
        var inside = false
        for line in smaps.split(separator: "\n") {
            if let dash = line.firstIndex(of: "-"), let start = UInt(line[..<dash], radix: 16), line.contains(" ") && !line.hasSuffix(" kB") {
                inside = start == address
            } else if inside, line.hasPrefix("Rss:") {
                return Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]).map { $0 * 1024 }
            }
        }
        return nil
    }

    @Test("a long read gives back the data file's mapped pages; what it reads stays the same")
    func releasesMappedPages() throws {
        let environment = try Environment.open(path: try makeFolder())
        let database = try environment.write { try $0.openDatabase("main", options: .create) }
        try environment.write { transaction in
            for key in 0 ..< 4_096 { try transaction.put([UInt8](repeating: UInt8(key % 251), count: 1_000), forKey: Array(String(key).utf8), in: database) }
        }
        let region = try #require(environment.mappedRegion, "the data file's map is found in /proc/self/maps")
        #expect(region.bytes >= 4_096 * 1_000)
        func sum() throws -> Int {
            try environment.read { transaction in
                try (0 ..< 4_096).reduce(0) { total, key in
                    total + (try transaction.bytes(in: database, forKey: Array(String(key).utf8))?.reduce(0) { $0 + Int($1) } ?? -1)
                }
            }
        }
        let before = try sum()
        let touched = try #require(try Self.residentBytes(ofMappingAt: region.address))
        #expect(touched >= 4_000_000, "reading 4 MB maps its pages (\(touched) bytes resident)")
        environment.releaseMappedPages()
        let released = try #require(try Self.residentBytes(ofMappingAt: region.address))
        #expect(released < touched / 4, "\(released) bytes still resident of \(touched)")
        #expect(try sum() == before)
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

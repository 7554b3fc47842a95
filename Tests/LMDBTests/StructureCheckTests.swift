import Foundation
import LMDB
import Testing

/// Builds an environment shaped like a ledger's and returns the bytes of its `data.mdb`,
/// after the environment is closed (environments are weakly registered: the last reference
/// going closes it).
/// - `events`: 8-byte big-endian keys, ~150-byte values (a tree of depth 2) and a few values
///   over 2 KiB (overflow pages);
/// - `index`: DUPSORT|DUPFIXED with 8-byte values: two keys with many duplicates
///   (sub-databases), others with few (sub-pages) or one;
/// - `names`: string keys.
/// Several transactions, some rewriting values, leave pages in the free list.
func makeSoundStore() throws -> StoreImage {
    let folder = try makeFolder()
    try fillSoundStore(in: folder)
    return try StoreImage(folder: folder)
}

private func fillSoundStore(in folder: String) throws {
    let environment = try Environment.open(path: folder)
    let (events, index, names) = try environment.write { transaction in
        (try transaction.openDatabase("events", options: .create),
         try transaction.openDatabase("index", options: [.create, .duplicateSort, .duplicateFixed]),
         try transaction.openDatabase("names", options: .create))
    }
    func bigEndian(_ number: Int) -> [UInt8] { withUnsafeBytes(of: UInt64(number).bigEndian) { Array($0) } }
    for batch in 0 ..< 6 {
        try environment.write { transaction in
            for item in 0 ..< 100 {
                let number = batch * 100 + item
                let size = number % 97 == 5 ? 2500 + number : 150
                try transaction.put([UInt8](repeating: UInt8(number & 0xFF), count: size), forKey: bigEndian(number), in: events)
                try transaction.put(bigEndian(number), forKey: "hot-\(number % 2)", in: index)
                if number < 120 {
                    for duplicate in 0 ... number % 3 {
                        try transaction.put(bigEndian(number * 10 + duplicate), forKey: "cold-\(number)", in: index)
                    }
                }
                try transaction.put(Array("name of participant \(number)".utf8), forKey: "participant-\(number)", in: names)
            }
            for number in stride(from: 0, to: batch * 100, by: 7) {
                try transaction.put([UInt8](repeating: UInt8(batch), count: 150), forKey: bigEndian(number), in: events)
            }
        }
    }
    try environment.write { transaction in
        for number in 600 ..< 2000 { try transaction.put(bigEndian(number), forKey: "hot-\(number % 2)", in: index) }
    }
}

/// Writes `image` (damaged by `damage`) to a new folder, opens it and checks its structure.
func checkCopy(of image: StoreImage, _ damage: (inout StoreImage) -> Void = { _ in }) throws -> StructureDamage? {
    var copy = image
    damage(&copy)
    let environment = try Environment.open(path: try copy.write())
    return try environment.checkStructure()
}

@Suite("Structure check")
struct StructureCheckTests {
    @Test("a sound file has no damage")
    func soundFile() throws {
        let image = try makeSoundStore()
        let events = try #require(image.record(of: "events"))
        #expect(image.depth(ofRecord: events) >= 2)
        #expect(image.root(ofRecord: image.freeRecord) != -1)
        #expect(try checkCopy(of: image) == nil)
    }

    @Test("a branch node pointing beyond the last page")
    func branchBeyondLastPage() throws {
        let image = try makeSoundStore()
        let root = image.root(ofRecord: try #require(image.record(of: "events")))
        let damage = try #require(try checkCopy(of: image) { copy in
            let node = copy.node(root, 1)
            copy.setUInt16((copy.lastPage + 100) & 0xFFFF, at: node)
            copy.setUInt16((copy.lastPage + 100) >> 16, at: node + 2)
        })
        #expect(damage.page == root)
        #expect(damage.database == "events")
        #expect(damage.reason.contains("beyond the last page"))
    }

    @Test("a page whose header gives another page number")
    func wrongPageNumber() throws {
        let image = try makeSoundStore()
        let leaf = try firstLeaf(of: "events", in: image)
        let damage = try #require(try checkCopy(of: image) { copy in
            copy.setUInt64(UInt64(leaf + 1000), at: copy.base(leaf))
        })
        #expect(damage.page == leaf)
        #expect(damage.database == "events")
    }

    @Test("a page whose lower bound lies above its upper bound")
    func lowerAboveUpper() throws {
        let image = try makeSoundStore()
        let leaf = try firstLeaf(of: "events", in: image)
        let damage = try #require(try checkCopy(of: image) { copy in
            copy.setUInt16(copy.uint16(at: copy.upperOffset(leaf)) + 2, at: copy.lowerOffset(leaf))
        })
        #expect(damage.page == leaf)
        #expect(damage.database == "events")
        #expect(damage.reason.contains("free-space bounds"))
    }

    @Test("a node offset outside the page")
    func nodeOutsidePage() throws {
        let image = try makeSoundStore()
        let leaf = try firstLeaf(of: "events", in: image)
        let damage = try #require(try checkCopy(of: image) { copy in
            copy.setUInt16(copy.pageSize - 4, at: copy.pointerOffset(leaf, 0))
        })
        #expect(damage.page == leaf)
        #expect(damage.database == "events")
        #expect(damage.reason.contains("node 0"))
    }

    @Test("two keys out of order in a leaf")
    func keysOutOfOrder() throws {
        let image = try makeSoundStore()
        let leaf = try firstLeaf(of: "events", in: image)
        let damage = try #require(try checkCopy(of: image) { copy in
            let first = copy.node(leaf, 0) + 8
            let second = copy.node(leaf, 1) + 8
            for offset in 0 ..< 8 { copy.bytes.swapAt(first + offset, second + offset) }
        })
        #expect(damage.page == leaf)
        #expect(damage.database == "events")
        #expect(damage.reason.contains("does not sort after"))
    }

    @Test("a zeroed page inside a tree")
    func zeroedPage() throws {
        let image = try makeSoundStore()
        let root = image.root(ofRecord: try #require(image.record(of: "events")))
        let leaf = image.child(ofNode: image.node(root, 2))
        let damage = try #require(try checkCopy(of: image) { copy in
            let base = copy.base(leaf)
            for offset in base ..< base + copy.pageSize { copy.bytes[offset] = 0 }
        })
        #expect(damage.page == leaf)
        #expect(damage.database == "events")
    }

    @Test("a free list naming a page in use")
    func freePageInUse() throws {
        let image = try makeSoundStore()
        let eventsRoot = image.root(ofRecord: try #require(image.record(of: "events")))
        let freeLeaf = image.firstLeaf(from: image.root(ofRecord: image.freeRecord))
        let list = try #require((0 ..< image.keyCount(freeLeaf)).map { image.node(freeLeaf, $0) }.first { node in
            image.nodeFlags(node) == 0 && image.uint64(at: image.dataOffset(ofNode: node)) >= 1
        })
        let damage = try #require(try checkCopy(of: image) { copy in
            let data = copy.dataOffset(ofNode: list)
            copy.setUInt64(1, at: data)
            copy.setUInt64(UInt64(eventsRoot), at: data + 8)
        })
        #expect(damage.page == freeLeaf)
        #expect(damage.database == StructureDamage.freeDatabase)
        #expect(damage.reason.contains("names page \(eventsRoot), which is in use"))
    }

    @Test("a database record with a wrong entry count")
    func wrongEntryCount() throws {
        let image = try makeSoundStore()
        let record = try #require(image.record(of: "events"))
        let damage = try #require(try checkCopy(of: image) { copy in
            let offset = copy.entriesOffset(ofRecord: record)
            copy.setUInt64(copy.uint64(at: offset) + 1, at: offset)
        })
        #expect(damage.page == image.root(ofRecord: record))
        #expect(damage.database == "events")
        #expect(damage.reason.contains("entries"))
    }

    @Test("damage reads as page, database and reason")
    func damageDescription() {
        let damage = StructureDamage(page: 17, database: "events", reason: "branch node 3 points at page 4096, beyond the last page 31")
        #expect(damage.description == "page 17 of database \"events\": branch node 3 points at page 4096, beyond the last page 31")
    }

    private func firstLeaf(of name: String, in image: StoreImage) throws -> Int {
        let root = image.root(ofRecord: try #require(image.record(of: name)))
        return image.firstLeaf(from: root)
    }
}

@Suite("Check before mapping")
struct CheckBeforeMappingTests {
    @Test("a sound file, and a folder without one, pass")
    func soundFilePasses() throws {
        let image = try makeSoundStore()
        try StoreFile.checkBeforeMapping(folder: try image.write())
        try StoreFile.checkBeforeMapping(folder: try makeFolder())
    }

    @Test("a file truncated to half is refused, also by Environment.open")
    func truncatedToHalf() throws {
        let image = try makeSoundStore()
        let folder = try StoreImage(bytes: Array(image.bytes.prefix(image.bytes.count / 2))).write()
        let error = #expect(throws: LMDBError.self) { try StoreFile.checkBeforeMapping(folder: folder) }
        #expect(error?.isDamage == true)
        #expect(error?.description.contains("the file was truncated") == true)
        #expect(throws: LMDBError.self) { _ = try Environment.open(path: folder) }
    }

    @Test("a file cut to its two meta pages is refused")
    func cutToMetaPages() throws {
        let image = try makeSoundStore()
        let folder = try StoreImage(bytes: Array(image.bytes.prefix(2 * image.pageSize))).write()
        let error = #expect(throws: LMDBError.self) { try StoreFile.checkBeforeMapping(folder: folder) }
        #expect(error?.isDamage == true)
    }

    @Test("a file whose meta pages both have a bad magic number is refused")
    func badMagic() throws {
        var image = try makeSoundStore()
        image.bytes[16] ^= 0xFF
        image.bytes[image.pageSize + 16] ^= 0xFF
        let folder = try image.write()
        let error = #expect(throws: LMDBError.self) { try StoreFile.checkBeforeMapping(folder: folder) }
        #expect(error?.isDamage == true)
        #expect(error?.description.contains("no valid meta page") == true)
    }

    @Test("an empty file and one shorter than two pages are refused")
    func tooShort() throws {
        for size in [0, 100, 5000] {
            let image = try makeSoundStore()
            let folder = try StoreImage(bytes: Array(image.bytes.prefix(size))).write()
            let error = #expect(throws: LMDBError.self) { try StoreFile.checkBeforeMapping(folder: folder) }
            #expect(error?.isDamage == true)
        }
    }
}

/// A small seeded generator (SplitMix64), so a failing run can be repeated.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}

@Suite("Structure check on random damage")
struct RandomDamageTests {
    static let seed: UInt64 = 0x5EED_2024

    /// The check must never crash or hang (this test finishing shows it), and whenever it finds
    /// no damage LMDB must be able to open the databases and read every entry.
    @Test("random byte flips: no crash, and a sound verdict means LMDB can read everything")
    func randomFlips() throws {
        let image = try makeSoundStore()
        var generator = SeededGenerator(seed: Self.seed)
        var verdicts = (sound: 0, damaged: 0, refused: 0)
        for copyNumber in 0 ..< 300 {
            var copy = image
            let flipCount = Int.random(in: 1 ... 16, using: &generator)
            var flips: [String] = []
            for _ in 0 ..< flipCount {
                let offset = Int.random(in: 0 ..< copy.bytes.count, using: &generator)
                let mask = UInt8.random(in: 1 ... 255, using: &generator)
                copy.bytes[offset] ^= mask
                flips.append("byte \(offset) ^= 0x\(String(mask, radix: 16))")
            }
            let where_ = "seed 0x\(String(Self.seed, radix: 16)), copy \(copyNumber), flips \(flips.joined(separator: ", "))"
            let environment: Environment
            do {
                environment = try Environment.open(path: try copy.write())
            } catch {
                // Refused before (or by) LMDB: also a safe outcome.
                verdicts.refused += 1
                continue
            }
            guard try environment.checkStructure() == nil else {
                verdicts.damaged += 1
                continue
            }
            verdicts.sound += 1
            do {
                try readEverything(in: environment)
            } catch {
                Issue.record("checkStructure found no damage but reading failed (\(error)); \(where_)")
            }
        }
        print("random flips: \(verdicts.sound) sound, \(verdicts.damaged) damaged, \(verdicts.refused) refused (seed 0x\(String(Self.seed, radix: 16)))")
    }

    struct ReadMismatch: Error {
        let what: String
    }

    /// Opens the three databases and reads every entry, every value byte, and looks every key
    /// up again. A database whose name was changed by a flip cannot be opened by name; that is
    /// not a failure to read.
    private func readEverything(in environment: Environment) throws {
        for name in ["events", "index", "names"] {
            let database: Database
            do {
                database = try environment.openExistingDatabases([name])[0]
            } catch let error as LMDBError where error.isNotFound {
                continue
            }
            try environment.read { transaction in
                var keys: [[UInt8]] = []
                var count = 0
                var sum = 0
                try transaction.withCursor(database) { cursor in
                    var more = try cursor.move(.first)
                    while more {
                        cursor.withCurrent { key, value in
                            keys.append(key.copiedBytes())
                            for index in value.indices { sum &+= Int(value[index]) }
                        }
                        count += 1
                        more = try cursor.move(.next)
                    }
                }
                let recorded = try transaction.entryCount(database)
                guard count == recorded else { throw ReadMismatch(what: "\(name): \(count) entries read, \(recorded) recorded") }
                for key in keys where try transaction.value(in: database, forKey: key, { $0.count }) == nil {
                    throw ReadMismatch(what: "\(name): key \(key) is listed by the cursor but not found")
                }
                _ = sum
            }
        }
    }
}

@Suite("Files ending before their last page")
struct ShortFileTests {
    /// LMDB does not write pages it allocated and freed again in one transaction, so a file
    /// may end before its last page when the missing pages are free.
    @Test("a file whose missing last page is free is accepted, checked sound and writable")
    func missingFreePageIsAccepted() throws {
        var image = try makeSoundStore()
        let freeLeaf = image.firstLeaf(from: image.root(ofRecord: image.freeRecord))
        let list = try #require((0 ..< image.keyCount(freeLeaf)).map { image.node(freeLeaf, $0) }.first { node in
            image.nodeFlags(node) == 0 && image.uint64(at: image.dataOffset(ofNode: node)) >= 1
        })
        let newLast = image.lastPage + 1
        // The list's largest entry (lists descend) now names the page beyond the file's end.
        image.setUInt64(UInt64(newLast), at: image.dataOffset(ofNode: list) + 8)
        image.setUInt64(UInt64(newLast), at: image.metaOffset + 120)
        let folder = try image.write()
        try StoreFile.checkBeforeMapping(folder: folder)
        let environment = try Environment.open(path: folder)
        #expect(try environment.checkStructure() == nil)
        let names = try environment.openExistingDatabases(["names"])[0]
        try environment.write { transaction in
            for number in 0 ..< 200 { try transaction.put(Array(repeating: 7, count: 100), forKey: "later-\(number)", in: names) }
        }
        #expect(try environment.checkStructure() == nil)
    }

    @Test("a file ending before a page in use is refused")
    func missingPageInUseIsRefused() throws {
        let image = try makeSoundStore()
        let root = image.root(ofRecord: try #require(image.record(of: "events")))
        let folder = try StoreImage(bytes: Array(image.bytes.prefix(image.base(root)))).write()
        let error = #expect(throws: LMDBError.self) { try StoreFile.checkBeforeMapping(folder: folder) }
        #expect(error?.isDamage == true)
    }
}

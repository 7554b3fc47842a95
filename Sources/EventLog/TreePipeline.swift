import Crypto
import Dispatch
import Foundation
import LMDB
import Synchronization

/// Grows the Merkle tree of a batch on another core while the writer appends: the writer
/// copies each record (behind a 0x00 byte) into a chunk, hands full chunks to a serial queue
/// that hashes the leaves and the subtrees they complete, and stores the finished nodes
/// itself (an LMDB write transaction belongs to its thread), in order, as they come back.
/// The hashing — two SHA-256 calls an event — would otherwise cost the batch append a sixth
/// of its speed (docs/performance.md, figure 18).
///
/// A batch of fewer than `chunkRecords` events never leaves the writer's thread: the hop would
/// cost more than the hashing.
///
/// `verify` uses it the same way over the stored records, and with `fingerprinting` has the
/// same core gather what the indexes must hold (`prints`), so that its own walk does only the
/// chain and the record checks.
final class TreePipeline: @unchecked Sendable {
    // @unchecked: `edge` is touched only by work items on `queue` (serial) and, once the queue
    // is drained, by `finish` on the writer's thread; so is `gathered`; `chunk` only by the
    // writer's thread;
    // `finished` is a Mutex.

    /// Records per chunk: large enough that a hop is rare, small enough that the writer stores
    /// nodes as it goes.
    static let chunkRecords = 2_048
    /// Chunks handed over and not yet hashed: the writer waits beyond this, so memory stays
    /// bounded whatever the batch's size (about 2,048 × 150 B a chunk).
    static let chunksInFlight = 4

    private let queue = DispatchQueue(label: "recovery.merkle-tree")
    private let slots = DispatchSemaphore(value: chunksInFlight)
    private var edge: MerkleEdge
    private var gathered: IndexPrints?
    private var chunk = Chunk()
    private var handedOver = false
    /// Nodes hashed and not yet stored, in key order.
    private let finished = Mutex<[(key: [UInt8], hash: [UInt8])]>([])

    /// Records back to back, each behind a 0x00 byte: the leaf hash's input, contiguous.
    private struct Chunk {
        var bytes: [UInt8] = []
        var ends: [Int] = []
    }

    init(edge: MerkleEdge, fingerprinting: Bool = false) {
        self.edge = edge
        gathered = fingerprinting ? IndexPrints() : nil
        size = edge.size
    }

    /// With `fingerprinting`, the prints of every record added; read after `finish`.
    var prints: IndexPrints? { gathered }

    /// Leaves so far, as the writer has added them (the writer's check that no event was skipped).
    private(set) var size: UInt64

    /// Adds the record of a stored value (after its chain hash) as the next leaf: the tree's
    /// first build, straight from LMDB's pages.
    func add(storedValue value: Span<UInt8>) -> [(key: [UInt8], hash: [UInt8])] {
        size += 1
        chunk.bytes.append(0x00)
        value.append(from: EventRecord.offsetInValue, to: &chunk.bytes)
        return closeRecord()
    }

    /// Adds a record as the next leaf. At a chunk's end, returns the nodes hashed since the last
    /// chunk's end (for the writer to store), otherwise nothing: no lock is taken per event.
    func add(record: ArraySlice<UInt8>) -> [(key: [UInt8], hash: [UInt8])] {
        size += 1
        chunk.bytes.append(0x00)
        chunk.bytes.append(contentsOf: record)
        return closeRecord()
    }

    private func closeRecord() -> [(key: [UInt8], hash: [UInt8])] {
        chunk.ends.append(chunk.bytes.count)
        guard chunk.ends.count == Self.chunkRecords else { return [] }
        handOver()
        return takeFinished()
    }

    private func handOver() {
        let full = chunk
        chunk = Chunk()
        chunk.bytes.reserveCapacity(full.bytes.count)
        chunk.ends.reserveCapacity(Self.chunkRecords)
        handedOver = true
        slots.wait()
        queue.async { [self] in
            let nodes = Self.hash(full, into: &edge, prints: &gathered)
            finished.withLock { $0.append(contentsOf: nodes) }
            slots.signal()
        }
    }

    /// Hashes a chunk's leaves into `edge` (and adds each record to `prints`, if any); returns
    /// the nodes to store.
    private static func hash(_ chunk: Chunk, into edge: inout MerkleEdge, prints: inout IndexPrints?) -> [(key: [UInt8], hash: [UInt8])] {
        var nodes: [(key: [UInt8], hash: [UInt8])] = []
        var start = 0
        let bytes = chunk.bytes.span
        for end in chunk.ends {
            if prints != nil {
                // The record starts after its leaf's 0x00 byte; its data is not read here.
                if let layout = try? EventLayout(bytes, recordAt: start + 1), layout.data.lowerBound < end {
                    prints?.add(bytes, layout)
                } else {
                    prints?.spoil()
                }
            }
            let index = edge.size
            edge.append(leafHash: Array(SHA256.hash(data: chunk.bytes[start ..< end]))) { level, hash in
                nodes.append((MerkleStore.key(level: level, index: index >> UInt64(level)), hash))
            }
            start = end
        }
        return nodes
    }

    /// The nodes hashed since the last call, in key order.
    private func takeFinished() -> [(key: [UInt8], hash: [UInt8])] {
        finished.withLock { nodes in
            var taken: [(key: [UInt8], hash: [UInt8])] = []
            swap(&taken, &nodes)
            return taken
        }
    }

    /// Hashes what is left and returns every node not taken yet, in key order; the pipeline
    /// is idle afterwards.
    func finish() -> [(key: [UInt8], hash: [UInt8])] {
        if handedOver { queue.sync {} }
        let rest = chunk
        chunk = Chunk()
        let nodes = Self.hash(rest, into: &edge, prints: &gathered)
        return takeFinished() + nodes
    }
}

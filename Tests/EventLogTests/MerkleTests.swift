@testable import EventLog
import Foundation
import Testing

/// The Merkle tree against RFC 6962's published test data (the vectors transparency-dev/merkle
/// checks its trees with: leaf inputs, complete-subtree hashes, roots, inclusion and consistency
/// proofs), and round trips for every tree size up to a bound, against a naive recursive
/// implementation written straight from RFC 9162 §2.1.1.
@Suite("Merkle tree (RFC 6962 / 9162)")
struct MerkleTests {
    static func bytes(_ hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            out.append(UInt8(hex[index ..< next], radix: 16)!)
            index = next
        }
        return out
    }

    // The reference data (RFC 6962 test vectors, as published with transparency-dev/merkle).
    static let leafInputs = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"].map(bytes)
    static let roots = [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ].map(bytes)
    static let completeSubtrees: [[String]] = [
        ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
         "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7", "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
         "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b", "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
         "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f", "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1"],
        ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
         "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"],
        ["d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7", "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"],
        ["5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"],
    ]
    /// (leaf index, tree size, audit path).
    static let inclusionVectors: [(UInt64, UInt64, [String])] = [
        (0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
        (5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
        (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
        (1, 5, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
    ]
    /// (old size, new size, consistency path).
    static let consistencyVectors: [(UInt64, UInt64, [String])] = [
        (1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
        (6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
        (2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
        (6, 7, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a", "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    ]

    static func referenceTree() throws -> MemoryMerkleTree {
        var tree = MemoryMerkleTree()
        for leaf in leafInputs { try tree.append(leafHash: Merkle.leafHash(leaf)) }
        return tree
    }

    @Test("the published hashes: every complete subtree and the root of every size 0–8")
    func referenceHashes() throws {
        let tree = try Self.referenceTree()
        for (level, hashes) in Self.completeSubtrees.enumerated() {
            for (index, hash) in hashes.enumerated() {
                #expect(try tree.hash(level: level, index: UInt64(index)) == Self.bytes(hash), "node \(level)/\(index)")
            }
        }
        for (size, root) in Self.roots.enumerated() {
            #expect(try Merkle.root(size: UInt64(size), in: tree) == root, "root of \(size)")
        }
        #expect(Merkle.emptyRoot == Self.roots[0])
    }

    @Test("the published proofs are the ones we make, and they verify")
    func referenceProofs() throws {
        let tree = try Self.referenceTree()
        for (index, size, path) in Self.inclusionVectors {
            let proof = try Merkle.inclusionProof(index: index, size: size, in: tree)
            #expect(proof == path.map(Self.bytes), "inclusion \(index) in \(size)")
            let leaf = Merkle.leafHash(Self.leafInputs[Int(index)])
            #expect(Merkle.rootFromInclusion(index: index, size: size, leafHash: leaf, proof: proof) == Self.roots[Int(size)])
        }
        for (old, new, path) in Self.consistencyVectors {
            let proof = try Merkle.consistencyProof(from: old, to: new, in: tree)
            #expect(proof == path.map(Self.bytes), "consistency \(old) → \(new)")
            #expect(Merkle.isConsistent(from: old, to: new, oldRoot: Self.roots[Int(old)], newRoot: Self.roots[Int(new)], proof: proof))
        }
    }

    /// MTH straight from RFC 9162 §2.1.1, recursive, over leaf hashes: the independent reference.
    static func naiveRoot(_ leaves: ArraySlice<[UInt8]>) -> [UInt8] {
        if leaves.isEmpty { return Merkle.emptyRoot }
        if leaves.count == 1 { return leaves[leaves.startIndex] }
        var k = 1
        while k * 2 < leaves.count { k *= 2 }
        let middle = leaves.startIndex + k
        return Merkle.nodeHash(naiveRoot(leaves[..<middle]), naiveRoot(leaves[middle...]))
    }

    /// The largest tree size the round trips cover in this run: every size up to it, every leaf,
    /// every earlier size (`RECOVERY_MERKLE_SIZES` raises it; `Tools/merkle-sweep` runs 1,000).
    static var roundTripSizes: UInt64 {
        UInt64(ProcessInfo.processInfo.environment["RECOVERY_MERKLE_SIZES"].flatMap(Int.init) ?? 150)
    }

    @Test("every size up to the bound: roots equal the naive tree; every inclusion and consistency proof verifies")
    func roundTrips() async throws {
        var tree = MemoryMerkleTree()
        var leaves: [[UInt8]] = []
        var roots: [[UInt8]] = [Merkle.emptyRoot]
        let limit = Self.roundTripSizes
        var failures = 0
        for size in 1 ... limit {
            // Seconds of hashing on one of the few shared threads would hold back other suites'
            // child-process watchers (they wait on the same pool): let them run between sizes.
            await Task.yield()
            let leaf = Merkle.leafHash(Array("event \(size)".utf8))
            leaves.append(leaf)
            try tree.append(leafHash: leaf)
            let root = try Merkle.root(size: size, in: tree)
            roots.append(root)
            if root != Self.naiveRoot(leaves[...]) { failures += 1 }
            for index in 0 ..< size {
                let proof = try Merkle.inclusionProof(index: index, size: size, in: tree)
                if Merkle.rootFromInclusion(index: index, size: size, leafHash: leaves[Int(index)], proof: proof) != root { failures += 1 }
            }
            for old in 0 ... size {
                let proof = try Merkle.consistencyProof(from: old, to: size, in: tree)
                if !Merkle.isConsistent(from: old, to: size, oldRoot: roots[Int(old)], newRoot: root, proof: proof) { failures += 1 }
            }
        }
        #expect(failures == 0)
        #expect(tree.size == limit)
    }

    @Test("a changed byte anywhere — leaf, proof, root, index or size — fails the check")
    func tampering() throws {
        var tree = MemoryMerkleTree()
        var leaves: [[UInt8]] = []
        for number in 0 ..< 37 {
            let leaf = Merkle.leafHash(Array("record \(number)".utf8))
            leaves.append(leaf)
            try tree.append(leafHash: leaf)
        }
        let size: UInt64 = 37
        let root = try Merkle.root(size: size, in: tree)
        for index in [UInt64(0), 5, 31, 32, 36] {
            let proof = try Merkle.inclusionProof(index: index, size: size, in: tree)
            let leaf = leaves[Int(index)]
            #expect(Merkle.rootFromInclusion(index: index, size: size, leafHash: leaf, proof: proof) == root)
            for element in proof.indices {
                for bit in [0, 7, 255] {
                    var changed = proof
                    changed[element][bit % 32] ^= 0x10
                    #expect(Merkle.rootFromInclusion(index: index, size: size, leafHash: leaf, proof: changed) != root)
                }
            }
            var changedLeaf = leaf
            changedLeaf[3] ^= 1
            #expect(Merkle.rootFromInclusion(index: index, size: size, leafHash: changedLeaf, proof: proof) != root)
            #expect(Merkle.rootFromInclusion(index: index ^ 1, size: size, leafHash: leaf, proof: proof) != root)
            #expect(Merkle.rootFromInclusion(index: index, size: size * 2, leafHash: leaf, proof: proof) != root)
            #expect(Merkle.rootFromInclusion(index: index, size: size / 2, leafHash: leaf, proof: proof) != root)
            #expect(Merkle.rootFromInclusion(index: index, size: size, leafHash: leaf, proof: proof + [root]) != root)
            #expect(Merkle.rootFromInclusion(index: index, size: size, leafHash: leaf, proof: Array(proof.dropLast())) != root)
            #expect(Merkle.rootFromInclusion(index: size, size: size, leafHash: leaf, proof: proof) == nil)
        }
        for old in [UInt64(1), 6, 16, 30] {
            let oldRoot = try Merkle.root(size: old, in: tree)
            let proof = try Merkle.consistencyProof(from: old, to: size, in: tree)
            #expect(Merkle.isConsistent(from: old, to: size, oldRoot: oldRoot, newRoot: root, proof: proof))
            for element in proof.indices {
                var changed = proof
                changed[element][0] ^= 0x10
                #expect(!Merkle.isConsistent(from: old, to: size, oldRoot: oldRoot, newRoot: root, proof: changed))
            }
            #expect(!Merkle.isConsistent(from: old, to: size, oldRoot: root, newRoot: oldRoot, proof: proof))
            #expect(!Merkle.isConsistent(from: old + 1, to: size, oldRoot: oldRoot, newRoot: root, proof: proof))
            #expect(!Merkle.isConsistent(from: old, to: size, oldRoot: oldRoot, newRoot: root, proof: []))
            #expect(!Merkle.isConsistent(from: old, to: size, oldRoot: oldRoot, newRoot: root, proof: proof + [root]))
            #expect(!Merkle.isConsistent(from: size, to: old, oldRoot: root, newRoot: oldRoot, proof: proof))
        }
    }
}

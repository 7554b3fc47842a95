import Foundation

/// A transparency-log checkpoint as C2SP specifies it (c2sp.org/tlog-checkpoint): the log's
/// origin, its tree size in decimal and its root hash in base64, one per line, then optional
/// extension lines; published as a signed note (`SignedNote`).
package struct Checkpoint: Equatable, Sendable {
    package let origin: String
    package let size: UInt64
    package let root: [UInt8]
    package let extensions: [String]

    /// Extension lines one checkpoint may carry.
    package static let maximumExtensions = 16

    package init(origin: String, size: UInt64, root: [UInt8], extensions: [String] = []) {
        precondition(root.count == Merkle.hashSize, "a root is one hash")
        self.origin = origin
        self.size = size
        self.root = root
        self.extensions = extensions
    }

    /// The note's text.
    package var text: String {
        ([origin, String(size), Data(root).base64EncodedString()] + extensions).map { $0 + "\n" }.joined()
    }

    /// Reads a checkpoint's text (a note's, once its signature is checked).
    package init(text: String) throws(SignedNote.Failure) {
        guard text.hasSuffix("\n") else { throw .malformedNote("a checkpoint ends with a line feed") }
        let lines = text.dropLast().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.count >= 3, lines.count <= 3 + Self.maximumExtensions else {
            throw .malformedNote("a checkpoint is origin, size, root hash and at most \(Self.maximumExtensions) extension lines")
        }
        guard !lines[0].isEmpty else { throw .malformedNote("the checkpoint's origin is empty") }
        guard lines[1] == "0" || (lines[1].first != "0" && lines[1].utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }),
              let size = UInt64(lines[1]) else {
            throw .malformedNote("the checkpoint's size is a decimal number without leading zeros")
        }
        guard let root = Data(base64Encoded: lines[2]).map(Array.init), root.count == Merkle.hashSize,
              Data(root).base64EncodedString() == lines[2] else {
            throw .malformedNote("the checkpoint's root is the base64 of 32 bytes")
        }
        guard lines.dropFirst(3).allSatisfy({ !$0.isEmpty }) else { throw .malformedNote("an extension line is empty") }
        self.init(origin: lines[0], size: size, root: root, extensions: Array(lines.dropFirst(3)))
    }
}

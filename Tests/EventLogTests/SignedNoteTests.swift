@testable import EventLog
import Foundation
import Testing

/// Signed notes and checkpoints against the C2SP formats, with the keys and signature Go's
/// checksum-database note package publishes in its tests (an independent implementation of the
/// same format must produce and accept exactly these bytes).
@Suite("Signed notes and checkpoints (C2SP)")
struct SignedNoteTests {
    static let verifierText = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
    static let signerText = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
    static let text = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
    static let signature = "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
    static let otherSignature = "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n"

    @Test("the published keys read back as they are written, and sign the published signature")
    func publishedKeys() throws {
        let verifier = try SignedNote.VerifierKey(Self.verifierText)
        #expect(verifier.name == "PeterNeumann" && verifier.id == 0xc74f_20a3 && verifier.text == Self.verifierText)
        let signer = try SignedNote.SignerKey(Self.signerText)
        #expect(signer.text == Self.signerText && signer.verifier == verifier)
        #expect(try signer.sign(Self.text) == Self.text + "\n" + Self.signature)
        #expect(try SignedNote.open(Self.text + "\n" + Self.signature + Self.otherSignature, key: verifier) == Self.text)
    }

    @Test("a mangled key, a changed byte of a note, another key or a missing signature is refused")
    func refusals() throws {
        let verifier = try SignedNote.VerifierKey(Self.verifierText)
        var bytes = Array(Self.verifierText.utf8)
        for index in bytes.indices {
            bytes[index] &+= 1
            #expect(throws: SignedNote.Failure.self) { try SignedNote.VerifierKey(String(decoding: bytes, as: UTF8.self)) }
            bytes[index] &-= 1
        }
        #expect(throws: SignedNote.Failure.self) { try SignedNote.VerifierKey("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW") }
        let note = Self.text + "\n" + Self.signature
        // Every byte of the text changed in turn (the signature covers all of it).
        let textBytes = Array(Self.text.utf8)
        for index in stride(from: 0, to: textBytes.count - 1, by: 7) {
            var changed = textBytes
            changed[index] = changed[index] == UInt8(ascii: "x") ? UInt8(ascii: "y") : UInt8(ascii: "x")
            let forged = String(decoding: changed, as: UTF8.self) + "\n" + Self.signature
            #expect(throws: SignedNote.Failure.self) { try SignedNote.open(forged, key: verifier) }
        }
        #expect(throws: SignedNote.Failure.invalidSignature("PeterNeumann+c74f20a3")) {
            try SignedNote.open(Self.text + "\n" + Self.signature.replacingOccurrences(of: "x08go/ZJ", with: "x08go/ZK"), key: verifier)
        }
        #expect(throws: SignedNote.Failure.noSignatureByKey("PeterNeumann+c74f20a3")) { try SignedNote.open(Self.text + "\n" + Self.otherSignature, key: verifier) }
        for malformed in [Self.text, Self.text + "\n", note.dropLast() + "", "\u{1}" + note, Self.text + "\n— Bad Name x08go/ZJ\n",
                          note + "Unexpected line.\n", Self.text + "\n" + String(repeating: Self.signature, count: 101)] {
            #expect(throws: SignedNote.Failure.self) { try SignedNote.open(String(malformed), key: verifier) }
        }
        let other = try SignedNote.SignerKey.generate(name: "PeterNeumann")
        #expect(throws: SignedNote.Failure.self) { try SignedNote.open(try other.sign(Self.text), key: verifier) }
    }

    @Test("a checkpoint's text round-trips; a size with leading zeros, a short root or an empty origin is refused")
    func checkpoints() throws {
        let root = Merkle.leafHash([UInt8]())
        let checkpoint = Checkpoint(origin: "enping.recovery-ledger", size: 127_553, root: root)
        #expect(checkpoint.text == "enping.recovery-ledger\n127553\n" + Data(root).base64EncodedString() + "\n")
        #expect(try Checkpoint(text: checkpoint.text) == checkpoint)
        let signer = try SignedNote.SignerKey.generate(name: "enping.recovery-ledger")
        let note = try signer.sign(checkpoint.text)
        #expect(try Checkpoint(text: SignedNote.open(note, key: signer.verifier)) == checkpoint)
        for bad in ["enping\n0127553\n\(Data(root).base64EncodedString())\n", "\n1\n\(Data(root).base64EncodedString())\n",
                    "enping\n1\n\(Data(root.dropLast()).base64EncodedString())\n", "enping\n1\n", "enping\n-1\n\(Data(root).base64EncodedString())\n"] {
            #expect(throws: SignedNote.Failure.self) { try Checkpoint(text: bad) }
        }
    }
}

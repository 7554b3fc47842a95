import EventLog
import Foundation
import Rehabilitation

/// The printable page of a participant's receipt (`recovery receipt`): what each event was,
/// in Chinese and English, the checkpoint it is proved under with its short root hash, and
/// how anyone holding the city's public key checks the receipt document.
package enum ReceiptPage {
    /// Hex digits of the root printed as its short form (64 bits: enough to compare by eye).
    package static let shortRootDigits = 16

    package static func text(
        participant: String, entries: [LoggedEntry], size: UInt64, root: [UInt8], key: SignedNote.VerifierKey,
        documentName: String, city: City? = nil
    ) -> String {
        var lines = [
            "收据 · RECEIPT — \(key.name)",
            "",
            "参与者 Participant: \(participant)",
            "检查点 Checkpoint: \(size) 条事件 events, 根哈希 root \(String(ChainHash.hex(root).prefix(shortRootDigits)))…",
            "完整根哈希 Full root: \(ChainHash.hex(root))",
            "",
            "序号 seq   时间 at (UTC)              类型 type",
        ]
        for entry in entries {
            let event = entry.event
            let label = Vocabulary.eventType(named: event.type)
            let what = city.map { Vocabulary.describe(type: event.type, data: event.data, city: $0, .zh) } ?? label.zh
            let line = "\(String(event.seq).padding(toLength: 9, withPad: " ", startingAt: 0)) \(Timestamp.utcString(event.at))  \(label.en) · \(what)"
            lines.append(DisplayText.escaped(line))
        }
        lines += [
            "",
            "每条事件都附有默克尔包含证明，由城市的公钥签名的检查点担保。",
            "Each event carries a Merkle inclusion proof under a checkpoint signed with the city's key.",
            "核对 Check:  recovery check-proof \(documentName) --key \(key.text)",
            "或 or:       python3 Tools/proof_check.py \(documentName) --key \(key.text)",
            "",
        ]
        return lines.joined(separator: "\n")
    }
}

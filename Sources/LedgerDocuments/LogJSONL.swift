import EventLog
import Foundation

/// One JSON object per event with every stored field, `hash` (hex) and `record` (base64).
/// Proof documents carry the same object without `hash` (a Merkle proof cannot check a chain
/// hash, so it does not carry one: docs/proofs.md).
package enum LogJSONL {
    package static func write(_ entry: LoggedEntry, into output: inout [UInt8], withChainHash: Bool = true) {
        let event = entry.event
        output.append(contentsOf: "{\"seq\":\(event.seq),\"id\":".utf8)
        JSONWriter.writeString(event.id, into: &output)
        output.append(contentsOf: ",\"type\":".utf8)
        JSONWriter.writeString(event.type, into: &output)
        output.append(contentsOf: ",\"participant\":".utf8)
        JSONWriter.writeString(event.participant, into: &output)
        output.append(contentsOf: ",\"at\":\"\(Timestamp.utcString(event.at))\",\"actor\":".utf8)
        JSONWriter.writeString(event.actor, into: &output)
        output.append(contentsOf: ",\"data\":".utf8)
        JSONWriter.write(event.data, into: &output)
        output.append(contentsOf: ",\"recorded_at\":\"\(Timestamp.utcString(event.recordedAt))\"".utf8)
        if withChainHash { output.append(contentsOf: ",\"hash\":\"\(ChainHash.hex(entry.hash))\"".utf8) }
        output.append(contentsOf: ",\"record\":\"\(Data(entry.record).base64EncodedString())\"}\n".utf8)
    }
}

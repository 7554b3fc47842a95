import ArgumentParser
import EventLog

/// `recovery verify`: recomputes the whole chain and checks every index entry.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Recompute the hash chain and check every index entry; exit 1 on any damage.")

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: ArgumentHelp("Also check that the chain hash at SEQ is HEX (a digest published earlier).", valueName: "SEQ:HEX"))
    var digest: String?

    @OptionGroup var output: TableOrJSONOptions

    func validate() throws {
        if let digest, Self.parseDigest(digest) == nil {
            throw ValidationError("--digest must be SEQ:HEX, a positive seq and 64 hexadecimal digits")
        }
    }

    static func parseDigest(_ text: String) -> (seq: UInt64, hash: [UInt8])? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let seq = UInt64(parts[0]), seq > 0, let hash = ChainHash.bytes(fromHex: String(parts[1])) else { return nil }
        return (seq, hash)
    }

    func run() throws {
        let log = try EventLog.open(at: storeOptions.folder)
        let report = try log.verify(digest: digest.flatMap(Self.parseDigest))
        if output.isJSON {
            if report.ok {
                StandardStreams.print("{\"ok\":true,\"events\":\(report.events),\"head_seq\":\(report.headSeq),\"head_hash\":\"\(report.headHash)\"}")
            } else {
                var reason: [UInt8] = []
                JSONWriter.writeString(report.reason ?? "", into: &reason)
                StandardStreams.print("{\"ok\":false,\"first_bad_seq\":\(report.firstBadSeq ?? 0),\"reason\":\(String(decoding: reason, as: UTF8.self))}")
            }
        } else if report.ok {
            StandardStreams.print("ok: \(report.events) events, chain intact, indexes consistent")
            StandardStreams.print("head seq \(report.headSeq), head hash \(report.headHash)")
        } else {
            StandardStreams.print("DAMAGED at seq \(report.firstBadSeq ?? 0): \(report.reason ?? "")")
        }
        if !report.ok { throw ExitCode.damageFound }
    }
}

import EventLog
import LMDB

/// The program's version: written here once; `recovery --version` prints it, and
/// `Tools/package` names the Debian package from that output.
enum ProgramVersion {
    static let number = "0.14.0"

    /// `recovery 0.14.0 (record format recovery-ledger/2, LMDB 0.9.31)`.
    static var text: String { "recovery \(number) (record format \(EventLog.formatName), LMDB \(Environment.libraryVersion))" }
}

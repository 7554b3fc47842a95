import Foundation
@preconcurrency import Glibc

/// A private folder under /tmp for every store of one run, removed when the run ends, so
/// nothing a run writes is left behind (unless `--keep` asks for it).
final class ScratchFolder {
    let path: String

    init() throws {
        var template = Array("/tmp/recovery-bench.XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw ChildProcess.Failure(description: "cannot create a folder under /tmp: \(String(cString: strerror(errno)))")
        }
        path = String(cString: made)
    }

    /// A new subfolder.
    func folder(_ name: String) throws -> String {
        let folder = path + "/" + name
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        return folder
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

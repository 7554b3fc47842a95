/// Progress on standard error while a large import runs on a terminal.
final class ImportProgress {
    private let totalBytes: Int
    private let enabled: Bool
    private var nextReport = 0

    init(totalBytes: Int, enabled: Bool) {
        self.totalBytes = totalBytes
        self.enabled = enabled
    }

    func restart() { nextReport = 0 }

    func update(line: Int, byteOffset: Int) {
        guard enabled, line >= nextReport else { return }
        nextReport = line + 50_000
        let percent = totalBytes > 0 ? " (\(min(100, byteOffset * 100 / totalBytes))%)" : ""
        StandardStreams.writeProgress("\rimporting: line \(line)\(percent)")
    }

    func finish() {
        if enabled { StandardStreams.writeProgress("\rimporting: checked every line, committing…\n") }
    }
}

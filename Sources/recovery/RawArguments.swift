@preconcurrency import Glibc

/// The command line as the kernel passed it. Swift's `CommandLine.arguments` decodes each
/// argument as UTF-8 and silently puts U+FFFD where the bytes are not UTF-8, so
/// `append --event` with such bytes would store text nobody typed (standard input refuses
/// the same bytes). The raw bytes are in /proc/self/cmdline (Linux).
enum RawArguments {
    /// Refuses (exit 65) the first argument whose bytes are not valid UTF-8, naming it; call
    /// it before the arguments are parsed. Where the raw arguments cannot be read, or do not
    /// match `CommandLine.arguments` one for one, nothing is checked.
    static func requireValidUTF8() throws(CLIFailure) {
        guard let raw = read(), raw.count == CommandLine.arguments.count else { return }
        // Entry 0 is the program's own path, which the command never uses.
        for index in raw.indices.dropFirst() where String(validating: raw[index], as: UTF8.self) == nil {
            throw CLIFailure("\(describe(index, in: raw)) is not valid UTF-8; nothing was done", exitCode: .rejectedInput)
        }
    }

    /// `argument 3 (after --event)` or `argument 2 (--event=…)`: where the bad bytes are,
    /// without repeating them.
    static func describe(_ index: Int, in raw: [[UInt8]]) -> String {
        let argument = raw[index]
        if argument.starts(with: Array("-".utf8)), let equals = argument.firstIndex(of: UInt8(ascii: "=")),
           let option = String(validating: argument[..<equals], as: UTF8.self) {
            return "argument \(index) (\(option)=…)"
        }
        if index > 1, raw[index - 1].first == UInt8(ascii: "-"), let option = String(validating: raw[index - 1], as: UTF8.self) {
            return "argument \(index) (after \(option))"
        }
        return "argument \(index)"
    }

    /// The NUL-separated arguments of /proc/self/cmdline, or nil where it cannot be read.
    static func read() -> [[UInt8]]? {
        let descriptor = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if count == 0 { break }
            bytes.append(contentsOf: buffer[..<count])
        }
        // Every argument ends with a NUL, the last one included.
        guard bytes.last == 0 else { return nil }
        return bytes.dropLast().split(separator: 0, omittingEmptySubsequences: false).map(Array.init)
    }
}

import Foundation

/// Runs the built `recovery` executable (and other programs) as a child process, the way a
/// user or a script would. Nothing is built here: the binary is looked up next to the test
/// bundle, where `swift build --build-tests` leaves it.
public struct RecoveryBinary {
    /// What a finished child process left behind.
    public typealias Outcome = (status: Int32, stdout: String, stderr: String)

    public struct NotFound: Error, CustomStringConvertible {
        let searched: [String]
        public var description: String {
            "no executable `recovery` next to the test bundle; build it first (swift build --build-tests). Searched: "
                + searched.joined(separator: ", ")
        }
    }

    /// The `recovery` executable: in the directory of the resolved path of
    /// `CommandLine.arguments[0]`, or in one of its parent directories up to 3 levels up.
    public static func executable() throws -> URL {
        var starts = [CommandLine.arguments[0]]
        if let path = Bundle.main.executablePath { starts.append(path) }
        starts += Bundle.allBundles.map(\.bundlePath).filter { $0.hasSuffix(".xctest") }
        var searched: [String] = []
        for start in starts {
            var directory = URL(fileURLWithPath: start).resolvingSymlinksInPath().deletingLastPathComponent()
            for _ in 0 ... 3 {
                let candidate = directory.appendingPathComponent("recovery")
                searched.append(candidate.path)
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
                   FileManager.default.isExecutableFile(atPath: candidate.path) {
                    return candidate
                }
                directory = directory.deletingLastPathComponent()
            }
        }
        throw NotFound(searched: searched)
    }

    /// Runs `recovery` with `arguments`. `environment` entries are added to (or replace those
    /// of) this process's environment.
    public static func run(
        _ arguments: [String], stdin: [UInt8]? = nil, environment: [String: String]? = nil
    ) throws -> Outcome {
        try runProgram(try executable(), arguments, stdin: stdin, environment: environment)
    }

    /// `runProgram` on a thread of its own, awaited without holding one of Swift's cooperative
    /// threads: a child that runs for minutes (a browser campaign, schemathesis) must not starve
    /// the HTTP clients of other tests, which need those few threads for their answers.
    public static func runProgramDetached(
        _ executable: URL, _ arguments: [String], environment: [String: String]? = nil
    ) async throws -> Outcome {
        try await onOwnThread { try runProgram(executable, arguments, environment: environment) }
    }

    /// Runs `body` on a thread of its own and awaits it without holding one of Swift's
    /// cooperative threads (see `runProgramDetached`): for a test's minutes of blocking work.
    public static func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try body() }) }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// Runs any program. Standard input comes from a temporary file (so a child that exits
    /// without reading it cannot raise SIGPIPE here); standard output and error go through
    /// pipes drained on their own threads, so large outputs cannot deadlock the child.
    public static func runProgram(
        _ executable: URL, _ arguments: [String], stdin: [UInt8]? = nil,
        environment: [String: String]? = nil, currentDirectory: URL? = nil
    ) throws -> Outcome {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        // Outputs for people follow the locale: the tests' children get an English one unless
        // a test says otherwise, so that no test depends on the machine's LANG.
        let locale = ["LC_ALL": "", "LANG": "C.UTF-8"]
        process.environment = ProcessInfo.processInfo.environment.merging(locale) { _, new in new }
            .merging(environment ?? [:]) { _, new in new }
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }

        var inputFile: URL?
        if let stdin {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("recovery-stdin-\(UUID().uuidString)")
            try Data(stdin).write(to: file)
            inputFile = file
            process.standardInput = try FileHandle(forReadingFrom: file)
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        defer { if let inputFile { try? FileManager.default.removeItem(at: inputFile) } }

        let outputPipe = Pipe()
        let errorPipe = Pipe()
        process.standardOutput = outputPipe
        process.standardError = errorPipe
        try process.run()
        let output = PipeDrain(outputPipe.fileHandleForReading)
        let error = PipeDrain(errorPipe.fileHandleForReading)
        process.waitUntilExit()
        let outcome = (process.terminationStatus,
                       String(decoding: output.wait(), as: UTF8.self),
                       String(decoding: error.wait(), as: UTF8.self))
        outputPipe.closeBothEnds()
        errorPipe.closeBothEnds()
        if let input = process.standardInput as? FileHandle, input !== FileHandle.nullDevice { try? input.close() }
        return outcome
    }
}

extension Pipe {
    /// Closes both descriptors now, not when the handles are deallocated: Foundation keeps
    /// `Process` objects (and their pipes) alive, and a full test run had leaked about 4,800
    /// pipe descriptors, with `Process.run` crashing in a `memcpy` once over 1,300 were open.
    public func closeBothEnds() {
        try? fileHandleForReading.close()
        try? fileHandleForWriting.close()
    }
}

/// Reads a pipe to its end on a background thread.
private final class PipeDrain: @unchecked Sendable {
    private let handle: FileHandle
    private let finished = DispatchSemaphore(value: 0)
    private var data = Data()

    init(_ handle: FileHandle) {
        self.handle = handle
        Thread.detachNewThread { [self] in
            data = self.handle.readDataToEndOfFile()
            finished.signal()
        }
    }

    /// Everything the pipe delivered; waits for its end (the semaphore orders the access to `data`).
    func wait() -> Data {
        finished.wait()
        return data
    }
}

/// A unique, empty folder under the temporary directory, removed with everything in it when
/// the value goes away. `store` is a ledger path inside it that does not exist yet.
public final class TemporaryStore {
    public let folder: URL

    public init() throws {
        folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("recovery-test-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    /// Where `recovery init --store` should create the ledger.
    public var store: String { folder.appendingPathComponent("ledger").path }

    /// A path for another file in the folder.
    public func file(_ name: String) -> URL { folder.appendingPathComponent(name) }

    deinit {
        try? FileManager.default.removeItem(at: folder)
    }
}

import EventLog
import Foundation
import Rehabilitation
import Testing

/// The libFuzzer targets of Tools/Fuzzing (the event input parser, the TOML reader, the
/// stored-record decoders), each run briefly: its committed corpus, which holds the
/// reproducers of past findings, then 20 seconds of new inputs. `Tools/fuzz` runs them as long
/// as asked; Tools/Fuzzing/README.md tells how to read the results. This test needs clang's
/// libFuzzer (`swiftc -sanitize=fuzzer`), part of the Swift toolchain on Linux: without it
/// the test fails, it is not skipped.
@Suite("Fuzzing")
struct FuzzTests {
    /// The package's root folder, found from this file.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("every fuzz target runs its corpus and 20 s of new inputs without a crash, a hang or a broken property",
          .timeLimit(.minutes(10)))
    func fuzzTargets() throws {
        // -Onone builds take a fifth of the time of -O ones; two targets run at a time.
        let (status, output) = try Self.run(Self.root.appendingPathComponent("Tools/fuzz"),
                                            ["--time", "20", "--jobs", "2", "--onone"])
        print(output)
        #expect(status == 0, "Tools/fuzz --time 20 exited \(status) (1: a finding, reproducer in .build-fuzz/findings; 2: no fuzzer toolchain or a build failure):\n\(output)")
    }

    @Test("findings of fuzzing stay fixed: a bare date of 0001-01-01 is before the first instant in UTC")
    func earliestBareDate() throws {
        // Local midnight of 0001-01-01 in Asia/Shanghai (UTC+08:05:43 then) is 0000-12-31 in UTC.
        #expect(throws: TimestampError.self) { try CityZone.parseInstant("0001-01-01").get() }
        #expect(try CityZone.parseInstant("0001-01-02").get() > -62_135_596_800_000)
        #expect(try CityZone.parseInstant("0001-01-01T00:00:00Z").get() == -62_135_596_800_000)
    }

    /// Runs `executable` with its output (stdout and stderr together) in a temporary file, so
    /// that no pipe can fill up; sanitizer settings of this process are not passed on.
    static func run(_ executable: URL, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let outputFile = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-test-\(UUID().uuidString).log")
        guard FileManager.default.createFile(atPath: outputFile.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: outputFile.path])
        }
        defer { try? FileManager.default.removeItem(at: outputFile) }
        let handle = try FileHandle(forWritingTo: outputFile)
        defer { try? handle.close() }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = root
        var environment = ProcessInfo.processInfo.environment
        for name in ["ASAN_OPTIONS", "UBSAN_OPTIONS", "TSAN_OPTIONS", "LSAN_OPTIONS"] { environment[name] = nil }
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        let output = String(decoding: try Data(contentsOf: outputFile), as: UTF8.self)
        return (process.terminationStatus, output)
    }
}

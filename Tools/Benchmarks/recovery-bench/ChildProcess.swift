import Foundation
@preconcurrency import Glibc

/// Runs a program and waits for it with `posix_spawn` and `wait4`: the timing ends the
/// moment the child exits (Foundation's `Process` polls a run loop), and the child's CPU
/// time comes from the kernel. (The child's peak memory is not reported: glibc spawns
/// through vfork, so the kernel's figure for the child includes this process's own memory.)
struct ChildProcess {
    struct Outcome {
        let exitCode: Int32
        let standardOutput: String
        let standardError: String
        let seconds: Double
        /// User plus system CPU seconds of the child (its own threads; not its children's).
        let cpuSeconds: Double
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs `path` with `arguments`; its output goes to files under `folder`, read back after.
    static func run(_ path: String, _ arguments: [String], outputIn folder: String) throws -> Outcome {
        let outputPath = folder + "/child.stdout"
        let errorPath = folder + "/child.stderr"
        let watch = Stopwatch()
        let pid = try start(path, arguments, standardOutput: outputPath, standardError: errorPath)
        let (exitCode, cpuSeconds) = try wait(pid, what: path)
        let seconds = watch.elapsedSeconds
        let output = FileManager.default.contents(atPath: outputPath).map { String(decoding: $0, as: UTF8.self) } ?? ""
        let errors = FileManager.default.contents(atPath: errorPath).map { String(decoding: $0, as: UTF8.self) } ?? ""
        return Outcome(exitCode: exitCode, standardOutput: output, standardError: errors, seconds: seconds, cpuSeconds: cpuSeconds)
    }

    /// Starts `path` with its standard output and error going to the files named; returns at once.
    static func start(_ path: String, _ arguments: [String], standardOutput: String, standardError: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, standardOutput, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, standardError, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, nil, argv, environ)
        guard spawned == 0 else { throw Failure(description: "cannot run \(path): \(String(cString: strerror(spawned)))") }
        return pid
    }

    /// Waits for `pid` to end: its exit code (128 + signal when killed) and CPU seconds.
    static func wait(_ pid: pid_t, what: String) throws -> (exitCode: Int32, cpuSeconds: Double) {
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            guard errno == EINTR else { throw Failure(description: "waiting for \(what): \(String(cString: strerror(errno)))") }
        }
        return (exitCode(status), cpuSeconds(usage))
    }

    /// The child's exit, if it has ended (without blocking).
    static func poll(_ pid: pid_t) -> (exitCode: Int32, cpuSeconds: Double)? {
        var status: Int32 = 0
        var usage = rusage()
        guard wait4(pid, &status, WNOHANG, &usage) == pid else { return nil }
        return (exitCode(status), cpuSeconds(usage))
    }

    // WIFEXITED / WEXITSTATUS, which Swift does not import.
    private static func exitCode(_ status: Int32) -> Int32 {
        status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }

    static func cpuSeconds(_ usage: rusage) -> Double {
        Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }
}

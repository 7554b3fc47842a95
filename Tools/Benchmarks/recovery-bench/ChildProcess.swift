import Foundation
@preconcurrency import Glibc

/// Runs a program and waits for it with `posix_spawn` and `waitpid`: the timing ends the
/// moment the child exits (Foundation's `Process` polls a run loop). (The child's peak
/// memory is not reported: glibc spawns through vfork, so the kernel's figure for the
/// child includes this process's own memory.)
struct ChildProcess {
    struct Outcome {
        let exitCode: Int32
        let standardOutput: String
        let standardError: String
        let seconds: Double
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs `path` with `arguments`; its output goes to files under `folder`, read back after.
    static func run(_ path: String, _ arguments: [String], outputIn folder: String) throws -> Outcome {
        let outputPath = folder + "/child.stdout"
        let errorPath = folder + "/child.stderr"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }

        var pid: pid_t = 0
        let watch = Stopwatch()
        let spawned = posix_spawn(&pid, path, &actions, nil, argv, environ)
        guard spawned == 0 else { throw Failure(description: "cannot run \(path): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw Failure(description: "waiting for \(path): \(String(cString: strerror(errno)))") }
        }
        let seconds = watch.elapsedSeconds
        // WIFEXITED / WEXITSTATUS, which Swift does not import.
        let exitCode: Int32 = status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        let output = FileManager.default.contents(atPath: outputPath).map { String(decoding: $0, as: UTF8.self) } ?? ""
        let errors = FileManager.default.contents(atPath: errorPath).map { String(decoding: $0, as: UTF8.self) } ?? ""
        return Outcome(exitCode: exitCode, standardOutput: output, standardError: errors, seconds: seconds)
    }
}

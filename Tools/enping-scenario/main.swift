// Prints the Enping 2016–2022 reference history as JSON Lines: `enping-scenario [--seed N]`.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import EnpingScenario

/// Writes all of `bytes` to a file descriptor (stdout 1, stderr 2), or exits on failure.
func writeAll(_ bytes: [UInt8], to fd: Int32) {
    bytes.withUnsafeBufferPointer { buffer in
        var offset = 0
        while offset < buffer.count {
            let written = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { exit(74) }
            offset += written
        }
    }
}

var seed: UInt64 = 2022
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    if argument == "--seed", let value = arguments.popFirst(), let parsed = UInt64(value) {
        seed = parsed
    } else if argument.hasPrefix("--seed="), let parsed = UInt64(argument.dropFirst(7)) {
        seed = parsed
    } else {
        writeAll(Array("usage: enping-scenario [--seed N]\n".utf8), to: 2)
        exit(64)
    }
}
var bytes: [UInt8] = []
EnpingScenario.write(seed: seed, into: &bytes)
writeAll(bytes, to: 1)

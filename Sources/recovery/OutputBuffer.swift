/// Collects output and writes it in large blocks.
struct OutputBuffer {
    var bytes: [UInt8] = []

    mutating func line(_ text: String) {
        bytes.append(contentsOf: text.utf8)
        bytes.append(0x0A)
    }

    mutating func flushIfLarge() {
        if bytes.count >= 1 << 16 { flush() }
    }

    mutating func flush() {
        StandardStreams.write(bytes)
        bytes.removeAll(keepingCapacity: true)
    }
}

/// The non-blank lines of a JSON Lines buffer, numbered from 1, without their line ending.
public struct JSONLines: Sequence {
    let bytes: [UInt8]
    /// The number of the buffer's first line in its file.
    let firstNumber: Int

    public init(_ bytes: [UInt8], firstNumber: Int = 1) {
        self.bytes = bytes
        self.firstNumber = firstNumber
    }

    public struct Line: Sendable {
        public let number: Int
        public let range: Range<Int>
    }

    public func makeIterator() -> AnyIterator<Line> {
        var start = 0
        var number = firstNumber - 1
        let bytes = self.bytes
        return AnyIterator {
            while start < bytes.count {
                number += 1
                var end = start
                while end < bytes.count, bytes[end] != 0x0A { end += 1 }
                let lineStart = start
                start = end + 1
                var trimmedEnd = end
                if trimmedEnd > lineStart, bytes[trimmedEnd - 1] == 0x0D { trimmedEnd -= 1 }
                var isBlank = true
                for index in lineStart ..< trimmedEnd where ![0x20, 0x09].contains(bytes[index]) {
                    isBlank = false
                    break
                }
                if !isBlank { return Line(number: number, range: lineStart ..< trimmedEnd) }
            }
            return nil
        }
    }
}

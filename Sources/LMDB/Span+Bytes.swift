#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation

/// Safe conveniences over borrowed bytes, so that layers above the wrapper can decode records
/// without touching pointers.
extension Span where Element == UInt8 {
    /// Decodes `count` bytes starting at `start` as UTF-8, or returns nil when they are not
    /// valid UTF-8: stored data is checked, never silently repaired.
    package func utf8String(from start: Int, count: Int) -> String? {
        precondition(start >= 0 && count >= 0 && start + count <= self.count, "string outside the span")
        return withUnsafeBufferPointer { buffer in
            let bytes = UnsafeBufferPointer(rebasing: buffer[start ..< start + count])
            // ASCII is valid UTF-8 and the common case; the generic validating initialiser
            // costs a metadata lookup per call, which dominates decoding short strings.
            var isASCII = true
            for byte in bytes where byte >= 0x80 {
                isASCII = false
                break
            }
            return isASCII ? String(decoding: bytes, as: UTF8.self) : String(validating: bytes, as: UTF8.self)
        }
    }

    /// Copies the bytes into an array.
    package func copiedBytes(from start: Int = 0, count: Int? = nil) -> [UInt8] {
        let length = count ?? (self.count - start)
        precondition(start >= 0 && length >= 0 && start + length <= self.count, "range outside the span")
        return withUnsafeBufferPointer { buffer in Array(buffer[start ..< start + length]) }
    }

    /// Appends the bytes from `start` to `array` (whose capacity a caller reuses: no allocation
    /// once it is large enough).
    package func append(from start: Int, to array: inout [UInt8]) {
        precondition(start >= 0 && start <= self.count, "range outside the span")
        // Safety: the buffer is the span's own memory, read within its bounds while borrowed.
        withUnsafeBufferPointer { buffer in array.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start...])) }
    }

    /// Whether the bytes from `start` equal all of `other`'s (a digest, say), read in place:
    /// no array is made of them. Inlinable, so that it is specialised for the caller's type
    /// (`verify` calls it for every record).
    @inlinable
    package func matches(contentsOf other: some ContiguousBytes, at start: Int) -> Bool {
        // Safety: both buffers are read within their bounds (checked first) inside the closures.
        other.withUnsafeBytes { bytes in
            guard start >= 0, start + bytes.count <= count else { return false }
            return withUnsafeBytes { own in
                bytes.isEmpty || memcmp(own.baseAddress! + start, bytes.baseAddress!, bytes.count) == 0
            }
        }
    }

    /// Whether the bytes from `start` equal `other` exactly.
    package func matches(_ other: [UInt8], at start: Int) -> Bool {
        matches(other[...], at: start)
    }

    /// Whether the bytes from `start` equal `other` exactly.
    package func matches(_ other: ArraySlice<UInt8>, at start: Int) -> Bool {
        matches(contentsOf: other, at: start)
    }

    /// Whether the bytes in `range` equal `other[otherRange]` exactly (lengths included): for
    /// readers that keep many names back to back in one array.
    @inlinable
    package func matches(_ other: [UInt8], _ otherRange: Range<Int>, in range: Range<Int>) -> Bool {
        guard range.count == otherRange.count, range.lowerBound >= 0, range.upperBound <= count else { return false }
        var position = range.lowerBound
        for index in otherRange {
            if self[position] != other[index] { return false }
            position += 1
        }
        return true
    }

    /// Whether the span holds exactly the bytes of `other`.
    package func elementsEqual(_ other: [UInt8]) -> Bool {
        guard count == other.count else { return false }
        return withUnsafeBufferPointer { buffer in
            other.withUnsafeBufferPointer { otherBuffer in
                buffer.isEmpty || memcmp(buffer.baseAddress!, otherBuffer.baseAddress!, buffer.count) == 0
            }
        }
    }

    /// Whether the bytes in `range` are exactly `literal`'s UTF-8. Compile-time strings hold
    /// no reference count, so threads scanning side by side compare against them without
    /// contending for a shared object.
    @inlinable
    package func matches(_ literal: StaticString, in range: Range<Int>) -> Bool {
        precondition(range.lowerBound >= 0 && range.upperBound <= self.count, "range outside the span")
        return literal.withUTF8Buffer { expected in
            guard expected.count == range.count else { return false }
            var position = range.lowerBound
            for byte in expected {
                if self[position] != byte { return false }
                position += 1
            }
            return true
        }
    }
}

extension Array where Element == UInt8 {
    /// Writes all of `other`'s bytes (a digest, say) over the elements from `start`, in place:
    /// no array is made of them. Inlinable, so that it is specialised for the caller's type.
    @inlinable
    package mutating func overwrite(from start: Int, withContentsOf other: some ContiguousBytes) {
        // Safety: the destination range is checked inside the array before one copy into it.
        other.withUnsafeBytes { bytes in
            precondition(start >= 0 && start + bytes.count <= count, "bytes written outside the array")
            guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
            withUnsafeMutableBytes { own in (own.baseAddress! + start).copyMemory(from: source, byteCount: bytes.count) }
        }
    }
}

extension Hasher {
    /// Feeds the bytes `span[range]` to the hasher in one call, read in place (it takes them
    /// 8 bytes at a time, where a byte at a time costs a call each).
    @inlinable
    package mutating func combine(_ span: Span<UInt8>, _ range: Range<Int>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= span.count, "range outside the span")
        // Safety: the buffer is the span's own memory, read within the range checked above.
        span.withUnsafeBytes { bytes in combine(bytes: UnsafeRawBufferPointer(rebasing: bytes[range])) }
    }
}

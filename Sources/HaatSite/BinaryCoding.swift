import Foundation

/// A minimal length-prefixed binary format for the build cache: an order of magnitude
/// faster to read than JSON for tens of thousands of records. Not an interchange format:
/// a cache file that fails to decode is simply rebuilt.
struct BinaryWriter {
    private(set) var bytes: [UInt8] = []

    mutating func int(_ value: Int) {
        var remaining = UInt64(bitPattern: Int64(value))
        while remaining >= 0x80 {
            bytes.append(UInt8(remaining & 0x7F) | 0x80)
            remaining >>= 7
        }
        bytes.append(UInt8(remaining))
    }

    mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    mutating func double(_ value: Double) { int(Int(Int64(bitPattern: value.bitPattern))) }

    mutating func string(_ value: String) {
        int(value.utf8.count)
        bytes.append(contentsOf: value.utf8)
    }

    mutating func optionalString(_ value: String?) {
        bool(value != nil)
        if let value { string(value) }
    }

    mutating func strings(_ values: [String]) {
        int(values.count)
        for value in values { string(value) }
    }
}

struct BinaryReader {
    struct Corrupt: Error {}

    private let bytes: [UInt8]
    private var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { position >= bytes.count }

    mutating func int() throws -> Int {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < bytes.count, shift < 64 else { throw Corrupt() }
            let byte = bytes[position]
            position += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return Int(Int64(bitPattern: result)) }
            shift += 7
        }
    }

    mutating func bool() throws -> Bool {
        guard position < bytes.count else { throw Corrupt() }
        position += 1
        return bytes[position - 1] != 0
    }

    mutating func string() throws -> String {
        let count = try int()
        guard count >= 0, position + count <= bytes.count else { throw Corrupt() }
        defer { position += count }
        return String(decoding: bytes[position..<(position + count)], as: UTF8.self)
    }

    mutating func double() throws -> Double { Double(bitPattern: UInt64(bitPattern: Int64(try int()))) }

    mutating func optionalString() throws -> String? {
        try bool() ? try string() : nil
    }

    mutating func strings() throws -> [String] {
        let count = try int()
        guard count >= 0, count <= bytes.count else { throw Corrupt() }
        return try (0..<count).map { _ in try string() }
    }
}

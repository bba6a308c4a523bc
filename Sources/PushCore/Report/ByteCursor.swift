/// Writes bytes through a pointer into scratch space sized beforehand: the report encoder's hot path, with no
/// per-byte capacity or uniqueness checks of an Array. Every write still checks the end (one comparison), so a
/// wrong size estimate stops the program instead of writing past the scratch space.
///
/// Use `ByteCursor.append(to:atMost:_:)`: it lends a cursor over `atMost` bytes of stack scratch space and
/// appends what was written to the buffer with one copy.
struct ByteCursor {
    private(set) var position: UnsafeMutablePointer<UInt8>
    private let end: UnsafeMutablePointer<UInt8>

    /// Runs `body` with a cursor over `bound` bytes of scratch space, then appends the bytes it wrote to `buffer`.
    /// The space is `scratch` when given (a writer's own, reused for every row), else a temporary allocation.
    static func append(to buffer: inout [UInt8], atMost bound: Int, scratch: ByteScratch? = nil,
                       _ body: (inout ByteCursor) -> Void) {
        func run(_ start: UnsafeMutablePointer<UInt8>) {
            var cursor = ByteCursor(position: start, end: start + bound)
            body(&cursor)
            buffer.append(contentsOf: UnsafeBufferPointer(start: start, count: cursor.position - start))
        }
        if let scratch {
            run(scratch.space(atLeast: bound))
        } else {
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bound) { run($0.baseAddress!) }
        }
    }

    /// A new array of what `body` writes (at most `bound` bytes), written in place: one allocation of `bound` bytes
    /// and no copy.
    static func array(atMost bound: Int, _ body: (inout ByteCursor) -> Void) -> [UInt8] {
        guard bound > 0 else { return [] }
        return [UInt8](unsafeUninitializedCapacity: bound) { buffer, count in
            var cursor = ByteCursor(position: buffer.baseAddress!, end: buffer.baseAddress! + bound)
            body(&cursor)
            count = cursor.position - buffer.baseAddress!
        }
    }

    private init(position: UnsafeMutablePointer<UInt8>, end: UnsafeMutablePointer<UInt8>) {
        self.position = position
        self.end = end
    }

    @inline(__always)
    private mutating func reserve(_ count: Int) {
        precondition(end - position >= count, "ByteCursor: the size estimate was too small")
    }

    @inline(__always)
    mutating func byte(_ value: UInt8) {
        reserve(1)
        position.pointee = value
        position += 1
    }

    mutating func bytes(_ source: UnsafeBufferPointer<UInt8>) {
        guard let base = source.baseAddress, !source.isEmpty else { return }
        reserve(source.count)
        position.update(from: base, count: source.count)
        position += source.count
    }

    mutating func write(_ text: StaticString) {
        bytes(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// `text`'s UTF-8 bytes as they are.
    mutating func utf8(_ text: String) {
        Self.withUTF8(text) { bytes($0) }
    }

    /// A JSON string literal: `"` and `\` escaped, control characters as `\n`, `\t`, … or `\u00XX`.
    mutating func jsonString(_ text: String) {
        Self.withUTF8(text) { jsonString(utf8: $0) }
    }

    /// A JSON string literal of UTF-8 bytes.
    mutating func jsonString(utf8 source: UnsafeBufferPointer<UInt8>) {
        byte(UInt8(ascii: "\""))
        jsonStringContent(utf8: source)
        byte(UInt8(ascii: "\""))
    }

    /// JSON string content without the quotes (at most 6 bytes out per byte in). The project's one JSON
    /// escaper: `JSONWriter` (templates, serialisation) writes through it too.
    mutating func jsonStringContent(utf8 source: UnsafeBufferPointer<UInt8>) {
        var runStart = 0
        var i = Self.firstJSONEscape(in: source, from: 0)
        while i < source.count {
            bytes(UnsafeBufferPointer(rebasing: source[runStart..<i]))
            jsonEscape(source[i])
            runStart = i + 1
            i = Self.firstJSONEscape(in: source, from: runStart)
        }
        bytes(UnsafeBufferPointer(rebasing: source[runStart...]))
    }

    /// Index of the first byte at or after `start` that JSON must escape (below 0x20, `"` or `\`), or
    /// `bytes.count`. Checks eight bytes at a time: almost every report string (tokens, ids) has none.
    static func firstJSONEscape(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        var i = start
        while i + 8 <= bytes.count {
            let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            // A byte is below 0x20 / equal to 0x22 / equal to 0x5C when the (exact) "has a zero byte" test fires.
            let quote = word ^ (ones &* 0x22), backslash = word ^ (ones &* 0x5C)
            let control = (word &- ones &* 0x20) & ~word & highs
            if control | ((quote &- ones) & ~quote & highs) | ((backslash &- ones) & ~backslash & highs) != 0 { break }
            i += 8
        }
        while i < bytes.count {
            let b = bytes[i]
            if b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") { return i }
            i += 1
        }
        return i
    }

    private mutating func jsonEscape(_ b: UInt8) {
        byte(UInt8(ascii: "\\"))
        switch b {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): byte(b)
        case 0x0A: byte(UInt8(ascii: "n"))
        case 0x0D: byte(UInt8(ascii: "r"))
        case 0x09: byte(UInt8(ascii: "t"))
        case 0x08: byte(UInt8(ascii: "b"))
        case 0x0C: byte(UInt8(ascii: "f"))
        default:
            write("u00")
            byte(Self.hexDigit(b >> 4))
            byte(Self.hexDigit(b & 0x0F))
        }
    }

    /// A CSV field: quoted (with `"` doubled) when it holds `,` `"` CR or LF (RFC 4180), else as is.
    mutating func csvField(_ text: String) {
        Self.withUTF8(text) { csvField(utf8: $0) }
    }

    /// A CSV field of UTF-8 bytes.
    mutating func csvField(utf8 source: UnsafeBufferPointer<UInt8>) {
        guard source.contains(where: Self.needsCSVQuotes) else { return bytes(source) }
        byte(UInt8(ascii: "\""))
        for b in source {
            if b == UInt8(ascii: "\"") { byte(b) }
            byte(b)
        }
        byte(UInt8(ascii: "\""))
    }

    /// `value` in decimal, with `-` when negative.
    mutating func integer(_ value: Int64) {
        if value < 0 { byte(UInt8(ascii: "-")) }
        // Int64.min has no positive counterpart: its magnitude is taken as UInt64.
        digits(value.magnitude, width: 1)
    }

    /// `value` (0...99) as exactly two digits.
    @inline(__always)
    mutating func twoDigits(_ value: UInt64) {
        reserve(2)
        position[0] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: value / 10 % 10)
        position[1] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: value % 10)
        position += 2
    }

    /// Non-negative `value` in decimal, zero-padded to at least `width` digits (written in place, last digit first).
    mutating func digits(_ value: UInt64, width: Int) {
        var count = 1
        var bound: UInt64 = 10
        while count < 20 && value >= bound {
            count += 1
            bound = bound &* 10
        }
        count = max(count, width)
        reserve(count)
        var rest = value
        var index = count
        while index > 0 {
            index -= 1
            position[index] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10)
            rest /= 10
        }
        position += count
    }

    /// `value` rounded to at most `maxFractionDigits` (≤ 6) decimals, trailing zeros dropped: 12.5 → `12.5`,
    /// 3.0 → `3`, 0.0004 → `0`. Non-finite values print as `0`.
    mutating func decimal(_ value: Double, maxFractionDigits: Int) {
        guard value.isFinite else { return byte(UInt8(ascii: "0")) }
        let places = min(max(maxFractionDigits, 0), 6)
        var scale: UInt64 = 1
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(value) * Double(scale)).rounded()
        // Beyond the exact integer range: Swift's shortest round-trip form.
        guard scaled < 9.0e15 else { return utf8("\(value)") }
        let units = UInt64(scaled)
        if value < 0 && units != 0 { byte(UInt8(ascii: "-")) }
        digits(units / scale, width: 1)
        var fraction = units % scale
        guard fraction != 0 else { return }
        var width = places
        while fraction % 10 == 0 {
            fraction /= 10
            width -= 1
        }
        byte(UInt8(ascii: "."))
        digits(fraction, width: width)
    }

    private static func needsCSVQuotes(_ b: UInt8) -> Bool {
        b == UInt8(ascii: ",") || b == UInt8(ascii: "\"") || b == 0x0A || b == 0x0D
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }

    /// `text`'s UTF-8 bytes in place (native strings), or from a copy (bridged ones).
    static func withUTF8<R>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = text
        return copy.withUTF8(body)
    }
}

/// Scratch memory for `ByteCursor`, grown on demand and reused (one per report writer: no allocation per row).
package final class ByteScratch {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// The report's timestamps up to the minute (`RFC3339.MinuteCache`). `@exclusivity(unchecked)`: a scratch has one
    /// owner, which uses it from one thread at a time.
    @exclusivity(unchecked) var minuteCache = RFC3339.MinuteCache()

    package init(capacity: Int = 4096) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    deinit { base.deallocate() }

    /// At least `count` bytes, valid until the next call.
    func space(atLeast count: Int) -> UnsafeMutablePointer<UInt8> {
        if count > capacity {
            base.deallocate()
            capacity = max(count, capacity * 2)
            base = .allocate(capacity: capacity)
        }
        return base
    }
}

/// RFC 3339 UTC timestamps with milliseconds (`2026-11-26T15:18:39.123Z`), converted by hand from
/// epoch milliseconds with Howard Hinnant's days/civil algorithms (proleptic Gregorian calendar).
public enum RFC3339 {
    /// `2026-11-26T15:18:39.123Z` for `epochMilliseconds` (negative values are before 1970).
    public static func format(epochMilliseconds: Int64) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        append(epochMilliseconds: epochMilliseconds, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the timestamp's ASCII bytes to `buffer` (no allocation beyond the buffer's growth).
    package static func append(epochMilliseconds ms: Int64, to buffer: inout [UInt8]) {
        ByteCursor.append(to: &buffer, atMost: 48) { write(epochMilliseconds: ms, to: &$0) }
    }

    /// The text up to the minute (`2026-11-26T15:18:`) of the last minute written, reused while rows settle in
    /// the same minute: the calendar arithmetic then runs once a minute instead of once a row.
    struct MinuteCache {
        fileprivate var minute: Int64 = .min
        fileprivate var text: (UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0)   // up to 40 bytes
        fileprivate var count = 0

        init() {}
    }

    /// Writes the timestamp like `write(epochMilliseconds:to:)`, taking the part up to the minute from `cache`.
    static func write(epochMilliseconds ms: Int64, to out: inout ByteCursor, cache: inout MinuteCache) {
        let minute = floorDiv(ms, 60_000)
        if minute != cache.minute {
            var scratch: [UInt8] = []
            append(epochMilliseconds: minute * 60_000, to: &scratch)
            let prefix = scratch.prefix { $0 != UInt8(ascii: ".") }.dropLast(2)   // "…T15:18:" without "00"
            guard prefix.count <= 40 else { return write(epochMilliseconds: ms, to: &out) }
            cache.minute = minute
            cache.count = prefix.count
            withUnsafeMutableBytes(of: &cache.text) { raw in
                for (i, byte) in prefix.enumerated() { raw[i] = byte }
            }
        }
        withUnsafeBytes(of: cache.text) { raw in
            out.bytes(UnsafeBufferPointer(rebasing: raw.bindMemory(to: UInt8.self)[..<cache.count]))
        }
        let msOfMinute = UInt64(ms - minute * 60_000)
        out.twoDigits(msOfMinute / 1000)
        out.byte(UInt8(ascii: "."))
        out.byte(UInt8(ascii: "0") + UInt8(msOfMinute % 1000 / 100))
        out.twoDigits(msOfMinute % 100)
        out.byte(UInt8(ascii: "Z"))
    }

    /// Writes the timestamp (at most 35 bytes, for the most distant years an Int64 can hold).
    static func write(epochMilliseconds ms: Int64, to out: inout ByteCursor) {
        let days = floorDiv(ms, 86_400_000)
        let msOfDay = UInt64(ms - days * 86_400_000)
        let (year, month, day) = civil(fromDays: days)
        if year < 0 { out.byte(UInt8(ascii: "-")) }
        out.digits(year.magnitude, width: 4)
        out.byte(UInt8(ascii: "-"))
        out.twoDigits(UInt64(month))
        out.byte(UInt8(ascii: "-"))
        out.twoDigits(UInt64(day))
        out.byte(UInt8(ascii: "T"))
        out.twoDigits(msOfDay / 3_600_000)
        out.byte(UInt8(ascii: ":"))
        out.twoDigits(msOfDay / 60_000 % 60)
        out.byte(UInt8(ascii: ":"))
        out.twoDigits(msOfDay / 1000 % 60)
        out.byte(UInt8(ascii: "."))
        out.byte(UInt8(ascii: "0") + UInt8(msOfDay % 1000 / 100))
        out.twoDigits(msOfDay % 100)
        out.byte(UInt8(ascii: "Z"))
    }

    /// Epoch milliseconds for `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`; digits past milliseconds
    /// are truncated. Nil for anything else, including impossible dates (Feb 30) and leap seconds.
    public static func parse(_ text: some StringProtocol) -> Int64? {
        let b = Array(text.utf8)
        guard b.count >= 20 else { return nil }
        func number(_ start: Int, _ count: Int) -> Int64? {
            var value: Int64 = 0
            for i in start..<start + count {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b[i]) else { return nil }
                value = value * 10 + Int64(b[i] - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0, 4), b[4] == UInt8(ascii: "-"), let month = number(5, 2), b[7] == UInt8(ascii: "-"),
              let day = number(8, 2), b[10] | 0x20 == UInt8(ascii: "t"),
              let hour = number(11, 2), b[13] == UInt8(ascii: ":"), let minute = number(14, 2),
              b[16] == UInt8(ascii: ":"), let second = number(17, 2) else { return nil }
        guard (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month),
              hour < 24, minute < 60, second < 60 else { return nil }
        var index = 19
        var millis: Int64 = 0
        if b[index] == UInt8(ascii: ".") {
            index += 1
            var digits = 0
            while index < b.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b[index]) {
                if digits < 3 { millis = millis * 10 + Int64(b[index] - UInt8(ascii: "0")) }
                digits += 1
                index += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<max(digits, 3) { millis *= 10 }
        }
        guard index < b.count else { return nil }
        var offsetMinutes: Int64 = 0
        if b[index] | 0x20 == UInt8(ascii: "z") {
            index += 1
        } else if b[index] == UInt8(ascii: "+") || b[index] == UInt8(ascii: "-") {
            guard b.count - index == 6, let oh = number(index + 1, 2), b[index + 3] == UInt8(ascii: ":"),
                  let om = number(index + 4, 2), oh < 24, om < 60 else { return nil }
            offsetMinutes = (oh * 60 + om) * (b[index] == UInt8(ascii: "-") ? -1 : 1)
            index += 6
        } else {
            return nil
        }
        guard index == b.count else { return nil }
        let days = self.days(fromCivil: year, month, day)
        return ((days * 24 + hour) * 60 + minute - offsetMinutes) * 60_000 + second * 1000 + millis
    }

    /// Year, month (1-12), day (1-31) of the day `days` after 1970-01-01.
    package static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097                                                   // [0, 146096]
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365  // [0, 399]
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)     // [0, 365], from March 1
        let shiftedMonth = (5 * dayOfYear + 2) / 153                                       // [0, 11], March = 0
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Days from 1970-01-01 to the given civil date.
    package static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    package static func isLeapYear(_ year: Int64) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
}

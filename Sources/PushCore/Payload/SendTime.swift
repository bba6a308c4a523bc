/// Values worked out when a request is sent rather than when its row is read: the payload's `{{$now}}`
/// placeholders and an expiration given as a duration (`--expiration 1h`). A row retried later gets the time of
/// its retry.
///
/// The template renders each `{{$now±offset}}` as 10 digits (the time it was rendered, so a dry run and the checks
/// see a real number) and records where; `apply` overwrites those digits in place just before the request is
/// written: no second render, no re-parse. UNIX seconds have 10 digits from 2001 to 2286, and offsets are bounded,
/// so the width never changes.
public struct SendTimeFields: Sendable, Equatable {
    /// 10 digits of the payload at `offset` hold the send time plus `delta` seconds.
    public struct Patch: Sendable, Equatable {
        public var offset: Int32
        public var delta: Int32
        public init(offset: Int32, delta: Int32) {
            self.offset = offset
            self.delta = delta
        }
    }

    public var patches: [Patch]
    /// `apns-expiration` is the send time plus this many seconds.
    public var expiresAfter: Int?

    public init(patches: [Patch] = [], expiresAfter: Int? = nil) {
        self.patches = patches
        self.expiresAfter = expiresAfter
    }

    /// Digits a `{{$now}}` value takes.
    public static let width = 10
    /// Largest offset of `{{$now±offset}}` and of an expiration duration: a year.
    public static let maxOffsetSeconds = 366 * 86_400

    /// Sets the send-time values of `notification` for a request sent at `nowSeconds` (UNIX seconds).
    public func apply(to notification: inout PushNotification, nowSeconds: Int64) {
        if let expiresAfter { notification.expiration = Int(nowSeconds) + expiresAfter }
        guard !patches.isEmpty else { return }
        notification.payload.withUnsafeMutableBufferPointer { payload in
            for patch in patches {
                var value = nowSeconds + Int64(patch.delta)
                var index = Int(patch.offset) + Self.width
                guard index <= payload.count else { continue }
                while index > Int(patch.offset) {
                    index -= 1
                    payload[index] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: value % 10)
                    value /= 10
                }
            }
        }
    }

    /// The offset in seconds of a send-time placeholder's name: `$now` → 0, `$now+15m` → 900, `$now-30s` → -30;
    /// nil for any other name.
    public static func nowOffset(placeholder name: String) -> Int? {
        guard name.hasPrefix("$now") else { return nil }
        let rest = name.dropFirst(4)
        if rest.isEmpty { return 0 }
        guard let sign = rest.first, sign == "+" || sign == "-", let seconds = seconds(rest.dropFirst()),
              seconds <= maxOffsetSeconds else { return nil }
        return sign == "-" ? -seconds : seconds
    }

    /// Whole seconds of a duration with a unit: `30s`, `15m`, `2h`, `7d` (no bare numbers, no fractions).
    public static func seconds(_ text: some StringProtocol) -> Int? {
        guard let unit = text.last, let count = Int(text.dropLast()), count >= 0,
              text.dropLast().allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let factor: Int
        switch unit {
        case "s": factor = 1
        case "m": factor = 60
        case "h": factor = 3600
        case "d": factor = 86_400
        default: return nil
        }
        let (product, overflow) = count.multipliedReportingOverflow(by: factor)
        return overflow ? nil : product
    }
}

/// `apns-expiration` as given (`--expiration`, a row's `expiration`): a UNIX time, or a duration from the send.
public enum ExpirationValue: Sendable, Equatable {
    /// UNIX seconds; 0 = try once, do not store.
    case at(Int)
    /// Seconds after the request is sent.
    case after(Int)

    /// Below this a number reads as a duration someone meant (`3600`), not a time (it is September 2001).
    public static let smallestTime = 1_000_000_000

    /// Parses `0`, a UNIX time, a duration (`30s`, `15m`, `1h`, `2d`) or an RFC 3339 time
    /// (`2026-12-05T10:00:00Z`). A time before `nowSeconds` and a small number that looks relative are refused
    /// with a hint. `label` starts the message.
    public static func parse(_ text: String, nowSeconds: Int64, label: String) throws(RowError) -> ExpirationValue {
        if let seconds = SendTimeFields.seconds(text) {
            guard seconds <= SendTimeFields.maxOffsetSeconds else {
                throw RowError("\(label): \(quoted(text)) is more than a year away (APNs stores a notification for 30 days at most)")
            }
            return .after(seconds)
        }
        let time: Int
        if !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }), let value = Int(text) {
            if value == 0 { return .at(0) }
            guard value >= smallestTime else {
                throw RowError("\(label): \(quoted(text)) looks like a number of seconds, but apns-expiration is a UNIX "
                    + "time; write a duration such as 1h (from when the push is sent), an RFC 3339 time or a UNIX time")
            }
            time = value
        } else if let ms = RFC3339.parse(text) {
            time = Int(ms / 1000)
        } else {
            throw RowError("\(label): \(quoted(text)) is not 0, a UNIX time, a duration (30s, 15m, 1h, 2d) or an RFC 3339 time")
        }
        guard Int64(time) >= nowSeconds else {
            throw RowError("\(label): \(quoted(text)) is in the past (\(RFC3339.format(epochMilliseconds: Int64(time) * 1000))); "
                + "APNs would not store it: give a later time, a duration such as 1h, or 0 to try once")
        }
        return .at(time)
    }
}

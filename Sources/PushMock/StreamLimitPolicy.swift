/// SETTINGS_MAX_CONCURRENT_STREAMS for one connection, as APNs manages it (apns-protocol.md §8).
///
/// ```
///  token auth:  [1] --first 200--> [maxStreams]    (stays there; later: drop to 1 on a rejection)
///  no token auth: [maxStreams]
/// ```
///
/// | limit now | response | new limit announced |
/// |---|---|---|
/// | 1 | 200 | maxStreams |
/// | 1 | 4xx/5xx | none (stays 1) |
/// | maxStreams | any | none |
public struct StreamLimitPolicy: Sendable, Equatable {
    public let maxStreams: Int
    /// The limit announced most recently.
    public private(set) var current: Int

    /// - Parameter tokenAuth: with token auth a connection allows one stream until a request is accepted.
    public init(maxStreams: Int, tokenAuth: Bool) {
        self.maxStreams = max(1, maxStreams)
        self.current = tokenAuth ? 1 : self.maxStreams
    }

    /// Records the status of a response on the connection; returns the limit to announce when it changes.
    public mutating func record(status: Int) -> Int? {
        guard status == 200, current != maxStreams else { return nil }
        current = maxStreams
        return current
    }
}

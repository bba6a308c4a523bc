/// SETTINGS_MAX_CONCURRENT_STREAMS for one connection, as APNs manages it (apns-protocol.md §8).
///
/// ```
///  token auth:    [1] --first 200--> [maxStreams]
///  no token auth: [maxStreams]
///  with dropOnRejection: [maxStreams] --any non-200--> [1] --next 200--> [maxStreams] --non-200--> [1] ...
///  maxStreams 0:  [0] for good (`--max-streams 0`: a broken server that never lets a request in)
/// ```
///
/// | limit now | response | new limit announced |
/// |---|---|---|
/// | 1 | 200 | maxStreams |
/// | 1 | non-200 | none (stays 1) |
/// | maxStreams | 200 | none |
/// | maxStreams | non-200 | 1 with `dropOnRejection`, else none |
///
/// "200" stands for any 2xx (the management port answers 201 and 204).
///
/// Lowering the limit while more streams are open is legal HTTP/2: the client may not open new streams until
/// it is under the limit again (nghttp2 refuses streams opened before the client acknowledged the change).
public struct StreamLimitPolicy: Sendable, Equatable {
    public let maxStreams: Int
    /// Drop to 1 after a rejected request (`apnsctl mock --stream-drop on`).
    public let dropOnRejection: Bool
    /// The limit announced most recently.
    public private(set) var current: Int

    /// - Parameters:
    ///   - tokenAuth: with token auth a connection allows one stream until a request is accepted.
    ///   - dropOnRejection: after a non-200 answer the limit falls to 1 until the next 200.
    public init(maxStreams: Int, tokenAuth: Bool, dropOnRejection: Bool = false) {
        self.maxStreams = max(0, maxStreams)
        self.dropOnRejection = dropOnRejection
        self.current = tokenAuth && self.maxStreams > 0 ? 1 : self.maxStreams
    }

    /// Records the status of a response on the connection; returns the limit to announce when it changes.
    public mutating func record(status: Int) -> Int? {
        guard maxStreams > 0 else { return nil }
        let next = (200...299).contains(status) ? maxStreams : (dropOnRejection ? 1 : current)
        guard next != current else { return nil }
        current = next
        return current
    }
}

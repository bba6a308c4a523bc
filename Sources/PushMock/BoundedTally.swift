/// A map that stays within `limit` keys by forgetting the least recently touched ones, in O(1) per access:
/// keys live in two generations; when the current one holds `limit / 2` keys it becomes the previous one and
/// the old previous one is dropped. A key found in the previous generation moves back to the current one.
/// So at least the `limit / 2` most recently touched keys are always remembered, and never more than `limit`.
///
/// The mock counts attempts per device token and uses per provider token with it: a forgotten key starts
/// counting again at zero (documented with the options that depend on it).
public struct BoundedTally<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    public let limit: Int
    private var current: [Key: Value] = [:]
    private var previous: [Key: Value] = [:]

    public init(limit: Int) {
        self.limit = max(2, limit)
    }

    /// Keys remembered now.
    public var count: Int { current.count + previous.count }

    public func value(for key: Key) -> Value? { current[key] ?? previous[key] }

    /// Runs `body` on the key's value (`initial` when the key is new or forgotten) and keeps the result.
    @discardableResult
    public mutating func update<R>(_ key: Key, initial: Value, _ body: (inout Value) -> R) -> R {
        if current[key] == nil, let old = previous.removeValue(forKey: key) {
            makeRoom()
            current[key] = old
        } else if current[key] == nil {
            makeRoom()
        }
        return body(&current[key, default: initial])
    }

    private mutating func makeRoom() {
        guard current.count >= limit / 2 else { return }
        previous = current
        current = [:]
        current.reserveCapacity(limit / 2)
    }
}

/// What the mock remembers about one device token.
public struct TokenTally: Sendable, Equatable {
    /// Requests seen for the token (the `attempt` of the latest one).
    public var attempts = 0
    /// Requests answered 200.
    public var accepted = 0

    public init(attempts: Int = 0, accepted: Int = 0) {
        self.attempts = attempts
        self.accepted = accepted
    }
}

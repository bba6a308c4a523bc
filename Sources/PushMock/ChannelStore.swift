import Foundation
import Synchronization

/// The broadcast channels the mock knows, per bundle id (apns-protocol.md §9.1): created by the management API,
/// read by it and by `/4/broadcasts`. A value with no I/O; `SharedChannelStore` guards one for the server's
/// threads.
///
/// Bounded: at most `limitPerBundle` channels per bundle (APNs allows 10,000 per app and environment; a create
/// beyond it is refused with CannotCreateChannelConfig) and at most `totalLimit` channels over all bundles, so a
/// client creating channels for endless made-up bundle ids cannot grow the mock without end.
public struct ChannelStore: Sendable, Equatable {
    /// APNs' limit of channels per app and environment.
    public static let apnsLimitPerBundle = 10_000
    /// Channels kept over all bundles at most.
    public static let defaultTotalLimit = 100_000

    /// The channels of one bundle, in creation order.
    struct Bundle: Sendable, Equatable {
        var ids: [String] = []
        var policies: [String: Int] = [:]
    }

    public let limitPerBundle: Int
    public let totalLimit: Int
    private var bundles: [String: Bundle] = [:]
    /// Channels in all bundles.
    public private(set) var count = 0

    public init(limitPerBundle: Int = ChannelStore.apnsLimitPerBundle, totalLimit: Int = ChannelStore.defaultTotalLimit) {
        self.limitPerBundle = max(0, limitPerBundle)
        self.totalLimit = max(0, totalLimit)
    }

    /// True when one more channel fits in `bundle`.
    public func canCreate(in bundle: String) -> Bool {
        (bundles[bundle]?.ids.count ?? 0) < limitPerBundle && count < totalLimit
    }

    /// Adds channel `id` with its `message-storage-policy`; false (nothing changes) when it does not fit or the id
    /// is taken.
    @discardableResult
    public mutating func insert(id: String, policy: Int, in bundle: String) -> Bool {
        guard canCreate(in: bundle), bundles[bundle]?.policies[id] == nil else { return false }
        bundles[bundle, default: Bundle()].ids.append(id)
        bundles[bundle, default: Bundle()].policies[id] = policy
        count += 1
        return true
    }

    /// The `message-storage-policy` of channel `id` in `bundle`, nil when it is not registered there.
    public func policy(of id: String, in bundle: String) -> Int? {
        bundles[bundle]?.policies[id]
    }

    /// Removes channel `id`; false when it was not registered in `bundle`.
    @discardableResult
    public mutating func remove(id: String, from bundle: String) -> Bool {
        guard var channels = bundles[bundle], channels.policies.removeValue(forKey: id) != nil else { return false }
        channels.ids.removeAll { $0 == id }
        bundles[bundle] = channels.ids.isEmpty ? nil : channels
        count -= 1
        return true
    }

    /// The ids of `bundle`'s channels, in creation order.
    public func ids(in bundle: String) -> [String] { bundles[bundle]?.ids ?? [] }
}

/// One `ChannelStore` shared by the push port and the management port (and read by tests while the server runs),
/// with the source of new channel ids: random, or reproducible from a seed.
public final class SharedChannelStore: Sendable {
    private struct State {
        var store: ChannelStore
        var ids: MockIDGenerator
    }

    private let state: Mutex<State>

    /// `seed` nil: ids differ on every run.
    public init(limitPerBundle: Int = ChannelStore.apnsLimitPerBundle, totalLimit: Int = ChannelStore.defaultTotalLimit,
                seed: UInt64? = nil) {
        state = Mutex(State(store: ChannelStore(limitPerBundle: limitPerBundle, totalLimit: totalLimit),
                            ids: seed.map { MockIDGenerator(seed: $0) } ?? MockIDGenerator()))
    }

    /// Creates a channel and returns its new id, or nil when the bundle (or the store) is full.
    public func create(policy: Int, in bundle: String) -> String? {
        state.withLock { state in
            guard state.store.canCreate(in: bundle) else { return nil }
            while true {
                let id = state.ids.nextChannelID()
                if state.store.insert(id: id, policy: policy, in: bundle) { return id }
            }
        }
    }

    public func policy(of id: String, in bundle: String) -> Int? {
        state.withLock { $0.store.policy(of: id, in: bundle) }
    }

    @discardableResult
    public func remove(id: String, from bundle: String) -> Bool {
        state.withLock { $0.store.remove(id: id, from: bundle) }
    }

    public func ids(in bundle: String) -> [String] {
        state.withLock { $0.store.ids(in: bundle) }
    }

    /// Channels in all bundles.
    public var count: Int { state.withLock { $0.store.count } }
}

extension MockIDGenerator {
    /// A channel id as APNs makes them: 16 random bytes in standard base64 (24 characters, `==` at the end).
    mutating func nextChannelID() -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        for word in [next64(), next64()] {
            for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
        }
        return Data(bytes).base64EncodedString()
    }
}

import Dispatch
import Foundation
import Testing
@testable import PushMock

@Suite("ChannelStore: per-bundle channels, limits, shared use")
struct ChannelStoreLimitsTests {
    // #expect cannot call a mutating method itself.
    static func insert(_ store: inout ChannelStore, id: String, policy: Int, in bundle: String) -> Bool {
        store.insert(id: id, policy: policy, in: bundle)
    }

    static func remove(_ store: inout ChannelStore, id: String, from bundle: String) -> Bool {
        store.remove(id: id, from: bundle)
    }

    @Test func channelsBelongToTheirBundleInCreationOrder() {
        var store = ChannelStore()
        #expect(Self.insert(&store, id: "QQ==", policy: 1, in: "com.a"))
        #expect(Self.insert(&store, id: "Qg==", policy: 0, in: "com.a"))
        #expect(Self.insert(&store, id: "QQ==", policy: 0, in: "com.b"), "the same id in another bundle is another channel")
        #expect(!Self.insert(&store, id: "QQ==", policy: 0, in: "com.a"), "an id is never taken twice")
        #expect(store.ids(in: "com.a") == ["QQ==", "Qg=="])
        #expect(store.policy(of: "Qg==", in: "com.a") == 0)
        #expect(store.policy(of: "Qg==", in: "com.b") == nil)
        #expect(store.count == 3)
        #expect(Self.remove(&store, id: "QQ==", from: "com.a"))
        #expect(!Self.remove(&store, id: "QQ==", from: "com.a"))
        #expect(store.ids(in: "com.a") == ["Qg=="])
        #expect(store.policy(of: "QQ==", in: "com.b") == 0)
        #expect(store.count == 2)
    }

    @Test func theLimitIsPerBundleAndFreedByDeleting() {
        var store = ChannelStore(limitPerBundle: 2)
        #expect(Self.insert(&store, id: "AA==", policy: 1, in: "com.a"))
        #expect(Self.insert(&store, id: "AQ==", policy: 1, in: "com.a"))
        #expect(!store.canCreate(in: "com.a"))
        #expect(!Self.insert(&store, id: "Ag==", policy: 1, in: "com.a"))
        #expect(Self.insert(&store, id: "Ag==", policy: 1, in: "com.b"))
        store.remove(id: "AA==", from: "com.a")
        #expect(Self.insert(&store, id: "Aw==", policy: 1, in: "com.a"))
    }

    @Test func theTotalBoundsEveryBundleTogether() {
        var store = ChannelStore(limitPerBundle: 10, totalLimit: 3)
        for (index, bundle) in ["a", "b", "c"].enumerated() { #expect(Self.insert(&store, id: "A\(index)==", policy: 1, in: bundle)) }
        #expect(!store.canCreate(in: "d"))
        #expect(store.count == 3)
    }

    @Test func apnsLimitIsTenThousand() {
        let shared = SharedChannelStore()
        var created = 0
        while shared.create(policy: 1, in: "com.a") != nil { created += 1 }
        #expect(created == 10_000)
        #expect(shared.create(policy: 1, in: "com.b") != nil)
    }

    @Test func seededIDsRepeatAndAreBase64() {
        let first = SharedChannelStore(seed: 7)
        let second = SharedChannelStore(seed: 7)
        let ids = (0..<5).compactMap { _ in first.create(policy: 1, in: "com.a") }
        #expect(ids == (0..<5).compactMap { _ in second.create(policy: 1, in: "com.a") })
        #expect(Set(ids).count == 5)
        for id in ids {
            #expect(id.count == 24 && id.hasSuffix("==") && ChannelID.isValid(id))
            #expect(Data(base64Encoded: id)?.count == 16)
        }
        let unseeded = SharedChannelStore().create(policy: 1, in: "com.a")
        #expect(unseeded != ids.first)
    }

    @Test func concurrentCreatorsNeverExceedTheLimit() {
        let shared = SharedChannelStore(limitPerBundle: 500)
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            for _ in 0..<200 { _ = shared.create(policy: 0, in: "com.a") }
        }
        #expect(shared.ids(in: "com.a").count == 500)
        #expect(Set(shared.ids(in: "com.a")).count == 500)
    }
}

import Testing
@testable import PushCore

@Suite("NGHTTP2MemoryPool: nghttp2's blocks, reused by size class")
struct NGHTTP2MemoryPoolReuseTests {
    @Test("sizes map to the smallest class that holds them; beyond the largest class there is none",
          arguments: [(0, 0), (1, 0), (32, 0), (33, 1), (64, 1), (65, 2), (4096, 7), (16384, 9), (16385, nil)] as [(Int, Int?)])
    func sizeClasses(size: Int, expected: Int?) {
        #expect(NGHTTP2MemoryPool.sizeClass(of: size) == expected)
        if let expected { #expect(NGHTTP2MemoryPool.capacity(ofClass: expected) >= size) }
    }

    @Test("a freed block is handed out again for a request of its class, and blocks in use never overlap")
    func reuse() throws {
        let pool = NGHTTP2MemoryPool()
        let a = try #require(pool.allocate(100))
        let b = try #require(pool.allocate(100))
        #expect(abs(a - b) >= 128)
        a.initializeMemory(as: UInt8.self, repeating: 0xAB, count: 100)
        pool.release(a)
        let c = try #require(pool.allocate(120))   // same class (128 bytes)
        #expect(c == a)
        let d = try #require(pool.allocate(300))   // another class: a new block
        #expect(d != a && d != b)
        #expect(pool.blocksInUse == 3)
        for block in [b, c, d] { pool.release(block) }
        pool.release(nil)
        #expect(pool.blocksInUse == 0)
    }

    @Test("reallocate keeps the content: in place within the class, copied when it grows past it, large blocks too")
    func reallocate() throws {
        let pool = NGHTTP2MemoryPool()
        let block = try #require(pool.allocate(40))
        for i in 0..<40 { block.storeBytes(of: UInt8(i), toByteOffset: i, as: UInt8.self) }
        let same = try #require(pool.reallocate(block, 60))
        #expect(same == block)
        let grown = try #require(pool.reallocate(same, 1000))
        let huge = try #require(pool.reallocate(grown, 100_000))
        let large = try #require(pool.reallocate(huge, 200_000))
        #expect((0..<40).allSatisfy { large.load(fromByteOffset: $0, as: UInt8.self) == UInt8($0) })
        pool.release(large)
        let fresh = try #require(pool.reallocate(nil, 10))
        pool.release(fresh)
    }

    @Test("a real session allocates from its pool: more blocks held with 100 requests queued than before")
    func sessionUsesPool() throws {
        let owner = HTTP2ClientSessionDelegate()
        let session = try HTTP2ClientSession(delegate: owner, initialMaxStreams: 100)
        let idle = session.memoryBlocksInUse
        #expect(idle > 0)   // the session itself
        var block = APNsRequestHeaders()
        for tag in 0..<100 {
            block.update(for: PushNotification(line: tag, token: String(repeating: "ab", count: 32), payload: [0x7B, 0x7D]),
                         authority: "127.0.0.1", authorization: "bearer x")
            _ = try session.submitRequest(headers: block.block, body: [0x7B, 0x7D], tag: tag)
        }
        #expect(session.memoryBlocksInUse >= idle + 100)   // at least a stream each
        var output: [UInt8] = []
        try session.send(into: &output)
        #expect(output.count > 100 * 9)   // a HEADERS frame (and more) per request came out
    }
}

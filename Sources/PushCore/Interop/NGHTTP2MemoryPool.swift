import CNGHTTP2
#if canImport(Glibc)
import Glibc
#endif

/// A per-session allocator for nghttp2 (`nghttp2_mem`): freed blocks go on a free list of their size class and
/// are handed out again, instead of through glibc's malloc. nghttp2 allocates about a dozen small blocks per
/// request (stream, frames, header copies) and frees them when the stream closes; with hundreds of streams in
/// flight those sizes overflow glibc's per-thread cache, and malloc/free showed as ~7% of a campaign's CPU.
///
/// Size classes are powers of two from 32 bytes to 16 KiB; larger requests go to malloc. Every block has a
/// 16-byte header holding its class (so `free` knows where it goes, and alignment stays 16). The pool holds at
/// most what the session once had in use at the same time, and gives it all back in `deinit` (after
/// `nghttp2_session_del`, which returns every block). Used by one thread: the session's.
final class NGHTTP2MemoryPool {
    private static let headerSize = 16
    private static let smallestShift = 5                  // 32 bytes
    private static let classCount = 10                    // ... 16 KiB
    private static let systemClass = UInt64.max

    /// Heads of the free lists, one per class; a free block's first word points to the next one. A raw buffer,
    /// not an Array: no uniqueness, bounds or exclusivity checks on a path taken ~25 times per request.
    private let freeLists: UnsafeMutablePointer<UnsafeMutableRawPointer?> = {
        let heads = UnsafeMutablePointer<UnsafeMutableRawPointer?>.allocate(capacity: classCount)
        heads.initialize(repeating: nil, count: classCount)
        return heads
    }()

    /// The `nghttp2_mem` to give `nghttp2_session_client_new3`; valid while the pool lives. Its callbacks reach the
    /// pool through `_withUnsafeGuaranteedRef`: no retain/release pair on a path taken ~25 times per request.
    var mem: nghttp2_mem {
        nghttp2_mem(
            mem_user_data: Unmanaged.passUnretained(self).toOpaque(),
            malloc: { size, user in NGHTTP2MemoryPool.with(user) { $0.allocate(size) } },
            free: { pointer, user in NGHTTP2MemoryPool.with(user) { $0.release(pointer) } },
            calloc: { count, size, user in
                let (total, overflow) = count.multipliedReportingOverflow(by: size)
                guard !overflow, let block = NGHTTP2MemoryPool.with(user, { $0.allocate(total) }) else { return nil }
                block.initializeMemory(as: UInt8.self, repeating: 0, count: total)
                return block
            },
            realloc: { pointer, size, user in NGHTTP2MemoryPool.with(user) { $0.reallocate(pointer, size) } })
    }

    @inline(__always)
    private static func with<R>(_ user: UnsafeMutableRawPointer?, _ body: (NGHTTP2MemoryPool) -> R) -> R {
        Unmanaged<NGHTTP2MemoryPool>.fromOpaque(user!)._withUnsafeGuaranteedRef(body)
    }

    /// Blocks handed out and not given back (for tests and leak checks); a raw counter, like the free lists.
    private let inUse: UnsafeMutablePointer<Int> = {
        let counter = UnsafeMutablePointer<Int>.allocate(capacity: 1)
        counter.initialize(to: 0)
        return counter
    }()

    var blocksInUse: Int { inUse.pointee }

    deinit {
        for index in 0..<Self.classCount {
            var next = freeLists[index]
            while let block = next {
                next = block.load(as: UnsafeMutableRawPointer?.self)
                free(block - Self.headerSize)
            }
        }
        freeLists.deallocate()
        inUse.deallocate()
    }

    /// The class whose blocks hold `size` bytes, nil when too large for a class.
    static func sizeClass(of size: Int) -> Int? {
        let needed = max(size, 1 << smallestShift)
        let shift = Int.bitWidth - (needed - 1).leadingZeroBitCount   // ceil(log2(needed))
        let index = shift - smallestShift
        return index < classCount ? index : nil
    }

    static func capacity(ofClass index: Int) -> Int { 1 << (index + smallestShift) }

    func allocate(_ size: Int) -> UnsafeMutableRawPointer? {
        inUse.pointee += 1
        guard let index = Self.sizeClass(of: size) else {
            guard let raw = malloc(Self.headerSize + size) else { inUse.pointee -= 1; return nil }
            raw.storeBytes(of: Self.systemClass, as: UInt64.self)
            return raw + Self.headerSize
        }
        if let block = freeLists[index] {
            freeLists[index] = block.load(as: UnsafeMutableRawPointer?.self)
            return block
        }
        guard let raw = malloc(Self.headerSize + Self.capacity(ofClass: index)) else { inUse.pointee -= 1; return nil }
        raw.storeBytes(of: UInt64(index), as: UInt64.self)
        return raw + Self.headerSize
    }

    func release(_ pointer: UnsafeMutableRawPointer?) {
        guard let pointer else { return }
        inUse.pointee -= 1
        let sizeClass = (pointer - Self.headerSize).load(as: UInt64.self)
        guard sizeClass != Self.systemClass else { return free(pointer - Self.headerSize) }
        let index = Int(sizeClass)
        pointer.storeBytes(of: freeLists[index], as: UnsafeMutableRawPointer?.self)
        freeLists[index] = pointer
    }

    func reallocate(_ pointer: UnsafeMutableRawPointer?, _ size: Int) -> UnsafeMutableRawPointer? {
        guard let pointer else { return allocate(size) }
        let sizeClass = (pointer - Self.headerSize).load(as: UInt64.self)
        if sizeClass == Self.systemClass {
            guard let raw = realloc(pointer - Self.headerSize, Self.headerSize + size) else { return nil }
            return raw + Self.headerSize
        }
        let capacity = Self.capacity(ofClass: Int(sizeClass))
        if size <= capacity { return pointer }
        guard let bigger = allocate(size) else { return nil }
        bigger.copyMemory(from: pointer, byteCount: capacity)
        release(pointer)
        return bigger
    }
}

import CZlib
import Glibc

/// Compresses bytes into one gzip member, incrementally. Each `sync` chunk ends with a zlib sync flush
/// (Z_SYNC_FLUSH): everything handed in so far can be decompressed from the output so far, so a file cut
/// off after any written chunk (a crash) still yields every line of the chunks before. `finish` writes the
/// end of the member (checksum and length).
final class GzipCompressor {
    enum Flush { case sync, finish }

    /// zlib remembers the stream's address: it lives behind a pointer, never in a movable Swift value.
    private let stream: UnsafeMutablePointer<z_stream>
    private var finished = false

    init(level: Int32 = 6) throws(FileIOError) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        guard apnsctl_deflateInit2(stream, level, 15 + 16) == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            throw FileIOError(path: "gzip", operation: "start compressing", errno: ENOMEM)
        }
    }

    deinit {
        deflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Compresses `bytes` and appends the output to `out`, flushed as `flush` says.
    func compress(_ bytes: UnsafeRawBufferPointer, flush: Flush, into out: inout [UInt8]) {
        precondition(!finished, "the gzip member is already finished")
        let mode = flush == .sync ? Z_SYNC_FLUSH : Z_FINISH
        let stream = self.stream
        stream.pointee.next_in = bytes.isEmpty ? nil : UnsafeMutablePointer(mutating: bytes.baseAddress!.assumingMemoryBound(to: UInt8.self))
        stream.pointee.avail_in = UInt32(bytes.count)
        let chunk = Swift.max(4096, bytes.count / 2 + 64)
        while true {
            let start = out.count
            out.append(contentsOf: repeatElement(0, count: chunk))
            let status = out.withUnsafeMutableBufferPointer { buffer in
                stream.pointee.next_out = buffer.baseAddress! + start
                stream.pointee.avail_out = UInt32(chunk)
                return deflate(stream, mode)
            }
            let left = Int(stream.pointee.avail_out)
            out.removeLast(left)
            stream.pointee.next_out = nil
            // Z_BUF_ERROR only means "nothing more to do"; anything else but OK/STREAM_END is a bug here.
            precondition(status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR, "deflate failed: \(status)")
            if mode == Z_FINISH {
                if status == Z_STREAM_END { break }
            } else if left > 0 && stream.pointee.avail_in == 0 {
                break
            }
        }
        stream.pointee.next_in = nil
        if mode == Z_FINISH { finished = true }
    }
}

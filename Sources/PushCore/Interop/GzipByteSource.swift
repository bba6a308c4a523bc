import CZlib

/// Decompresses a gzip stream read from another `ByteSource`, a chunk at a time (memory stays flat whatever
/// the sizes; a "zip bomb" only costs time). Concatenated gzip members (`cat a.gz b.gz`, or a report that a
/// resumed run appended to) are read one after the other.
///
/// A stream that ends early (a file still being written, or a report of a run killed with SIGKILL) is an
/// error, unless `tolerateTruncation`: then the bytes decoded so far are returned and `wasTruncated` is set.
/// Corrupt data is always an error. Errors name the input.
public final class GzipByteSource: ByteSource {
    /// The input's name in messages.
    public let name: String
    public let tolerateTruncation: Bool
    /// Set when the stream ended in the middle of a member and that was tolerated.
    public private(set) var wasTruncated = false

    private var source: any ByteSource
    /// zlib remembers the stream's address: it lives behind a pointer, never in a movable Swift value.
    private let stream: UnsafeMutablePointer<z_stream>
    private var input: [UInt8] = []
    private var inputOffset = 0
    private var sourceEnded = false
    /// Between members: the last one ended and the next has not started.
    private var betweenMembers = false
    private var finished = false

    public init(source: any ByteSource, name: String, tolerateTruncation: Bool = false) throws(InputError) {
        self.source = source
        self.name = name
        self.tolerateTruncation = tolerateTruncation
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // 15 + 16: the largest window, gzip wrapper (not zlib, not raw deflate).
        let status = apnsctl_inflateInit2(stream, 15 + 16)
        guard status == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            throw InputError("\(name): cannot start decompressing (zlib error \(status))")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    public func read(into buffer: inout [UInt8], max: Int) throws -> Int {
        precondition(max > 0, "read size must be positive")
        if finished { return 0 }
        let start = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: max))
        var produced = 0
        defer { buffer.removeLast(max - produced) }
        while produced == 0 {
            if inputOffset == input.count && !sourceEnded {
                input.removeAll(keepingCapacity: true)
                inputOffset = 0
                if try source.read(into: &input, max: InputDefaults.chunkSize) == 0 { sourceEnded = true }
            }
            if betweenMembers {
                guard try startNextMember() else {
                    finished = true
                    return 0
                }
            }
            if inputOffset == input.count && sourceEnded {
                // No more compressed bytes, and the member has not ended.
                if tolerateTruncation {
                    wasTruncated = true
                    finished = true
                    return 0
                }
                throw InputError("\(name): the gzip data ends early (the file is truncated or still being written)")
            }
            let status = inflateStep(into: &buffer, at: start + produced, count: max - produced, produced: &produced)
            switch status {
            case Z_OK:
                continue
            case Z_STREAM_END:
                betweenMembers = true
            case Z_BUF_ERROR:
                continue   // needs more input: the next pass reads it (or reports the truncation)
            default:
                let detail = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                throw InputError("\(name): corrupt gzip data: \(detail)")
            }
        }
        return produced
    }

    /// One `inflate` call from the pending input into `buffer[offset..<offset+count]`.
    private func inflateStep(into buffer: inout [UInt8], at offset: Int, count: Int, produced: inout Int) -> Int32 {
        let available = input.count - inputOffset
        let stream = self.stream
        let status = input.withUnsafeMutableBufferPointer { inBytes in
            buffer.withUnsafeMutableBufferPointer { outBytes in
                stream.pointee.next_in = available > 0 ? inBytes.baseAddress! + inputOffset : nil
                stream.pointee.avail_in = UInt32(available)
                stream.pointee.next_out = outBytes.baseAddress! + offset
                stream.pointee.avail_out = UInt32(count)
                let status = inflate(stream, Z_NO_FLUSH)
                stream.pointee.next_in = nil
                stream.pointee.next_out = nil
                return status
            }
        }
        inputOffset += available - Int(stream.pointee.avail_in)
        produced += count - Int(stream.pointee.avail_out)
        return status
    }

    /// After a member ended: true when another member follows (and inflate is reset for it), false at the end
    /// of the input. Zero padding after the last member is ignored; other trailing bytes are an error.
    private func startNextMember() throws -> Bool {
        while true {
            if inputOffset == input.count {
                if sourceEnded { return false }
                input.removeAll(keepingCapacity: true)
                inputOffset = 0
                if try source.read(into: &input, max: InputDefaults.chunkSize) == 0 { sourceEnded = true }
                continue
            }
            if input[inputOffset] == 0 {
                inputOffset += 1
                continue
            }
            guard input[inputOffset] == 0x1F else {
                throw InputError("\(name): unexpected data after the end of the gzip stream")
            }
            inflateReset(stream)
            betweenMembers = false
            return true
        }
    }
}

/// Serves `prefix` first, then whatever `rest` gives: bytes a reader already took from a source to look at
/// (the gzip magic) are handed on to the decompressor.
public final class PrefixedByteSource: ByteSource {
    private var prefix: [UInt8]
    private var offset = 0
    private var rest: any ByteSource

    public init(prefix: [UInt8], rest: any ByteSource) {
        self.prefix = prefix
        self.rest = rest
    }

    public func read(into buffer: inout [UInt8], max: Int) throws -> Int {
        if offset < prefix.count {
            let n = Swift.min(max, prefix.count - offset)
            buffer.append(contentsOf: prefix[offset..<(offset + n)])
            offset += n
            if offset == prefix.count {
                prefix = []
                offset = 0
            }
            return n
        }
        return try rest.read(into: &buffer, max: max)
    }
}

import PushCore
import Synchronization

/// Bytes read from the input so far, shared between the reading thread and the progress ticker.
final class ByteCounter: Sendable {
    private let count = Atomic<Int>(0)
    func add(_ n: Int) { count.add(n, ordering: .relaxed) }
    var value: Int { count.load(ordering: .relaxed) }
}

/// A `ByteSource` that counts what passes through it, for the progress line's percentage.
struct CountingByteSource: ByteSource {
    var base: any ByteSource
    let counter: ByteCounter

    mutating func read(into buffer: inout [UInt8], max: Int) throws -> Int {
        let n = try base.read(into: &buffer, max: max)
        counter.add(n)
        return n
    }
}

/// Opens `--input` like `openRecordReader(path:format:tokenField:)`, with its bytes counted; also says how
/// big the input is when it is a regular file (stdin and pipes have no known size).
func openCountedInput(path: String, format: InputFormat?, tokenField: String)
    throws -> (reader: any RecordReader, counter: ByteCounter, total: ProgressTotal) {
    let file = try FileByteSource(path: path)
    let counter = ByteCounter()
    var total = ProgressTotal.unknown
    if path != "-", let info = FileIO.status(path), info.isRegular, info.size > 0 {
        total = .bytes(info.size)
    }
    let reader = try openRecordReader(source: CountingByteSource(base: file, counter: counter), name: file.name,
                                      format: format ?? InputFormat(path: path), tokenField: tokenField)
    return (reader, counter, total)
}

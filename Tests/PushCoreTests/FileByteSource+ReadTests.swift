import Testing
@testable import PushCore

@Suite struct FileByteSourceReadTests {
    @Test func readsAFileInChunksAndAppends() throws {
        let dir = try TemporaryDirectory()
        let content = (0..<100_000).map { UInt8($0 % 251) }
        let path = try dir.write("blob.bin", content)
        let source = try FileByteSource(path: path)
        #expect(source.name == path)
        var buffer: [UInt8] = [9, 9]
        var reads = 0
        while true {
            let n = try source.read(into: &buffer, max: 4096)
            if n == 0 { break }
            #expect(n <= 4096)
            reads += 1
        }
        #expect(reads >= 25)
        #expect(buffer == [9, 9] + content)
    }

    @Test func dashMeansStdin() throws {
        let source = try FileByteSource(path: "-")
        #expect(source.name == "stdin")
    }

    @Test func bufferSourceHonoursChunkSize() throws {
        var source = BufferByteSource([1, 2, 3, 4, 5], chunkSize: 2)
        var buffer: [UInt8] = []
        #expect(try source.read(into: &buffer, max: 10) == 2)
        #expect(try source.read(into: &buffer, max: 1) == 1)
        #expect(try source.read(into: &buffer, max: 10) == 2)
        #expect(try source.read(into: &buffer, max: 10) == 0)
        #expect(buffer == [1, 2, 3, 4, 5])
    }
}

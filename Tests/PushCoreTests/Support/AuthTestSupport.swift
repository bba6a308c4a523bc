import Foundation
import Synchronization

/// Temporary directories and the `openssl` command-line tool, for the Auth, Interop and Report tests.
enum AuthTestSupport {
    /// A fresh empty directory under the system temp directory; removed by `removeDirectory`.
    static func makeDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "apnsctl-auth-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func removeDirectory(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    static func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    static func write(_ bytes: [UInt8], to path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    static func read(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// The `openssl` binary on PATH, if any.
    static let opensslPath: String? = {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return directories.map { "\($0)/openssl" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    static var hasOpenSSL: Bool { opensslPath != nil }

    struct Result {
        var status: Int32
        var output: String
    }

    /// Runs `openssl` with `arguments`; stdout and stderr together in `output`.
    static func openssl(_ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: opensslPath ?? "/usr/bin/openssl")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }
}

/// A settable UNIX-seconds clock that @Sendable closures can read.
final class AuthTestClock: Sendable {
    private let seconds: Atomic<Int64>

    init(_ now: Int64) { seconds = Atomic(now) }

    var now: Int64 {
        get { seconds.load(ordering: .relaxed) }
        set { seconds.store(newValue, ordering: .relaxed) }
    }

    func advance(by delta: Int64) { seconds.add(delta, ordering: .relaxed) }
}

import Foundation
import PushCore
@testable import apnsctl

/// A `send` command line that passes validation; tests add or change one thing at a time.
let validSend: [String] = [
    "send", "--input", "recipients.csv", "--template", "payload.json", "--topic", "com.example.app",
    "--key", "AuthKey_ABC123DEFG.p8", "--key-id", "ABC123DEFG", "--team-id", "DEF123GHIJ",
    "--report", "report.jsonl",
]

/// `send` with `--device` instead of `--input` (and no `--report`).
let validDeviceSend: [String] = [
    "send", "--device", "aa11", "--payload", #"{"aps":{"alert":"Hi"}}"#, "--topic", "com.example.app",
    "--key", "k.p8", "--key-id", "ABC123DEFG", "--team-id", "DEF123GHIJ",
]

func parse(_ args: [String], environment: [String: String] = [:]) -> Result<Invocation, UsageError> {
    parseInvocation(args: args, environment: environment)
}

/// The parsed invocation, or nil when parsing failed.
func invocation(_ args: [String], environment: [String: String] = [:]) -> Invocation? {
    try? parse(args, environment: environment).get()
}

/// The usage error's message, or nil when the arguments parsed.
func usageMessage(_ args: [String], environment: [String: String] = [:]) -> String? {
    if case .failure(let error) = parse(args, environment: environment) { return error.message }
    return nil
}

func sendOptions(_ args: [String], environment: [String: String] = [:]) -> SendOptions? {
    if case .success(.send(let options)) = parse(args, environment: environment) { return options }
    return nil
}

func mockOptions(_ args: [String]) -> MockOptions? {
    if case .success(.mock(let options)) = parse(args) { return options }
    return nil
}

/// `args` with the values of `option` removed (the option and the word after it).
func removing(_ option: String, from args: [String]) -> [String] {
    var out: [String] = []
    var skip = false
    for arg in args {
        if skip { skip = false; continue }
        if arg == option { skip = true; continue }
        out.append(arg)
    }
    return out
}

enum Repository {
    /// The package root, found from this file's path (Tests/apnsctlTests/TestSupport.swift).
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func contents(of path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }
}

/// Runs programs for the tests that check generated files with real tools.
enum Tool {
    /// The full path of `name` on PATH, or nil when it is not installed.
    static func path(_ name: String) -> String? {
        let dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return dirs.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func has(_ name: String) -> Bool { path(name) != nil }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `executable` with `arguments` and optional stdin text; waits for it to finish.
    /// Output goes through temporary files, so a chatty child can never stall on a full pipe.
    static func run(_ executable: String, _ arguments: [String], stdin: String? = nil,
                    environment: [String: String]? = nil) throws -> Result {
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("apnsctlTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout"), errURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: outURL), errHandle = try FileHandle(forWritingTo: errURL)
        defer { try? outHandle.close(); try? errHandle.close() }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if var environment {
            // A test under `make sanitize` hands its sanitizer options (suppressions, unwinder) to the child too.
            for name in ["ASAN_OPTIONS", "LSAN_OPTIONS", "TSAN_OPTIONS", "ASAN_SYMBOLIZER_PATH"] where environment[name] == nil {
                environment[name] = ProcessInfo.processInfo.environment[name]
            }
            process.environment = environment
        }
        process.standardOutput = outHandle
        process.standardError = errHandle
        let input = Pipe()
        process.standardInput = input
        try process.run()
        if let stdin { try input.fileHandleForWriting.write(contentsOf: Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      stdout: try String(contentsOf: outURL, encoding: .utf8),
                      stderr: try String(contentsOf: errURL, encoding: .utf8))
    }
}

import Foundation
import Testing
import PushCore

/// End-to-end tests: the built `apnsctl send` against the built `apnsctl mock` over real TLS + HTTP/2 on
/// 127.0.0.1. Serialized: each test runs two processes, and the machine has two cores.
@Suite("apnsctl send against apnsctl mock, end to end", .serialized)
enum EndToEndTests {}

/// A problem of the test harness itself (a process that hung, a mock that did not start).
struct EndToEndError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A child process whose stdout and stderr go to files (a chatty child never stalls on a full pipe) and whose
/// stdin is /dev/null. Killed with SIGKILL when dropped while still running.
final class ChildProcess {
    struct Result {
        var status: Int32
        /// `.exit` for a normal exit, `.uncaughtSignal` when a signal ended it.
        var reason: Process.TerminationReason
        var stdout: String
        var stderr: String
    }

    let name: String
    private let process = Process()
    private let stdoutURL: URL
    private let stderrURL: URL
    private let exited = DispatchSemaphore(value: 0)
    private var result: Result?

    init(_ executable: String, _ arguments: [String], name: String, directory: URL) throws {
        self.name = name
        let tag = UUID().uuidString.prefix(8)
        stdoutURL = directory.appendingPathComponent("\(name)-\(tag).stdout")
        stderrURL = directory.appendingPathComponent("\(name)-\(tag).stderr")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: stdoutURL), err = try FileHandle(forWritingTo: stderrURL)
        defer { try? out.close(); try? err.close() }
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let exited = self.exited
        process.terminationHandler = { _ in exited.signal() }
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    var isRunning: Bool { process.isRunning }
    var processIdentifier: Int32 { process.processIdentifier }

    /// What the process has written to stdout / stderr so far.
    var stdoutSoFar: String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }
    var stderrSoFar: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

    func signal(_ signo: Int32) {
        if process.isRunning { kill(process.processIdentifier, signo) }
    }

    /// Waits for the process to end. After `seconds` (stretched by `TestTime`) it is killed (SIGKILL) and the wait
    /// throws, so a hang fails the test instead of blocking CI.
    func wait(seconds: Double) throws -> Result {
        if let result { return result }
        if exited.wait(timeout: TestTime.deadline(seconds)) == .timedOut {
            signal(SIGKILL)
            _ = exited.wait(timeout: .now() + 5)
            throw EndToEndError("\(name) did not finish within \(Int(TestTime.seconds(seconds))) s and was killed; "
                + "stderr so far:\n\(stderrSoFar)")
        }
        process.waitUntilExit()   // lets Process record the status after the handler ran
        let finished = Result(status: process.terminationStatus, reason: process.terminationReason,
                              stdout: stdoutSoFar, stderr: stderrSoFar)
        result = finished
        return finished
    }
}

/// One scenario's world: a temporary directory, a fresh provider key (`AuthKey_TEST123456.p8`) and a running
/// `apnsctl mock` that verifies JWTs signed with it (or with another key), writing its CA and request log.
/// `stopMock()` ends the mock with SIGTERM and reads its log; dropping the fixture kills what is still running
/// and removes the directory.
final class MockFixture {
    static let keyID = "TEST123456"
    static let teamID = "TEAM123456"
    static let topic = "com.example.e2e"
    /// A hung `apnsctl send` is killed (and the test fails) after this long (stretched by `TestTime`).
    static let sendTimeLimit = 60.0

    let directory: URL
    let keyPath: String
    let caPath: String
    let logPath: String
    /// The mock's `--stats` file, written when it stops (read it with `statistics()` after `stopMock()`).
    let statsPath: String
    private(set) var port = 0
    private var mock: ChildProcess?

    /// Starts the mock. `respond` are `--respond` rules; `verifyKeyPath` makes the mock verify JWTs with
    /// another key than the one `send` signs with (the default is the same key); `mockArguments` are added to its
    /// command line; `verifyTokens` false starts it without `--auth-key` (for `--require-client-cert`).
    init(respond: [String] = [], verifyKeyPath: ((MockFixture) throws -> String)? = nil,
         mockArguments: [String] = [], verifyTokens: Bool = true) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("apnsctl-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        keyPath = directory.appendingPathComponent("AuthKey_\(Self.keyID).p8").path
        caPath = directory.appendingPathComponent("mock-ca.pem").path
        logPath = directory.appendingPathComponent("mock-requests.jsonl").path
        statsPath = directory.appendingPathComponent("mock-stats.json").path
        try ES256PrivateKey.generate().pkcs8PEM().write(toFile: keyPath, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keyPath)   // as a key should be

        let verifyKey = try verifyKeyPath?(self) ?? keyPath
        let portFile = directory.appendingPathComponent("mock.port").path
        var arguments = ["mock", "--listen", "127.0.0.1:0", "--port-file", portFile, "--write-ca", caPath,
                         "--log", logPath, "--stats", statsPath]
        if verifyTokens { arguments += ["--auth-key", verifyKey, "--key-id", Self.keyID, "--team-id", Self.teamID] }
        for rule in respond { arguments += ["--respond", rule] }
        arguments += mockArguments
        let mock = try ChildProcess(try BinarySmokeTests.binary(), arguments, name: "mock", directory: directory)
        self.mock = mock
        port = try Self.waitForPort(file: portFile, of: mock)
    }

    deinit {
        mock?.signal(SIGKILL)
        try? FileManager.default.removeItem(at: directory)
    }

    /// Reads the port the mock wrote; fails clearly when the mock exits first or takes over 15 s (stretched).
    private static func waitForPort(file: String, of mock: ChildProcess) throws -> Int {
        let deadline = Date().addingTimeInterval(TestTime.seconds(15))
        while Date() < deadline {
            if let text = try? String(contentsOfFile: file, encoding: .utf8),
               let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                return port
            }
            if !mock.isRunning {
                let result = try mock.wait(seconds: 5)
                throw EndToEndError("apnsctl mock exited with status \(result.status) before writing its port; "
                    + "stderr:\n\(result.stderr)")
            }
            usleep(20_000)
        }
        throw EndToEndError("apnsctl mock wrote no port file within \(Int(TestTime.seconds(15))) s; stderr so far:\n\(mock.stderrSoFar)")
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Writes `text` to `name` in the scenario's directory; returns the path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let path = path(name)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// `--key`, `--key-id`, `--team-id`, `--endpoint` (this mock) and `--ca-file` (its CA).
    var connection: [String] {
        ["--key", keyPath, "--key-id", Self.keyID, "--team-id", Self.teamID,
         "--endpoint", "127.0.0.1:\(port)", "--ca-file", caPath]
    }

    /// The mock's `--stats` document; complete once `stopMock()` returned.
    func statistics() throws -> JSONObject {
        guard case .object(let object) = try JSONParser.parse(try String(contentsOfFile: statsPath, encoding: .utf8)) else {
            throw EndToEndError("\(statsPath) is not a JSON object")
        }
        return object
    }

    /// Runs `apnsctl send` + `arguments` (nothing added) and waits for it, at most `sendTimeLimit`.
    func send(_ arguments: [String]) throws -> ChildProcess.Result {
        let child = try ChildProcess(try BinarySmokeTests.binary(), ["send"] + arguments, name: "send",
                                     directory: directory)
        return try child.wait(seconds: Self.sendTimeLimit)
    }

    /// Stops the mock with SIGTERM, checks that it exited 0, and returns its request log.
    func stopMock(sourceLocation: SourceLocation = #_sourceLocation) throws -> MockLog {
        guard let mock else { throw EndToEndError("the mock was already stopped") }
        self.mock = nil
        mock.signal(SIGTERM)
        let result = try mock.wait(seconds: 15)
        #expect(result.reason == .exit && result.status == 0,
                "apnsctl mock should stop cleanly on SIGTERM; stderr:\n\(result.stderr)", sourceLocation: sourceLocation)
        return try MockLog(path: logPath)
    }
}

/// The mock's request log: one JSON object per request.
struct MockLog {
    let text: String
    let requests: [JSONObject]

    init(path: String) throws {
        text = try String(contentsOfFile: path, encoding: .utf8)
        requests = try text.split(separator: "\n").enumerated().map { index, line in
            guard case .object(let object) = try JSONParser.parse(String(line)) else {
                throw EndToEndError("\(path):\(index + 1): not a JSON object: \(line)")
            }
            return object
        }
    }

    /// The logged tokens, one per request, in log order.
    var tokens: [String] { requests.compactMap { $0["token"]?.stringValue } }

    /// The single request for `token` (a test failure when there is not exactly one).
    func request(for token: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> JSONObject {
        let matches = requests.filter { $0["token"]?.stringValue == token }
        try #require(matches.count == 1, "expected one request for \(token), the log has \(matches.count)",
                     sourceLocation: sourceLocation)
        return matches[0]
    }
}

extension JSONValue {
    /// The integer a JSON number holds, nil for anything else.
    var intValue: Int? {
        if case .number(let text) = self { return Int(text) }
        return nil
    }

    /// The value at a path of object keys (`["aps", "alert", "body"]`).
    subscript(path keys: String...) -> JSONValue? {
        var current: JSONValue? = self
        for key in keys { current = current?.objectValue?[key] }
        return current
    }
}

/// Reading what `send` wrote.
enum ReportFile {
    /// The report's rows (apnsctl's own `ReportReader`), keyed by input line; a test failure on a repeated line.
    static func rowsByLine(_ rows: [ReportRow], sourceLocation: SourceLocation = #_sourceLocation) throws -> [Int: ReportRow] {
        var byLine: [Int: ReportRow] = [:]
        for row in rows {
            try #require(byLine[row.line] == nil, "the report has line \(row.line) twice", sourceLocation: sourceLocation)
            byLine[row.line] = row
        }
        return byLine
    }

    static func rows(path: String) throws -> [ReportRow] {
        try ReportReader(path: path).readAll()
    }

    /// A JSONL report's lines as JSON objects (to check the text of fields such as `finished_at`).
    static func objects(jsonl text: String) throws -> [JSONObject] {
        try text.split(separator: "\n").map { line in
            guard case .object(let object) = try JSONParser.parse(String(line)) else {
                throw EndToEndError("report line is not a JSON object: \(line)")
            }
            return object
        }
    }
}

/// Device tokens for the scenarios: 64 lowercase hex digits, `prefix` first (the mock's `--respond` rules
/// match prefixes), then `number` in hex.
func deviceToken(_ prefix: String, _ number: Int) -> String {
    let digits = String(number, radix: 16)
    return prefix + String(repeating: "0", count: 64 - prefix.count - digits.count) + digits
}

/// True for `8-4-4-4-12` hex UUID text.
func isUUID(_ text: String?) -> Bool {
    guard let text else { return false }
    return UUID(uuidString: text) != nil
}

/// A TCP port on 127.0.0.1 that nothing listens on (bound to find it, then closed).
func closedLoopbackPort() throws -> Int {
    let (fd, port) = try Socket.listen(host: "127.0.0.1", port: 0)
    Socket.close(fd)
    return port
}

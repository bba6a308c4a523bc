import Foundation
import Testing
@testable import apnsctl

/// A scratch directory with what the campaign tests run the built apnsctl with: a throwaway .p8 key, input
/// files, and `apnsctl mock` on 127.0.0.1 (a separate process, so a test can SIGINT or SIGKILL the sender).
final class CampaignHarness {
    let directory: URL
    let binary: String
    static let keyID = "TEST000001"
    static let teamID = "TEAM000001"
    static let topic = "com.example.app"
    private var mock: ChildProcess?
    private(set) var port = 0

    /// Skips when openssl is missing (the key is made with it).
    static var canRun: Bool { Tool.has("openssl") }

    init() throws {
        binary = try BinarySmokeTests.binary()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("apnsctl-campaign-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let key = try Tool.run(try #require(Tool.path("openssl")),
                               ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", path("key.p8")])
        try #require(key.status == 0, "openssl genpkey: \(key.stderr)")
    }

    deinit {
        stopMock()
        try? FileManager.default.removeItem(at: directory)
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func write(_ name: String, _ text: String) throws {
        try text.write(toFile: path(name), atomically: true, encoding: .utf8)
    }

    func read(_ name: String) throws -> String {
        try String(contentsOfFile: path(name), encoding: .utf8)
    }

    /// `token,name` rows with tokens `ab…<i>` (64 hex digits), one per line from line 2.
    static func token(_ i: Int) -> String {
        let hex = String(i, radix: 16)
        return "ab" + String(repeating: "0", count: 62 - hex.count) + hex
    }

    func writeRecipients(_ name: String, count: Int) throws {
        var text = "token,name\n"
        text.reserveCapacity(count * 80)
        for i in 1...count { text += "\(Self.token(i)),Customer \(i)\n" }
        try write(name, text)
    }

    /// Starts `apnsctl mock` on a free port of 127.0.0.1, logging each request to `mock.log`.
    func startMock(extra: [String] = []) throws {
        try? FileManager.default.removeItem(atPath: path("port"))   // a restarted mock writes its new port
        mock = try ChildProcess(binary, ["mock", "--listen", "127.0.0.1:0", "--port-file", path("port"), "--write-ca",
                                         path("ca.pem"), "--log", path("mock.log"), "--quiet"] + extra,
                                name: "mock", directory: directory)
        let deadline = Date().addingTimeInterval(TestTime.seconds(20))
        while Date() < deadline {
            if let text = try? read("port"), let value = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                port = value
                return
            }
            if mock?.isRunning == false { throw HarnessError("the mock server exited: \(mock?.stderrSoFar ?? "")") }
            usleep(20_000)
        }
        throw HarnessError("the mock server did not write its port")
    }

    func stopMock() {
        guard let mock else { return }
        mock.signal(SIGTERM)
        _ = try? mock.wait(seconds: 15)
    }

    /// Requests the mock has logged so far, one line each.
    func mockRequestLines() throws -> [Substring] {
        guard FileManager.default.fileExists(atPath: path("mock.log")) else { return [] }
        return try read("mock.log").split(separator: "\n")
    }

    /// `send` arguments for the mock: input, template, topic, key, endpoint, CA.
    func sendArguments(input: String, report: String, extra: [String] = []) -> [String] {
        ["send", "--input", path(input), "--payload", #"{"aps":{"alert":"Hi {{name}}"}}"#, "--topic", Self.topic,
         "--key", path("key.p8"), "--key-id", Self.keyID, "--team-id", Self.teamID,
         "--endpoint", "127.0.0.1:\(port == 0 ? 9 : port)", "--ca-file", path("ca.pem"), "--report", path(report),
         "--quiet"] + extra
    }

    func run(_ arguments: [String]) throws -> Tool.Result {
        let result = try start(arguments, name: "run").wait(seconds: 120)
        return Tool.Result(status: result.status, stdout: result.stdout, stderr: result.stderr)
    }

    /// Starts apnsctl without waiting (to signal it); its output goes to files in the directory.
    func start(_ arguments: [String], name: String) throws -> ChildProcess {
        try ChildProcess(binary, arguments, name: name, directory: directory)
    }

    struct HarnessError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}

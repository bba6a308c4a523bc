import Foundation
import Testing
import PushCore

/// A mock that also serves the channel-management API (`--manage-listen`), and the commands run against it.
final class ChannelMock {
    let fixture: MockFixture
    let managePort: Int
    private let managePortFile: String

    init(_ mockArguments: [String] = []) throws {
        let portFile = FileManager.default.temporaryDirectory.appendingPathComponent("apnsctl-manage-\(UUID().uuidString).port").path
        managePortFile = portFile
        fixture = try MockFixture(mockArguments: ["--manage-listen", "127.0.0.1:0", "--manage-port-file", portFile]
                                      + mockArguments)
        // The management port file is written before the push port's, which MockFixture waited for.
        let text = try String(contentsOfFile: portFile, encoding: .utf8)
        managePort = try #require(Int(text.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    deinit { try? FileManager.default.removeItem(atPath: managePortFile) }

    var credentials: [String] {
        ["--key", fixture.keyPath, "--key-id", MockFixture.keyID, "--team-id", MockFixture.teamID,
         "--ca-file", fixture.caPath]
    }

    /// `apnsctl channel OPERATION` against the management port.
    func channel(_ operation: String, _ arguments: [String]) throws -> ChildProcess.Result {
        try run(["channel", operation, "--bundle-id", MockFixture.topic, "--endpoint", "127.0.0.1:\(managePort)"]
                    + credentials + arguments)
    }

    /// `apnsctl broadcast` against the push port.
    func broadcast(_ arguments: [String]) throws -> ChildProcess.Result {
        try run(["broadcast", "--bundle-id", MockFixture.topic, "--endpoint", "127.0.0.1:\(fixture.port)"]
                    + credentials + arguments)
    }

    func start(_ arguments: [String], name: String) throws -> ChildProcess {
        try ChildProcess(try BinarySmokeTests.binary(), arguments, name: name, directory: fixture.directory)
    }

    private func run(_ arguments: [String]) throws -> ChildProcess.Result {
        try start(arguments, name: arguments[0]).wait(seconds: MockFixture.sendTimeLimit)
    }

    /// Stops the mock; returns its statistics' `broadcast` object.
    func stop() throws -> JSONObject {
        _ = try fixture.stopMock()
        return try #require(fixture.statistics()["broadcast"]?.objectValue)
    }

    /// `channel create --count N` into FILE; the channel ids it made.
    func create(_ count: Int, policy: Int = 1, output: String) throws -> [String] {
        let result = try channel("create", ["--count", String(count), "--storage-policy", String(policy),
                                            "--output", fixture.path(output)])
        #expect(result.status == 0, "channel create: \(result.stderr)")
        return try ChannelOutput.rows(fixture.path(output)).compactMap { $0["channel_id"]?.stringValue }
    }
}

/// Reading `apnsctl channel`'s output.
enum ChannelOutput {
    static func rows(_ path: String) throws -> [JSONObject] {
        try rows(jsonl: String(contentsOfFile: path, encoding: .utf8))
    }

    static func rows(jsonl text: String) throws -> [JSONObject] {
        try text.split(separator: "\n").map { line in
            guard case .object(let object) = try JSONParser.parse(String(line)) else {
                throw EndToEndError("not a JSON object: \(line)")
            }
            return object
        }
    }
}

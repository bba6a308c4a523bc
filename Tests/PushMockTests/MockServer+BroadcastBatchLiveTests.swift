import Foundation
import PushCore
import Testing
@testable import PushMock

/// A broadcast campaign's life against the mock, in batches of concurrent requests (`curl --parallel`): create
/// 100 channels, broadcast an update to each, delete them all.
@Suite("MockServer: a hundred channels, in batches",
       .enabled(if: LiveTestSupport.canRunLiveTests, "needs the openssl tool and a curl built with HTTP/2 (curl -V | grep HTTP2)"))
struct MockServerBroadcastBatchLiveTests {
    static let bundle = MockServerBroadcastLiveTests.bundle

    /// One request of a batch.
    struct Item {
        var method: String
        var path: String
        var headers: [String]
        var body: String?
    }

    /// Runs the items as one `curl --parallel` (a config file: one block per request); returns
    /// `"<status> <apns-channel-id>"` per answer, in completion order.
    static func batch(_ running: LiveTestSupport.RunningServer, port: Int, _ items: [Item]) throws -> [String] {
        func quoted(_ text: String) -> String {
            "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        var config = ""
        for (index, item) in items.enumerated() {
            if index > 0 { config += "next\n" }
            config += "http2\ncacert = \(quoted(running.certificatePath))\nmax-time = 20\noutput = \"/dev/null\"\n"
            config += "write-out = \"%{http_code} %header{apns-channel-id}\\n\"\n"
            config += "request = \(quoted(item.method))\nurl = \(quoted("https://127.0.0.1:\(port)\(item.path)"))\n"
            for header in item.headers + ["authorization: bearer x"] { config += "header = \(quoted(header))\n" }
            if let body = item.body { config += "data-binary = \(quoted(body))\n" }
        }
        let file = running.directory.appendingPathComponent("batch-\(UUID().uuidString).cfg")
        try Data(config.utf8).write(to: file)
        let result = try LiveTestSupport.run(["curl", "-sS", "--parallel", "--parallel-max", "20", "-K", file.path])
        return result.output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
    }

    @Test func createBroadcastAndDeleteAHundredChannels() throws {
        let running = try MockServerBroadcastLiveTests.startServer()
        defer { _ = running.stop() }
        let managePort = try #require(running.server.managePort)
        let create = Item(method: "POST", path: "/1/apps/\(Self.bundle)/channels", headers: [],
                          body: #"{"message-storage-policy":0,"push-type":"LiveActivity"}"#)
        let created = try Self.batch(running, port: managePort, Array(repeating: create, count: 100))
        #expect(created.count == 100)
        #expect(created.allSatisfy { $0.hasPrefix("201 ") })
        let ids = created.compactMap { $0.split(separator: " ").dropFirst().first.map(String.init) }
        #expect(Set(ids).count == 100)
        #expect(Set(running.server.channels.ids(in: Self.bundle)) == Set(ids))

        let updates = ids.map { id in
            Item(method: "POST", path: "/4/broadcasts/apps/\(Self.bundle)",
                 headers: ["apns-channel-id: \(id)", "apns-push-type: liveactivity", "apns-priority: 5",
                           "apns-expiration: 0"],
                 body: MockServerBroadcastLiveTests.update)
        }
        let sent = try Self.batch(running, port: running.port, updates)
        #expect(sent.count == 100 && sent.allSatisfy { $0 == "200" })

        let deletes = ids.map { Item(method: "DELETE", path: "/1/apps/\(Self.bundle)/channels",
                                     headers: ["apns-channel-id: \($0)"], body: nil) }
        let deleted = try Self.batch(running, port: managePort, deletes)
        #expect(deleted.count == 100 && deleted.allSatisfy { $0 == "204" })
        #expect(running.server.channels.count == 0)
        let list = try MockServerBroadcastLiveTests.send(running, "GET", "/1/apps/\(Self.bundle)/all-channels",
                                                         management: true)
        #expect(list.body == #"{"channels":[]}"#)

        #expect(running.stop())
        let stats = running.server.statistics.broadcast
        #expect(stats.channelsCreated == 100 && stats.channelsDeleted == 100)
        #expect(stats.broadcastsAccepted == 100 && stats.broadcastsRejected == 0)
        #expect(stats.managementRejected == 0)
    }
}

import Foundation
import PushCore
import Testing
@testable import PushMock

/// The server over real TLS + HTTP/2 on 127.0.0.1, driven by curl.
@Suite("MockServer: live over TLS + HTTP/2 with curl",
       .enabled(if: LiveTestSupport.canRunLiveTests, "needs the openssl tool and a curl built with HTTP/2 (curl -V | grep HTTP2)"))
struct MockServerLiveTests {
    static let goodToken = String(repeating: "ab", count: 32)
    static let deadToken = "dead" + String(repeating: "00", count: 30)
    static let jwt = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJURUFNSUQxMjM0In0.LIVE-SECRET-SIGNATURE"

    @Test func answersLikeAPNsAndStops() throws {
        let running = try LiveTestSupport.startServer { configuration, directory in
            configuration.responseRules = [MockResponseRule(prefix: "dead", status: 410, reason: "Unregistered")]
            configuration.logPath = directory.appendingPathComponent("requests.jsonl").path
        }
        var stopped = false
        defer { if !stopped { _ = running.stop() } }
        let auth = ["apns-topic: com.example.app", "authorization: bearer \(Self.jwt)"]

        let ok = try LiveTestSupport.post(to: running, token: Self.goodToken, headers: auth + ["apns-id: 123e4567-e89b-42d3-a456-426614174000"])
        #expect(ok.exitStatus == 0, "\(ok.error)")
        #expect(ok.status == "200")
        #expect(ok.httpVersion == "2")
        #expect(ok.body.isEmpty)
        #expect(ok.headers["apns-id"] == "123e4567-e89b-42d3-a456-426614174000")
        #expect(RequestValidator.isUUID(ok.headers["apns-unique-id"] ?? ""))

        let bad = try LiveTestSupport.post(to: running, token: "xyz", headers: auth)
        #expect(bad.status == "400")
        #expect(bad.body == #"{"reason":"BadDeviceToken"}"#)
        #expect(bad.headers["content-type"] == "application/json")
        #expect(RequestValidator.isUUID(bad.headers["apns-id"] ?? ""))

        let before = Int64(Date().timeIntervalSince1970 * 1000)
        let gone = try LiveTestSupport.post(to: running, token: Self.deadToken, headers: auth)
        #expect(gone.status == "410")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(gone.body.utf8)) as? [String: Any])
        #expect(object["reason"] as? String == "Unregistered")
        let timestamp = try #require(object["timestamp"] as? Int64)
        #expect(timestamp >= before - 1000 && timestamp <= Int64(Date().timeIntervalSince1970 * 1000) + 1000)

        let missing = try LiveTestSupport.post(to: running, token: Self.goodToken, headers: ["apns-topic: x"])
        #expect(missing.status == "403")
        #expect(missing.body == #"{"reason":"MissingProviderToken"}"#)

        #expect(running.stop(), "run() did not return after stop()")
        stopped = true
        #expect(running.server.requestCount == 4)
        #expect(running.server.acceptedCount == 1)
        #expect(running.server.rejectedCount == 3)
        #expect(running.server.connectionCount == 4)

        // The log was flushed on shutdown: one line per request, and never the bearer token.
        let log = try String(contentsOfFile: running.directory.appendingPathComponent("requests.jsonl").path, encoding: .utf8)
        let lines = log.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(!log.contains("LIVE-SECRET-SIGNATURE"))
        #expect(!log.contains(Self.jwt))
        #expect(lines.contains { $0.contains(#""status":410"#) && $0.contains(#""reason":"Unregistered""#) })
    }

    @Test func tokenVerifierAndSeveralRequestsOnOneConnection() throws {
        let running = try LiveTestSupport.startServer { configuration, _ in
            configuration.tokenVerifier = { $0 == "good" ? nil : .expiredProviderToken }
        }
        defer { _ = running.stop() }
        let url = "https://127.0.0.1:\(running.port)/3/device/\(Self.goodToken)"
        // curl reuses one connection for the three URLs: the stream limit rises after the first 200.
        let result = try LiveTestSupport.post(to: running, token: Self.goodToken,
                                              headers: ["apns-topic: x", "authorization: bearer good"],
                                              extra: [url, url])
        #expect(result.exitStatus == 0, "\(result.error)")
        #expect(result.status.hasPrefix("200"))
        #expect(running.server.acceptedCount == 3)
        #expect(running.server.connectionCount == 1)

        let expired = try LiveTestSupport.post(to: running, token: Self.goodToken,
                                               headers: ["apns-topic: x", "authorization: bearer stale"])
        #expect(expired.status == "403")
        #expect(expired.body == #"{"reason":"ExpiredProviderToken"}"#)
    }

    @Test func closesClientsThatDoNotSpeakHTTP2() throws {
        let running = try LiveTestSupport.startServer()
        defer { _ = running.stop() }
        let http1 = try LiveTestSupport.post(to: running, token: Self.goodToken, extra: ["--http1.1"])
        #expect(http1.exitStatus != 0)
        #expect(http1.status != "200")
        // The server keeps serving others.
        let ok = try LiveTestSupport.post(to: running, token: Self.goodToken)
        #expect(ok.status == "200")
        #expect(running.server.requestCount == 1)
    }

    @Test func stopBeforeRunMakesRunReturnAtOnce() throws {
        let directory = try LiveTestSupport.makeTemporaryDirectory()
        let identity = try LiveTestSupport.makeCertificate(in: directory)
        let server = try MockServer(configuration: MockConfiguration(listen: .init(host: "127.0.0.1", port: 0), quiet: true),
                                    certificatePEM: identity.certificatePEM, keyPEM: identity.keyPEM)
        let port = try server.start()
        #expect(port > 0)
        #expect(try server.start() == port)
        server.stop()
        server.run()
        #expect(server.requestCount == 0)
    }

    @Test func busyPortIsAnActionableError() throws {
        let running = try LiveTestSupport.startServer()
        defer { _ = running.stop() }
        let identity = try LiveTestSupport.makeCertificate(in: running.directory)
        let second = try MockServer(configuration: MockConfiguration(listen: .init(host: "127.0.0.1", port: running.port)),
                                    certificatePEM: identity.certificatePEM, keyPEM: identity.keyPEM)
        #expect {
            try second.start()
        } throws: { error in
            "\(error)".contains("\(running.port)")
        }
    }

    @Test func unwritableLogIsAnActionableError() throws {
        let directory = try LiveTestSupport.makeTemporaryDirectory()
        let identity = try LiveTestSupport.makeCertificate(in: directory)
        let path = directory.appendingPathComponent("missing/dir/log.jsonl").path
        let server = try MockServer(configuration: MockConfiguration(listen: .init(host: "127.0.0.1", port: 0), logPath: path),
                                    certificatePEM: identity.certificatePEM, keyPEM: identity.keyPEM)
        #expect {
            try server.start()
        } throws: { error in
            "\(error)".contains(path)
        }
    }

    @Test func aSignalStopsTheServer() throws {
        let running = try LiveTestSupport.startServer()
        running.server.stopOnSignals([SIGUSR2])
        let ok = try LiveTestSupport.post(to: running, token: Self.goodToken)
        #expect(ok.status == "200")
        kill(getpid(), SIGUSR2)
        let returned = running.finished.wait(timeout: TestTime.deadline(5)) == .success
        #expect(returned, "run() did not return after SIGUSR2")
        #expect(MockServer.caughtSignal == SIGUSR2)
        if !returned { running.server.stop() }
    }

    /// A raw HTTP/2 client (openssl s_client with ALPN h2) sees GOAWAY `{"reason":"Shutdown"}` when the server stops.
    @Test func stopSendsGoAwayWithShutdown() throws {
        let running = try LiveTestSupport.startServer()
        var stopped = false
        defer { if !stopped { _ = running.stop() } }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl", "s_client", "-connect", "127.0.0.1:\(running.port)", "-alpn", "h2",
                             "-quiet", "-ign_eof", "-CAfile", running.certificatePath]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let watchdog = DispatchWorkItem { process.terminate() }
        DispatchQueue.global().asyncAfter(deadline: TestTime.deadline(10), execute: watchdog)
        defer { watchdog.cancel() }

        // Client preface, then an empty SETTINGS frame.
        let preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8) + [0, 0, 0, 4, 0, 0, 0, 0, 0]
        input.fileHandleForWriting.write(Data(preface))
        var received = output.fileHandleForReading.availableData   // the server's SETTINGS: the session is up
        #expect(received.count >= 9)
        #expect(received.count > 3 && received[received.startIndex + 3] == 4, "first frame is not SETTINGS")

        #expect(running.stop(), "run() did not return after stop()")
        stopped = true
        received.append(output.fileHandleForReading.readDataToEndOfFile())
        process.waitUntilExit()
        let bytes = [UInt8](received)
        let debug = Array(#"{"reason":"Shutdown"}"#.utf8)
        let at = try #require((0...(max(0, bytes.count - debug.count))).first { Array(bytes[$0..<min(bytes.count, $0 + debug.count)]) == debug },
                              "no GOAWAY debug data in \(bytes)")
        // GOAWAY payload: last-stream-id (4 bytes), error code (4), debug data; the 9-byte frame header before it.
        let header = at - 8 - 9
        try #require(header >= 0)
        #expect(bytes[header + 3] == 7, "frame type is not GOAWAY")
        #expect(Array(bytes[(at - 4)..<at]) == [0, 0, 0, 0], "error code is not NO_ERROR")
    }
}

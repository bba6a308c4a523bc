import Foundation
import Testing
@testable import PushMock

/// Tools and a throwaway TLS identity for tests that talk to a running `MockServer` over TLS + HTTP/2.
enum LiveTestSupport {
    /// Runs a program found on PATH; returns exit status, stdout and stderr.
    @discardableResult
    static func run(_ arguments: [String], in directory: URL? = nil) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    static let hasOpenSSL = (try? run(["openssl", "version"]).status) == 0

    /// `curl -V` lists HTTP2 among its features.
    static let curlHasHTTP2: Bool = {
        guard let result = try? run(["curl", "-V"]), result.status == 0 else { return false }
        return result.output.split(separator: "\n").contains { $0.hasPrefix("Features:") && $0.contains("HTTP2") }
    }()

    static let canRunLiveTests = hasOpenSSL && curlHasHTTP2

    static func makeTemporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pushmock-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A self-signed P-256 certificate for 127.0.0.1 made with the openssl tool: (certificate path, PEM, key PEM).
    static func makeCertificate(in directory: URL) throws -> (certificatePath: String, certificatePEM: String, keyPEM: String) {
        let cert = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        let result = try run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                              "-nodes", "-days", "2", "-subj", "/CN=localhost",
                              "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                              "-keyout", key, "-out", cert])
        guard result.status == 0 else { throw MockServerError("openssl req failed: \(result.error)") }
        return (cert, try String(contentsOfFile: cert, encoding: .utf8), try String(contentsOfFile: key, encoding: .utf8))
    }

    /// A server started on 127.0.0.1:0 and running on a thread of its own; `finished` is signalled when `run()` returns.
    struct RunningServer {
        let server: MockServer
        let port: Int
        let finished: DispatchSemaphore
        let directory: URL
        let certificatePath: String

        /// Stops the server; true when `run()` returned within `seconds`.
        func stop(within seconds: Double = 5) -> Bool {
            server.stop()
            return finished.wait(timeout: TestTime.deadline(seconds)) == .success
        }
    }

    static func startServer(_ configure: (inout MockConfiguration, URL) -> Void = { _, _ in }) throws -> RunningServer {
        let directory = try makeTemporaryDirectory()
        let identity = try makeCertificate(in: directory)
        var configuration = MockConfiguration(listen: .init(host: "127.0.0.1", port: 0), quiet: true)
        configure(&configuration, directory)
        let server = try MockServer(configuration: configuration, certificatePEM: identity.certificatePEM,
                                    keyPEM: identity.keyPEM)
        let port = try server.start()
        let finished = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            server.run()
            finished.signal()
        }
        return RunningServer(server: server, port: port, finished: finished, directory: directory,
                             certificatePath: identity.certificatePath)
    }

    struct CurlResponse {
        var status: String
        var httpVersion: String
        var body: String
        var headers: [String: String]
        var exitStatus: Int32
        var error: String
    }

    /// One `curl --http2` POST to `/3/device/<token>`.
    static func post(to running: RunningServer, token: String, headers: [String] = ["apns-topic: x", "authorization: bearer x"],
                     body: String = #"{"aps":{}}"#, extra: [String] = []) throws -> CurlResponse {
        let tag = UUID().uuidString
        let bodyPath = running.directory.appendingPathComponent("body-\(tag)").path
        let headerPath = running.directory.appendingPathComponent("headers-\(tag)").path
        var arguments = ["curl", "--http2", "--cacert", running.certificatePath, "-sS", "-o", bodyPath, "-D", headerPath,
                         "-w", "%{http_code} %{http_version}", "-X", "POST", "--max-time", TestTime.curlMaxTime(10)]
        for header in headers { arguments += ["-H", header] }
        arguments += extra
        arguments += ["https://127.0.0.1:\(running.port)/3/device/\(token)", "-d", body]
        let result = try run(arguments)
        let parts = result.output.split(separator: " ").map(String.init)
        var parsed: [String: String] = [:]
        if let text = try? String(contentsOfFile: headerPath, encoding: .utf8) {
            for line in text.split(whereSeparator: \.isNewline) {
                guard let colon = line.firstIndex(of: ":") else { continue }
                parsed[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        return CurlResponse(status: parts.first ?? "", httpVersion: parts.count > 1 ? parts[1] : "",
                            body: (try? String(contentsOfFile: bodyPath, encoding: .utf8)) ?? "",
                            headers: parsed, exitStatus: result.status, error: result.error)
    }

    /// One answer of `postMany`: the status (`000` when none came) and how many new connections curl made for it.
    struct Answer: Equatable {
        var status: String
        var newConnections: Int
    }

    /// One curl run that POSTs to `/3/device/<token>` for each token in turn, reusing its connection while it
    /// can (curl opens a new one after a GOAWAY or a reset).
    static func postMany(to running: RunningServer, tokens: [String],
                         headers: [String] = ["apns-topic: x", "authorization: bearer x"],
                         extra: [String] = []) throws -> (answers: [Answer], exitStatus: Int32, error: String) {
        var arguments = ["curl", "--http2", "--cacert", running.certificatePath, "-sS",
                         "--max-time", TestTime.curlMaxTime(10),
                         "-w", "%{http_code} %{num_connects}\\n", "-d", #"{"aps":{}}"#]
        for header in headers { arguments += ["-H", header] }
        arguments += extra
        for token in tokens {
            arguments += ["-o", "/dev/null", "https://127.0.0.1:\(running.port)/3/device/\(token)"]
        }
        let result = try run(arguments)
        let answers = result.output.split(separator: "\n").map { line in
            let parts = line.split(separator: " ")
            return Answer(status: parts.first.map(String.init) ?? "", newConnections: parts.count > 1 ? Int(parts[1]) ?? -1 : -1)
        }
        return (answers, result.status, result.error)
    }

    /// nghttp2's command-line client (package nghttp2-client), which shows frames with -v.
    static let hasNghttp = (try? run(["nghttp", "--version"]).status) == 0

    /// `nghttp -v` POSTing `{"aps":{}}` to `/3/device/<token>` `multiply` times at once over one connection.
    static func nghttp(_ running: RunningServer, token: String, multiply: Int = 1,
                       headers: [String] = ["apns-topic: x", "authorization: bearer x"],
                       extra: [String] = []) throws -> NghttpTranscript {
        let body = running.directory.appendingPathComponent("nghttp-body.json")
        try Data(#"{"aps":{}}"#.utf8).write(to: body)
        var arguments = ["nghttp", "-v", "-t", "10s", "-m", String(multiply), "-d", body.path]
        for header in headers { arguments += ["-H", header] }
        arguments += extra
        arguments.append("https://127.0.0.1:\(running.port)/3/device/\(token)")
        let result = try run(arguments)
        return NghttpTranscript(text: result.output + result.error)
    }

    /// What `nghttp -v` printed, picked apart.
    struct NghttpTranscript {
        var text: String
        var lines: [Substring] { text.split(separator: "\n") }

        /// `(stream, status, seconds since start)` of every response, in arrival order.
        var statuses: [(stream: Int32, status: String, seconds: Double)] {
            lines.compactMap { line in
                // [  0.047] recv (stream_id=13) :status: 200
                guard line.contains("recv (stream_id="), line.contains(":status: "),
                      let open = line.firstIndex(of: "["), let close = line.firstIndex(of: "]"),
                      let idStart = line.range(of: "stream_id=")?.upperBound,
                      let idEnd = line[idStart...].firstIndex(of: ")") else { return nil }
                let seconds = Double(line[line.index(after: open)..<close].trimmingCharacters(in: .whitespaces)) ?? -1
                let status = String(line[line.range(of: ":status: ")!.upperBound...]).trimmingCharacters(in: .whitespaces)
                return (Int32(line[idStart..<idEnd]) ?? -1, status, seconds)
            }
        }

        /// SETTINGS_MAX_CONCURRENT_STREAMS values the server announced, in order.
        var maxConcurrentStreams: [Int] {
            var values: [Int] = []
            var inServerSettings = false
            for line in lines {
                if line.contains("] recv SETTINGS frame") { inServerSettings = true; continue }
                if line.contains("] ") && line.contains(" frame ") { inServerSettings = false }
                if inServerSettings, line.contains("SETTINGS_MAX_CONCURRENT_STREAMS"),
                   let colon = line.lastIndex(of: ":"), let close = line.lastIndex(of: "]") {
                    values.append(Int(line[line.index(after: colon)..<close]) ?? -1)
                }
            }
            return values
        }

        /// The GOAWAY frames received: last-stream-id, error code text, debug data.
        var goAways: [(lastStreamID: Int32, errorCode: String, debugData: String)] {
            let all = lines
            var found: [(Int32, String, String)] = []
            for (index, line) in all.enumerated() where line.contains("] recv GOAWAY frame") && index + 1 < all.count {
                // (last_stream_id=15, error_code=NO_ERROR(0x00), opaque_data(21)=[{"reason":"Shutdown"}])
                let detail = all[index + 1]
                guard let idStart = detail.range(of: "last_stream_id=")?.upperBound,
                      let idEnd = detail[idStart...].firstIndex(of: ","),
                      let codeStart = detail.range(of: "error_code=")?.upperBound,
                      let codeEnd = detail[codeStart...].firstIndex(of: "("),
                      let dataStart = detail.range(of: ")=[")?.upperBound,
                      let dataEnd = detail.range(of: "])", options: .backwards)?.lowerBound else { continue }
                found.append((Int32(detail[idStart..<idEnd]) ?? -1, String(detail[codeStart..<codeEnd]),
                              String(detail[dataStart..<dataEnd])))
            }
            return found
        }
    }

    /// The `--stats` file as a dictionary.
    static func readStats(_ path: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// The request log's lines as dictionaries.
    static func readLog(_ path: String) throws -> [[String: Any]] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }
}

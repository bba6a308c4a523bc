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
            return finished.wait(timeout: .now() + seconds) == .success
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
                         "-w", "%{http_code} %{http_version}", "-X", "POST", "--max-time", "10"]
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
}

import Foundation
import PushCore
@testable import apnsctl

/// `apnsctl mock` running in its own process on 127.0.0.1 (a free port), a throwaway signing key and a scratch
/// directory: what the end-to-end tests run the built `apnsctl send` against.
final class MockFixture {
    let directory: URL
    let port: Int
    let caFile: String
    let keyFile: String
    static let keyID = "TEST000001"
    static let teamID = "TEAM000001"
    private let process: Process

    init(respond: [String] = []) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("apnsctl-live-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        caFile = directory.appendingPathComponent("ca.pem").path
        keyFile = directory.appendingPathComponent("AuthKey_\(Self.keyID).p8").path
        try Data(ES256PrivateKey.generate().pkcs8PEM().utf8).write(to: URL(fileURLWithPath: keyFile))

        let portFile = directory.appendingPathComponent("port").path
        process = Process()
        process.executableURL = URL(fileURLWithPath: try BinarySmokeTests.binary())
        process.arguments = ["mock", "--listen", "127.0.0.1:0", "--port-file", portFile, "--write-ca", caFile,
                             "--auth-key", keyFile, "--key-id", Self.keyID, "--team-id", Self.teamID, "--quiet"]
            + respond.flatMap { ["--respond", $0] }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        var port: Int?
        for _ in 0..<200 {
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8),
               let value = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                port = value
                break
            }
            usleep(50_000)
        }
        guard let port else {
            process.terminate()
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: portFile])
        }
        self.port = port
    }

    deinit {
        if process.isRunning {
            // SIGTERM, and SIGKILL if it is still there after 5 s, so a broken stop cannot hang the suite.
            process.terminate()
            for _ in 0..<100 where process.isRunning { usleep(50_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Writes a CSV of `rows` recipients: every `rejectEvery`th token starts with 0bad (answer it with
    /// `0bad=400:BadDeviceToken`); with `invalidRow`, one more row whose token is not hex.
    func writeRecipients(_ name: String, rows: Int, rejectEvery: Int = 0, invalidRow: Bool = false) throws -> String {
        var text = "token,name\n"
        for i in 1...rows {
            let prefix = rejectEvery > 0 && i % rejectEvery == 0 ? "0bad" : "ab12"
            let hex = String(i, radix: 16)
            text += prefix + String(repeating: "0", count: 60 - hex.count) + hex + ",Customer \(i)\n"
        }
        if invalidRow { text += "not-a-token,Broken\n" }
        let path = self.path(name)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// `apnsctl send` to this mock with the throwaway key, reading `input`, and `extra` options.
    func sendArguments(input: String, extra: [String]) -> [String] {
        ["send", "--input", input, "--payload", #"{"aps":{"alert":"Hi {{name}}"}}"#, "--topic", "com.example.app",
         "--key", keyFile, "--key-id", Self.keyID, "--team-id", Self.teamID,
         "--endpoint", "127.0.0.1:\(port)", "--ca-file", caFile] + extra
    }
}

/// Runs a program with stderr on a pseudo-terminal (python3's pty module, else util-linux `script`), so
/// apnsctl sees a terminal the way it does in a person's shell.
enum PseudoTerminal {
    static let python = Tool.path("python3")
    static let script = Tool.path("script")
    static var available: Bool { python != nil || script != nil }

    static let pythonProgram = """
        import fcntl, os, pty, struct, subprocess, sys, termios
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack('HHHH', 24, int(sys.argv[1]), 0, 0))
        child = subprocess.Popen(sys.argv[2:], stdin=subprocess.DEVNULL, stdout=slave, stderr=slave)
        os.close(slave)
        chunks = []
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        sys.stdout.buffer.write(b''.join(chunks))
        sys.exit(child.wait())
        """

    /// Everything the program wrote to the terminal (stdout and stderr), and its exit status.
    static func run(_ arguments: [String], columns: Int) throws -> Tool.Result {
        if let python {
            return try Tool.run(python, ["-c", pythonProgram, String(columns)] + arguments)
        }
        let quoted = arguments.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        return try Tool.run(script ?? "/usr/bin/script", ["-qec", "stty cols \(columns); exec \(quoted)", "/dev/null"])
    }
}

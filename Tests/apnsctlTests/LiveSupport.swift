import Foundation
import PushCore
@testable import apnsctl

/// What the monitoring tests (`Send+LiveTests`) add to the end-to-end fixture.
extension MockFixture {
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

    /// `apnsctl send` to this mock with the fixture's key, reading `input`, and `extra` options.
    func sendArguments(input: String, extra: [String]) -> [String] {
        ["send", "--input", input, "--payload", #"{"aps":{"alert":"Hi {{name}}"}}"#, "--topic", "com.example.app",
         "--key", keyPath, "--key-id", Self.keyID, "--team-id", Self.teamID,
         "--endpoint", "127.0.0.1:\(port)", "--ca-file", caPath] + extra
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
